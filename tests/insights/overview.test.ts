import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma, { pool } from "../../app/db.server.ts";
import { runSync, SyncInterrupted } from "../../app/ingest/sync.server.ts";
import { rebuildReadModel } from "../../app/ingest/read-model.server.ts";
import { inTransaction } from "../../app/ingest/upsert.server.ts";
import { overviewReport, rankCustomersByBounds, topCustomers } from "../../app/insights/overview.server.ts";
import { InsightsInputError } from "../../app/insights/errors.ts";
import { findShop } from "../../app/insights/shop.server.ts";
import { inventoryReport, setLowStockThreshold } from "../../app/insights/inventory.server.ts";
import type { InventoryRow, OverviewReport } from "../../app/insights/types.ts";
import { todayIn } from "../../app/insights/range.ts";
import { INVENTORY_PAGE_SIZE } from "../../app/insights/inventory-query.ts";
import { startHarness, type Harness } from "../support/ingest-harness.ts";

// Every figure the overview shows, against the simulator's own sales-report truth (computed from
// its records, not from the app), for two shops in other timezones and currencies, over ranges that
// cross daylight-saving changes, after syncs, resyncs and changes made in Shopify.

let h: Harness;
const NOW = new Date("2026-11-01T12:00:00Z");
const shops = {
  ny: { name: "figures-ny", seed: 41, timezone: "America/New_York", currency: "USD" },
  berlin: { name: "figures-berlin", seed: 42, timezone: "Europe/Berlin", currency: "EUR" },
} as const;
const domains: Record<keyof typeof shops, string> = { ny: "", berlin: "" };
/** "today" in a range below: the shop's today, the last day anything can have happened on. */
const LAST = "today";
/** A shop's zone; a shop never installed reads as UTC (findShop). */
const zoneOf = (shop: string) =>
  shop === domains.ny ? shops.ny.timezone : shop === domains.berlin ? shops.berlin.timezone : "UTC";
const day = (shop: string, value: string) => (value === LAST ? todayIn(zoneOf(shop), new Date()) : value);

beforeAll(async () => {
  h = await startHarness(prisma, [], { rateLimits: false });
  for (const key of Object.keys(shops) as (keyof typeof shops)[]) {
    const spec = shops[key];
    domains[key] = await h.install({
      ...spec,
      products: 25,
      customers: 120,
      orders: 900,
      days: 150,
      now: "2026-11-01T00:00:00Z",
    });
    addShopifyCases(domains[key]);
    const result = await runSync(h.deps(domains[key]), { shop: domains[key], trigger: "manual" });
    expect(result.status).toBe("succeeded");
  }
});

afterAll(async () => {
  await h?.close();
  await prisma.$disconnect();
});

/**
 * Orders the generated history lacks: a gift card, a shipping discount, partial and shipping refunds,
 * a cancellation; and stock it lacks: a variant sold out and one oversold.
 */
function addShopifyCases(shop: string) {
  const c = h.sim.control;
  const variants = h.sim.salesTruth(shop, { from: "2026-10-01", to: "2026-10-01" }).inventory;
  const customer = h.sim.truth(shop).byCustomer[0].customerId;
  const line = (i: number, quantity = 1) => ({ variant_id: variants[i].variantId, quantity });
  c.createOrder(shop, {
    line_items: [line(0, 2), { ...line(1), gift_card: true }],
    customer_id: customer,
    shipping_lines: [{ title: "Standard", price: "9.00", discount: "4.00" }],
    discount_codes: [{ code: "TENOFF", amount: "10.00", type: "fixed_amount" }],
  });
  const refunded = c.createOrder(shop, { line_items: [line(2, 3), line(3)], customer_id: customer });
  c.refundOrder(shop, Number(refunded.id), {
    lineItems: [{ lineItemId: Number((refunded.line_items as { id: number }[])[0].id), quantity: 1 }],
    shipping: true,
  });
  c.refundOrder(shop, Number(refunded.id), { amount: "1.25" });
  const cancelled = c.createOrder(shop, { line_items: [line(4, 2)] });
  c.refundOrder(shop, Number(cancelled.id), {
    lineItems: [{ lineItemId: Number((cancelled.line_items as { id: number }[])[0].id), quantity: 1 }],
  });
  c.cancelOrder(shop, Number(cancelled.id), { reason: "customer" });
  c.createOrder(shop, { line_items: [line(5)], test: true });
  for (const [i, quantity] of [
    [6, 0],
    [7, -3],
  ] as const) {
    const { productId, variantId } = variants[i];
    c.updateProduct(shop, productId, { variants: [{ id: variantId, inventory_quantity: quantity }] });
  }
}

const custom = (from: string, to: string, compare = "none") =>
  new URLSearchParams({ range: "custom", from, to, compare });

// Orders made through the control surface happen now, on the wall clock: ranges may run to today.
async function report(shop: string, from: string, to: string, now = new Date()): Promise<OverviewReport> {
  return overviewReport(shop, custom(from, day(shop, to)), now);
}

/** The overview's figures next to the simulator's truth for the same range, in the truth's terms. */
async function compare(shop: string, from: string, until: string) {
  const to = day(shop, until);
  const [got, truth] = [await report(shop, from, to), h.sim.salesTruth(shop, { from, to })];
  expect(got.current).toEqual(truth.figures);
  expect(got.customers).toEqual(truth.customers);
  if (from === to) {
    // The hour repeated when clocks go back is one bucket of the chart (keys are wall-clock hours).
    const hours = new Map<string, { bucket: string; totalSales: number; netSales: number; orders: number }>();
    for (const p of truth.byHour!) {
      const bucket = hours.get(p.hour) ?? { bucket: p.hour, totalSales: 0, netSales: 0, orders: 0 };
      bucket.totalSales += Math.round(Number(p.totalSales) * 100);
      bucket.netSales += Math.round(Number(p.netSales) * 100);
      bucket.orders += p.orders;
      hours.set(p.hour, bucket);
    }
    expect(got.series).toEqual(
      [...hours.values()].map((p) => ({
        bucket: p.bucket,
        totalSales: (p.totalSales / 100).toFixed(2),
        netSales: (p.netSales / 100).toFixed(2),
        orders: p.orders,
      })),
    );
  } else if (got.range.granularity === "day") {
    expect(got.series).toEqual(
      truth.byDay.map((d) => ({ bucket: d.date, totalSales: d.totalSales, netSales: d.netSales, orders: d.orders })),
    );
  }
  const products = [...truth.byProduct].sort(
    (a, b) => Number(b.netSales) - Number(a.netSales) || b.netUnits - a.netUnits || a.productId - b.productId,
  );
  expect(got.topProducts.byNetSales.map((p) => [p.productId, p.netSales, p.netUnits])).toEqual(
    products.slice(0, 10).map((p) => [String(p.productId), p.netSales, p.netUnits]),
  );
  const customers = [...truth.byCustomer].sort(
    (a, b) => Number(b.netSales) - Number(a.netSales) || a.customerId - b.customerId,
  );
  expect(got.topCustomers!.map((c) => [c.customerId, c.netSales, c.orders])).toEqual(
    customers.slice(0, 10).map((c) => [String(c.customerId), c.netSales, c.orders]),
  );
  return got;
}

describe("overview figures equal Shopify's sales report", () => {
  const ranges: [string, string, string][] = [
    ["the whole history", "2026-05-01", LAST],
    ["a month", "2026-09-01", "2026-09-30"],
    ["US daylight saving ends (1 November)", "2026-10-25", "2026-11-01"],
    ["EU daylight saving ends (25 October)", "2026-10-20", "2026-10-27"],
    ["a 25-hour day in Berlin", "2026-10-25", "2026-10-25"],
    ["a 25-hour day in New York", "2026-11-01", "2026-11-01"],
    ["an ordinary day", "2026-10-14", "2026-10-14"],
  ];
  for (const key of ["ny", "berlin"] as const) {
    it.each(ranges)(`${key}: %s`, async (_name, from, to) => {
      await compare(domains[key], from, to);
    });
  }

  it("books a cancelled order as a sale on its day and nets it to zero over all time", async () => {
    const all = await compare(domains.ny, "2026-05-01", LAST);
    const orders = await prisma.order.findMany({
      where: { shop: { domain: domains.ny }, cancelledAt: { not: null }, test: false },
    });
    expect(orders.length).toBeGreaterThan(0);
    const { rows } = await pool.query<{ net: string }>(
      `SELECT coalesce(sum(gross - discounts - returns), 0)::numeric(20,2)::text AS net
         FROM sales_event WHERE order_id = ANY($1::bigint[])`,
      [orders.map((o) => o.id.toString())],
    );
    expect(rows[0].net).toBe("0.00");
    expect(Number(all.current.returns)).toBeGreaterThan(0);
  });

  it("ranks top customers the same by bounding (long ranges) as by grouping", async () => {
    const shop = await findShop(domains.ny);
    for (const [from, to, decides] of [
      ["2026-05-01", "2026-11-01", true],
      ["2026-09-01", "2026-09-30", true],
      // A day of about six orders: fewer than ten customers to give a floor, so it groups.
      ["2026-10-20", "2026-10-20", false],
    ] as const) {
      const grouped = await topCustomers(pool, shop, { from, to }, 0);
      const bounded = await rankCustomersByBounds(pool, shop, { from, to });
      if (decides) {
        expect(bounded).toEqual(grouped.map(({ customerId, netSales, orders }) => ({ customerId, netSales, orders })));
        expect(grouped).toHaveLength(10);
      } else {
        expect(bounded).toBeNull();
      }
      expect(await topCustomers(pool, shop, { from, to }, Number.MAX_SAFE_INTEGER)).toEqual(grouped);
    }
  });

  it("groups instead of bounding once an event takes a customer's net sales back up", async () => {
    const shop = await findShop(domains.ny);
    const range = { from: "2026-05-01", to: "2026-11-01" };
    const grouped = await topCustomers(pool, shop, range, 0);
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      // A refund whose returns are negative (a refund discrepancy in the customer's favour).
      await client.query(
        `UPDATE refund SET returns = -1 WHERE (shop_id, id) = (SELECT shop_id, id FROM refund WHERE shop_id = $1 LIMIT 1)`,
        [shop.id],
      );
      expect(await rankCustomersByBounds(client, shop, range)).toBeNull();
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
    expect(await rankCustomersByBounds(pool, shop, range)).not.toBeNull();
    expect(await topCustomers(pool, shop, range, Number.MAX_SAFE_INTEGER)).toEqual(grouped);
  });

  it("reads customers' events from a projection that agrees with the ledger", async () => {
    // customer_sales_event serves the index-only reads of customer figures; sales_event defines them.
    const { rows } = await pool.query<{ customer: string | null; ledger: string; projection: string }>(
      `SELECT coalesce(l.customer_id, p.customer_id)::text AS customer, l.net::text AS ledger, p.net::text AS projection
         FROM (SELECT shop_id, customer_id, date_trunc('day', at) AS day, sum(gross - discounts - returns) AS net,
                      sum(orders) AS orders
                 FROM sales_event GROUP BY 1, 2, 3) l
         FULL JOIN (SELECT shop_id, customer_id, date_trunc('day', at) AS day, sum(net_sales) AS net, sum(orders) AS orders
                      FROM customer_sales_event GROUP BY 1, 2, 3) p
           ON p.shop_id = l.shop_id AND p.customer_id IS NOT DISTINCT FROM l.customer_id AND p.day = l.day
        WHERE l.net IS DISTINCT FROM p.net OR l.orders IS DISTINCT FROM p.orders`,
    );
    expect(rows).toEqual([]);
    const { rows: counted } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM customer_sales_event");
    expect(counted[0].n).toBeGreaterThan(1000);
  });

  it("draws the comparison period bucket by bucket", async () => {
    const got = await overviewReport(domains.ny, custom("2026-10-01", "2026-10-31", "previous_period"), NOW);
    expect(got.range.compareRange).toEqual({ from: "2026-08-31", to: "2026-09-30" });
    const truth = h.sim.salesTruth(domains.ny, got.range.compareRange!);
    expect(got.previous).toEqual(truth.figures);
    expect(got.previousCustomers).toEqual(truth.customers);
    expect(got.previousSeries!.map((p) => p.totalSales)).toEqual(truth.byDay.map((d) => d.totalSales));
    expect(got.series).toHaveLength(31);
  });

  it("answers presets against the shop's today", async () => {
    const got = await overviewReport(domains.berlin, new URLSearchParams({ range: "last_30_days" }), NOW);
    expect(got.range.range).toEqual({ from: "2026-10-03", to: "2026-11-01" });
    expect(got.current).toEqual(h.sim.salesTruth(domains.berlin, got.range.range).figures);
  });
});

const READ_MODEL_TABLES = ["sales_day", "product_sales_day", "product_sales_month", "customer_stats"];

/** Empties a shop's read model and marks the shop as awaiting its build. */
async function forgetReadModel(shopId: number): Promise<void> {
  for (const table of READ_MODEL_TABLES) await pool.query(`DELETE FROM ${table} WHERE shop_id = $1`, [shopId]);
  await pool.query(`UPDATE shop SET read_model_stale = true WHERE id = $1`, [shopId]);
}

describe("a first import", () => {
  it("shows no partial figures while it runs or after it stops, and exact ones once it completes", async () => {
    const shop = await h.install({
      name: "first-import",
      seed: 43,
      products: 10,
      customers: 60,
      orders: 1500,
      now: "2026-11-01T00:00:00Z",
    });
    const stop = new AbortController();
    await expect(
      runSync(h.deps(shop), {
        shop,
        trigger: "manual",
        signal: stop.signal,
        onProgress: (p) => {
          if ((p.resources.orders?.pages ?? 0) >= 2) stop.abort(new SyncInterrupted());
        },
      }),
    ).rejects.toBeInstanceOf(SyncInterrupted);
    expect(await prisma.order.count({ where: { shop: { domain: shop } } })).toBeGreaterThan(0);
    const during = await report(shop, "2026-05-01", "2026-11-01");
    expect(during.state).toBe("importing");
    const result = await runSync(h.deps(shop), { shop, trigger: "manual" });
    expect(result.status).toBe("succeeded");
    const after = await compare(shop, "2026-05-01", "2026-11-01");
    expect(after.state).toBe("ready");
  });

  it("of a shop whose orders predate the read model reads them again and builds it", async () => {
    const shop = await h.install({
      name: "upgraded",
      seed: 44,
      products: 10,
      customers: 60,
      orders: 600,
      now: "2026-11-01T00:00:00Z",
    });
    expect((await runSync(h.deps(shop), { shop, trigger: "manual" })).status).toBe("succeeded");
    // What the migration finds and leaves: orders without their sales amounts, no rollups, and the
    // shop marked for a full pass of its orders.
    const { id } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    await pool.query(`UPDATE "order" SET gross_sales = 0, discounts = 0 WHERE shop_id = $1`, [id]);
    await forgetReadModel(id);
    await pool.query(
      `UPDATE sync_state SET watermark = NULL, cursor = NULL, pass_full = NULL, pass_since = NULL,
              pass_started_at = NULL WHERE shop_id = $1 AND resource = 'orders'`,
      [id],
    );
    expect((await report(shop, "2026-05-01", "2026-11-01")).state).toBe("importing");
    expect((await runSync(h.deps(shop), { shop, trigger: "schedule" })).status).toBe("succeeded");
    expect((await compare(shop, "2026-05-01", "2026-11-01")).state).toBe("ready");
  });

  it("builds in parallel parts exactly what one transaction rebuilds", async () => {
    const shop = await h.install({
      name: "parts",
      seed: 46,
      products: 12,
      customers: 80,
      orders: 900,
      timezone: "America/New_York",
      now: "2026-11-01T00:00:00Z",
    });
    expect((await runSync(h.deps(shop), { shop, trigger: "manual" })).status).toBe("succeeded");
    const { id } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    const snapshot = async () => {
      const tables: Record<string, unknown[]> = {};
      for (const table of READ_MODEL_TABLES) {
        const { rows } = await pool.query(
          `SELECT to_jsonb(t) - 'shop_id' AS row FROM ${table} t WHERE shop_id = $1 ORDER BY to_jsonb(t)::text`,
          [id],
        );
        tables[table] = rows.map((r: { row: unknown }) => r.row);
      }
      return tables;
    };
    const built = await snapshot();
    expect(built.product_sales_day.length).toBeGreaterThan(100);
    await inTransaction(pool, (sql) => rebuildReadModel(sql, id));
    expect(await snapshot()).toEqual(built);
  });

  it("whose process died after its last page but before the build is built by the next sync", async () => {
    const shop = await h.install({
      name: "died-before-build",
      seed: 45,
      products: 8,
      customers: 40,
      orders: 500,
      now: "2026-11-01T00:00:00Z",
    });
    expect((await runSync(h.deps(shop), { shop, trigger: "manual" })).status).toBe("succeeded");
    // The state a kill -9 leaves between the pass's final checkpoint and the build: every order
    // stored, the watermark set, no rollups, the shop still marked.
    const { id } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    await forgetReadModel(id);
    expect((await report(shop, "2026-05-01", "2026-11-01")).state).toBe("importing");
    const next = await runSync(h.deps(shop), { shop, trigger: "schedule" });
    expect(next.resources.orders?.mode).toBe("incremental");
    expect((await compare(shop, "2026-05-01", "2026-11-01")).state).toBe("ready");
  });
});

describe("figures follow changes in Shopify", () => {
  it("equal the new truth after an incremental sync of created, refunded, cancelled and deleted orders", async () => {
    const shop = domains.berlin;
    const c = h.sim.control;
    const before = await report(shop, "2026-05-01", LAST);
    const ids = (
      await prisma.order.findMany({ where: { shop: { domain: shop } }, orderBy: { id: "asc" }, take: 4 })
    ).map((o) => Number(o.id));
    c.refundOrder(shop, ids[0], {});
    c.cancelOrder(shop, ids[1], { refund: true });
    c.deleteOrder(shop, ids[2]);
    c.updateOrder(shop, ids[3], { test: true });
    c.createOrder(shop, {
      line_items: [
        {
          variant_id: h.sim.salesTruth(shop, { from: "2026-01-01", to: "2026-01-01" }).inventory[0].variantId,
          quantity: 4,
        },
      ],
    });
    const result = await runSync(h.deps(shop), { shop, trigger: "manual" });
    expect(result.status).toBe("succeeded");
    const today = todayIn(shops.berlin.timezone, new Date());
    const after = await compare(shop, "2026-05-01", today);
    expect(after.current).not.toEqual(before.current);
    await compare(shop, today, today);
  });

  it("a full resync rebuilds the read model to the same figures", async () => {
    const shop = domains.ny;
    await pool.query(
      `UPDATE sales_day SET gross = gross + 1000 WHERE shop_id = (SELECT id FROM shop WHERE domain = $1)`,
      [shop],
    );
    const result = await runSync(h.deps(shop), { shop, trigger: "manual", full: true });
    expect(result.status).toBe("succeeded");
    await compare(shop, "2026-05-01", LAST);
  });
});

describe("inventory", () => {
  /** The simulator's variants with their stock, and their net units sold in the 30 days to NOW. */
  const inventoryTruth = (shop: string) => {
    const truth = h.sim.salesTruth(shop, { from: "2026-10-03", to: "2026-11-01" });
    const sold = new Map(truth.byVariant.map((v) => [String(v.variantId), v.netUnits]));
    return truth.inventory.map((v) => ({ ...v, id: String(v.variantId), sold: sold.get(String(v.variantId)) ?? 0 }));
  };
  /** Every row of a view, page by page. */
  const allRows = async (shop: string, params: Record<string, string>) => {
    const rows: InventoryRow[] = [];
    for (let page = 1; ; page++) {
      const next = await inventoryReport(shop, new URLSearchParams({ ...params, page: String(page) }), NOW);
      if (next.rows.length === 0) return rows;
      rows.push(...next.rows);
    }
  };
  const byId = (ids: string[]) => [...ids].sort();

  it("equals the simulator's stock and 30 days of units sold per variant", async () => {
    const shop = domains.ny;
    const got = await inventoryReport(shop, new URLSearchParams({ sort: "product" }), NOW);
    const truth = inventoryTruth(shop);
    expect(truth.length).toBeGreaterThan(INVENTORY_PAGE_SIZE);
    expect(got.totals.variants).toBe(truth.length);
    expect(got.totals.unitsOnHand).toBe(truth.reduce((a, v) => a + Math.max(0, v.inventoryQuantity), 0));
    const all = await allRows(shop, { sort: "product" });
    expect(byId(all.map((r) => r.variantId))).toEqual(byId(truth.map((v) => v.id)));
    for (const row of all) {
      const variant = truth.find((v) => v.id === row.variantId)!;
      expect(row.onHand).toBe(variant.inventoryQuantity);
      expect(row.unitsSold30d).toBe(variant.sold);
      expect(row.valuedAt).toBe("retail");
      expect(Number(row.value)).toBeCloseTo(Number(variant.price) * Math.max(0, variant.inventoryQuantity), 2);
    }
    expect(all.some((r) => r.unitsSold30d > 0)).toBe(true);
    expect(got.totals.valuedAt).toBe("retail");
  });

  /** A variant's figure by the simulator's records, for the sorts that have one. */
  const truthValue = {
    value: (v: ReturnType<typeof inventoryTruth>[number]) =>
      Math.round(Number(v.price) * Math.max(0, v.inventoryQuantity) * 100) / 100,
    on_hand: (v: ReturnType<typeof inventoryTruth>[number]) => v.inventoryQuantity,
    units_sold: (v: ReturnType<typeof inventoryTruth>[number]) => v.sold,
  } as const;

  it.each([
    ["days_of_cover", "asc", (r: InventoryRow) => r.daysOfCover],
    ["value", "desc", (r: InventoryRow) => Number(r.value)],
    ["on_hand", "asc", (r: InventoryRow) => r.onHand],
    ["units_sold", "desc", (r: InventoryRow) => r.unitsSold30d],
  ] as const)("sorts by %s %s as numbers, across pages", async (sort, direction, key) => {
    const rows: InventoryRow[] = [];
    for (const page of ["1", "2"]) {
      rows.push(...(await inventoryReport(domains.ny, new URLSearchParams({ sort, direction, page }), NOW)).rows);
    }
    const truth = inventoryTruth(domains.ny);
    // The fixture's variants fill the first page and part of the second: every one is here.
    expect(truth.length).toBeGreaterThan(INVENTORY_PAGE_SIZE);
    expect(rows).toHaveLength(truth.length);
    expect(new Set(rows.map((r) => r.variantId)).size).toBe(rows.length);
    const values = rows.map(key).filter((v): v is number => v !== null);
    expect(new Set(values).size).toBeGreaterThan(10);
    const compare = (a: number, b: number) => (direction === "asc" ? a - b : b - a);
    expect(values).toEqual([...values].sort(compare));
    if (sort !== "days_of_cover") {
      // In the order of the simulator's figures.
      const figure = truthValue[sort];
      expect(values).toEqual(truth.map(figure).sort(compare));
      for (const row of rows) expect(key(row)).toBe(figure(truth.find((v) => v.id === row.variantId)!));
    }
  });

  it("lists low and out-of-stock variants by the shop's threshold", async () => {
    const shop = domains.ny;
    const truth = inventoryTruth(shop);
    const lowBy = (threshold: number) =>
      truth.filter((v) => v.inventoryQuantity > 0 && v.inventoryQuantity <= threshold).map((v) => v.id);
    const outOfStock = truth.filter((v) => v.inventoryQuantity <= 0).map((v) => v.id);
    const all = await inventoryReport(shop, new URLSearchParams(), NOW);
    expect(all.totals.lowStock).toBe(lowBy(all.lowStockThreshold).length);
    expect(all.totals.outOfStock).toBe(outOfStock.length);

    await setLowStockThreshold(shop, "60");
    const low = await inventoryReport(shop, new URLSearchParams({ view: "low" }), NOW);
    expect(low.lowStockThreshold).toBe(60);
    expect(lowBy(60).length).toBeGreaterThan(lowBy(all.lowStockThreshold).length);
    expect(low.totals.lowStock).toBe(lowBy(60).length);
    expect(low.matching).toBe(lowBy(60).length);
    const lowRows = await allRows(shop, { view: "low" });
    expect(byId(lowRows.map((r) => r.variantId))).toEqual(byId(lowBy(60)));
    expect(lowRows.every((r) => r.onHand > 0 && r.onHand <= 60 && r.status === "low")).toBe(true);

    expect(outOfStock.length).toBeGreaterThan(0);
    const out = await inventoryReport(shop, new URLSearchParams({ view: "out" }), NOW);
    expect(out.matching).toBe(outOfStock.length);
    const outRows = await allRows(shop, { view: "out" });
    expect(byId(outRows.map((r) => r.variantId))).toEqual(byId(outOfStock));
    expect(outRows.every((r) => r.onHand <= 0 && r.status === "out")).toBe(true);
    await expect(setLowStockThreshold(shop, "-1")).rejects.toBeInstanceOf(InsightsInputError);
    await expect(setLowStockThreshold(shop, "1e9")).rejects.toBeInstanceOf(InsightsInputError);
  });
});

describe("tenancy and input", () => {
  it("a shop's report holds only its own figures", async () => {
    const ny = await report(domains.ny, "2026-05-01", LAST);
    const berlin = await report(domains.berlin, "2026-05-01", LAST);
    expect(ny.shop.currency).toBe("USD");
    expect(berlin.shop.currency).toBe("EUR");
    const unknown = await report("nobody.myshopify.com", "2026-05-01", LAST);
    expect(unknown.state).toBe("empty");
    expect(unknown.current.orders).toBe(0);
    expect(unknown.topCustomers).toEqual([]);
  });

  it.each([
    [{ range: "last_week" }, "range"],
    [{ range: "custom", from: "2026-10-10", to: "2026-10-01" }, "from"],
    [{ range: "custom", from: "2026-02-30", to: "2026-03-01" }, "from"],
    [{ range: "last_30_days", compare: "last_century" }, "compare"],
    [{ from: "2026-10-01" }, "from"],
  ])("refuses %o with a message naming %s", async (params, field) => {
    const error = await overviewReport(domains.ny, new URLSearchParams(params), NOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsightsInputError);
    expect((error as InsightsInputError).field).toBe(field);
    expect((error as Error).message.length).toBeGreaterThan(10);
  });
});
