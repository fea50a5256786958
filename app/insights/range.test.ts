import { describe, expect, it } from "vitest";
import {
  addYears,
  bucketOf,
  bucketOfInstant,
  bucketsFor,
  dayCount,
  granularityFor,
  isCalendarDate,
  parseCalendarDay,
  presetRange,
  quoted,
  resolveRange,
  todayIn,
  withComparison,
  withDefaultRange,
  withRange,
} from "./range.ts";
import { RANGE_PRESETS, type ResolvedRange } from "./types.ts";

function resolved(query: string, today: string): ResolvedRange {
  const result = resolveRange(new URLSearchParams(query), today);
  if (!result.ok) throw new Error(`expected ok, got ${result.field}: ${result.message}`);
  return result.value;
}

function failure(query: string, today = "2026-03-15") {
  const result = resolveRange(new URLSearchParams(query), today);
  if (result.ok) throw new Error(`expected an error for "${query}", got ${JSON.stringify(result.value)}`);
  return result;
}

describe("todayIn", () => {
  const instant = new Date("2026-03-15T03:30:00Z");
  it("reads the calendar date in the shop's zone, not UTC", () => {
    expect(todayIn("UTC", instant)).toBe("2026-03-15");
    expect(todayIn("America/New_York", instant)).toBe("2026-03-14"); // 23:30 the evening before
    expect(todayIn("Asia/Tokyo", instant)).toBe("2026-03-15");
    expect(todayIn("Pacific/Kiritimati", new Date("2026-12-31T10:00:00Z"))).toBe("2027-01-01"); // UTC+14
    expect(todayIn("Pacific/Pago_Pago", new Date("2026-01-01T10:00:00Z"))).toBe("2025-12-31"); // UTC−11
  });
  it("turns at local midnight", () => {
    expect(todayIn("Europe/Berlin", new Date("2026-06-30T21:59:59Z"))).toBe("2026-06-30");
    expect(todayIn("Europe/Berlin", new Date("2026-06-30T22:00:00Z"))).toBe("2026-07-01");
  });
  it("rejects an unknown zone", () => {
    expect(() => todayIn("Mars/Olympus_Mons", instant)).toThrow(RangeError);
  });
});

describe("calendar helpers", () => {
  it("knows real dates", () => {
    expect(isCalendarDate("2024-02-29")).toBe(true);
    expect(isCalendarDate("2026-02-29")).toBe(false);
    expect(isCalendarDate("2026-02-30")).toBe(false);
    expect(isCalendarDate("2026-04-31")).toBe(false);
    expect(isCalendarDate("2026-13-01")).toBe(false);
    expect(isCalendarDate("2026-00-10")).toBe(false);
    expect(isCalendarDate("2026-01-00")).toBe(false);
    expect(isCalendarDate("2026-1-5")).toBe(false);
    expect(isCalendarDate("2026-01-05T00:00")).toBe(false);
    expect(isCalendarDate("1900-02-29")).toBe(false);
    expect(isCalendarDate("2000-02-29")).toBe(true);
  });
  it.each(["2000-01-01", "2024-02-29", "2026-12-31", "9999-12-31"])("reads %s as a day parameter", (day) => {
    expect(parseCalendarDay("from", day)).toEqual({ ok: true, value: day });
  });
  it.each([
    ["from", "2026-02-30", /The start date \("from"\), 2026-02-30, is not a date on the calendar/],
    ["from", "2026-13-45", /not a date on the calendar/],
    ["to", "0000-00-00", /The end date \("to"\), 0000-00-00, is not a date on the calendar/],
    ["to", "0001-01-01", /before 2000-01-01, the earliest this app shows/],
    ["from", "1999-12-31", /before 2000-01-01/],
    ["from", "10000-01-01", /must be written YYYY-MM-DD; got "10000-01-01"/],
    ["from", "", /must be written YYYY-MM-DD; got ""/],
    ["to", "2026-01-01\u0000", /got "2026-01-01\ufffd"/],
    ["to", "x".repeat(5000), /got "x{40}…"\.$/],
  ])("refuses %s=%j as a day parameter, naming it", (name, value, message) => {
    const day = parseCalendarDay(name, value);
    expect(day.ok).toBe(false);
    if (!day.ok) {
      expect(day.field).toBe(name);
      expect(day.message).toMatch(message);
    }
  });
  it("quotes a refused value bounded, without control characters", () => {
    expect(quoted("last_week")).toBe('"last_week"');
    expect(quoted("a\u0000b\u001fc\u007f")).toBe('"a\ufffdb\ufffdc\ufffd"');
    expect(quoted("y".repeat(41))).toBe(`"${"y".repeat(40)}…"`);
  });
  it("moves years, 29 February becoming 28 February", () => {
    expect(addYears("2024-02-29", -1)).toBe("2023-02-28");
    expect(addYears("2024-02-29", 4)).toBe("2028-02-29");
    expect(addYears("2025-03-01", -1)).toBe("2024-03-01");
  });
  it("counts days inclusively", () => {
    expect(dayCount({ from: "2026-03-15", to: "2026-03-15" })).toBe(1);
    expect(dayCount({ from: "2024-01-01", to: "2024-12-31" })).toBe(366);
    expect(dayCount({ from: "2026-03-01", to: "2026-03-31" })).toBe(31); // across a DST change anywhere
  });
});

describe("presets", () => {
  const cases: [string, Record<string, [string, string]>][] = [
    [
      "2026-03-15",
      {
        today: ["2026-03-15", "2026-03-15"],
        yesterday: ["2026-03-14", "2026-03-14"],
        last_7_days: ["2026-03-09", "2026-03-15"],
        last_30_days: ["2026-02-14", "2026-03-15"],
        last_90_days: ["2025-12-16", "2026-03-15"],
        last_12_months: ["2025-03-16", "2026-03-15"],
        month_to_date: ["2026-03-01", "2026-03-15"],
        year_to_date: ["2026-01-01", "2026-03-15"],
      },
    ],
    // First day of a year: yesterday and the rolling windows cross into the previous year.
    [
      "2026-01-01",
      {
        today: ["2026-01-01", "2026-01-01"],
        yesterday: ["2025-12-31", "2025-12-31"],
        last_7_days: ["2025-12-26", "2026-01-01"],
        last_30_days: ["2025-12-03", "2026-01-01"],
        last_90_days: ["2025-10-04", "2026-01-01"],
        last_12_months: ["2025-01-02", "2026-01-01"],
        month_to_date: ["2026-01-01", "2026-01-01"],
        year_to_date: ["2026-01-01", "2026-01-01"],
      },
    ],
    // First of a month after a leap February.
    [
      "2024-03-01",
      {
        yesterday: ["2024-02-29", "2024-02-29"],
        last_7_days: ["2024-02-24", "2024-03-01"],
        last_30_days: ["2024-02-01", "2024-03-01"],
        last_12_months: ["2023-03-02", "2024-03-01"],
        month_to_date: ["2024-03-01", "2024-03-01"],
      },
    ],
    // Leap day itself: a year back is 28 February, so the 12 months start on 1 March.
    [
      "2024-02-29",
      {
        last_12_months: ["2023-03-01", "2024-02-29"],
        month_to_date: ["2024-02-01", "2024-02-29"],
        year_to_date: ["2024-01-01", "2024-02-29"],
      },
    ],
    // A year after 28 February 2024 the 12 months start on the leap day.
    ["2025-02-28", { last_12_months: ["2024-02-29", "2025-02-28"] }],
    [
      "2024-12-31",
      {
        year_to_date: ["2024-01-01", "2024-12-31"],
        month_to_date: ["2024-12-01", "2024-12-31"],
      },
    ],
  ];
  for (const [today, expected] of cases) {
    for (const [preset, [from, to]] of Object.entries(expected)) {
      it(`${preset} on ${today} is ${from} … ${to}`, () => {
        const value = resolved(`range=${preset}&compare=none`, today);
        expect(value.preset).toBe(preset);
        expect(value.range).toEqual({ from, to });
        expect(value.compareRange).toBeNull();
      });
    }
  }

  it("every preset ends today or yesterday and never in the future", () => {
    for (const preset of RANGE_PRESETS) {
      const range = presetRange(preset, "2026-03-15");
      expect(range.to <= "2026-03-15").toBe(true);
      expect(range.from <= range.to).toBe(true);
    }
  });

  it("the rolling windows hold exactly 7, 30 and 90 days", () => {
    expect(dayCount(presetRange("last_7_days", "2026-03-01"))).toBe(7);
    expect(dayCount(presetRange("last_30_days", "2026-03-01"))).toBe(30);
    expect(dayCount(presetRange("last_90_days", "2026-03-01"))).toBe(90);
    expect(dayCount(presetRange("last_12_months", "2026-03-01"))).toBe(365);
    expect(dayCount(presetRange("last_12_months", "2024-03-01"))).toBe(366);
  });

  it("defaults to the last 30 days compared with the previous period", () => {
    const value = resolved("", "2026-03-15");
    expect(value.preset).toBe("last_30_days");
    expect(value.range).toEqual({ from: "2026-02-14", to: "2026-03-15" });
    expect(value.comparison).toBe("previous_period");
    expect(value.compareRange).toEqual({ from: "2026-01-15", to: "2026-02-13" });
    expect(value.granularity).toBe("day");
  });

  it("ignores Shopify's own parameters", () => {
    const value = resolved("embedded=1&shop=a.myshopify.com&host=abc&id_token=x&locale=en&range=today", "2026-03-15");
    expect(value.range).toEqual({ from: "2026-03-15", to: "2026-03-15" });
  });
});

describe("comparisons", () => {
  it("previous_period is as many days immediately before", () => {
    expect(resolved("range=today", "2026-03-01").compareRange).toEqual({ from: "2026-02-28", to: "2026-02-28" });
    expect(resolved("range=last_7_days", "2026-03-15").compareRange).toEqual({ from: "2026-03-02", to: "2026-03-08" });
    // Month to date on 31 March: 31 days back, through the end of February and into January.
    expect(resolved("range=month_to_date", "2026-03-31").compareRange).toEqual({
      from: "2026-01-29",
      to: "2026-02-28",
    });
    // A leap year to date is 366 days: the 366 days before it start on the last day of 2022.
    expect(resolved("range=year_to_date", "2024-12-31").compareRange).toEqual({ from: "2022-12-31", to: "2023-12-31" });
  });
  it("previous_year is the same dates a year earlier", () => {
    expect(resolved("range=last_7_days&compare=previous_year", "2026-03-15").compareRange).toEqual({
      from: "2025-03-09",
      to: "2025-03-15",
    });
    expect(resolved("range=month_to_date&compare=previous_year", "2026-03-15").compareRange).toEqual({
      from: "2025-03-01",
      to: "2025-03-15",
    });
  });
  it("previous_year maps 29 February to 28 February", () => {
    expect(resolved("range=today&compare=previous_year", "2024-02-29").compareRange).toEqual({
      from: "2023-02-28",
      to: "2023-02-28",
    });
    expect(resolved("range=month_to_date&compare=previous_year", "2024-02-29").compareRange).toEqual({
      from: "2023-02-01",
      to: "2023-02-28",
    });
    expect(resolved("range=last_12_months&compare=previous_year", "2025-02-28").compareRange).toEqual({
      from: "2023-02-28",
      to: "2024-02-28",
    });
  });
  it("none has no comparison range", () => {
    const value = resolved("range=yesterday&compare=none", "2026-03-15");
    expect(value.comparison).toBe("none");
    expect(value.compareRange).toBeNull();
  });
});

describe("custom ranges", () => {
  it("reads from and to", () => {
    const value = resolved("range=custom&from=2026-01-10&to=2026-02-10&compare=previous_year", "2026-03-15");
    expect(value).toEqual({
      preset: "custom",
      range: { from: "2026-01-10", to: "2026-02-10" },
      comparison: "previous_year",
      compareRange: { from: "2025-01-10", to: "2025-02-10" },
      granularity: "day",
    });
  });
  it("accepts a single day, today, 2000-01-01 and exactly five years", () => {
    expect(resolved("range=custom&from=2026-03-15&to=2026-03-15", "2026-03-15").granularity).toBe("hour");
    expect(resolved("range=custom&from=2000-01-01&to=2004-12-31", "2026-03-15").range.from).toBe("2000-01-01");
    expect(resolved("range=custom&from=2021-03-16&to=2026-03-15", "2026-03-15").granularity).toBe("month");
  });
  it("compares a custom range with the days before it, even before 2000", () => {
    expect(resolved("range=custom&from=2000-01-01&to=2000-01-10", "2026-03-15").compareRange).toEqual({
      from: "1999-12-22",
      to: "1999-12-31",
    });
  });
});

describe("invalid date-range requests", () => {
  const cases: [string, string, RegExp][] = [
    ["range=last_week", "range", /"last_week" is not a date range.*"range"/],
    ["range=", "range", /"" is not a date range/],
    ["range=Today", "range", /"Today" is not a date range/],
    ["range=today&range=yesterday", "range", /appears 2 times/],
    ["compare=last_year", "compare", /"last_year" is not a comparison.*"compare"/],
    ["compare=", "compare", /is not a comparison/],
    ["range=custom&compare=previous_year&from=2026-01-01", "to", /needs an end date.*"to"/],
    ["range=custom&to=2026-01-01", "from", /needs a start date.*"from"/],
    ["range=custom", "from", /needs a start date/],
    ["range=custom&from=&to=2026-01-01", "from", /needs a start date/],
    [
      "range=custom&from=2026-02-30&to=2026-03-01",
      "from",
      /The start date \("from"\), 2026-02-30, is not a date on the calendar/,
    ],
    [
      "range=custom&from=2026-01-01&to=2026-04-31",
      "to",
      /The end date \("to"\), 2026-04-31, is not a date on the calendar/,
    ],
    ["range=custom&from=2025-02-29&to=2025-03-01", "from", /not a date on the calendar/],
    ["range=custom&from=2026-1-1&to=2026-03-01", "from", /must be written YYYY-MM-DD/],
    ["range=custom&from=01/02/2026&to=2026-03-01", "from", /must be written YYYY-MM-DD/],
    ["range=custom&from=2026-01-01T00:00&to=2026-03-01", "from", /must be written YYYY-MM-DD/],
    ["range=custom&from=2026-03-10&to=2026-03-01", "from", /start date \("from", 2026-03-10\) is after the end date/],
    ["range=custom&from=2026-03-10&to=2026-03-16", "to", /end date \("to", 2026-03-16\) is after today \(2026-03-15/],
    ["range=custom&from=1999-12-31&to=2000-01-05", "from", /before 2000-01-01/],
    ["range=custom&from=2021-03-15&to=2026-03-15", "from", /longer than 5 years/],
    ["range=custom&from=2026-01-01&from=2026-01-02&to=2026-03-01", "from", /appears 2 times/],
    ["from=2026-01-01&to=2026-02-01", "from", /only applies to a custom date range/],
    ["range=last_7_days&to=2026-02-01", "to", /only applies to a custom date range/],
    ["range=custom&from=2026-01-01&to=2026-02-01&compare=nope", "compare", /is not a comparison/],
  ];
  for (const [query, field, message] of cases) {
    it(`rejects ${query || "(nothing)"} on "${field}"`, () => {
      const result = failure(query);
      expect(result.field).toBe(field);
      expect(result.message).toMatch(message);
    });
  }
});

describe("granularity", () => {
  it("is hour for one day, day to 90 days, week to 366 days, then month", () => {
    expect(granularityFor({ from: "2026-03-15", to: "2026-03-15" })).toBe("hour");
    expect(granularityFor({ from: "2026-03-14", to: "2026-03-15" })).toBe("day");
    expect(granularityFor({ from: "2025-12-16", to: "2026-03-15" })).toBe("day"); // 90 days
    expect(granularityFor({ from: "2025-12-15", to: "2026-03-15" })).toBe("week"); // 91 days
    expect(granularityFor({ from: "2024-01-01", to: "2024-12-31" })).toBe("week"); // 366 days
    expect(granularityFor({ from: "2023-12-31", to: "2024-12-31" })).toBe("month"); // 367 days
  });
  it("follows the presets", () => {
    const by = (preset: string, today = "2026-03-15") => resolved(`range=${preset}`, today).granularity;
    expect(by("today")).toBe("hour");
    expect(by("yesterday")).toBe("hour");
    expect(by("last_7_days")).toBe("day");
    expect(by("last_90_days")).toBe("day");
    expect(by("month_to_date", "2026-03-01")).toBe("hour");
    expect(by("last_12_months")).toBe("week");
    expect(by("last_12_months", "2024-12-31")).toBe("week");
    expect(by("year_to_date", "2024-12-31")).toBe("week");
  });
});

describe("buckets", () => {
  it("days", () => {
    expect(bucketsFor({ from: "2024-02-27", to: "2024-03-02" }, "day")).toEqual([
      "2024-02-27",
      "2024-02-28",
      "2024-02-29",
      "2024-03-01",
      "2024-03-02",
    ]);
  });
  it("ISO weeks keyed by their Monday, the first starting before from", () => {
    // 2026-03-15 is a Sunday; 2025-12-31 a Wednesday.
    expect(bucketsFor({ from: "2025-12-31", to: "2026-01-19" }, "week")).toEqual([
      "2025-12-29",
      "2026-01-05",
      "2026-01-12",
      "2026-01-19",
    ]);
    expect(bucketsFor({ from: "2026-03-15", to: "2026-03-15" }, "week")).toEqual(["2026-03-09"]);
    expect(bucketsFor({ from: "2026-03-16", to: "2026-03-22" }, "week")).toEqual(["2026-03-16"]);
    const year = bucketsFor(presetRange("last_12_months", "2026-03-15"), "week");
    expect(year[0]).toBe("2025-03-10");
    expect(year.at(-1)).toBe("2026-03-09");
    expect(year).toHaveLength(53);
  });
  it("months keyed by their first day", () => {
    expect(bucketsFor({ from: "2023-11-15", to: "2024-02-29" }, "month")).toEqual([
      "2023-11-01",
      "2023-12-01",
      "2024-01-01",
      "2024-02-01",
    ]);
    expect(bucketsFor({ from: "2021-03-16", to: "2026-03-15" }, "month")).toHaveLength(61);
  });
  it("24 hours on an ordinary day", () => {
    const hours = bucketsFor({ from: "2026-03-15", to: "2026-03-15" }, "hour", "America/New_York");
    expect(hours).toHaveLength(24);
    expect(hours[0]).toBe("2026-03-15T00:00");
    expect(hours[23]).toBe("2026-03-15T23:00");
    expect(bucketsFor({ from: "2026-03-08", to: "2026-03-08" }, "hour", "UTC")).toHaveLength(24);
  });
  it("23 hours when clocks go forward in New York (02:00 does not exist)", () => {
    const hours = bucketsFor({ from: "2026-03-08", to: "2026-03-08" }, "hour", "America/New_York");
    expect(hours).toHaveLength(23);
    expect(hours).not.toContain("2026-03-08T02:00");
    expect(hours.slice(0, 3)).toEqual(["2026-03-08T00:00", "2026-03-08T01:00", "2026-03-08T03:00"]);
  });
  it("the repeated hour is one bucket when clocks go back in New York", () => {
    const hours = bucketsFor({ from: "2026-11-01", to: "2026-11-01" }, "hour", "America/New_York");
    expect(hours).toHaveLength(24);
    expect(new Set(hours).size).toBe(24);
    expect(bucketOfInstant(new Date("2026-11-01T05:30:00Z"), "hour", "America/New_York")).toBe("2026-11-01T01:00");
    expect(bucketOfInstant(new Date("2026-11-01T06:30:00Z"), "hour", "America/New_York")).toBe("2026-11-01T01:00");
  });
  it("23 and 24 hours on Berlin's change days", () => {
    const spring = bucketsFor({ from: "2026-03-29", to: "2026-03-29" }, "hour", "Europe/Berlin");
    expect(spring).toHaveLength(23);
    expect(spring).not.toContain("2026-03-29T02:00");
    const autumn = bucketsFor({ from: "2026-10-25", to: "2026-10-25" }, "hour", "Europe/Berlin");
    expect(autumn).toHaveLength(24);
    expect(autumn).toContain("2026-10-25T02:00");
    // New York's change day is an ordinary day in Berlin.
    expect(bucketsFor({ from: "2026-03-08", to: "2026-03-08" }, "hour", "Europe/Berlin")).toHaveLength(24);
  });
  it("a zone whose day starts at 01:00 when clocks go forward at midnight", () => {
    // Chile moves from −04 to −03 at 00:00 on the first Sunday of September (2026-09-06).
    const hours = bucketsFor({ from: "2026-09-06", to: "2026-09-06" }, "hour", "America/Santiago");
    expect(hours).toHaveLength(23);
    expect(hours[0]).toBe("2026-09-06T01:00");
  });
  it("hour buckets need a timezone", () => {
    expect(() => bucketsFor({ from: "2026-03-15", to: "2026-03-15" }, "hour")).toThrow(/timezone/);
  });
  it("bucketOf maps a day to its bucket", () => {
    expect(bucketOf("2026-03-15", "day")).toBe("2026-03-15");
    expect(bucketOf("2026-03-15", "week")).toBe("2026-03-09");
    expect(bucketOf("2026-03-16", "week")).toBe("2026-03-16");
    expect(bucketOf("2027-01-01", "week")).toBe("2026-12-28");
    expect(bucketOf("2024-02-29", "month")).toBe("2024-02-01");
    expect(bucketOf("2026-03-15T13:45", "hour")).toBe("2026-03-15T13:00");
    expect(() => bucketOf("2026-03-15", "hour")).toThrow();
  });
  it("every bucket of every granularity is its own bucketOf", () => {
    const range = { from: "2025-01-01", to: "2026-03-15" };
    for (const granularity of ["day", "week", "month"] as const) {
      const keys = bucketsFor(range, granularity);
      expect(new Set(keys).size).toBe(keys.length);
      for (const key of keys) expect(bucketOf(key, granularity)).toBe(key);
      expect(keys).toContain(bucketOf(range.from, granularity));
      expect(keys).toContain(bucketOf(range.to, granularity));
    }
  });
  it("bucketOfInstant reads the instant in the shop's zone", () => {
    const instant = new Date("2026-03-02T03:30:00Z"); // Sunday evening in New York
    expect(bucketOfInstant(instant, "day", "America/New_York")).toBe("2026-03-01");
    expect(bucketOfInstant(instant, "week", "America/New_York")).toBe("2026-02-23");
    expect(bucketOfInstant(instant, "month", "America/New_York")).toBe("2026-03-01");
    expect(bucketOfInstant(instant, "hour", "America/New_York")).toBe("2026-03-01T22:00");
    expect(bucketOfInstant(instant, "day", "UTC")).toBe("2026-03-02");
  });
});

describe("URL helpers", () => {
  const base = new URLSearchParams(
    "shop=a.myshopify.com&host=xyz&range=custom&from=2026-01-01&to=2026-01-31&compare=none",
  );
  it("withRange keeps other parameters and drops from/to for a preset", () => {
    expect(withRange(base, { preset: "last_7_days" }).toString()).toBe(
      "shop=a.myshopify.com&host=xyz&range=last_7_days&compare=none",
    );
    const custom = withRange(new URLSearchParams("shop=a"), {
      preset: "custom",
      range: { from: "2026-02-01", to: "2026-02-10" },
    });
    expect(custom.toString()).toBe("shop=a&range=custom&from=2026-02-01&to=2026-02-10");
    expect(resolveRange(custom, "2026-03-15").ok).toBe(true);
  });
  it("withComparison and withDefaultRange", () => {
    expect(withComparison(base, "previous_year").get("compare")).toBe("previous_year");
    expect(withDefaultRange(base).toString()).toBe("shop=a.myshopify.com&host=xyz");
    expect(base.get("range")).toBe("custom"); // the input is not changed
  });
});
