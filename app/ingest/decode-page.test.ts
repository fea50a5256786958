import { describe, expect, it } from "vitest";
import { createThreadDecoder, inlineDecoder, threadDecoder } from "./decoder.server.ts";
import { decodePage } from "./decode-page.ts";
import { MalformedBodyError, PageTooLargeError, RefetchError } from "./rest-client.ts";
import { documentedCustomer, documentedOrder, documentedProduct } from "../../tests/support/shopify-fixtures.ts";
import { encodeBatch, encodeRows } from "./resources/tables.ts";
import { mapOrder, orders, refundTable, type OrderRow } from "./resources/orders.ts";

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));
const buffer = (value: unknown) => bytes(value).buffer as ArrayBuffer;

describe("decodePage", () => {
  it("maps every record of a page and encodes it with its children", () => {
    const order = documentedOrder();
    const page = decodePage("orders", bytes({ orders: [order, { ...order, id: order.id + 1 }] }));

    const rows = [order, { ...order, id: order.id + 1 }].map((o) => (mapOrder(o) as { ok: true; row: OrderRow }).row);
    const row = rows[0];
    expect(page.fetched).toBe(2);
    expect(page.skipped).toEqual([]);
    expect(page.batch).toEqual(encodeBatch(orders, rows));
    expect(page.batch.parents.count).toBe(2);
    expect(page.batch.children.map((c) => c.count)).toEqual([
      2 * row.lineItems.length,
      2 * row.refunds.length,
      2 * row.refundLines.length,
    ]);
  });

  it("skips malformed records with their id and reason, and keeps the rest", () => {
    const good = documentedCustomer();
    const page = decodePage("customers", bytes({ customers: [{ ...good, id: "not-a-number" }, good, { id: 7 }] }));

    expect(page.fetched).toBe(3);
    expect(page.batch.parents.count).toBe(1);
    expect(page.skipped.map((s) => s.id)).toEqual(["not-a-number", "7"]);
    expect(page.skipped[0].reason).toMatch(/^id: /);
  });

  it("reports a product listing as many variants as the REST endpoint returns at most", () => {
    const product = documentedProduct();
    const variants = Array.from({ length: 100 }, (_, i) => ({ ...product.variants![0], id: 1000 + i }));
    const page = decodePage("products", bytes({ products: [{ ...product, variants }] }));

    expect(page.warnings).toEqual([expect.stringContaining(`Product ${product.id} lists 100 variants`)]);
  });

  it("refuses a body that is not JSON as malformed (the request is repeated)", () => {
    expect(() => decodePage("orders", bytes('{"orders": [{"id": 1'))).toThrow(MalformedBodyError);
  });

  it("reads an empty or unexpected body as a page without records", () => {
    expect(decodePage("orders", bytes({ orders: [] })).fetched).toBe(0);
    expect(decodePage("orders", bytes({ errors: "x" })).batch.parents.count).toBe(0);
  });
});

describe("page decoders", () => {
  it("decode the same on the decoding thread as inline", async () => {
    const page = { orders: [documentedOrder()], products: [] };
    const [threaded, inline] = await Promise.all([
      threadDecoder().decode("orders", buffer(page)),
      inlineDecoder.decode("orders", buffer(page)),
    ]);
    expect(threaded).toEqual(inline);
  });

  it("carry malformed bodies and many pages in flight back in order of their requests", async () => {
    const pages = Array.from({ length: 20 }, (_, i) => ({ orders: [{ ...documentedOrder(), id: i + 1 }] }));
    const results = await Promise.allSettled([
      ...pages.map((p) => threadDecoder().decode("orders", buffer(p))),
      threadDecoder().decode("orders", buffer("<html>502 Bad Gateway</html>")),
    ]);
    const decoded = results.slice(0, 20).map((r) => (r.status === "fulfilled" ? r.value.batch.parents.columns[0] : r));
    expect(decoded).toEqual(pages.map((_, i) => `{"${i + 1}"}`));
    const last = results[20];
    expect(last.status === "rejected" && last.reason).toBeInstanceOf(MalformedBodyError);
  });
});

describe("encodeRows", () => {
  it("writes NULL for missing values and quotes every other value", () => {
    const spec = refundTable;
    const set = encodeRows(spec, [
      { id: "1", orderId: "2", amount: "5.00", note: null, createdAt: "2026-01-01T00:00:00Z", processedAt: null },
      { id: "3", orderId: "2", amount: "1.50", note: 'say "hi" \\ {x}, NULL', createdAt: "2026-01-02T00:00:00Z" },
    ]);
    expect(set.count).toBe(2);
    expect(set.columns).toEqual([
      '{"1","3"}',
      '{"2","2"}',
      "{NULL,NULL}",
      "{NULL,NULL}",
      '{"5.00","1.50"}',
      '{NULL,"say \\"hi\\" \\\\ {x}, NULL"}',
      '{"2026-01-01T00:00:00Z","2026-01-02T00:00:00Z"}',
      "{NULL,NULL}",
      "{NULL,NULL}",
      "{NULL,NULL}",
      "{NULL,NULL}",
    ]);
  });
});

describe("the decoding thread out of memory", () => {
  it("reports the page it held as too large, the pages queued behind it for fetching again, and starts anew", async () => {
    const decoder = createThreadDecoder({ maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 16 });
    const order = documentedOrder();
    const huge = { orders: Array.from({ length: 20_000 }, (_, i) => ({ ...order, id: i + 1 })) };
    const small = { orders: [order] };

    const [tooLarge, queued] = await Promise.allSettled([
      decoder.decode("orders", buffer(huge)),
      decoder.decode("orders", buffer(small)),
    ]);
    expect(tooLarge.status === "rejected" && tooLarge.reason).toBeInstanceOf(PageTooLargeError);
    expect(queued.status === "rejected" && queued.reason).toBeInstanceOf(RefetchError);

    const again = await decoder.decode("orders", buffer(small));
    expect(again.batch.parents.count).toBe(1);
  });
});
