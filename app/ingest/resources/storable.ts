import type { ChildTable, ColumnType, TableSpec } from "./tables.ts";

// Whether a mapped row (and the rows it carries) can be stored in its tables, checked against the
// tables' column types before anything is encoded, the same on every path in (sync pages on the
// decoding thread, webhooks, any later source), since each maps its records through the resource's
// declaration (resource.ts). What PostgreSQL would refuse fails the record alone, with a reason naming
// the column and the value, instead of failing the page or the webhook:
//
// - text: PostgreSQL's text cannot hold U+0000, and Shopify's admin shows nothing for it, so it is
//   removed ("Ann\u0000e" is stored as "Anne"). Lone UTF-16 surrogates are left as they are:
//   node-postgres encodes parameters as UTF-8, which turns each into U+FFFD (the replacement
//   character), so they are stored as that and never fail a write.
// - numeric: NUMERIC(19,4) holds magnitudes under 10^15 after rounding to four places; a value that
//   is not a plain decimal is refused too (PostgreSQL would take NaN, which would poison every sum).
// - int: PostgreSQL integer (32 bits); bigint: 64 bits.
// - timestamptz: an ISO-8601 time with an offset that PostgreSQL reads as given: a real calendar day
//   from year 1 on (PostgreSQL refuses year 0 and 30 February), an offset of at most 15:59.
//
// It runs for every record of a sync, so the common case is cheap: a text without U+0000 is not
// copied, a short decimal string cannot be out of range, times are read by character codes.

/** A row's problem for storage, in words naming the column and the value; null when it can be stored. */
export type RowCheck = (row: Record<string, unknown>) => string | null;

/** The largest magnitude NUMERIC(19,4) holds, as the reason says it. */
const AMOUNT_LIMIT = "under 10^15";
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const INT64_MAX = "9223372036854775807";
const INT64_MIN_ABS = "9223372036854775808";
/** A plain decimal: what PostgreSQL reads as a number and the app's money strings are. */
const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/** A value as a reason quotes it: short, one line. */
function shown(value: unknown): string {
  const text = typeof value === "string" ? value : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** A numeric value's problem, or null. */
export function numericProblem(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "is not an amount";
    // Doubles this large are 0.125 apart: one under 10^15 stays under it once rounded.
    return Math.abs(value) < 1e15 ? null : `is beyond the amounts the app stores (${AMOUNT_LIMIT})`;
  }
  if (typeof value !== "string" || !DECIMAL.test(value)) return "is not an amount";
  // Fifteen characters hold at most fifteen digits: under 10^15 even once rounded.
  if (value.length <= 15) return null;
  const negative = value.charCodeAt(0) === 45; // "-"
  const dot = value.indexOf(".");
  let start = negative ? 1 : 0;
  const end = dot < 0 ? value.length : dot;
  while (start < end - 1 && value.charCodeAt(start) === 48) start++; // leading zeros
  const digits = end - start;
  if (digits < 15) return null;
  if (digits === 15) {
    // 999999999999999.99995 rounds (half away from zero) to 10^15, which overflows.
    const roundsUp =
      value.slice(start, end) === "999999999999999" &&
      dot >= 0 &&
      value.startsWith("9999", dot + 1) &&
      value.charCodeAt(dot + 5) >= 53; // "5".."9"; NaN (no fifth decimal) compares false
    if (!roundsUp) return null;
  }
  return `is beyond the amounts the app stores (${AMOUNT_LIMIT})`;
}

/** An int (PostgreSQL integer) value's problem, or null. */
export function intProblem(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const number = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number)) return "is not a whole number";
  return number >= INT_MIN && number <= INT_MAX ? null : "is beyond the whole numbers the app stores (32 bits)";
}

/** A bigint value's problem, or null. */
export function bigintProblem(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return Number.isSafeInteger(value) ? null : "is not an id the app stores (64 bits)";
  if (typeof value === "bigint") {
    return value >= -(2n ** 63n) && value < 2n ** 63n ? null : "is not an id the app stores (64 bits)";
  }
  if (typeof value !== "string" || !/^-?\d+$/.test(value)) return "is not an id the app stores (64 bits)";
  const negative = value.charCodeAt(0) === 45;
  let start = negative ? 1 : 0;
  if (value.length - start <= 18) return null;
  while (start < value.length - 1 && value.charCodeAt(start) === 48) start++;
  const digits = value.slice(start);
  const limit = negative ? INT64_MIN_ABS : INT64_MAX;
  const fits = digits.length < 19 || (digits.length === 19 && digits <= limit);
  return fits ? null : "is not an id the app stores (64 bits)";
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two decimal digits at `at`, or -1. */
function two(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Whether `text` is a time PostgreSQL's timestamptz takes as meant: YYYY-MM-DDTHH:MM:SS, optional
 * fraction, then Z or an offset ±HH:MM, ±HHMM or ±HH of at most 15:59; a real day from year 1.
 */
export function isStorableTime(text: string): boolean {
  if (text.length < 20) return false;
  const century = two(text, 0);
  const yy = two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  const hour = two(text, 11);
  const minute = two(text, 14);
  const second = two(text, 17);
  if (
    century < 0 ||
    yy < 0 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 || // "T"
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59 ||
    month < 1 ||
    month > 12 ||
    day < 1
  ) {
    return false;
  }
  const year = century * 100 + yy;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (year === 0 || day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1])) return false;
  let at = 19;
  if (text.charCodeAt(at) === 46) {
    // "." and at least one digit
    at++;
    const first = at;
    while (at < text.length && text.charCodeAt(at) >= 48 && text.charCodeAt(at) <= 57) at++;
    if (at === first) return false;
  }
  const zone = text.charCodeAt(at);
  if (zone === 90) return at + 1 === text.length; // "Z"
  if (zone !== 43 && zone !== 45) return false; // "+", "-"
  const offsetHours = two(text, at + 1);
  let offsetMinutes = 0;
  const rest = text.length - (at + 3);
  if (rest === 3 && text.charCodeAt(at + 3) === 58) offsetMinutes = two(text, at + 4);
  else if (rest === 2) offsetMinutes = two(text, at + 3);
  else if (rest !== 0) return false;
  if (offsetHours < 0 || offsetHours > 15 || offsetMinutes < 0 || offsetMinutes > 59) return false;
  // Before year 1 in UTC (0001-01-01T00:30:00+01:00) PostgreSQL stores a time BC: not Shopify's.
  if (year === 1 && month === 1 && day === 1 && zone === 43) {
    return hour * 60 + minute >= offsetHours * 60 + offsetMinutes;
  }
  return true;
}

/** A timestamptz value's problem, or null. */
export function timeProblem(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "is not a time the app stores" : null;
  return typeof value === "string" && isStorableTime(value) ? null : "is not a time the app stores";
}

const TEXT = 0;
const NUMERIC = 1;
const INT = 2;
const BIGINT = 3;
const TIME = 4;
const OTHER = 5;

const KIND: Record<ColumnType, number> = {
  text: TEXT,
  numeric: NUMERIC,
  int: INT,
  bigint: BIGINT,
  timestamptz: TIME,
  boolean: OTHER,
};

const PROBLEM = [null, numericProblem, intProblem, bigintProblem, timeProblem, null] as const;

/** The checks of one table: each column's row key, SQL name and kind. */
function columnChecks(spec: TableSpec): { keys: string[]; names: string[]; kinds: number[] } {
  const checked = spec.columns.filter(([, , type]) => KIND[type] !== OTHER);
  return {
    keys: checked.map(([, key]) => key),
    names: checked.map(([column]) => column),
    kinds: checked.map(([, , type]) => KIND[type]),
  };
}

/** Checks (and makes storable) one row of a table; a child table's reason names its row by `label` and id. */
function tableCheck(spec: TableSpec, label?: string): RowCheck {
  const { keys, names, kinds } = columnChecks(spec);
  return (row) => {
    for (let i = 0; i < keys.length; i++) {
      const value = row[keys[i]];
      const kind = kinds[i];
      if (kind === TEXT) {
        // U+0000 removed (see the module's header); a text without it is left as it is, uncopied.
        if (typeof value === "string" && value.indexOf("\u0000") !== -1) row[keys[i]] = value.replaceAll("\u0000", "");
        continue;
      }
      const problem = PROBLEM[kind]!(value);
      if (problem !== null) {
        const prefix = label === undefined ? "" : `${label} ${String(row.id)} `;
        return `${prefix}${names[i]}: ${shown(value)} ${problem}`;
      }
    }
    return null;
  };
}

/** How a child table's rows are named in a reason: "order line item 11 price: …". */
function childLabel(spec: TableSpec): string {
  return spec.table.replaceAll('"', "").replaceAll("_", " ");
}

/**
 * The check of a resource's rows against its table and child tables: text made storable in place,
 * and the first value PostgreSQL would refuse reported (a child row's before the parent's own).
 */
export function storableCheck(table: TableSpec, children: readonly ChildTable[]): RowCheck {
  const parent = tableCheck(table);
  const lists = children.map((child) => ({ key: child.key, check: tableCheck(child.spec, childLabel(child.spec)) }));
  // Children first: a line's price past the limit is named as such, not as the order's sum it makes.
  return (row) => {
    for (const { key, check } of lists) {
      const rows = row[key] as Record<string, unknown>[] | undefined;
      if (!rows) continue;
      for (const child of rows) {
        const childProblem = check(child);
        if (childProblem !== null) return childProblem;
      }
    }
    return parent(row);
  };
}
