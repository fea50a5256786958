// Sync benchmarks: `npm run bench:sync [-- --json] [-- --quick]`
//   floor       standard plan (bucket 40, 2 requests/s): time against the API floor, requests, 429s
//   throughput  unthrottled: orders per second from HTTP pages to committed PostgreSQL rows
//   memory      unthrottled: the worker's peak resident memory as the store grows
// Each case runs in a fresh child process (so peak memory is its own) against the simulator in a
// process of its own, on a fresh database (DATABASE_URL's server, or an embedded one).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { setGlobalDispatcher } from "undici";
import { createDatabase, databaseServer, databaseUrl, dropDatabases } from "../scripts/lib/database.ts";
import { runPrisma } from "../scripts/lib/prisma.ts";
import { startScript, startSimulatorProcess, stopChild } from "../scripts/lib/simulator-process.ts";
import { simulatorDispatcher } from "../simulator/dispatcher.ts";
import { accessScopes } from "../app/lib/access-scopes.ts";
import { API_KEY, API_SECRET, setAppEnv, WORKER_FLAGS } from "./lib/bench-env.ts";

// The table (or a child's JSON result line) is the output; the sync's own log lines only when they warn.
process.env.LOG_LEVEL ??= "warn";

interface Case {
  name: string;
  kind: "floor" | "throughput" | "memory";
  orders: number;
  customers: number;
  products: number;
}

interface Result extends Case {
  seconds: number;
  requests: number;
  throttled: number;
  retries: number;
  ordersPerSecond: number;
  peakRssMb: number;
  /** Throughput case: the same pages replayed without the simulator (the app's ingestion alone), median. */
  replayOrdersPerSecond: number | null;
  /** Each replay's orders per second. */
  replayRuns: number[];
  /** Throughput case: the share of each replay spent building the insights read model (median). */
  readModelShare: number | null;
  floorSeconds: number | null;
  ratioToFloor: number | null;
  exact: boolean;
}

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
    case: { type: "string" },
  },
});

const scale = values.quick ? 0.1 : 1;
const cases: Case[] = (
  [
    { name: "standard plan, 100k orders", kind: "floor", orders: 100_000, customers: 25_000, products: 1_000 },
    { name: "unthrottled, 100k orders", kind: "throughput", orders: 100_000, customers: 25_000, products: 1_000 },
    { name: "memory, 100k orders", kind: "memory", orders: 100_000, customers: 10_000, products: 500 },
    { name: "memory, 1M orders", kind: "memory", orders: 1_000_000, customers: 100_000, products: 2_000 },
  ] satisfies Case[]
).map((c) => ({
  ...c,
  orders: Math.round(c.orders * scale),
  customers: Math.round(c.customers * scale),
  products: Math.round(c.products * scale),
}));

const PAGE = 250;
const REPLAYS = 3;
const BURST = 40;
const RATE = 2;

/** The least time the bucket allows for the fewest requests that can read the store. */
function floorSeconds(c: Case): number {
  const requests = [c.orders, c.customers, c.products].reduce((sum, n) => sum + Math.ceil(n / PAGE), 0);
  return Math.max(0, requests - BURST) / RATE;
}

async function runCase(c: Case, adminUrl: string): Promise<Result> {
  const database = `bench_sync_${process.pid}`;
  await createDatabase(adminUrl, database);
  const url = databaseUrl(adminUrl, database);
  await runPrisma(["migrate", "deploy"], url, { quiet: true });
  setAppEnv(url);
  const shop = "bench.myshopify.com";
  const sim = await startSimulatorProcess([
    "--shop",
    `bench:seed=7,orders=${c.orders},customers=${c.customers},products=${c.products},plan=basic`,
    "--app",
    `${API_KEY}:${API_SECRET}:${accessScopes.join(",")}`,
    ...(c.kind === "floor" ? [] : ["--no-rate-limits"]),
  ]);
  // The throughput case goes through a recording proxy, to replay the same pages afterwards.
  const proxy =
    c.kind === "throughput"
      ? await startScript("bench/lib/replay-proxy.ts", [
          "--target-port",
          new URL(sim.httpsUrl).port,
          "--cert-dir",
          sim.certPaths.ca.replace(/\/ca\.pem$/, ""),
        ])
      : null;
  const proxyPort = proxy ? (JSON.parse(proxy.line) as { port: number }).port : null;
  setGlobalDispatcher(
    proxyPort
      ? simulatorDispatcher({
          host: "127.0.0.1",
          httpsPort: proxyPort,
          httpPort: 0,
          caPem: readFileSync(sim.certPaths.ca, "utf8"),
        })
      : sim.dispatcher(),
  );
  const { default: prisma, pool } = await import("../app/db.server.ts");
  const { runSync } = await import("../app/ingest/sync.server.ts");
  const token = sim.tokens[0].accessToken;
  await prisma.shop.create({ data: { domain: shop } });

  const started = performance.now();
  const result = await runSync({ db: prisma, pool, token: { get: async () => token } }, { shop, trigger: "cli" });
  const seconds = (performance.now() - started) / 1000;

  const truth = (await (await fetch(`${sim.control}shops/${shop}/truth`)).json()) as { counts: { orders: number } };
  const stored = await prisma.order.count();
  await sim.stop();

  // Replays: the same pages, the simulator gone, into emptied tables; the median of REPLAYS runs (one
  // run's speed on a shared 2-core machine varies by a tenth or more either way).
  const replays: number[] = [];
  const shares: number[] = [];
  if (proxy && proxyPort) {
    await fetch(`https://${shop}/_replay/replay`, { method: "POST" });
    for (let i = 0; i < REPLAYS; i++) {
      await pool.query(
        `TRUNCATE product, product_variant, customer, "order", order_line_item, refund, refund_line_item, sales_day,
          product_sales_day, product_sales_month, customer_stats, sync_state, deleted_record`,
      );
      await pool.query("CHECKPOINT");
      const again = performance.now();
      const replay = await runSync({ db: prisma, pool, token: { get: async () => token } }, { shop, trigger: "cli" });
      const replaySeconds = (performance.now() - again) / 1000;
      if (replay.status !== "succeeded" || (await prisma.order.count()) !== truth.counts.orders) {
        throw new Error(`replay did not import the store exactly: ${replay.status} ${replay.error ?? ""}`);
      }
      replays.push((replay.resources.orders?.written ?? 0) / replaySeconds);
      shares.push(replay.readModelSeconds / replaySeconds);
    }
    await stopChild(proxy.child);
  }
  const sorted = [...replays].sort((a, b) => a - b);
  const replayOrdersPerSecond = sorted.length ? sorted[Math.floor(sorted.length / 2)] : null;
  await prisma.$disconnect();
  await dropDatabases(adminUrl, [database]);
  const floor = c.kind === "floor" ? floorSeconds(c) : null;
  return {
    ...c,
    seconds,
    requests: result.apiCalls,
    throttled: result.throttled,
    retries: result.retries,
    ordersPerSecond: (result.resources.orders?.written ?? 0) / seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    replayOrdersPerSecond,
    replayRuns: replays.map(Math.round),
    readModelShare: shares.length ? [...shares].sort((a, b) => a - b)[Math.floor(shares.length / 2)] : null,
    floorSeconds: floor,
    ratioToFloor: floor ? seconds / floor : null,
    exact: result.status === "succeeded" && stored === truth.counts.orders,
  };
}

if (values.case) {
  // Child: one case, its result as JSON on the last line.
  const server = await databaseServer("postgres-bench", 54331);
  const c = cases.find((k) => k.name === values.case)!;
  const result = await runCase(c, server.adminUrl);
  await server.stop();
  console.log(JSON.stringify(result));
  process.exit(0);
}

const results: Result[] = [];
for (const c of cases) {
  if (!values.json) console.error(`running: ${c.name} …`);
  const args = [...WORKER_FLAGS, import.meta.filename, "--case", c.name, ...(values.quick ? ["--quick"] : [])];
  const child = spawnSync(process.execPath, args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = child.stdout.trim().split("\n").at(-1);
  if (child.status !== 0 || !last) throw new Error(`${c.name} failed (exit ${child.status})`);
  results.push(JSON.parse(last) as Result);
}

if (values.json) {
  console.log(JSON.stringify(results, null, 2));
} else {
  const rows = results.map((r) => [
    r.name,
    r.orders.toLocaleString("en"),
    r.seconds.toFixed(1),
    r.floorSeconds === null ? "" : `${r.floorSeconds.toFixed(1)} (×${r.ratioToFloor!.toFixed(3)})`,
    String(r.requests),
    String(r.throttled),
    Math.round(r.ordersPerSecond).toLocaleString("en") +
      (r.replayOrdersPerSecond
        ? ` (replayed: median ${Math.round(r.replayOrdersPerSecond).toLocaleString("en")} of ${r.replayRuns.map((n) => n.toLocaleString("en")).join(", ")}; read model build ${(r.readModelShare! * 100).toFixed(1)}% of the time)`
        : ""),
    r.peakRssMb.toFixed(0),
    r.exact ? "yes" : "NO",
  ]);
  const header = [
    "case",
    "orders",
    "seconds",
    "floor s (ratio)",
    "requests",
    "429s",
    "orders/s",
    "peak RSS MB",
    "exact",
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}
