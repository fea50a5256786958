import { describe, expect, it } from "vitest";
import { bigintProblem, intProblem, isStorableTime, numericProblem } from "./storable.ts";
import { customers } from "./customers.ts";
import { orders } from "./orders.ts";
import { products } from "./products.ts";
import { documentedCustomer, documentedOrder, documentedProduct } from "../../../tests/support/shopify-fixtures.ts";
import { encodeBatch, splitBatch } from "./tables.ts";

const BEYOND = "is beyond the amounts the app stores (under 10^15)";

describe("numeric (NUMERIC(19,4))", () => {
  it("takes every magnitude under 10^15 once rounded to four places, and nothing past it", () => {
    for (const ok of [
      "0",
      "-0.5",
      "598.94",
      "999999999999999.9999",
      "-999999999999999.9999",
      "999999999999999.99994",
      "000999999999999999.9999",
      "12345678901234.123456789",
    ]) {
      expect(numericProblem(ok), ok).toBeNull();
    }
    for (const beyond of [
      "1000000000000000",
      "-1000000000000000",
      "999999999999999.99995",
      "-999999999999999.99995",
      "100000000000000000000",
    ]) {
      expect(numericProblem(beyond), beyond).toBe(BEYOND);
    }
    expect(numericProblem(1e20)).toBe(BEYOND);
    expect(numericProblem(999999999999999)).toBeNull();
  });

  it("refuses what is not a plain decimal (PostgreSQL would store NaN)", () => {
    for (const bad of ["NaN", "Infinity", "1e+21", "", "-", "1.", ".5", " 1", Number.NaN]) {
      expect(numericProblem(bad), String(bad)).toBe("is not an amount");
    }
    expect(numericProblem(null)).toBeNull();
  });
});

describe("int and bigint", () => {
  it("int: PostgreSQL's 32 bits, whole numbers only", () => {
    expect(intProblem(2147483647)).toBeNull();
    expect(intProblem(-2147483648)).toBeNull();
    expect(intProblem(2147483648)).toBe("is beyond the whole numbers the app stores (32 bits)");
    expect(intProblem(-2147483649)).toBe("is beyond the whole numbers the app stores (32 bits)");
    expect(intProblem(1.5)).toBe("is not a whole number");
    expect(intProblem(null)).toBeNull();
  });

  it("bigint: 64 bits", () => {
    expect(bigintProblem("450789469")).toBeNull();
    expect(bigintProblem("9223372036854775807")).toBeNull();
    expect(bigintProblem("-9223372036854775808")).toBeNull();
    expect(bigintProblem("9223372036854775808")).toBe("is not an id the app stores (64 bits)");
    expect(bigintProblem("100000000000000000000")).toBe("is not an id the app stores (64 bits)");
    expect(bigintProblem("1e+21")).toBe("is not an id the app stores (64 bits)");
    expect(bigintProblem(Number.MAX_SAFE_INTEGER)).toBeNull();
  });
});

describe("timestamptz", () => {
  it("takes Shopify's times and refuses what PostgreSQL refuses or would store BC", () => {
    for (const ok of [
      "2008-01-10T11:00:00-05:00",
      "2026-03-04T10:11:12Z",
      "2024-02-29T00:00:00.123456789+05:30",
      "2024-01-01T00:00:00+0530",
      "2024-01-01T00:00:00+05",
      "2024-01-01T00:00:00+15:59",
      "0001-01-01T00:00:00Z",
      "0001-01-01T01:00:00+01:00",
      "9999-12-31T23:59:59-15:59",
    ]) {
      expect(isStorableTime(ok), ok).toBe(true);
    }
    for (const bad of [
      "0000-01-01T00:00:00Z", // year 0: PostgreSQL refuses it, zod's iso.datetime takes it
      "2024-01-01T00:00:00+16:00", // offset past 15:59: zod takes up to 23:59
      "2024-01-01T00:00:00-23:59",
      "0001-01-01T00:30:00+01:00", // 1 BC in UTC
      "2024-02-30T00:00:00Z",
      "2023-02-29T00:00:00Z",
      "1900-02-29T00:00:00Z",
      "2024-04-31T00:00:00Z",
      "2024-13-01T00:00:00Z",
      "2024-01-01T24:00:00Z",
      "2024-01-01T00:00:00",
      "2024-01-01T00:00Z",
      "2024-01-01 00:00:00Z",
      "2024-01-01T00:00:00.Z",
      "2024-01-01T00:00:00+05:3",
      "not a time at all, no",
    ]) {
      expect(isStorableTime(bad), bad).toBe(false);
    }
  });
});

describe("a resource's map checks the rows it makes", () => {
  it("removes U+0000 from every text column, parents and children", () => {
    const customer = customers.map({ ...documentedCustomer(), first_name: "Ann\u0000e", tags: "\u0000vip" });
    expect(customer).toMatchObject({ ok: true, row: { firstName: "Anne", tags: "vip" } });

    const product = documentedProduct();
    product.variants![0].sku = "SKU\u0000-1";
    const mappedProduct = products.map(product) as { ok: true; row: { variants: { sku: string | null }[] } };
    expect(mappedProduct.row.variants[0].sku).toBe("SKU-1");
  });

  it("leaves text without U+0000 as it is, the same string", () => {
    const result = customers.map(documentedCustomer());
    expect(result.ok).toBe(true);
    const order = documentedOrder();
    expect(orders.map(order)).toEqual(orders.map(structuredClone(order)));
  });

  it("fails the record alone, naming the column and the value, for an amount past NUMERIC(19,4)", () => {
    const order = documentedOrder();
    expect(orders.map({ ...order, total_price: "100000000000000000000" })).toEqual({
      ok: false,
      id: String(order.id),
      reason: `total_price: 100000000000000000000 ${BEYOND}`,
    });
    expect(orders.map({ ...order, total_price: "999999999999999.9999" }).ok).toBe(true);
    expect(orders.map({ ...order, total_price: "1000000000000000" }).ok).toBe(false);
  });

  it("checks the amounts the mapper derives: a gross sales sum past the limit fails though each price fits", () => {
    const order = documentedOrder();
    const line = order.line_items[0];
    const lines = [
      { ...line, id: 1, price: "600000000000000.00", quantity: 1, gift_card: false },
      { ...line, id: 2, price: "600000000000000.00", quantity: 1, gift_card: false },
    ];
    const result = orders.map({ ...order, line_items: lines, refunds: [] });
    expect(result).toMatchObject({ ok: false, id: String(order.id) });
    expect((result as { reason: string }).reason).toBe(`gross_sales: 1200000000000000.0000 ${BEYOND}`);
  });

  it("names the child row: a line item's quantity past int32", () => {
    const order = documentedOrder();
    const lines = order.line_items.map((li, i) => (i === 0 ? { ...li, quantity: 2147483648, price: "0.01" } : li));
    const result = orders.map({ ...order, line_items: lines, refunds: [] });
    expect(result).toEqual({
      ok: false,
      id: String(order.id),
      reason: `order line item ${lines[0].id} quantity: 2147483648 is beyond the whole numbers the app stores (32 bits)`,
    });
  });

  it("fails a time PostgreSQL refuses that the payload schema lets through", () => {
    const order = documentedOrder();
    expect(orders.map({ ...order, closed_at: "0000-06-01T00:00:00Z" })).toMatchObject({
      ok: false,
      reason: "closed_at: 0000-06-01T00:00:00Z is not a time the app stores",
    });
    expect(orders.map({ ...order, updated_at: "2024-01-01T00:00:00+20:00" })).toMatchObject({
      ok: false,
      reason: "shopify_updated_at: 2024-01-01T00:00:00+20:00 is not a time the app stores",
    });
  });
});

describe("splitBatch", () => {
  it("cuts an encoded batch into the batches of its records, each with its own children", () => {
    const order = documentedOrder();
    const records = [order, { ...order, id: order.id + 1, tags: 'a "quoted", \\ tag' }, { ...order, id: order.id + 2 }];
    const rows = records.map((o) => (orders.map(o) as { ok: true; row: object }).row);
    // Children keep their own ids per order in a real store; the parent column alone decides here.
    const split = splitBatch(orders, encodeBatch(orders, rows));
    expect(split.map((r) => r.id)).toEqual(records.map((o) => String(o.id)));
    split.forEach((record, i) => expect(record.batch).toEqual(encodeBatch(orders, [rows[i]])));
  });

  it("keeps NULLs and records without children", () => {
    const customer = (customers.map({ ...documentedCustomer(), email: null }) as { ok: true; row: object }).row;
    const split = splitBatch(customers, encodeBatch(customers, [customer]));
    expect(split).toEqual([{ id: String(documentedCustomer().id), batch: encodeBatch(customers, [customer]) }]);
    const product = (products.map({ ...documentedProduct(), variants: [] }) as { ok: true; row: object }).row;
    expect(splitBatch(products, encodeBatch(products, [product]))[0].batch).toEqual(encodeBatch(products, [product]));
  });
});

describe("an amount Shopify sends as a JSON number", () => {
  it("1e20 is read as its digits and refused by the check; 1e21 and beyond are refused as not an amount", () => {
    const order = documentedOrder();
    expect(orders.map({ ...order, total_price: 1e20 })).toMatchObject({
      ok: false,
      reason: `total_price: 100000000000000000000 ${BEYOND}`,
    });
    expect(orders.map({ ...order, total_price: 1e21 })).toMatchObject({
      ok: false,
      reason: "total_price: 1e+21 is not an amount",
    });
  });
});
