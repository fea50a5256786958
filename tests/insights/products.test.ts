import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma, { pool } from "../../app/db.server.ts";
import { InsightsInputError, NotFoundError } from "../../app/insights/errors.ts";
import { productDetail, productList } from "../../app/insights/products.server.ts";
import { shopIdOf, startHarness, type Harness } from "../support/ingest-harness.ts";
import { startAppServer, type AppServer } from "../support/app-server.ts";
import { embeddedPage, installSynced, walkPages } from "../support/embedded.ts";

// The Products page's reads against the simulator's store: every product once across pages in
// either sort, search by title or SKU, type and tag filters, a product's sales over a range equal
// to the simulator's truth, and one shop never reaching another's products.

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

describe("the products list", () => {
  it("pages through every product by title and newest first, with nothing repeated or skipped", async () => {
    const { rows: byTitle } = await pool.query<{ id: string }>(
      `SELECT p.id::text AS id FROM product p JOIN shop s ON s.id = p.shop_id WHERE s.domain = $1
        ORDER BY lower(p.title), p.id`,
      [shops.a],
    );
    expect(byTitle).toHaveLength(130);
    expect((await walk(shops.a, {})).map((r) => r.id)).toEqual(byTitle.map((r) => r.id));
    const newest = await prisma.product.findMany({ where: { shop: { domain: shops.a } }, orderBy: { id: "desc" } });
    expect((await walk(shops.a, { sort: "newest" })).map((r) => r.id)).toEqual(newest.map((p) => p.id.toString()));
    const second = await list(shops.a, { after: (await list(shops.a, {})).nextCursor! });
    const back = await list(shops.a, { before: second.previousCursor! });
    expect(back.rows.map((r) => r.id)).toEqual(byTitle.slice(0, 50).map((r) => r.id));
  });

  it("shows each product's variants, stock and price range as stored", async () => {
    const [row] = (await list(shops.a, {})).rows;
    const variants = await prisma.productVariant.findMany({
      where: { shopId: await shopIdOf(prisma, shops.a), productId: BigInt(row.id) },
    });
    expect(row.variants).toBe(variants.length);
    expect(row.inventory).toBe(variants.reduce((sum, v) => sum + (v.inventoryQuantity ?? 0), 0));
    expect(Number(row.minPrice)).toBe(Math.min(...variants.map((v) => Number(v.price))));
  });

  it("finds products by part of a title or a variant's SKU, and filters by type and tag", async () => {
    const [variant] = await prisma.productVariant.findMany({
      where: { shopId: await shopIdOf(prisma, shops.a), sku: { not: null } },
      skip: 33,
      take: 1,
    });
    expect((await list(shops.a, { q: variant.sku!.toLowerCase() })).rows.map((r) => r.id)).toContain(
      variant.productId.toString(),
    );
    const products = await prisma.product.findMany({ where: { shop: { domain: shops.a } } });
    const word = products[5].title.split(" ")[0];
    const byWord = await walk(shops.a, { q: word.toUpperCase() });
    expect(byWord.map((r) => r.id).sort()).toEqual(
      products
        .filter((p) => p.title.toLowerCase().includes(word.toLowerCase()))
        .map((p) => p.id.toString())
        .sort(),
    );
    const type = products[0].productType!;
    expect((await walk(shops.a, { product_type: type.toLowerCase() })).map((r) => r.id).sort()).toEqual(
      products
        .filter((p) => p.productType === type)
        .map((p) => p.id.toString())
        .sort(),
    );
    const tagged = await walk(shops.a, { tag: "sale" });
    const expected = products.filter((p) => (p.tags ?? "").split(",").some((t) => t.trim() === "sale"));
    expect(expected.length).toBeGreaterThan(0);
    expect(tagged.map((r) => r.id).sort()).toEqual(expected.map((p) => p.id.toString()).sort());
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
