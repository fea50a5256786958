import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma, { pool } from "../../app/db.server.ts";
import { InsightsInputError, NotFoundError } from "../../app/insights/errors.ts";
import { productDetail, productList } from "../../app/insights/products.server.ts";
import { startHarness, type Harness } from "../support/ingest-harness.ts";
import { startAppServer, type AppServer } from "../support/app-server.ts";
import { embeddedPage, installSynced, walkPages } from "../support/embedded.ts";
import { shopifyProducts } from "../support/shopify-records.ts";
import type { ProductListRow } from "../../app/insights/types.ts";
import type { JsonObject } from "../../simulator/index.ts";

// The Products page's reads against the simulator's store: every product once across pages in
// either sort, search by title or SKU, type and tag filters, a product's sales over a range equal
// to the simulator's truth, and one shop never reaching another's products. Expected lists come
// from Shopify's records (the simulator's store), never from the stored rows.

let app: AppServer;
let h: Harness;
const shops = { a: "", b: "" };
const NOW = new Date("2026-11-01T12:00:00Z");

beforeAll(async () => {
  app = await startAppServer();
  h = await startHarness(prisma, [], { rateLimits: false });
  for (const [key, seed, products] of [
    ["a", 101, 130],
    ["b", 102, 10],
  ] as const) {
    shops[key] = await installSynced(h, {
      name: `products-${key}`,
      seed,
      products,
      customers: 40,
      orders: 500,
      days: 150,
      now: "2026-11-01T00:00:00Z",
      timezone: "America/Denver",
    });
  }
});

afterAll(async () => {
  await h?.close();
  await app?.close();
  await prisma.$disconnect();
});

const list = (shop: string, query: Record<string, string> = {}) => productList(shop, new URLSearchParams(query));

const walk = (shop: string, query: Record<string, string>, between?: () => Promise<void>) =>
  walkPages((q) => list(shop, q), query, between);

/** The shop's products as Shopify has them, with their variants. */
const shopify = (shop: string) => shopifyProducts(h.sim, shop);
const ids = (products: JsonObject[]) => products.map((p) => String(p.id)).sort();

/** What a list row shows of a product, from Shopify's record and from the row, to compare. */
const fromShopify = (p: JsonObject) => {
  const variants = p.variants as { price: string; inventory_quantity: number }[];
  const prices = variants.map((v) => Number(v.price));
  return {
    id: String(p.id),
    title: p.title,
    status: p.status,
    productType: p.product_type || null,
    vendor: p.vendor || null,
    tags: p.tags || null,
    variants: variants.length,
    inventory: variants.reduce((sum, v) => sum + v.inventory_quantity, 0),
    minPrice: Math.min(...prices),
    maxPrice: Math.max(...prices),
  };
};
const fromRow = (r: ProductListRow) => ({
  ...r,
  productType: r.productType || null,
  vendor: r.vendor || null,
  tags: r.tags || null,
  minPrice: Number(r.minPrice),
  maxPrice: Number(r.maxPrice),
});

describe("the products list", () => {
  it("pages through every product by title and newest first, with nothing repeated or skipped", async () => {
    const products = shopify(shops.a);
    expect(products).toHaveLength(130);
    // Shopify's titles in the order the list promises (lowercased title, then id), in PostgreSQL's collation.
    const { rows: byTitle } = await pool.query<{ id: string }>(
      `SELECT id::text FROM unnest($1::text[], $2::bigint[]) AS p(title, id) ORDER BY lower(p.title), p.id`,
      [products.map((p) => p.title), products.map((p) => String(p.id))],
    );
    const rows = await walk(shops.a, {});
    expect(rows.map((r) => r.id)).toEqual(byTitle.map((r) => r.id));
    const byId = new Map(products.map((p) => [String(p.id), p]));
    expect(rows.map(fromRow)).toEqual(rows.map((r) => fromShopify(byId.get(r.id)!)));
    const newest = products.map((p) => String(p.id)).sort((x, y) => Number(y) - Number(x));
    expect((await walk(shops.a, { sort: "newest" })).map((r) => r.id)).toEqual(newest);
    const second = await list(shops.a, { after: (await list(shops.a, {})).nextCursor! });
    const back = await list(shops.a, { before: second.previousCursor! });
    expect(back.rows.map((r) => r.id)).toEqual(byTitle.slice(0, 50).map((r) => r.id));
  });

  it("shows each product's variants, stock and price range as Shopify has them", async () => {
    const products = new Map(shopify(shops.a).map((p) => [String(p.id), p]));
    const rows = (await list(shops.a, {})).rows;
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      const variants = products.get(row.id)!.variants as { price: string; inventory_quantity: number }[];
      expect(row.variants).toBe(variants.length);
      expect(row.inventory).toBe(variants.reduce((sum, v) => sum + v.inventory_quantity, 0));
      expect(Number(row.minPrice)).toBe(Math.min(...variants.map((v) => Number(v.price))));
      expect(Number(row.maxPrice)).toBe(Math.max(...variants.map((v) => Number(v.price))));
    }
  });

  it("finds products by part of a title or a variant's SKU, and filters by type and tag", async () => {
    const products = shopify(shops.a);
    const skus = (p: (typeof products)[number]) => (p.variants as { sku: string | null }[]).map((v) => v.sku ?? "");
    // A SKU's product, and any other whose title or SKU holds the same text.
    const sku = products.flatMap(skus).filter(Boolean)[33].toLowerCase();
    const bySku = products.filter(
      (p) => p.title.toLowerCase().includes(sku) || skus(p).some((s) => s.toLowerCase().includes(sku)),
    );
    expect(bySku.length).toBeGreaterThan(0);
    expect((await walk(shops.a, { q: sku })).map((r) => r.id).sort()).toEqual(ids(bySku));
    const word = products[5].title.split(" ")[0];
    const byWord = products.filter(
      (p) =>
        p.title.toLowerCase().includes(word.toLowerCase()) ||
        skus(p).some((s) => s.toLowerCase().includes(word.toLowerCase())),
    );
    expect((await walk(shops.a, { q: word.toUpperCase() })).map((r) => r.id).sort()).toEqual(ids(byWord));
    const type = products[0].product_type as string;
    const ofType = products.filter((p) => p.product_type === type);
    expect(ofType.length).toBeLessThan(products.length);
    expect((await walk(shops.a, { product_type: type.toLowerCase() })).map((r) => r.id).sort()).toEqual(ids(ofType));
    const tagged = products.filter((p) =>
      String(p.tags ?? "")
        .split(",")
        .some((t) => t.trim() === "sale"),
    );
    expect(tagged.length).toBeGreaterThan(0);
    expect(tagged.length).toBeLessThan(products.length);
    expect((await walk(shops.a, { tag: "sale" })).map((r) => r.id).sort()).toEqual(ids(tagged));
    for (const q of ["%", "_", "' OR 1=1 --", "商品"]) expect((await list(shops.a, { q })).rows).toEqual([]);
    await expect(list(shops.a, { sort: "price" })).rejects.toThrow(InsightsInputError);
    await expect(list(shops.a, { tag: "x\u0000" })).rejects.toThrow(InsightsInputError);
    await expect(list(shops.b, { after: (await list(shops.a, {})).nextCursor! })).rejects.toThrow(InsightsInputError);
  });
});

describe("a product's detail", () => {
  it("has the simulator's net sales and units for the range asked", async () => {
    for (const [from, to] of [
      ["2026-10-03", "2026-11-01"],
      ["2026-06-15", "2026-09-20"],
    ]) {
      const truth = h.sim.salesTruth(shops.a, { from, to });
      const best = [...truth.byProduct].sort((x, y) => y.netUnits - x.netUnits)[0];
      const detail = await productDetail(
        shops.a,
        String(best.productId),
        new URLSearchParams({ range: "custom", from, to }),
        NOW,
      );
      expect([detail.netSales, detail.netUnits]).toEqual([best.netSales, best.netUnits]);
      expect(detail.range.range).toEqual({ from, to });
    }
  });

  it("refuses a bad range and is not found for another shop's product or not an id", async () => {
    const [mine] = await prisma.product.findMany({ where: { shop: { domain: shops.a } }, take: 1 });
    await expect(
      productDetail(shops.a, mine.id.toString(), new URLSearchParams({ range: "fortnight" }), NOW),
    ).rejects.toThrow(InsightsInputError);
    const [theirs] = await prisma.product.findMany({ where: { shop: { domain: shops.b } }, take: 1 });
    for (const id of [theirs.id.toString(), "1", "x", "1;DROP"]) {
      await expect(productDetail(shops.a, id, new URLSearchParams(), NOW)).rejects.toThrow(NotFoundError);
    }
    const foreign = await embeddedPage(app.url, shops.a, `/app/products/${theirs.id}`);
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).toContain("Product not found");
    const page = await embeddedPage(app.url, shops.a, `/app/products/${mine.id}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(mine.title);
  });
});
