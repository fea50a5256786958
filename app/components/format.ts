// Numbers, money and dates as the merchant reads them, in the shop's locale and currency. Pure.
// Money arrives as a decimal string ("1234.50") and is formatted from that string, so no float rounding
// ever reaches the screen.

import type { DateRange, Granularity, ShopInfo } from "../insights/types.ts";

export type MoneyFormat = Pick<ShopInfo, "locale" | "currency">;

/** "—": a figure that cannot be computed (no previous value, no orders), as Shopify shows it. */
export const NO_VALUE = "—";

const formatters = new Map<string, Intl.NumberFormat>();

/** A BCP 47 tag Intl accepts: Shopify's "en_US" style is mended, anything unreadable falls back to "en". */
export function safeLocale(locale: string): string {
  try {
    return Intl.getCanonicalLocales(locale.replace(/_/g, "-"))[0] ?? "en";
  } catch {
    return "en";
  }
}

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(safeLocale(locale), options);
    } catch {
      // An unknown currency code: show the amount with the code rather than fail the page.
      const { currency, ...rest } = options;
      const plain = new Intl.NumberFormat(safeLocale(locale), {
        ...rest,
        style: "decimal",
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      });
      f = { format: (v: Intl.StringNumericLiteral | number) => `${plain.format(v)} ${currency ?? ""}`.trim() } as never;
    }
    formatters.set(key, f);
  }
  return f;
}

/** A decimal string or number as a float, for charts and ratios (never for display of money). */
export function toNumber(amount: string | number): number {
  return typeof amount === "number" ? amount : Number(amount);
}

function asLiteral(amount: string | number): Intl.StringNumericLiteral | number {
  return typeof amount === "number" ? amount : (amount.trim() as Intl.StringNumericLiteral);
}

/** "$1,234.50", "1.234,50 €", "-$12.00". */
export function formatMoney(amount: string | number, shop: MoneyFormat): string {
  return numberFormat(shop.locale, { style: "currency", currency: shop.currency }).format(asLiteral(amount));
}

/**
 * A deduction (discounts, returns) shown negative the way Shopify's sales breakdown does, whichever
 * sign it travels with: "-$12.00"; zero stays "$0.00".
 */
export function formatDeduction(amount: string, shop: MoneyFormat): string {
  const magnitude = amount.trim().replace(/^[-+]/, "");
  return formatMoney(toNumber(magnitude) === 0 ? magnitude : `-${magnitude}`, shop);
}

/** "$1.2K" for chart axes. */
export function formatCompactMoney(amount: number, shop: MoneyFormat): string {
  return numberFormat(shop.locale, {
    style: "currency",
    currency: shop.currency,
    notation: "compact",
    maximumFractionDigits: 1,
  }).format(amount);
}

/** "1,234". */
export function formatCount(value: number, locale: string): string {
  return numberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

/** A rate 0..1 as "12.5%"; "—" when there is none. */
export function formatRate(rate: number | null, locale: string): string {
  if (rate === null || !Number.isFinite(rate)) return NO_VALUE;
  return numberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(rate);
}

/** Days of cover: "12 days", "< 1 day", or "—" when nothing sold (no estimate). */
export function formatDaysOfCover(days: number | null, locale: string): string {
  if (days === null || !Number.isFinite(days)) return NO_VALUE;
  if (days > 0 && days < 1) return "< 1 day";
  const rounded = Math.round(days);
  return `${formatCount(rounded, locale)} ${rounded === 1 ? "day" : "days"}`;
}

/** (current − previous) ÷ |previous|, or null when there is no previous value to compare with. */
export function percentChange(current: string | number | null, previous: string | number | null): number | null {
  if (current === null || previous === null) return null;
  const c = toNumber(current);
  const p = toNumber(previous);
  if (!Number.isFinite(c) || !Number.isFinite(p) || p === 0) return null;
  return (c - p) / Math.abs(p);
}

export interface ChangeDisplay {
  /** "▲ 12.5%", "▼ 3%", "0%" or "—". */
  text: string;
  /** Polaris Text tone: up is good for every figure on the overview. */
  tone: "success" | "critical" | "subdued";
  direction: "up" | "down" | "flat" | "none";
  /** For screen readers: "Up 12.5% from the comparison period". */
  accessibilityLabel: string;
}

export function formatChange(
  current: string | number | null,
  previous: string | number | null,
  locale: string,
): ChangeDisplay {
  const change = percentChange(current, previous);
  if (change === null) {
    return { text: NO_VALUE, tone: "subdued", direction: "none", accessibilityLabel: "No comparison available" };
  }
  const percent = numberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(Math.abs(change));
  // Rounded to what is shown: a change that prints as 0% is flat.
  if (percent === numberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(0)) {
    return {
      text: percent,
      tone: "subdued",
      direction: "flat",
      accessibilityLabel: "No change from the comparison period",
    };
  }
  return change > 0
    ? {
        text: `▲ ${percent}`,
        tone: "success",
        direction: "up",
        accessibilityLabel: `Up ${percent} from the comparison period`,
      }
    : {
        text: `▼ ${percent}`,
        tone: "critical",
        direction: "down",
        accessibilityLabel: `Down ${percent} from the comparison period`,
      };
}

// ---------------------------------------------------------------------------------------------
// Dates. Bucket keys and days are wall-clock values in the shop's zone; they are formatted as UTC
// instants built from their parts so the viewer's own zone never shifts them.

interface DateFormat {
  format(date: Date): string;
  formatRange(from: Date, to: Date): string;
}

const dateFormatters = new Map<string, DateFormat>();

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): DateFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = dateFormatters.get(key);
  if (!f) {
    const intl = new Intl.DateTimeFormat(safeLocale(locale), { ...options, timeZone: "UTC" });
    f = {
      format: (date) => plainSpaces(intl.format(date)),
      formatRange: (from, to) => plainSpaces(intl.formatRange(from, to)),
    };
    dateFormatters.set(key, f);
  }
  return f;
}

function wallClock(key: string): Date {
  const hour = key.length > 10 ? Number(key.slice(11, 13)) : 0;
  return new Date(Date.UTC(Number(key.slice(0, 4)), Number(key.slice(5, 7)) - 1, Number(key.slice(8, 10)), hour));
}

/**
 * A bucket key for a chart axis ("short": "3 PM", "Mar 5", "Mar 2", "Mar 2026") or a table row
 * ("long": "3:00 PM", "Thu, Mar 5, 2026", "Week of Mar 2, 2026", "March 2026").
 */
export function formatBucket(
  bucket: string,
  granularity: Granularity,
  locale: string,
  style: "short" | "long" = "short",
): string {
  const date = wallClock(bucket);
  switch (granularity) {
    case "hour":
      return dateFormat(
        locale,
        style === "short" ? { hour: "numeric" } : { hour: "numeric", minute: "2-digit" },
      ).format(date);
    case "day":
      return dateFormat(
        locale,
        style === "short"
          ? { month: "short", day: "numeric" }
          : { weekday: "short", month: "short", day: "numeric", year: "numeric" },
      ).format(date);
    case "week": {
      const monday = dateFormat(
        locale,
        style === "short" ? { month: "short", day: "numeric" } : { month: "short", day: "numeric", year: "numeric" },
      ).format(date);
      return style === "short" ? monday : `Week of ${monday}`;
    }
    case "month":
      return dateFormat(
        locale,
        style === "short" ? { month: "short", year: "numeric" } : { month: "long", year: "numeric" },
      ).format(date);
  }
}

/** "Mar 15, 2026" for one day, "Feb 14 – Mar 15, 2026" for a range. */
export function formatDateRange(range: DateRange, locale: string): string {
  const f = dateFormat(locale, { month: "short", day: "numeric", year: "numeric" });
  if (range.from === range.to) return f.format(wallClock(range.from));
  return f.formatRange(wallClock(range.from), wallClock(range.to));
}

/** "Mar 15, 2026, 9:05 AM" for an instant, in the shop's zone. */
export function formatInstant(iso: string, locale: string, timezone: string): string {
  return plainSpaces(
    new Intl.DateTimeFormat(safeLocale(locale), {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: timezone,
    }).format(new Date(iso)),
  );
}

/**
 * ICU versions differ in the spaces they put in dates and times (thin and narrow no-break spaces
 * around "–" and before "AM"): the server's Node and the merchant's browser must render the same
 * text, or React discards the server's page while hydrating.
 */
function plainSpaces(text: string): string {
  return text.replace(/[\u2009\u202f]/g, " ");
}

/** "3 minutes ago", "yesterday": how long before `now` an instant was, in the shop's language. */
export function formatRelative(iso: string, locale: string, now: Date = new Date()): string {
  const seconds = (new Date(iso).getTime() - now.getTime()) / 1000;
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["day", 86400],
    ["hour", 3600],
    ["minute", 60],
  ];
  const format = new Intl.RelativeTimeFormat(safeLocale(locale), { numeric: "auto" });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return plainSpaces(format.format(Math.round(seconds / size), unit));
  }
  return plainSpaces(format.format(0, "minute"));
}

/** A run's length: "48 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "—";
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${String(whole % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}
