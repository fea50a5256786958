// bench/load.ts, case "fleet": many shops syncing at once from a pool of worker processes
// (scripts/worker.ts, as `npm run worker` starts them) against one simulator with Shopify's standard
// plan bucket per shop. The bench process only stores the shops and their offline sessions, queues
// one sync per shop as the app does (enqueueSync) and watches the database.
import type { PrismaClient } from "@prisma/client";
import type { Pool as PgPool } from "pg";
import { RUN_LOCK } from "../../app/ingest/sync-run.server.ts";
import type { storedTotals } from "../../tests/support/ingest-harness.ts";
import {
  cpuSecondsOf,
  controlOk,
  DatabaseCpu,
  differences,
  machineCpu,
  memoryOf,
  quantile,
  round,
  startNode,
  startSimulator,
  tail,
  truthTotals,
  type NodeProcess,
  type Simulator,
} from "./load-support.ts";
import { accessScopes } from "../../app/lib/access-scopes.ts";
import { API_KEY, API_SECRET, WORKER_FLAGS } from "./bench-env.ts";

export const SCOPES = accessScopes.join(",");

interface ShopSize {
  orders: number;
  customers: number;
  products: number;
}

export interface FleetSpec {
  large: ShopSize & { count: number };
  small: ShopSize & { count: number };
  workers: number;
  /** SYNC_CONCURRENCY of each worker process. */
  concurrency: number;
}

export const FLEET_FULL: FleetSpec = {
  large: { count: 5, orders: 20_000, customers: 3_000, products: 100 },
  small: { count: 45, orders: 2_000, customers: 300, products: 30 },
  workers: 2,
  // Each running sync holds a connection of its own (its shop's lock) besides the pools: 2 × 20 of
  // them, the workers' pools and the queue's stay within PostgreSQL's default 100 connections.
  concurrency: 20,
};

// Still 50 shops (the point is how many run at once), fewer orders; the large shops still need more
// requests than the bucket's burst, so the standard plan's 2 requests a second still bounds them.
export const FLEET_QUICK: FleetSpec = {
  large: { count: 2, orders: 12_000, customers: 1_000, products: 40 },
  small: { count: 48, orders: 300, customers: 50, products: 10 },
  workers: 2,
  concurrency: 20,
};

// Shopify's standard plan (basic, shopify): a bucket of 40 requests leaking 2 a second; 250 records a page.
const BURST = 40;
const RATE = 2;
const PAGE = 250;
/** No run finished and no heartbeat for this long: the fleet is stuck, not slow. */
const STALL_MS = 60_000;
const SAMPLE_MS = 250;

/** The run a worker's log line reports as ended, if it is such a line. */
function finishedRun(line: string): number | null {
  const plain = line.match(/: sync (\d+) (succeeded|partial|failed)/);
  if (plain) return Number(plain[1]);
  if (!line.startsWith("{")) return null;
  try {
    const entry = JSON.parse(line) as { msg?: string; runId?: number };
    return (entry.msg === "sync finished" || entry.msg === "sync failed") && typeof entry.runId === "number"
      ? entry.runId
      : null;
  } catch {
    return null;
  }
}

/** Fewest requests that read a store (pages of 250 per resource), and the bucket's least time for them. */
function floorOf(size: ShopSize): { pages: number; seconds: number } {
  const pages = [size.orders, size.customers, size.products].reduce((sum, n) => sum + Math.ceil(n / PAGE), 0);
  return { pages, seconds: Math.max(0, pages - BURST) / RATE };
}

interface Group {
  shops: number;
  ordersEach: number;
  waitP50: number | null;
  waitMax: number | null;
  finishMin: number | null;
  finishP50: number | null;
  finishMax: number | null;
  floorSeconds: number;
}

export interface FleetResult {
  key: "fleet";
  name: string;
  ok: boolean;
  failures: string[];
  shops: number;
  orders: number;
  /** Orders in the database at the end (all of them when every run succeeded). */
  ordersStored: number;
  workers: number;
  concurrencyPerWorker: number;
  wallSeconds: number;
  /** No run progressed for a minute: the fleet was given up on (wallSeconds is when). */
  stalled: boolean;
  /** The largest shop's floor: the least time the fleet can take when every shop runs at once. */
  floorSeconds: number;
  wallOverFloor: number | null;
  ordersPerSecond: number;
  /** Shops × 2 requests/s × 250 orders a page. */
  ceilingOrdersPerSecond: number;
  ceilingFraction: number;
  large: Group;
  small: Group;
  /** The last small shop finished before the first large one. */
  smallBeforeLarge: boolean;
  peakRunning: number;
  peakRunLocks: number;
  runs: { total: number; succeeded: number; perShopMin: number; perShopMax: number };
  /** Times a shop was seen with two runs running, two run locks or two active jobs (must be 0). */
  doubleRunning: number;
  /** Pairs of runs of one shop whose start..finish overlap (must be 0). */
  overlappingRuns: number;
  /** Runs a worker reported finishing more than once (must be 0). */
  runsFinishedTwice: number;
  /** Runs whose end the workers' logs reported (the check above reads those lines). */
  runsReportedByWorkers: number;
  jobRetries: number;
  requests: number;
  throttled: number;
  exactShops: number;
  cpu: {
    machineBusyPercent: number;
    cores: number;
    workersSeconds: number;
    simulatorSeconds: number;
    /** This database's PostgreSQL sessions; null when the server is not on this machine. */
    databaseSeconds: number | null;
    benchSeconds: number;
    /** The machine's busy CPU time not accounted for by the bench's processes (other work on the machine). */
    otherSeconds: number;
    busySeconds: number;
    ordersPerCpuSecond: number;
  };
  peakWorkerRssMb: number;
}

type FleetShop = { name: string; size: ShopSize; large: boolean; domain: string; seed: number };
type SyncRun = Awaited<ReturnType<PrismaClient["syncRun"]["findMany"]>>[number] & { shop: { domain: string } };
type Log = (message: string) => void;

/** The fleet's shops: the large ones first, each with a seed of its own. */
function fleetShops(spec: FleetSpec): FleetShop[] {
  return [
    ...Array.from({ length: spec.large.count }, (_, i) => ({ name: `large-${i + 1}`, size: spec.large, large: true })),
    ...Array.from({ length: spec.small.count }, (_, i) => ({ name: `small-${i + 1}`, size: spec.small, large: false })),
  ].map((s, i) => ({ ...s, domain: `${s.name}.myshopify.com`, seed: 1000 + i }));
}

/** Starts the pool of worker processes (into `workers`, which the caller stops) and waits until each runs. */
async function startWorkers(
  spec: FleetSpec,
  sim: Simulator,
  workers: NodeProcess[],
  options: { log: Log; verbose: boolean },
): Promise<void> {
  options.log(`fleet: starting ${spec.workers} worker processes (SYNC_CONCURRENCY=${spec.concurrency}) …`);
  for (let i = 0; i < spec.workers; i++) {
    workers.push(
      startNode(
        `worker-${i + 1}`,
        [...WORKER_FLAGS, "--import", "./scripts/lib/shopify-network.ts", "scripts/worker.ts"],
        {
          ...process.env,
          SIMULATOR_HTTPS_PORT: new URL(sim.httpsUrl).port,
          SIMULATOR_CA_FILE: sim.caFile,
          SYNC_CONCURRENCY: String(spec.concurrency),
          SYNC_INTERVAL_MINUTES: "0",
          SYNC_WORKER: "off",
          NODE_ENV: "production",
          LOG_FORMAT: "json",
          // Their "sync finished" lines tell whether a run was executed twice.
          LOG_LEVEL: "info",
        },
        { echo: options.verbose },
      ),
    );
  }
  // "Sync worker running; …" or a structured line "worker running" / "sync worker started".
  await Promise.all(workers.map((w) => w.waitForLine(/worker running|sync worker started/i, 120_000)));
}

interface Watched {
  peakRunning: number;
  peakRunLocks: number;
  doubleRunning: number;
  /** Why the fleet was given up on, when it stalled. */
  stalled: string | null;
}

/** Watches until every run has ended: how many run at once, and whether one shop ever runs twice. */
async function watchRuns(
  pool: PgPool,
  syncQueue: string,
  runs: number,
  workers: NodeProcess[],
  log: Log,
): Promise<Watched> {
  let peakRunning = 0;
  let peakRunLocks = 0;
  let doubleRunning = 0;
  let lastChange = Date.now();
  let lastMark = "";
  let stalled: string | null = null;
  for (;;) {
    const {
      rows: [s],
    } = await pool.query<{
      running: number;
      locks: number;
      active: number;
      doubled: number;
      ended: number;
      mark: string;
    }>(
      `SELECT
         (SELECT count(*)::int FROM sync_run WHERE status = 'running') AS running,
         (SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objsubid = 2 AND granted
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())) AS locks,
         (SELECT count(*)::int FROM pgboss.job WHERE name = $2 AND state = 'active') AS active,
         (SELECT count(*)::int FROM (SELECT shop_id FROM sync_run WHERE status = 'running'
            GROUP BY shop_id HAVING count(*) > 1) r)
         + (SELECT count(*)::int FROM (SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1
            AND objsubid = 2 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            GROUP BY objid HAVING count(*) > 1) l)
         + (SELECT count(*)::int FROM (SELECT group_id FROM pgboss.job WHERE name = $2 AND state = 'active'
            GROUP BY group_id HAVING count(*) > 1) j) AS doubled,
         (SELECT count(*)::int FROM sync_run WHERE status IN ('succeeded', 'partial', 'failed')) AS ended,
         (SELECT coalesce(max(heartbeat_at)::text, '') || '/' || count(*) FILTER (WHERE finished_at IS NOT NULL)
            FROM sync_run) AS mark`,
      [RUN_LOCK, syncQueue],
    );
    peakRunning = Math.max(peakRunning, s.running);
    peakRunLocks = Math.max(peakRunLocks, s.locks);
    doubleRunning += s.doubled;
    if (s.ended >= runs) break;
    if (s.mark !== lastMark) {
      lastMark = s.mark;
      lastChange = Date.now();
    }
    const gone = workers.find((w) => w.child.exitCode !== null || w.child.signalCode !== null);
    if (gone) throw new Error(`${gone.name} exited mid-run\n${tail(gone)}`);
    if (Date.now() - lastChange > STALL_MS) {
      const { rows: waits } = await pool.query<{ state: string; wait: string; n: number }>(
        `SELECT state, coalesce(wait_event_type || ':' || wait_event, '') AS wait, count(*)::int AS n
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
         GROUP BY 1, 2 ORDER BY 3 DESC`,
      );
      stalled =
        `stalled: no run progressed or ended for ${STALL_MS / 1000} s; ${s.ended} of ${runs} runs ended, ` +
        `${s.running} running, ${s.locks} run locks held, ${s.active} jobs active; the database's other sessions: ` +
        waits.map((w) => `${w.n} ${w.state}${w.wait ? ` (${w.wait})` : ""}`).join(", ");
      log(`fleet: ${stalled}`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
  }
  return { peakRunning, peakRunLocks, doubleRunning, stalled };
}

interface RunChecks {
  byShop: Map<string, SyncRun[]>;
  perShop: number[];
  succeeded: number;
  overlappingRuns: number;
  /** Runs the workers' logs reported ending, with how many times each. */
  reported: Map<number, number>;
  runsFinishedTwice: number;
}

/** One run per shop, succeeded, never two of one shop at once; what is not so goes into `failures`. */
function checkRuns(
  runs: SyncRun[],
  shops: FleetShop[],
  workers: NodeProcess[],
  doubleRunning: number,
  failures: string[],
): RunChecks {
  const byShop = new Map<string, SyncRun[]>();
  for (const r of runs) byShop.set(r.shop.domain, [...(byShop.get(r.shop.domain) ?? []), r]);
  const perShop = shops.map((s) => byShop.get(s.domain)?.length ?? 0);
  let overlappingRuns = 0;
  for (const list of byShop.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const [a, b] = [list[i], list[j]];
        const aEnd = a.finishedAt?.getTime() ?? Infinity;
        const bEnd = b.finishedAt?.getTime() ?? Infinity;
        if (a.startedAt && b.startedAt && a.startedAt.getTime() < bEnd && b.startedAt.getTime() < aEnd) {
          overlappingRuns++;
        }
      }
    }
  }
  const succeeded = runs.filter((r) => r.status === "succeeded").length;
  const unsucceeded = runs.filter((x) => x.status !== "succeeded");
  if (unsucceeded.length > 0) {
    const byStatus = new Map<string, number>();
    for (const r of unsucceeded) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    failures.push(
      `${unsucceeded.length} runs did not succeed: ${[...byStatus].map(([status, count]) => `${count} ${status}`).join(", ")}`,
    );
    for (const r of unsucceeded.filter((x) => x.error).slice(0, 3)) {
      failures.push(`${r.shop.domain}: run ${r.id} ${r.status}: ${r.error}`);
    }
  }
  if (perShop.some((n) => n !== 1))
    failures.push(`runs per shop ${Math.min(...perShop)}..${Math.max(...perShop)}, not 1`);
  if (doubleRunning > 0) failures.push(`a shop was seen running twice at once ${doubleRunning} times`);
  if (overlappingRuns > 0) failures.push(`${overlappingRuns} pairs of runs of one shop overlap in time`);
  // A run executed twice (by two workers, or twice by one) is reported twice in the workers' logs:
  // "shop: sync 12 succeeded", or a structured line {"msg":"sync finished","runId":12,…}.
  const reported = new Map<number, number>();
  for (const line of workers.flatMap((w) => [...w.lines, ...w.errors])) {
    const runId = finishedRun(line);
    if (runId !== null) reported.set(runId, (reported.get(runId) ?? 0) + 1);
  }
  const runsFinishedTwice = [...reported.values()].filter((n) => n > 1).length;
  if (runsFinishedTwice > 0) failures.push(`${runsFinishedTwice} runs were finished by a worker more than once`);
  return { byShop, perShop, succeeded, overlappingRuns, reported, runsFinishedTwice };
}

/** Every shop's rows against Shopify's; the shops that differ go into `failures`. */
async function checkExact(
  prisma: PrismaClient,
  sim: Simulator,
  shops: FleetShop[],
  stalled: string | null,
  failures: string[],
  totalsOf: typeof storedTotals,
): Promise<{ exactShops: number; ordersStored: number }> {
  let exactShops = 0;
  let ordersStored = 0;
  const inexact: string[] = [];
  for (const s of shops) {
    const stored = await totalsOf(prisma, s.domain);
    ordersStored += stored.counts.orders;
    const diff = differences(stored, await truthTotals(sim, s.domain));
    if (diff.length === 0) exactShops++;
    else inexact.push(`${s.domain} not exact: ${diff.join(", ")}`);
  }
  if (stalled && inexact.length > 0) {
    failures.push(`${inexact.length} shops not exact (their runs did not finish)`);
  } else {
    failures.push(...inexact.slice(0, 5));
    if (inexact.length > 5) failures.push(`… and ${inexact.length - 5} more shops not exact`);
  }
  return { exactShops, ordersStored };
}

/** How long the large (or small) shops waited for their run and when they finished, from `started`. */
function groupOf(
  spec: FleetSpec,
  shops: FleetShop[],
  byShop: Map<string, SyncRun[]>,
  large: boolean,
  started: number,
): Group {
  const members = shops.filter((s) => s.large === large);
  const rows = members.map((s) => byShop.get(s.domain)?.[0]).filter((r) => r !== undefined);
  const waits = rows.filter((r) => r.startedAt).map((r) => (r.startedAt!.getTime() - r.queuedAt.getTime()) / 1000);
  const finishes = rows.filter((r) => r.finishedAt).map((r) => (r.finishedAt!.getTime() - started) / 1000);
  const size = large ? spec.large : spec.small;
  return {
    shops: members.length,
    ordersEach: size.orders,
    waitP50: round(quantile(waits, 0.5), 2),
    waitMax: round(quantile(waits, 1), 2),
    finishMin: round(quantile(finishes, 0), 1),
    finishP50: round(quantile(finishes, 0.5), 1),
    finishMax: round(quantile(finishes, 1), 1),
    floorSeconds: floorOf(size).seconds,
  };
}

/** CPU time of the machine, the workers and the simulator, the database and this process while the fleet ran. */
interface FleetCpu {
  before: { busy: number; total: number; cores: number };
  after: { busy: number; total: number; cores: number };
  processBefore: number[];
  processAfter: number[];
  databaseSeconds: number | null;
  benchSeconds: number;
}

/** What the fleet's run measured and checked, reported as the bench's result. */
interface FleetRun {
  shops: FleetShop[];
  totalOrders: number;
  started: number;
  watched: Watched;
  cpu: FleetCpu;
  peakWorkerRssMb: number;
  runs: SyncRun[];
  wallSeconds: number;
  failures: string[];
  checks: RunChecks;
  jobRetries: number;
  exact: { exactShops: number; ordersStored: number };
  stats: { requests: number; throttled: number };
}

function fleetResult(spec: FleetSpec, run: FleetRun): FleetResult {
  const { shops, watched, cpu, runs, wallSeconds, failures, checks } = run;
  const { stalled } = watched;
  const { ordersStored, exactShops } = run.exact;
  const large = groupOf(spec, shops, checks.byShop, true, run.started);
  const small = groupOf(spec, shops, checks.byShop, false, run.started);
  const floorSeconds = Math.max(...shops.map((s) => floorOf(s.size).seconds));
  // Orders in the database at the end over the wall time (all of them unless the fleet stalled).
  const ordersPerSecond = ordersStored / wallSeconds;
  const ceilingOrdersPerSecond = shops.length * RATE * PAGE;
  const busy = cpu.after.busy - cpu.before.busy;
  const [workersSeconds, simulatorSeconds] = [
    cpu.processAfter.slice(0, -1).reduce((a, b) => a + b, 0) -
      cpu.processBefore.slice(0, -1).reduce((a, b) => a + b, 0),
    cpu.processAfter.at(-1)! - cpu.processBefore.at(-1)!,
  ];
  const { databaseSeconds, benchSeconds } = cpu;
  return {
    key: "fleet",
    name: `${shops.length} shops, pool of ${spec.workers} workers`,
    ok: failures.length === 0,
    failures,
    shops: shops.length,
    orders: run.totalOrders,
    ordersStored,
    workers: spec.workers,
    concurrencyPerWorker: spec.concurrency,
    wallSeconds: round(wallSeconds, 1)!,
    floorSeconds,
    stalled: stalled !== null,
    wallOverFloor: floorSeconds > 0 && !stalled ? round(wallSeconds / floorSeconds, 2) : null,
    ordersPerSecond: Math.round(ordersPerSecond),
    ceilingOrdersPerSecond,
    ceilingFraction: round(ordersPerSecond / ceilingOrdersPerSecond, 3)!,
    large,
    small,
    smallBeforeLarge:
      !stalled && small.finishMax !== null && large.finishMin !== null && small.finishMax <= large.finishMin,
    peakRunning: watched.peakRunning,
    peakRunLocks: watched.peakRunLocks,
    runs: {
      total: runs.length,
      succeeded: checks.succeeded,
      perShopMin: Math.min(...checks.perShop),
      perShopMax: Math.max(...checks.perShop),
    },
    doubleRunning: watched.doubleRunning,
    overlappingRuns: checks.overlappingRuns,
    runsFinishedTwice: checks.runsFinishedTwice,
    runsReportedByWorkers: checks.reported.size,
    jobRetries: run.jobRetries,
    requests: run.stats.requests,
    throttled: run.stats.throttled,
    exactShops,
    cpu: {
      machineBusyPercent: round((100 * busy) / (cpu.after.total - cpu.before.total), 0)!,
      cores: cpu.after.cores,
      workersSeconds: round(workersSeconds, 1)!,
      simulatorSeconds: round(simulatorSeconds, 1)!,
      databaseSeconds: round(databaseSeconds, 1),
      benchSeconds: round(benchSeconds, 1)!,
      otherSeconds: round(busy - workersSeconds - simulatorSeconds - (databaseSeconds ?? 0) - benchSeconds, 1)!,
      busySeconds: round(busy, 1)!,
      ordersPerCpuSecond: Math.round(ordersStored / busy),
    },
    peakWorkerRssMb: round(run.peakWorkerRssMb, 0)!,
  };
}

export async function runFleet(spec: FleetSpec, options: { log(message: string): void; verbose: boolean }) {
  const { log } = options;
  const url = process.env.DATABASE_URL!;
  const shops = fleetShops(spec);
  const totalOrders = shops.reduce((sum, s) => sum + s.size.orders, 0);

  log(`fleet: generating ${shops.length} stores (${totalOrders.toLocaleString("en")} orders) in the simulator …`);
  const sim = await startSimulator([
    ...shops.flatMap((s) => [
      "--shop",
      `${s.name}:seed=${s.seed},orders=${s.size.orders},customers=${s.size.customers},products=${s.size.products},plan=basic`,
    ]),
    "--app",
    `${API_KEY}:${API_SECRET}:${SCOPES}`,
  ]);
  const workers: NodeProcess[] = [];
  const { default: prisma, pool } = await import("../../app/db.server.ts");
  const { sessionStorage } = await import("../../app/shopify.server.ts");
  const { Session } = await import("@shopify/shopify-api");
  const { enqueueSync, startQueue, SYNC_QUEUE } = await import("../../app/ingest/jobs.server.ts");
  const { storedTotals } = await import("../../tests/support/ingest-harness.ts");
  const boss = await startQueue(url);
  try {
    // Installed as the app's afterAuth leaves a shop: its row and its offline session.
    for (const s of shops) {
      await prisma.shop.create({ data: { domain: s.domain, scopes: SCOPES } });
      await sessionStorage.storeSession(
        new Session({
          id: `offline_${s.domain}`,
          shop: s.domain,
          state: "installed",
          isOnline: false,
          scope: SCOPES,
          accessToken: sim.tokens.get(s.domain)!,
        }),
      );
    }
    await startWorkers(spec, sim, workers, options);

    const cpuBefore = machineCpu();
    const processCpu = () => [...workers.map((w) => w.pid), sim.process.pid].map((pid) => cpuSecondsOf(pid) ?? 0);
    const processCpuBefore = processCpu();
    const benchCpuBefore = process.cpuUsage();
    const databaseCpu = new DatabaseCpu(pool);
    await databaseCpu.start();
    log(`fleet: queueing one sync per shop …`);
    const started = Date.now();
    const enqueued = await Promise.all(shops.map((s) => enqueueSync(boss, prisma, s.domain, "install")));
    const runIds = new Set(enqueued.map((e) => e.run.id));
    const watched = await watchRuns(pool, SYNC_QUEUE, runIds.size, workers, log);
    const cpuAfter = machineCpu();
    const processCpuAfter = processCpu();
    const databaseSeconds = await databaseCpu.stop();
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const benchSeconds = (benchCpu.user + benchCpu.system) / 1e6;
    const peakWorkerRssMb = Math.max(...workers.map((w) => memoryOf(w.pid)?.peakMb ?? 0));

    const runs = await prisma.syncRun.findMany({
      include: { shop: { select: { domain: true } } },
      orderBy: { id: "asc" },
    });
    const lastFinish = Math.max(...runs.map((r) => r.finishedAt?.getTime() ?? 0));
    const wallSeconds = ((watched.stalled ? Date.now() : lastFinish) - started) / 1000;
    const failures: string[] = watched.stalled ? [watched.stalled] : [];
    const checks = checkRuns(runs, shops, workers, watched.doubleRunning, failures);
    const { rows: jobs } = await pool.query<{ retries: number; jobs: number }>(
      `SELECT coalesce(sum(retry_count), 0)::int AS retries, count(*)::int AS jobs FROM pgboss.job WHERE name = $1`,
      [SYNC_QUEUE],
    );
    // Every shop's rows equal to Shopify's.
    const exact = await checkExact(prisma, sim, shops, watched.stalled, failures, storedTotals);
    const stats = await controlOk<{ requests: number; throttled: number }>(sim, "GET", "stats");
    return fleetResult(spec, {
      shops,
      totalOrders,
      started,
      watched,
      cpu: {
        before: cpuBefore,
        after: cpuAfter,
        processBefore: processCpuBefore,
        processAfter: processCpuAfter,
        databaseSeconds,
        benchSeconds,
      },
      peakWorkerRssMb,
      runs,
      wallSeconds,
      failures,
      checks,
      jobRetries: jobs[0].retries,
      exact,
      stats,
    });
  } finally {
    // Workers first (each hands back a sync in flight), then the queue and what they talk to.
    await Promise.all(workers.map((w) => w.stop()));
    await boss.stop({ graceful: false }).catch(() => {});
    await sim.process.stop();
    await prisma.$disconnect();
  }
}
