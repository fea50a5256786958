import { describe, expect, it } from "vitest";
import {
  formatBucket,
  formatChange,
  formatCompactMoney,
  formatCount,
  formatDateRange,
  formatDaysOfCover,
  formatDeduction,
  formatInstant,
  formatMoney,
  formatRate,
  percentChange,
  safeLocale,
} from "./format.ts";

const usd = { locale: "en-US", currency: "USD" };
const eur = { locale: "de-DE", currency: "EUR" };
// Intl separates "1.234,50" and "€" with a no-break space.
const nbsp = (s: string) => s.replace(/\u00a0|\u202f|\u2009/g, " ");

describe("money", () => {
  it("formats decimal strings exactly in the shop's locale and currency", () => {
    expect(formatMoney("1234.50", usd)).toBe("$1,234.50");
    expect(formatMoney("-12", usd)).toBe("-$12.00");
    expect(nbsp(formatMoney("1234.5", eur))).toBe("1.234,50 €");
    expect(formatMoney("0.00", { locale: "ja-JP", currency: "JPY" })).toBe("￥0");
    // Beyond a double's precision: the string is formatted as written.
    expect(formatMoney("90071992547409.93", usd)).toBe("$90,071,992,547,409.93");
    expect(formatMoney(0.1 + 0.2, usd)).toBe("$0.30");
  });
  it("shows deductions negative whatever sign they travel with", () => {
    expect(formatDeduction("12.00", usd)).toBe("-$12.00");
    expect(formatDeduction("-12.00", usd)).toBe("-$12.00");
    expect(formatDeduction("0.00", usd)).toBe("$0.00");
    expect(formatDeduction("-0.00", usd)).toBe("$0.00");
  });
  it("compact for axes", () => {
    expect(formatCompactMoney(1234, usd)).toBe("$1.2K");
    expect(formatCompactMoney(0, usd)).toBe("$0");
  });
  it("survives Shopify-style and unreadable locales and unknown currencies", () => {
    expect(safeLocale("en_US")).toBe("en-US");
    expect(safeLocale("pt-BR")).toBe("pt-BR");
    expect(safeLocale("not a locale!")).toBe("en");
    expect(formatMoney("5", { locale: "en_GB", currency: "GBP" })).toBe("£5.00");
    expect(formatMoney("5", { locale: "en-US", currency: "NOT-A-CODE" })).toBe("5.00 NOT-A-CODE");
  });
});

describe("numbers", () => {
  it("counts and rates", () => {
    expect(formatCount(1234567, "en-US")).toBe("1,234,567");
    expect(formatCount(1234567, "de-DE")).toBe("1.234.567");
    expect(formatRate(0.125, "en-US")).toBe("12.5%");
    expect(formatRate(1 / 3, "en-US")).toBe("33.3%");
    expect(formatRate(null, "en-US")).toBe("—");
  });
  it("days of cover", () => {
    expect(formatDaysOfCover(null, "en-US")).toBe("—");
    expect(formatDaysOfCover(0, "en-US")).toBe("0 days");
    expect(formatDaysOfCover(0.4, "en-US")).toBe("< 1 day");
    expect(formatDaysOfCover(1.2, "en-US")).toBe("1 day");
    expect(formatDaysOfCover(1234.4, "en-US")).toBe("1,234 days");
  });
});

describe("change against the comparison period", () => {
  it("computes percent change, none without a previous value", () => {
    expect(percentChange("150.00", "100.00")).toBe(0.5);
    expect(percentChange(50, 100)).toBe(-0.5);
    expect(percentChange("10", "-20")).toBe(1.5); // growth from a negative value is up
    expect(percentChange("10", "0.00")).toBeNull();
    expect(percentChange("10", null)).toBeNull();
    expect(percentChange(null, "10")).toBeNull();
  });
  it("formats arrows and tones", () => {
    expect(formatChange("112.5", "100", "en-US")).toMatchObject({ text: "▲ 12.5%", tone: "success", direction: "up" });
    expect(formatChange(90, 100, "en-US")).toMatchObject({ text: "▼ 10%", tone: "critical", direction: "down" });
    expect(formatChange(100, 100, "en-US")).toMatchObject({ text: "0%", tone: "subdued", direction: "flat" });
    expect(formatChange(100.0001, 100, "en-US")).toMatchObject({ direction: "flat" });
    expect(formatChange(5, 0, "en-US")).toMatchObject({ text: "—", direction: "none" });
    expect(formatChange(5, null, "en-US").accessibilityLabel).toBe("No comparison available");
    expect(formatChange(200, 100, "en-US").accessibilityLabel).toBe("Up 100% from the comparison period");
  });
});

describe("dates", () => {
  it("bucket labels per granularity, never shifted by the viewer's zone", () => {
    expect(formatBucket("2026-03-15T13:00", "hour", "en-US")).toBe("1 PM");
    expect(formatBucket("2026-03-15T00:00", "hour", "en-US", "long")).toBe("12:00 AM");
    expect(formatBucket("2026-03-15T13:00", "hour", "de-DE")).toBe("13 Uhr");
    expect(formatBucket("2026-03-05", "day", "en-US")).toBe("Mar 5");
    expect(formatBucket("2026-03-05", "day", "en-US", "long")).toBe("Thu, Mar 5, 2026");
    expect(formatBucket("2026-03-02", "week", "en-US")).toBe("Mar 2");
    expect(formatBucket("2026-03-02", "week", "en-US", "long")).toBe("Week of Mar 2, 2026");
    expect(formatBucket("2026-03-01", "month", "en-US")).toBe("Mar 2026");
    expect(formatBucket("2026-03-01", "month", "en-US", "long")).toBe("March 2026");
    expect(formatBucket("2026-01-01", "day", "en-US")).toBe("Jan 1");
  });
  it("date ranges", () => {
    expect(formatDateRange({ from: "2026-03-15", to: "2026-03-15" }, "en-US")).toBe("Mar 15, 2026");
    expect(nbsp(formatDateRange({ from: "2026-02-14", to: "2026-03-15" }, "en-US"))).toBe("Feb 14 – Mar 15, 2026");
    expect(nbsp(formatDateRange({ from: "2025-12-16", to: "2026-03-15" }, "en-US"))).toBe(
      "Dec 16, 2025 – Mar 15, 2026",
    );
  });
});

describe("dates", () => {
  it("use plain spaces, so the server's and the browser's ICU render the same text", () => {
    const texts = [
      formatDateRange({ from: "2026-10-28", to: "2026-11-26" }, "en"),
      formatBucket("2026-11-01T09:00", "hour", "en", "short"),
      formatInstant("2026-11-01T14:05:00Z", "en", "America/New_York"),
    ];
    for (const text of texts) expect(text).not.toMatch(/[\u2009\u202f]/);
    expect(texts[0]).toBe("Oct 28 – Nov 26, 2026");
  });
});
