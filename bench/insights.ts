// Insights loaders benchmark: `npm run bench:insights [-- --json] [-- --orders N] [-- --keep]`
//   One shop of a year of orders (1,000,000 by default, with refunds and cancellations), about 10,000
//   variants and 166,000 customers, imported by the app's own sync (a first import, which builds the
//   read model at its end), then the overview, inventory and sync loaders called in-process, each case
//   many times: p50, p95, p99 and max against the target at the 95th percentile (150 ms; 20 ms for the
//   sync status the sync card polls).
// The database is `si_bench_insights` on DATABASE_URL's server or the benches' embedded one. The load
// runs in a child process with the worker's Node flags, against the simulator in a process of its
// own. --keep keeps the database, and a later run reuses it when it holds a store of the same spec
// (its `now` is then the one it was loaded with, so every run reads the same ranges).
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import pg from "pg";
import { setGlobalDispatcher } from "undici";
import { createDatabase, databaseServer, databaseUrl, dropDatabases } from "../scripts/lib/database.ts";
import { runPrisma } from "../scripts/lib/prisma.ts";
import { startSimulatorProcess } from "../scripts/lib/simulator-process.ts";
import { accessScopes } from "../app/lib/access-scopes.ts";
import { API_KEY, API_SECRET, setAppEnv, WORKER_FLAGS } from "./lib/bench-env.ts";

// The table (or a child's JSON result line) is the output; the sync's own log lines only when they warn.
process.env.LOG_LEVEL ??= "warn";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    orders: { type: "string", default: "1000000" },
    runs: { type: "string", default: "100" },
    warmups: { type: "string", default: "5" },
    load: { type: "string" }, // child: load the store of this spec (JSON) into DATABASE_URL
  },
});

/** The store: what the simulator generates (its `now` is the load's wall clock). */
interface StoreSpec {
  seed: number;
  orders: number;
  customers: number;
  /** Products have 1–10 variants, 4 on average (simulator/generator/products.ts): 2,500 give about 10,000. */
  products: number;
  days: number;
  now: string;
}

interface LoadResult {
  status: string;
  seconds: number;
  ordersWritten: number;
  ordersPerSecond: number;
  apiCalls: number;
  truth: { orders: number; customers: number; products: number; variants: number };
}

interface Kept {
  spec: StoreSpec;
  load: LoadResult;
  loadedAt: string;
}

type Loader =
  "overview" | "inventory" | "sync status" | "sync history" | "orders" | "customers" | "products" | "product";

interface CaseResult {
  name: string;
  loader: Loader;
  query: string;
  /** What the answer covers: the range's orders (overview) or the rows matching the view (inventory). */
  answer: string;
  runs: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  targetMs: number;
  /** p95 ÷ targetMs: at most 1 meets the target. */
  p95ToTarget: number;
}

const TARGET_MS = 150;
const AIM_MS = 50;
const DATABASE = "si_bench_insights";
const SHOP_NAME = "insights";
const SHOP = `${SHOP_NAME}.myshopify.com`;

// ---------------------------------------------------------------------------------------------
// Child: import the store with runSync, print the result as JSON on the last line.

async function load(spec: StoreSpec): Promise<LoadResult> {
  const sim = await startSimulatorProcess([
    "--shop",
    `${SHOP_NAME}:seed=${spec.seed},orders=${spec.orders},customers=${spec.customers},products=${spec.products},` +
      `days=${spec.days},now=${spec.now},plan=unlimited`,
    "--app",
    `${API_KEY}:${API_SECRET}:${accessScopes.join(",")}`,
    "--no-rate-limits",
  ]);
  setGlobalDispatcher(sim.dispatcher());
  const { default: prisma, pool } = await import("../app/db.server.ts");
  const { runSync } = await import("../app/ingest/sync.server.ts");
  const { formatProgress } = await import("../app/ingest/progress-format.ts");
  const token = sim.tokens[0].accessToken;
  await prisma.shop.create({ data: { domain: SHOP, scopes: sim.tokens[0].scope } });
  const truth = (await (await fetch(`${sim.control}shops/${SHOP}/truth`)).json()) as {
    counts: LoadResult["truth"];
  };
  const started = performance.now();
  let shown = 0;
  const result = await runSync(
    { db: prisma, pool, token: { get: async () => token } },
    {
      shop: SHOP,
      trigger: "cli",
      onProgress: (progress) => {
        const elapsed = (performance.now() - started) / 1000;
        if (elapsed - shown < 10) return;
        shown = elapsed;
        const orders = progress.resources.orders?.written ?? 0;
        console.error(
          `  ${elapsed.toFixed(0)} s: ${formatProgress(progress)}` +
            (orders ? ` · ${Math.round(orders / elapsed).toLocaleString("en")} orders/s overall` : ""),
        );
      },
    },
  );
  const seconds = (performance.now() - started) / 1000;
  await sim.stop();
  await prisma.$disconnect();
  const written = result.resources.orders?.written ?? 0;
  return {
    status: result.status,
    seconds,
    ordersWritten: written,
    ordersPerSecond: written / seconds,
    apiCalls: result.apiCalls,
    truth: {
      orders: truth.counts.orders,
      customers: truth.counts.customers,
      products: truth.counts.products,
      variants: truth.counts.variants,
    },
  };
}

if (values.load) {
  const result = await load(JSON.parse(values.load) as StoreSpec);
  console.log(JSON.stringify(result));
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// Parent.

const orders = Number(values.orders);
const runs = Number(values.runs);
const warmups = Number(values.warmups);
if (!Number.isInteger(orders) || orders < 1 || !Number.isInteger(runs) || runs < 1 || !(warmups >= 0)) {
  console.error("Usage: npm run bench:insights -- [--json] [--keep] [--orders N] [--runs N] [--warmups N]");
  process.exit(2);
}
const wanted: Omit<StoreSpec, "now"> = {
  seed: 11,
  orders,
  customers: Math.round(orders / 6),
  products: 2_500,
  days: 365,
};
const sameStore = (a: Omit<StoreSpec, "now">, b: Omit<StoreSpec, "now">) =>
  a.seed === b.seed &&
  a.orders === b.orders &&
  a.customers === b.customers &&
  a.products === b.products &&
  a.days === b.days;

const log = (message: string) => console.error(message);
const server = await databaseServer("postgres-bench", 54331);
const url = databaseUrl(server.adminUrl, DATABASE);

/** What an earlier --keep run left: the spec and load figures, kept as the database's comment. */
async function keptStore(): Promise<Kept | null> {
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ comment: string | null }>(
      "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
      [DATABASE],
    );
    if (!rows[0]?.comment) return null;
    const kept = JSON.parse(rows[0].comment) as Kept;
    return sameStore(kept.spec, wanted) && kept.load.status === "succeeded" ? kept : null;
  } catch {
    return null;
  } finally {
    await admin.end();
  }
}

let kept = await keptStore();
const reused = kept !== null;
if (kept) {
  log(`reusing ${DATABASE}: loaded ${kept.loadedAt} (store now = ${kept.spec.now})`);
  // Migrations added since it was loaded (new indexes, say) apply to the kept store.
  await runPrisma(["migrate", "deploy"], url, { quiet: true });
} else {
  const spec: StoreSpec = { ...wanted, now: new Date().toISOString() };
  await dropDatabases(server.adminUrl, [DATABASE]);
  await createDatabase(server.adminUrl, DATABASE);
  await runPrisma(["migrate", "deploy"], url, { quiet: true });
  log(
    `loading ${spec.orders.toLocaleString("en")} orders, ${spec.customers.toLocaleString("en")} customers, ` +
      `${spec.products.toLocaleString("en")} products over ${spec.days} days into ${DATABASE} (runSync, read model built at the end) …`,
  );
  const child = spawnSync(process.execPath, [...WORKER_FLAGS, import.meta.filename, "--load", JSON.stringify(spec)], {
    encoding: "utf8",
    env: setAppEnv(url),
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = child.stdout.trim().split("\n").at(-1);
  if (child.status !== 0 || !last) throw new Error(`loading failed (exit ${child.status})`);
  const result = JSON.parse(last) as LoadResult;
  if (result.status !== "succeeded" || result.ordersWritten !== result.truth.orders) {
    throw new Error(`the load did not import the store: ${result.status}, ${result.ordersWritten} orders written`);
  }
  kept = { spec, load: result, loadedAt: new Date().toISOString() };
  log(`loaded in ${result.seconds.toFixed(1)} s (${Math.round(result.ordersPerSecond).toLocaleString("en")} orders/s)`);
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query(`COMMENT ON DATABASE "${DATABASE}" IS '${JSON.stringify(kept).replace(/'/g, "''")}'`);
  await admin.end();
}
const store = kept;

setAppEnv(url);
const { default: prisma, pool } = await import("../app/db.server.ts");
const { overviewReport } = await import("../app/insights/overview.server.ts");
const { inventoryReport } = await import("../app/insights/inventory.server.ts");
const { findShop } = await import("../app/insights/shop.server.ts");
const { syncHistory, syncStatus } = await import("../app/insights/syncs.server.ts");
const { encodeCursor, orderList } = await import("../app/insights/orders.server.ts");
const { customerList } = await import("../app/insights/customers.server.ts");
const { productDetail, productList } = await import("../app/insights/products.server.ts");
const { addDays, todayIn } = await import("../app/insights/range.ts");

log("VACUUM ANALYZE …");
await pool.query("VACUUM ANALYZE");

const COUNTED = [
  ["orders", `"order"`],
  ["line items", "order_line_item"],
  ["refunds", "refund"],
  ["customers", "customer"],
  ["products", "product"],
  ["variants", "product_variant"],
  ["sales_day", "sales_day"],
  ["product_sales_day", "product_sales_day"],
  ["product_sales_month", "product_sales_month"],
  ["customer_stats", "customer_stats"],
] as const;
const rowCounts: Record<string, number> = {};
for (const [label, table] of COUNTED) {
  rowCounts[label] = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
}

const now = new Date(store.spec.now);
const shop = await findShop(SHOP);
const today = todayIn(shop.timezone, now);
// ~90 days in the middle of the year: from 228 to 139 days ago.
const customFrom = addDays(today, -228);
const customTo = addDays(today, -139);

// The sync card's status is polled every second or two while a run is going: its own target, over a
// history of HISTORY_RUNS runs (a shop synced every quarter hour for two months).
const HISTORY_RUNS = 5_000;
const STATUS_TARGET_MS = 20;
const { rows: history } = await pool.query<{ n: number }>(
  "SELECT count(*)::int AS n FROM sync_run WHERE shop_id = $1",
  [shop.id],
);
if (history[0].n < HISTORY_RUNS) {
  await pool.query(
    `INSERT INTO sync_run (shop_id, trigger, "full", status, resources, api_calls, queued_at, started_at, finished_at)
     SELECT $1, 'schedule', false, 'succeeded', '{}', 8, t, t, t + interval '4 seconds'
       FROM generate_series(1, $2::int) AS i, LATERAL (SELECT $3::timestamptz - i * interval '15 minutes' AS t) s`,
    [shop.id, HISTORY_RUNS - history[0].n, store.loadedAt],
  );
  await pool.query("ANALYZE sync_run");
}

// A deep page of the Orders list: the cursor of the 500,000th newest order, as 10,000 clicks on
// "next" would leave it (the middle one in a store of fewer; so the deep pages below, which
// `--orders` makes smaller stores of).
const { rows: deep } = await pool.query<{ at: Date; id: string }>(
  `SELECT processed_at AS at, id::text FROM "order" WHERE shop_id = $1
    ORDER BY processed_at DESC, id DESC
    OFFSET LEAST(500000, (SELECT count(*) / 2 FROM "order" WHERE shop_id = $1)) LIMIT 1`,
  [shop.id],
);
const deepCursor = encodeCursor(SHOP, "date", { value: deep[0].at.toISOString(), id: deep[0].id });
const { rows: someOrder } = await pool.query<{ number: number }>(
  `SELECT order_number AS number FROM "order" WHERE shop_id = $1 ORDER BY id
    OFFSET LEAST(654321, (SELECT count(*) * 2 / 3 FROM "order" WHERE shop_id = $1)) LIMIT 1`,
  [shop.id],
);

// A deep page of the Customers list by net sales: after the 100,000th customer.
const { rows: deepCustomer } = await pool.query<{ net: string; id: string }>(
  `SELECT net_sales::text AS net, customer_id::text AS id FROM customer_stats WHERE shop_id = $1
    ORDER BY net_sales DESC, customer_id DESC
    OFFSET LEAST(100000, (SELECT count(*) / 2 FROM customer_stats WHERE shop_id = $1)) LIMIT 1`,
  [shop.id],
);
const deepCustomerCursor = encodeCursor(SHOP, "net_sales", { value: deepCustomer[0].net, id: deepCustomer[0].id });

const { rows: topProduct } = await pool.query<{ id: string }>(
  "SELECT product_id::text AS id FROM product_sales_month WHERE shop_id = $1 ORDER BY net_units DESC LIMIT 1",
  [shop.id],
);
const topProductId = topProduct[0].id;
const { rows: deepProduct } = await pool.query<{ title: string; id: string }>(
  "SELECT lower(title) AS title, id::text FROM product WHERE shop_id = $1 ORDER BY lower(title), id OFFSET LEAST(2000, (SELECT count(*) / 2 FROM product WHERE shop_id = $1)) LIMIT 1",
  [shop.id],
);
const deepProductCursor = encodeCursor(SHOP, "title", { value: deepProduct[0].title, id: deepProduct[0].id });

const cases: { name: string; loader: Loader; query: string; targetMs?: number }[] = [
  {
    name: "overview: last 30 days vs previous period",
    loader: "overview",
    query: "range=last_30_days&compare=previous_period",
  },
  {
    name: "overview: last 12 months vs previous period",
    loader: "overview",
    query: "range=last_12_months&compare=previous_period",
  },
  {
    name: "overview: last 12 months vs previous year",
    loader: "overview",
    query: "range=last_12_months&compare=previous_year",
  },
  { name: "overview: today (hourly)", loader: "overview", query: "range=today" },
  {
    name: "overview: custom 90 days mid-year vs previous period",
    loader: "overview",
    query: `range=custom&from=${customFrom}&to=${customTo}&compare=previous_period`,
  },
  { name: "inventory: all by days of cover", loader: "inventory", query: "sort=days_of_cover" },
  { name: "inventory: low stock by value desc", loader: "inventory", query: "view=low&sort=value&direction=desc" },
  { name: "inventory: page 50 by product", loader: "inventory", query: "sort=product&page=50" },
  { name: "orders: first page", loader: "orders", query: "" },
  { name: "orders: page 10,001 (after the 500,000th)", loader: "orders", query: `after=${deepCursor}` },
  { name: "orders: search by number", loader: "orders", query: `q=%23${someOrder[0].number}` },
  { name: "orders: refunded, oldest first", loader: "orders", query: "financial_status=refunded&direction=asc" },
  { name: "orders: unfulfilled by number", loader: "orders", query: "fulfillment_status=unfulfilled&sort=number" },
  { name: "customers: first page", loader: "customers", query: "" },
  {
    name: "customers: by net sales, after the 100,000th",
    loader: "customers",
    query: `sort=net_sales&after=${deepCustomerCursor}`,
  },
  { name: "customers: search a name", loader: "customers", query: "q=rossi" },
  { name: "customers: search matching nobody", loader: "customers", query: "q=zzqx@nowhere" },
  { name: "customers: search, by net sales", loader: "customers", query: "q=smith&sort=net_sales" },
  { name: "products: first page by title", loader: "products", query: "" },
  { name: "products: search a SKU", loader: "products", query: "q=sku-01234" },
  { name: "products: tag sale, newest first", loader: "products", query: "tag=sale&sort=newest" },
  { name: "products: after the 2,000th by title", loader: "products", query: `after=${deepProductCursor}` },
  { name: "product: last 12 months", loader: "product", query: "range=last_12_months" },
  { name: "sync status (polled)", loader: "sync status", query: "", targetMs: STATUS_TARGET_MS },
  { name: "sync history page", loader: "sync history", query: "" },
];

const percentile = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];

const results: CaseResult[] = [];
for (const c of cases) {
  log(`timing: ${c.name} (${warmups} warm-ups, ${runs} runs) …`);
  const call = async (): Promise<string> => {
    const params = new URLSearchParams(c.query);
    if (c.loader === "orders") {
      const report = await orderList(SHOP, params);
      return `${report.rows.length} rows${report.rows[0] ? ` from ${report.rows[0].name}` : ""}`;
    }
    if (c.loader === "products") {
      const report = await productList(SHOP, params);
      return `${report.rows.length} rows`;
    }
    if (c.loader === "product") {
      const product = await productDetail(SHOP, topProductId, params, now);
      return `${product.netUnits.toLocaleString("en")} units`;
    }
    if (c.loader === "customers") {
      const report = await customerList(SHOP, params);
      return `${report.rows.length} rows`;
    }
    if (c.loader === "sync status") {
      const status = await syncStatus(SHOP, now);
      return status.latest ? `latest run ${status.latest.status}` : "no run";
    }
    if (c.loader === "sync history") {
      const report = await syncHistory(SHOP, now);
      return `${report.runs.length} of ${HISTORY_RUNS.toLocaleString("en")} runs`;
    }
    if (c.loader === "overview") {
      const report = await overviewReport(SHOP, params, now);
      return (
        `${report.current.orders.toLocaleString("en")} orders` +
        (report.previous ? ` (vs ${report.previous.orders.toLocaleString("en")})` : "")
      );
    }
    const report = await inventoryReport(SHOP, params, now);
    return `${report.rows.length} of ${report.matching.toLocaleString("en")} rows`;
  };
  let answer = "";
  for (let i = 0; i < warmups; i++) answer = await call();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    answer = await call();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const p95 = percentile(times, 95);
  const targetMs = c.targetMs ?? TARGET_MS;
  results.push({
    ...c,
    targetMs,
    answer,
    runs,
    p50: percentile(times, 50),
    p95,
    p99: percentile(times, 99),
    max: times[times.length - 1],
    p95ToTarget: p95 / targetMs,
  });
}

await prisma.$disconnect();
if (!values.keep) await dropDatabases(server.adminUrl, [DATABASE]);
await server.stop();

const summary = {
  store: {
    orders: store.load.truth.orders,
    variants: store.load.truth.variants,
    products: store.load.truth.products,
    customers: store.load.truth.customers,
    days: store.spec.days,
    now: store.spec.now,
    timezone: shop.timezone,
    seed: store.spec.seed,
  },
  database: { name: DATABASE, embedded: server.embedded, kept: values.keep, reused },
  load: {
    seconds: store.load.seconds,
    ordersPerSecond: store.load.ordersPerSecond,
    apiCalls: store.load.apiCalls,
    loadedAt: store.loadedAt,
  },
  rowCounts,
  targetMs: TARGET_MS,
  aimMs: AIM_MS,
  warmups,
  cases: results,
};

if (values.json) {
  console.log(JSON.stringify(summary, null, 2));
} else {
  const s = summary.store;
  const n = (x: number) => x.toLocaleString("en");
  console.log(
    `Store: ${n(s.orders)} orders over ${s.days} days to ${s.now} (${s.timezone}), ${n(s.variants)} variants ` +
      `of ${n(s.products)} products, ${n(s.customers)} customers`,
  );
  console.log(
    `Load: runSync, read model built at the end, ${summary.load.seconds.toFixed(1)} s = ` +
      `${n(Math.round(summary.load.ordersPerSecond))} orders/s (${n(summary.load.apiCalls)} API calls, unthrottled simulator)` +
      (reused ? `; loaded by an earlier run at ${summary.load.loadedAt}, database reused` : ""),
  );
  console.log(
    `Rows: ${Object.entries(rowCounts)
      .map(([k, v]) => `${k} ${n(v)}`)
      .join(", ")}`,
  );
  console.log(
    `Loaders called in-process, ${warmups} warm-ups then ${runs} runs each, sequential; ms; target p95 ≤ ${TARGET_MS} ms (aim ${AIM_MS}), the polled sync status ≤ ${STATUS_TARGET_MS} ms`,
  );
  const header = ["case", "answer", "p50", "p95", "p99", "max", "target", "p95/target"];
  const rows = results.map((r) => [
    r.name,
    r.answer,
    r.p50.toFixed(1),
    r.p95.toFixed(1),
    r.p99.toFixed(1),
    r.max.toFixed(1),
    String(r.targetMs),
    `${r.p95ToTarget.toFixed(2)}${r.p95 > r.targetMs ? " MISS" : ""}`,
  ]);
  const numeric = new Set([2, 3, 4, 5, 6, 7]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}
process.exit(0);
