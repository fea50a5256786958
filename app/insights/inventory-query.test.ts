import { describe, expect, it } from "vitest";
import {
  parseInventoryQuery,
  parseLowStockThreshold,
  withDefaultInventoryQuery,
  withInventoryQuery,
} from "./inventory-query.ts";

describe("parseInventoryQuery", () => {
  const parse = (query: string) => parseInventoryQuery(new URLSearchParams(query));
  it("defaults", () => {
    expect(parse("shop=a.myshopify.com")).toEqual({
      ok: true,
      value: { view: "all", sort: "days_of_cover", direction: "asc", page: 1, pageSize: 50 },
    });
  });
  it("reads every value", () => {
    expect(parse("view=low&sort=value&direction=desc&page=3")).toEqual({
      ok: true,
      value: { view: "low", sort: "value", direction: "desc", page: 3, pageSize: 50 },
    });
    expect(parse("view=out&sort=product&page=10000").ok).toBe(true);
  });
  const invalid: [string, string][] = [
    ["view=low_stock", "view"],
    ["view=", "view"],
    ["sort=price", "sort"],
    ["direction=ascending", "direction"],
    ["page=0", "page"],
    ["page=-1", "page"],
    ["page=1.5", "page"],
    ["page=10001", "page"],
    ["page=abc", "page"],
    ["page=", "page"],
    ["page=1e3", "page"],
    ["page=1&page=2", "page"],
    ["sort=value&sort=product", "sort"],
  ];
  for (const [query, field] of invalid) {
    it(`rejects ${query}`, () => {
      const result = parse(query);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.field).toBe(field);
        expect(result.message).toContain(`"${field}"`);
      }
    });
  }
});

describe("parseLowStockThreshold", () => {
  it("accepts whole numbers 0..100000", () => {
    expect(parseLowStockThreshold("0")).toEqual({ ok: true, value: 0 });
    expect(parseLowStockThreshold(" 15 ")).toEqual({ ok: true, value: 15 });
    expect(parseLowStockThreshold("100000")).toEqual({ ok: true, value: 100000 });
  });
  for (const raw of ["", "  ", "-1", "1.5", "100001", "ten", "1e2", null, undefined, 7]) {
    it(`rejects ${JSON.stringify(raw)}`, () => {
      const result = parseLowStockThreshold(raw);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.field).toBe("threshold");
    });
  }
});

describe("inventory URL helpers", () => {
  it("withInventoryQuery resets the page unless it is the change", () => {
    const params = new URLSearchParams("shop=a&view=low&page=4");
    expect(withInventoryQuery(params, { sort: "value", direction: "desc" }).toString()).toBe(
      "shop=a&view=low&sort=value&direction=desc",
    );
    expect(withInventoryQuery(params, { page: 5 }).toString()).toBe("shop=a&view=low&page=5");
    expect(withDefaultInventoryQuery(params).toString()).toBe("shop=a");
  });
});
