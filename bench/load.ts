// Load benchmarks: `npm run bench:load [-- --json] [-- --quick] [-- --case fleet|webhooks] [-- --verbose]`
//   fleet     50 shops on the standard plan syncing at once from a pool of 2 worker processes
//             (scripts/worker.ts): one run per shop, none starved, every shop exact; wall time
//             against the fleet's API floor and orders/s against the sum of the shops' API ceilings
//   webhooks  the app's production server (scripts/start.ts) fed a burst of 1,000 mutations a second
//             for 5 s through the simulator, which delivers the webhooks (HMAC-signed, retried on
//             failure): none lost, latency, the server's peak memory, every order equal to Shopify's
// Options: --workers N --concurrency N (the fleet's worker processes and SYNC_CONCURRENCY of each;
// default 2 × 32, so every shop can run at once); --rate N --seconds N (the burst's mutations a
// second and its length); --quick: 2 × 12,000 + 48 × 300 orders and a 1 s burst. The environment
// variable BENCH_APP_NODE_OPTIONS adds Node options to the app's server (e.g. `--cpu-prof`).
// Each case runs in a child process of its own, on a fresh database (DATABASE_URL's server, or the
// embedded one) dropped at the end, with the simulator and the app's processes as its own children.
// Exits non-zero when a correctness check fails, never on timing.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { createDatabase, databaseServer, databaseUrl, dropDatabases } from "../scripts/lib/database.ts";
import { runPrisma } from "../scripts/lib/prisma.ts";
import { setAppEnv } from "./lib/bench-env.ts";
import { FLEET_FULL, FLEET_QUICK, runFleet, SCOPES, type FleetResult } from "./lib/load-fleet.ts";
import { BURST_FULL, BURST_QUICK, runWebhookBurst, type WebhookResult } from "./lib/load-webhooks.ts";

// The table (or a child's JSON result line) is the output; this process's sync logs only when they warn.
// The app's processes log as in production (their lines are read, not printed, unless --verbose).
process.env.LOG_LEVEL ??= "warn";

const CASES = [
  { key: "fleet", name: "50 shops, pool of workers" },
  { key: "webhooks", name: "webhook burst 1,000/s" },
] as const;
type CaseKey = (typeof CASES)[number]["key"];
type Result = FleetResult | WebhookResult;
interface Crashed {
  key: CaseKey;
  name: string;
  ok: false;
  failures: string[];
}

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
    case: { type: "string" },
    // Fleet: worker processes and SYNC_CONCURRENCY of each (default 2 × 32: every shop can run at once).
    workers: { type: "string" },
    concurrency: { type: "string" },
    // Webhooks: mutations a second and for how long (default 1,000/s for 5 s, 1 s with --quick).
    rate: { type: "string" },
    seconds: { type: "string" },
    // Internal: run one case in this process (a child of the bench) on this database.
    child: { type: "string" },
    database: { type: "string" },
  },
});

const log = (message: string) => {
  if (!values.json || values.verbose) console.error(message);
};

if (values.child) {
  // Child: one case on a fresh database; its result as JSON on the last line of stdout.
  const key = values.child as CaseKey;
  const server = await databaseServer("postgres-bench", 54331);
  const name = values.database!;
  await createDatabase(server.adminUrl, name);
  let code = 0;
  try {
    const url = databaseUrl(server.adminUrl, name);
    await runPrisma(["migrate", "deploy"], url, { quiet: true });
    setAppEnv(url, { SCOPES, TOKEN_ENCRYPTION_KEY_PREVIOUS: "" });
    const options = { log, verbose: values.verbose };
    const fleet = values.quick ? FLEET_QUICK : FLEET_FULL;
    const burst = values.quick ? BURST_QUICK : BURST_FULL;
    const result =
      key === "fleet"
        ? await runFleet(
            {
              ...fleet,
              workers: values.workers ? Number(values.workers) : fleet.workers,
              concurrency: values.concurrency ? Number(values.concurrency) : fleet.concurrency,
            },
            options,
          )
        : await runWebhookBurst(
            {
              ...burst,
              rate: values.rate ? Number(values.rate) : burst.rate,
              seconds: values.seconds ? Number(values.seconds) : burst.seconds,
            },
            options,
          );
    console.log(JSON.stringify(result));
  } catch (error) {
    console.error((error as Error).stack ?? String(error));
    code = 1;
  } finally {
    await dropDatabases(server.adminUrl, [name]).catch(() => {});
    await server.stop();
  }
  process.exit(code);
}

const selected = values.case
  ? CASES.filter((c) =>
      [c.key, c.name].some((label) => label.toLowerCase().startsWith(values.case!.toLowerCase().trim())),
    )
  : [...CASES];
if (selected.length === 0) {
  console.error(`Unknown case ${values.case}: ${CASES.map((c) => `${c.key} ("${c.name}")`).join(", ")}`);
  process.exit(2);
}

const server = await databaseServer("postgres-bench", 54331);
const results: (Result | Crashed)[] = [];
try {
  for (const c of selected) {
    log(`running: ${c.name}${values.quick ? " (quick)" : ""} …`);
    const database = `bench_load_${c.key}_${process.pid}`;
    const args = [
      import.meta.filename,
      "--child",
      c.key,
      "--database",
      database,
      ...(values.quick ? ["--quick"] : []),
      ...(values.verbose ? ["--verbose"] : []),
      ...(values.json ? ["--json"] : []),
      ...(values.workers ? ["--workers", values.workers] : []),
      ...(values.concurrency ? ["--concurrency", values.concurrency] : []),
      ...(values.rate ? ["--rate", values.rate] : []),
      ...(values.seconds ? ["--seconds", values.seconds] : []),
    ];
    const child = spawnSync(process.execPath, args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 64 * 1024 * 1024,
    });
    // The child drops its database; this is for a child that could not.
    await dropDatabases(server.adminUrl, [database]).catch(() => {});
    const last = child.stdout.trim().split("\n").at(-1);
    if (child.status !== 0 || !last?.startsWith("{")) {
      results.push({
        key: c.key,
        name: c.name,
        ok: false,
        failures: [`the case ended with exit ${child.status ?? child.signal} before a result (its output is above)`],
      });
      continue;
    }
    results.push(JSON.parse(last) as Result);
  }
} finally {
  await server.stop();
}

const n = (value: number) => Math.round(value).toLocaleString("en");
const ms = (value: number | null) => (value === null ? "—" : `${n(value)}`);
const sec = (value: number | null) => (value === null ? "—" : `${value} s`);
const latency = (l: WebhookResult["latencyMs"]) => `p50 ${ms(l.p50)}, p95 ${ms(l.p95)}, max ${ms(l.max)} ms`;
const list = (entries: Record<string, number>) =>
  Object.entries(entries)
    .map(([k, v]) => `${n(v)} ${k}`)
    .join(", ");

/** Where the machine's CPU went: the processes named, and the rest (other work on the machine). */
function cpuLine(
  busyPercent: number,
  cpu: { cores: number; busySeconds: number; otherSeconds: number; databaseSeconds: number | null },
  own: Record<string, number>,
): string {
  const parts = Object.entries(own).map(([k, v]) => `${k} ${v.toFixed(1)}`);
  if (cpu.databaseSeconds !== null) parts.push(`PostgreSQL ${cpu.databaseSeconds.toFixed(1)}`);
  parts.push(`other work on the machine ${cpu.otherSeconds.toFixed(1)}`);
  return `${cpu.cores} cores ${busyPercent}% busy (${cpu.busySeconds.toFixed(1)} CPU s: ${parts.join(", ")})`;
}

if (values.json) {
  console.log(JSON.stringify(results, null, 2));
} else {
  const rows: string[][] = [];
  const details: string[] = [];
  for (const r of results) {
    if (!("wallSeconds" in r) && !("offered" in r)) {
      rows.push([r.name, "", "", "", "", "", "", "FAILED"]);
      continue;
    }
    if (r.key === "fleet") {
      const f = r as FleetResult;
      rows.push([
        f.name,
        `${f.shops} shops, ${n(f.orders)} orders` + (f.ordersStored < f.orders ? ` (${n(f.ordersStored)} stored)` : ""),
        f.stalled ? `${f.wallSeconds.toFixed(1)} (stalled)` : f.wallSeconds.toFixed(1),
        `${n(f.ordersPerSecond)} orders/s`,
        f.stalled
          ? `STALLED (floor ${f.floorSeconds.toFixed(1)} s)`
          : `floor ${f.floorSeconds.toFixed(1)} s (wall ×${f.wallOverFloor ?? "—"}); ${(100 * f.ceilingFraction).toFixed(1)}% of ${n(f.ceilingOrdersPerSecond)} orders/s`,
        `${f.throttled} × 429`,
        n(f.peakWorkerRssMb),
        f.ok ? `yes (${f.exactShops}/${f.shops} exact, 1 run each)` : `NO (${f.exactShops}/${f.shops} exact)`,
      ]);
      const cpuBound = f.cpu.machineBusyPercent >= 90;
      details.push(
        `${f.name}:`,
        `  shops: ${f.large.shops} × ${n(f.large.ordersEach)} orders (floor ${f.large.floorSeconds} s each) + ${f.small.shops} × ${n(f.small.ordersEach)} orders (floor ${f.small.floorSeconds} s); standard plan (bucket 40, 2 requests/s); ${f.workers} worker processes × SYNC_CONCURRENCY ${f.concurrencyPerWorker}`,
        `  queued → started (large shops queued first): small shops p50 ${sec(f.small.waitP50)}, max ${sec(f.small.waitMax)}; large p50 ${sec(f.large.waitP50)}, max ${sec(f.large.waitMax)}`,
        `  finished after: small shops p50 ${sec(f.small.finishP50)}, last ${sec(f.small.finishMax)}; large first ${sec(f.large.finishMin)}, last ${sec(f.large.finishMax)}; every small shop done before the first large one: ${f.stalled ? "—" : f.smallBeforeLarge ? "yes" : "no"}`,
        `  runs: ${f.runs.total} (${f.runs.succeeded} succeeded), ${f.runs.perShopMin}..${f.runs.perShopMax} per shop; at most ${f.peakRunning} running at once (${f.peakRunLocks} run locks held); a shop seen running twice: ${f.doubleRunning}, overlapping runs: ${f.overlappingRuns}, runs finished twice: ${f.runsFinishedTwice} (of ${f.runsReportedByWorkers} the workers' logs report); job retries: ${f.jobRetries}`,
        `  API: ${n(f.requests)} request${f.requests === 1 ? "" : "s"}, ${f.throttled} answered 429; the fleet's floor is its largest shop's (${f.floorSeconds} s), the sum of its ceilings ${f.shops} × 2 requests/s × 250 orders = ${n(f.ceilingOrdersPerSecond)} orders/s`,
        `  machine: ${cpuLine(f.cpu.machineBusyPercent, f.cpu, { workers: f.cpu.workersSeconds, simulator: f.cpu.simulatorSeconds, bench: f.cpu.benchSeconds })}; ${n(f.cpu.ordersPerCpuSecond)} orders per busy CPU second` +
          (cpuBound ? `: the bound was this machine's CPU, not Shopify's buckets` : `: the CPU was not saturated`),
      );
    } else {
      const w = r as WebhookResult;
      rows.push([
        w.name,
        `${n(w.offered)} webhooks from ${n(w.mutations)} mutations in ${w.sendSeconds.toFixed(1)} s`,
        w.drainSeconds.toFixed(1),
        `${n(w.offeredPerSecond)}/s offered, ${n(w.processedPerSecond)}/s committed`,
        `attempts ${latency(w.latencyMs)}`,
        `${w.failed} failed, ${n(w.retried)} retried`,
        n(w.serverPeakRssMb),
        w.ok ? `yes (${n(w.exact.orders)} orders, 0 lost)` : "NO",
      ]);
      details.push(
        `${w.name}:`,
        `  mutations: ${n(w.mutations)} sent in ${w.sendSeconds.toFixed(2)} s (${n(w.mutationsPerSecond)}/s: ${list(w.mix)}); refused by the simulator: ${w.mutationsRefused}`,
        `  webhooks offered: ${n(w.offered)} over ${w.offerSeconds.toFixed(2)} s (${n(w.offeredPerSecond)}/s, busiest second ${n(w.peakOfferedPerSecond)}): ${list(w.topics)}`,
        `  delivered: ${n(w.deliveredFirstAttempt)} on the first attempt, ${n(w.retried)} after retries, ${w.failed} failed for good, ${w.pending} pending; ${n(w.attempts)} attempts (${(w.attempts / Math.max(1, w.offered)).toFixed(2)} per webhook, at most ${w.mostAttempts} of the 8 allowed) answered ${list(w.attemptStatuses)}; ${n(w.deliveredPerSecond)} delivered/s from the first offer to the last answer (busiest second ${n(w.peakDeliveredPerSecond)})`,
        `  committed (webhook_delivery rows): the last ${w.processedSeconds.toFixed(1)} s after the first offer, ${n(w.processedPerSecond)}/s; offer to commit ${latency(w.processingLagMs)}`,
        `  latency: every attempt ${latency(w.latencyMs)}; first attempts ${latency(w.firstAttemptLatencyMs)}; answered attempts ${latency(w.answeredLatencyMs)}; all settled ${w.drainSeconds.toFixed(1)} s after the last mutation`,
        `  app server: peak RSS ${n(w.serverPeakRssMb)} MB (${n(w.serverRssBeforeMb)} MB before the burst), ${w.serverCpuSeconds} CPU s (${w.serverCpuMsPerAttempt} ms per attempt)`,
        `  machine from the burst to the drain: ${cpuLine(w.machineBusyPercent, w.cpu, { "app server": w.cpu.serverSeconds, simulator: w.cpu.simulatorSeconds, bench: w.cpu.benchSeconds })}`,
        `  afterwards: ${n(w.exact.orders)} orders at Shopify: ${w.exact.lost} missing from the database, ${w.exact.extra} deleted but kept, ${w.exact.mismatched} differing${w.exact.examples.length ? ` (${w.exact.examples.join("; ")})` : ""}; shop totals ${w.exact.totals ? "equal to the truth" : "DIFFERENT from the truth"}`,
      );
    }
  }
  const header = ["case", "size", "seconds", "throughput", "against the limit", "errors", "peak RSS MB", "correct"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
  console.log("");
  console.log(
    "seconds: fleet = first sync queued to last finished; webhooks = last mutation sent to last delivery settled",
  );
  for (const d of details) console.log(d);
  for (const r of results) for (const failure of r.failures) console.log(`FAILED ${r.name}: ${failure}`);
}
process.exit(results.every((r) => r.ok) ? 0 : 1);
