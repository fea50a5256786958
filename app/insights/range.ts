// Date ranges and buckets as the URL states them (about 400 lines, most of them the presets' and the
// buckets' rules, which read best side by side). Pure: no server imports, so loaders and the UI share
// one reading of `?range=…&from=…&to=…&compare=…` (the inventory page's query: inventory-query.ts).
//
// Days are calendar days in the shop's timezone written YYYY-MM-DD; the arithmetic below runs on UTC
// midnights of those dates, where every day has 24 hours, so it never depends on the server's zone.
//
// Presets, as Shopify Analytics names them. Shopify's help centre says a preset such as "Last 30 days"
// exists but (in what could be checked here) not whether it ends today or yesterday; these presets
// end today, inclusive, like ShopifyQL's `SINCE -30d UNTIL today` style of rolling window:
//   today            today
//   yesterday        today − 1
//   last_7_days      today − 6 … today          (7 days)
//   last_30_days     today − 29 … today         (30 days)
//   last_90_days     today − 89 … today         (90 days)
//   last_12_months   (today − 1 year) + 1 day … today (365 or 366 days)
//   month_to_date    first of this month … today
//   year_to_date     1 January … today
// Comparisons: previous_period = as many days immediately before; previous_year = the same dates one
// year earlier, 29 February becoming 28 February.

import {
  COMPARISONS,
  RANGE_PRESETS,
  type Comparison,
  type DateRange,
  type Granularity,
  type RangePreset,
  type ResolvedRange,
} from "./types.ts";

export type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

export const DEFAULT_PRESET: RangePreset = "last_30_days";
export const DEFAULT_COMPARISON: Comparison = "previous_period";
/** Earliest day any date parameter may name. */
export const EARLIEST_DAY = "2000-01-01";
/**
 * Latest day any date parameter may name: the last a four-digit year writes, which PostgreSQL's
 * date arithmetic (a day after it included) handles. Pages of figures also refuse days after the
 * shop's today; a filter (the Orders page's) may name a later day and finds nothing there.
 */
export const LATEST_DAY = "9999-12-31";
/** Longest custom range, in calendar years. */
export const MAX_RANGE_YEARS = 5;
/** Longest range charted by day, and by week (beyond it: by month). */
export const MAX_DAILY_DAYS = 90;
export const MAX_WEEKLY_DAYS = 366;

const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

// ---------------------------------------------------------------------------------------------
// Calendar days

/** True for a real calendar date written YYYY-MM-DD (2026-02-30 is not one). */
export function isCalendarDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number);
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= daysInMonth(y, m);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function toUtcMs(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
}

function fromUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return fromUtcMs(toUtcMs(day) + days * DAY_MS);
}

/** The same date `years` years away; 29 February becomes 28 February in a year without one. */
export function addYears(day: string, years: number): string {
  const year = Number(day.slice(0, 4)) + years;
  const month = Number(day.slice(5, 7));
  const date = Math.min(Number(day.slice(8, 10)), daysInMonth(year, month));
  return `${String(year).padStart(4, "0")}-${day.slice(5, 7)}-${String(date).padStart(2, "0")}`;
}

/** Days in a range, both ends included. */
export function dayCount(range: DateRange): number {
  return Math.round((toUtcMs(range.to) - toUtcMs(range.from)) / DAY_MS) + 1;
}

/** Monday of the ISO week holding `day`. */
export function mondayOf(day: string): string {
  const weekday = (new Date(toUtcMs(day)).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return addDays(day, -weekday);
}

// ---------------------------------------------------------------------------------------------
// Time zones

const dateFormatters = new Map<string, Intl.DateTimeFormat>();
const hourFormatters = new Map<string, Intl.DateTimeFormat>();

function formatter(cache: Map<string, Intl.DateTimeFormat>, timezone: string, withHour: boolean) {
  let f = cache.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      ...(withHour ? { hour: "2-digit", hourCycle: "h23" } : {}),
    });
    cache.set(timezone, f);
  }
  return f;
}

function localParts(instant: Date, timezone: string, withHour: boolean) {
  const parts = formatter(withHour ? hourFormatters : dateFormatters, timezone, withHour).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const day = `${get("year").padStart(4, "0")}-${get("month")}-${get("day")}`;
  return { day, hour: withHour ? get("hour").padStart(2, "0") : "" };
}

/** The shop's calendar date (YYYY-MM-DD) at `now` in an IANA zone; throws RangeError for an unknown zone. */
export function todayIn(timezone: string, now: Date): string {
  return localParts(now, timezone, false).day;
}

/** The bucket an instant falls in, reading it as wall-clock time in the shop's zone. */
export function bucketOfInstant(instant: Date, granularity: Granularity, timezone: string): string {
  const { day, hour } = localParts(instant, timezone, granularity === "hour");
  return granularity === "hour" ? `${day}T${hour}:00` : bucketOf(day, granularity);
}

/**
 * The wall-clock hours a calendar day has in a zone, as "YYYY-MM-DDTHH:00". Usually 24; 23 on the day
 * clocks go forward (the skipped hour has no bucket). On the day clocks go back the repeated hour is
 * one bucket covering both passes (keys are wall-clock, so they stay unique): 24 keys for 25 hours.
 */
function localHours(day: string, timezone: string): string[] {
  const seen = new Set<string>();
  const start = toUtcMs(day) - 15 * 3_600_000; // offsets run from −12 h to +14 h
  const end = toUtcMs(day) + DAY_MS + 15 * 3_600_000;
  for (let ms = start; ms < end; ms += 15 * 60_000) {
    const local = localParts(new Date(ms), timezone, true);
    if (local.day === day) seen.add(`${day}T${local.hour}:00`);
  }
  return [...seen].sort();
}

// ---------------------------------------------------------------------------------------------
// Buckets

/** The granularity a range is charted by: hours for one day, then days, ISO weeks, months. */
export function granularityFor(range: DateRange): Granularity {
  if (range.from === range.to) return "hour";
  const days = dayCount(range);
  if (days <= MAX_DAILY_DAYS) return "day";
  if (days <= MAX_WEEKLY_DAYS) return "week";
  return "month";
}

/**
 * The bucket key holding a day ("YYYY-MM-DD"), or for hours a local time ("YYYY-MM-DDTHH:mm…"):
 * hour "YYYY-MM-DDTHH:00", day the date, week its Monday, month "YYYY-MM-01".
 */
export function bucketOf(date: string, granularity: Granularity): string {
  const day = date.slice(0, 10);
  switch (granularity) {
    case "hour": {
      const hour = date.slice(11, 13);
      if (!/^\d{2}$/.test(hour)) throw new Error(`bucketOf: an hour bucket needs a local time, got "${date}"`);
      return `${day}T${hour}:00`;
    }
    case "day":
      return day;
    case "week":
      return mondayOf(day);
    case "month":
      return `${day.slice(0, 7)}-01`;
  }
}

/**
 * Every bucket key covering a range, in order. A week bucket is keyed by its Monday (the first may
 * start before `from`), a month by its first day (likewise). Hour buckets need the shop's timezone:
 * see localHours for days when clocks change.
 */
export function bucketsFor(range: DateRange, granularity: Granularity, timezone?: string): string[] {
  const keys: string[] = [];
  if (granularity === "hour") {
    if (!timezone) throw new Error("bucketsFor: hour buckets need the shop's timezone");
    for (let day = range.from; day <= range.to; day = addDays(day, 1)) keys.push(...localHours(day, timezone));
    return keys;
  }
  if (granularity === "day") {
    for (let day = range.from; day <= range.to; day = addDays(day, 1)) keys.push(day);
    return keys;
  }
  if (granularity === "week") {
    for (let monday = mondayOf(range.from); monday <= range.to; monday = addDays(monday, 7)) keys.push(monday);
    return keys;
  }
  let year = Number(range.from.slice(0, 4));
  let month = Number(range.from.slice(5, 7));
  const last = range.to.slice(0, 7);
  for (;;) {
    const key = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;
    if (key > last) return keys;
    keys.push(`${key}-01`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Date-range request

/** The days a preset covers on the shop's `today`. */
export function presetRange(preset: RangePreset, today: string): DateRange {
  switch (preset) {
    case "today":
      return { from: today, to: today };
    case "yesterday": {
      const yesterday = addDays(today, -1);
      return { from: yesterday, to: yesterday };
    }
    case "last_7_days":
      return { from: addDays(today, -6), to: today };
    case "last_30_days":
      return { from: addDays(today, -29), to: today };
    case "last_90_days":
      return { from: addDays(today, -89), to: today };
    case "last_12_months":
      return { from: addDays(addYears(today, -1), 1), to: today };
    case "month_to_date":
      return { from: `${today.slice(0, 7)}-01`, to: today };
    case "year_to_date":
      return { from: `${today.slice(0, 4)}-01-01`, to: today };
  }
}

/** The period a range is compared with, or null for "none". */
export function comparisonRange(range: DateRange, comparison: Comparison): DateRange | null {
  switch (comparison) {
    case "none":
      return null;
    case "previous_period": {
      const days = dayCount(range);
      return { from: addDays(range.from, -days), to: addDays(range.from, -1) };
    }
    case "previous_year":
      return { from: addYears(range.from, -1), to: addYears(range.to, -1) };
  }
}

export const PRESET_LABELS: Record<RangePreset | "custom", string> = {
  today: "Today",
  yesterday: "Yesterday",
  last_7_days: "Last 7 days",
  last_30_days: "Last 30 days",
  last_90_days: "Last 90 days",
  last_12_months: "Last 12 months",
  month_to_date: "Month to date",
  year_to_date: "Year to date",
  custom: "Custom",
};

export const COMPARISON_LABELS: Record<Comparison, string> = {
  previous_period: "Previous period",
  previous_year: "Previous year",
  none: "No comparison",
};

export function fail<T>(field: string, message: string): Parsed<T> {
  return { ok: false, field, message };
}

/** One value of a parameter: null when absent, an error when repeated. */
export function single(params: URLSearchParams, name: string): Parsed<string | null> {
  const values = params.getAll(name);
  if (values.length > 1) return fail(name, `The "${name}" parameter appears ${values.length} times; give it once.`);
  return { ok: true, value: values.length ? values[0] : null };
}

export function oneOf<T extends string>(allowed: readonly T[], value: string): value is T {
  return (allowed as readonly string[]).includes(value);
}

/**
 * A parameter's value as a refusal repeats it: quoted, its first 40 characters, control characters
 * shown as U+FFFD (a URL can carry any of them, and a page is no place for them).
 */
export function quoted(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced
  const shown = value.slice(0, 40).replace(/[\u0000-\u001f\u007f]/g, "\ufffd");
  return `"${shown}${value.length > 40 ? "…" : ""}"`;
}

/** What a day parameter is called in a message: `from` the start date, `to` the end date. */
function dayLabel(name: string): string {
  return name === "from" ? "The start date" : name === "to" ? "The end date" : "The date";
}

/**
 * The one reading of a day parameter (`from`, `to`) on every page: a real calendar day written
 * YYYY-MM-DD from EARLIEST_DAY to LATEST_DAY, or an error naming the parameter.
 */
export function parseCalendarDay(name: string, value: string): Parsed<string> {
  const label = dayLabel(name);
  if (!DATE_PATTERN.test(value)) {
    return fail(name, `${label} ("${name}") must be written YYYY-MM-DD; got ${quoted(value)}.`);
  }
  if (!isCalendarDate(value)) return fail(name, `${label} ("${name}"), ${value}, is not a date on the calendar.`);
  if (value < EARLIEST_DAY) {
    return fail(name, `${label} ("${name}", ${value}) is before ${EARLIEST_DAY}, the earliest this app shows.`);
  }
  if (value > LATEST_DAY) return fail(name, `${label} ("${name}", ${value}) is after ${LATEST_DAY}.`);
  return { ok: true, value };
}

function parseDay(params: URLSearchParams, name: "from" | "to"): Parsed<string> {
  const raw = single(params, name);
  if (!raw.ok) return raw;
  if (raw.value === null || raw.value === "") {
    return fail(
      name,
      `A custom date range needs ${name === "from" ? "a start" : "an end"} date: add "${name}" as YYYY-MM-DD.`,
    );
  }
  return parseCalendarDay(name, raw.value);
}

/**
 * Reads `range`, `from`, `to` and `compare` against the shop's `today`. Other parameters (Shopify's
 * `shop`, `host`, `embedded`…) are ignored. Anything it cannot read exactly is an error naming the
 * parameter: it never substitutes a different range.
 */
export function resolveRange(params: URLSearchParams, today: string): Parsed<ResolvedRange> {
  const rangeParam = single(params, "range");
  if (!rangeParam.ok) return rangeParam;
  const preset = rangeParam.value ?? DEFAULT_PRESET;
  if (preset !== "custom" && !oneOf(RANGE_PRESETS, preset)) {
    return fail(
      "range",
      `${quoted(preset)} is not a date range this app knows ("range" parameter). Use one of: ${[...RANGE_PRESETS, "custom"].join(", ")}.`,
    );
  }

  let range: DateRange;
  if (preset === "custom") {
    const from = parseDay(params, "from");
    if (!from.ok) return from;
    const to = parseDay(params, "to");
    if (!to.ok) return to;
    if (from.value > to.value) {
      return fail("from", `The start date ("from", ${from.value}) is after the end date ("to", ${to.value}).`);
    }
    if (to.value > today) {
      return fail("to", `The end date ("to", ${to.value}) is after today (${today} in the store's timezone).`);
    }
    if (from.value <= addYears(to.value, -MAX_RANGE_YEARS)) {
      return fail(
        "from",
        `The date range ${from.value} to ${to.value} is longer than ${MAX_RANGE_YEARS} years; choose a shorter one.`,
      );
    }
    range = { from: from.value, to: to.value };
  } else {
    for (const name of ["from", "to"] as const) {
      if (params.has(name)) {
        return fail(
          name,
          `"${name}" only applies to a custom date range: add range=custom, or remove "from" and "to" to use ${PRESET_LABELS[preset]}.`,
        );
      }
    }
    range = presetRange(preset, today);
  }

  const compareParam = single(params, "compare");
  if (!compareParam.ok) return compareParam;
  const comparison = compareParam.value ?? DEFAULT_COMPARISON;
  if (!oneOf(COMPARISONS, comparison)) {
    return fail(
      "compare",
      `${quoted(comparison)} is not a comparison this app knows ("compare" parameter). Use one of: ${COMPARISONS.join(", ")}.`,
    );
  }

  return {
    ok: true,
    value: {
      preset,
      range,
      comparison,
      compareRange: comparisonRange(range, comparison),
      granularity: granularityFor(range),
    },
  };
}

/** A copy of `params` asking for a preset or a custom range; every other parameter is kept. */
export function withRange(
  params: URLSearchParams,
  choice: { preset: RangePreset } | { preset: "custom"; range: DateRange },
): URLSearchParams {
  const next = new URLSearchParams(params);
  next.delete("from");
  next.delete("to");
  next.set("range", choice.preset);
  if (choice.preset === "custom") {
    next.set("from", choice.range.from);
    next.set("to", choice.range.to);
  }
  return next;
}

/** A copy of `params` with another comparison; every other parameter is kept. */
export function withComparison(params: URLSearchParams, comparison: Comparison): URLSearchParams {
  const next = new URLSearchParams(params);
  next.set("compare", comparison);
  return next;
}

/** A copy of `params` without any date-range parameter: the default range and comparison. */
export function withDefaultRange(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const name of ["range", "from", "to", "compare"]) next.delete(name);
  return next;
}
