import { afterAll, describe, expect, it } from "vitest";
import { createThreadDecoder, inlineDecoder, threadDecoder } from "./decoder.server.ts";
import { decodePage } from "./decode-page.ts";
import { MalformedBodyError, PageTooLargeError, RefetchError } from "./rest-client.ts";
import { documentedCustomer, documentedOrder, documentedProduct } from "../../tests/support/shopify-fixtures.ts";
import { encodeRows } from "./resources/tables.ts";
import { refundTable } from "./resources/orders.ts";
import { pool } from "../db.server.ts";
import { inTransaction, writeBatch } from "./upsert.server.ts";

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));
const buffer = (value: unknown) => bytes(value).buffer as ArrayBuffer;

afterAll(() => pool.end());

describe("decodePage", () => {
  it("maps every record of a page with its children, as PostgreSQL then stores them", async () => {
    const order = documentedOrder();
    // The page's second order: other ids, no refund.
    const second = {
      ...order,
      id: order.id + 1,
      name: "#1002",
      order_number: 1002,
      line_items: order.line_items.map((line) => ({ ...line, id: Number(line.id) + 1 })),
      refunds: [],
    };
    const page = decodePage("orders", bytes({ orders: [order, second] }));
    expect(page.fetched).toBe(2);
    expect(page.skipped).toEqual([]);
    expect([page.batch.parents.count, ...page.batch.children.map((c) => c.count)]).toEqual([2, 6, 1, 1]);

    // Written as a sync writes a page, then read back: the stored rows hold Shopify's values.
    const {
      rows: [{ id: shopId }],
    } = await pool.query<{ id: number }>(
      "INSERT INTO shop (domain, updated_at) VALUES ('decode-page.myshopify.com', now()) RETURNING id",
    );
    await inTransaction(pool, (sql) => writeBatch(sql, shopId, page.batch));
    const read = async (sql: string) => (await pool.query(`${sql} WHERE shop_id = $1 ORDER BY id`, [shopId])).rows;

    expect(
      await read(`SELECT id::text, name, order_number, customer_id::text, email, currency,
                         total_price::numeric(20,2)::text, subtotal_price::numeric(20,2)::text,
                         total_tax::numeric(20,2)::text, total_discounts::numeric(20,2)::text,
                         financial_status, fulfillment_status, cancelled_at, test, processed_at,
                         shopify_updated_at FROM "order"`),
    ).toEqual(
      [
        { id: "450789469", name: "#1001", order_number: 1001 },
        { id: "450789470", name: "#1002", order_number: 1002 },
      ].map((o) => ({
        ...o,
        customer_id: "207119551",
        email: "bob.norman@mail.example.com",
        currency: "USD",
        total_price: "598.94",
        subtotal_price: "597.00",
        total_tax: "11.94",
        total_discounts: "10.00",
        financial_status: "partially_refunded",
        fulfillment_status: null,
        cancelled_at: null,
        test: false,
        processed_at: new Date("2008-01-10T16:00:00Z"),
        shopify_updated_at: new Date("2008-01-10T16:00:00Z"),
      })),
    );
    const lines = [
      ["466157049", "39072856", "green"],
      ["518995019", "49148385", "red"],
      ["703073504", "457924702", "black"],
    ];
    expect(
      await read(`SELECT id::text, order_id::text, product_id::text, variant_id::text, variant_title, sku, quantity,
                         price::numeric(20,2)::text FROM order_line_item`),
    ).toEqual(
      ["450789469", "450789470"]
        .flatMap((orderId, n) =>
          lines.map(([id, variantId, colour]) => ({
            id: String(Number(id) + n),
            order_id: orderId,
            product_id: "632910392",
            variant_id: variantId,
            variant_title: colour,
            sku: `IPOD2008${colour.toUpperCase()}`,
            quantity: 1,
            price: "199.00",
          })),
        )
        .sort((a, b) => Number(a.id) - Number(b.id)),
    );
    expect(await read("SELECT id::text, order_id::text, amount::numeric(20,2)::text, note FROM refund")).toEqual([
      { id: "509562969", order_id: "450789469", amount: "209.00", note: "it broke during shipping" },
    ]);
    expect(
      await read(
        "SELECT id::text, refund_id::text, line_item_id::text, quantity, subtotal::numeric(20,2)::text FROM refund_line_item",
      ),
    ).toEqual([
      { id: "104689539", refund_id: "509562969", line_item_id: "703073504", quantity: 1, subtotal: "195.66" },
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
