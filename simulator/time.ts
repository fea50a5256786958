// Time helpers: shop-timezone offsets (DST aware), ISO formatting with offsets, parsing.

const offsetCaches = new Map<string, Map<number, number>>();
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Validates an IANA timezone name. */
export function isValidTimeZone(tz: string): boolean {
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

function computeOffsetMinutes(tz: string, epochMs: number): number {
  const parts = formatterFor(tz).formatToParts(new Date(epochMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  const truncated = Math.floor(epochMs / 1000) * 1000;
  return Math.round((asUtc - truncated) / 60000);
}

/**
 * UTC offset in minutes of `tz` at the instant `epochSec`.
 * Cached per 15-minute bucket: every real-world transition falls on a quarter hour.
 */
export function offsetMinutes(tz: string, epochSec: number): number {
  let cache = offsetCaches.get(tz);
  if (!cache) {
    cache = new Map();
    offsetCaches.set(tz, cache);
  }
  const bucket = Math.floor(epochSec / 900);
  let off = cache.get(bucket);
  if (off === undefined) {
    off = computeOffsetMinutes(tz, bucket * 900 * 1000);
    cache.set(bucket, off);
  }
  return off;
}

function pad2(n: number): string {
  return n < 10 ? "0" + n : "" + n;
}

/** civil date from days since epoch (Howard Hinnant's algorithm). */
function civil(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? y + 1 : y, m, d];
}

/** "2026-03-04T10:11:12-05:00" for epoch seconds in the given timezone. */
export function isoInZone(epochSec: number, tz: string): string {
  const off = offsetMinutes(tz, epochSec);
  const local = epochSec + off * 60;
  const days = Math.floor(local / 86400);
  const secs = local - days * 86400;
  const [y, m, d] = civil(days);
  const hh = Math.floor(secs / 3600);
  const mm = Math.floor((secs % 3600) / 60);
  const ss = secs % 60;
  const sign = off < 0 ? "-" : "+";
  const a = Math.abs(off);
  return `${y}-${pad2(m)}-${pad2(d)}T${pad2(hh)}:${pad2(mm)}:${pad2(ss)}${sign}${pad2(Math.floor(a / 60))}:${pad2(a % 60)}`;
}

/** Local calendar date "YYYY-MM-DD" of an instant in the given timezone. */
export function dateInZone(epochSec: number, tz: string): string {
  const local = epochSec + offsetMinutes(tz, epochSec) * 60;
  const [y, m, d] = civil(Math.floor(local / 86400));
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/**
 * dateInZone for many instants of one zone: a 15-minute bucket wholly inside one local date is
 * looked up once (every zone's offset is a multiple of 15 minutes).
 */
export function cachedDateInZone(tz: string): (epochSec: number) => string {
  const cache = new Map<number, string>();
  return (sec) => {
    const key = Math.floor(sec / 900);
    let day = cache.get(key);
    if (day === undefined) {
      day = dateInZone(sec, tz);
      if (dateInZone(key * 900, tz) === day && dateInZone(key * 900 + 899, tz) === day) cache.set(key, day);
    }
    return day;
  };
}

/** Day of week (0 = Sunday) of the local date of an instant. */
export function weekdayInZone(epochSec: number, tz: string): number {
  const local = epochSec + offsetMinutes(tz, epochSec) * 60;
  return (((Math.floor(local / 86400) + 4) % 7) + 7) % 7;
}

/** Epoch seconds of a local wall-clock time in the zone (first match on DST overlaps). */
export function zonedToEpoch(tz: string, y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const guess = Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
  let t = guess - offsetMinutes(tz, guess) * 60;
  t = guess - offsetMinutes(tz, t) * 60;
  return t;
}

/**
 * Parses a timestamp query value. Values with an explicit offset or Z are absolute;
 * date-only and offset-less values are read in the shop's timezone. Returns epoch seconds or null.
 */
export function parseTimestamp(value: string, tz: string): number | null {
  const v = value.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(v);
  if (!m) return null;
  const [, ys, mos, ds, hs, mis, ss, zone] = m;
  const y = Number(ys),
    mo = Number(mos),
    d = Number(ds),
    h = Number(hs ?? 0),
    mi = Number(mis ?? 0),
    s = Number(ss ?? 0);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  if (zone) {
    const base = Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
    if (zone.toUpperCase() === "Z") return base;
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const off = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
    return base - off * 60;
  }
  return zonedToEpoch(tz, y, mo, d, h, mi, s);
}

/** Money helpers: integer cents to "12.50". */
export function money(cents: number): string {
  const neg = cents < 0;
  const a = Math.abs(Math.round(cents));
  const s = Math.floor(a / 100) + "." + pad2(a % 100);
  return neg ? "-" + s : s;
}

/** "12.5" / "12.50" / 12.5 -> 1250 cents (exact, no float accumulation). */
export function toCents(v: unknown): number {
  if (typeof v === "number") return Math.round(v * 100);
  if (typeof v !== "string") return 0;
  const m = /^(-)?(\d*)(?:\.(\d{0,2})\d*)?$/.exec(v.trim());
  if (!m) return 0;
  const cents = Number(m[2] || "0") * 100 + Number((m[3] ?? "").padEnd(2, "0") || "0");
  return m[1] ? -cents : cents;
}
