import { describe, expect, it } from "vitest";
import { sumMoney } from "./money.ts";

describe("sumMoney", () => {
  it("adds decimal strings exactly, on units of 1/10000", () => {
    expect(sumMoney([])).toBe("0.0000");
    expect(sumMoney(["0.10", "0.20"])).toBe("0.3000"); // 0.1 + 0.2 is 0.30000000000000004 in floats
    expect(sumMoney(Array.from({ length: 10 }, () => "0.1"))).toBe("1.0000");
    expect(sumMoney(["199.00", "0.01"])).toBe("199.0100");
    expect(sumMoney(["3.34", "3.33", "3.33"])).toBe("10.0000");
    expect(sumMoney(["10", "0.5"])).toBe("10.5000");
    expect(sumMoney(["1.234", "0.001"])).toBe("1.2350"); // three-decimal currencies (KWD, BHD)
  });

  it("is exact beyond Number.MAX_SAFE_INTEGER", () => {
    expect(sumMoney(["99999999999999.99", "0.01"])).toBe("100000000000000.0000");
    expect(sumMoney(["9007199254740993.01", "0.01"])).toBe("9007199254740993.0200");
  });

  it("handles negative amounts", () => {
    expect(sumMoney(["-5.00", "2.50"])).toBe("-2.5000");
    expect(sumMoney(["-0.10", "-0.20"])).toBe("-0.3000");
    expect(sumMoney(["-0.05"])).toBe("-0.0500");
    expect(sumMoney(["-1.00", "1.00"])).toBe("0.0000");
    expect(sumMoney(["5.00", "-7.25"])).toBe("-2.2500");
  });

  it("truncates (does not round) digits beyond the fourth decimal, per addend", () => {
    // Shopify's money has at most three decimals, so this only matters for foreign input.
    expect(sumMoney(["1.23456"])).toBe("1.2345");
    expect(sumMoney(["0.99999"])).toBe("0.9999");
    expect(sumMoney(["-1.23456"])).toBe("-1.2345");
    expect(sumMoney(["0.00005", "0.00005"])).toBe("0.0000");
    expect(sumMoney(["-0.00009"])).toBe("0.0000");
  });
});
