// bench/load.ts, case "webhooks": one app instance (the production server, scripts/start.ts, in a
// process of its own) fed a burst of changes made at Shopify: mutations through the simulator's
// control surface at a fixed rate, which the simulator delivers as webhooks (signed with the app's
// secret, retried with backoff on a non-2xx answer, a connection error or an answer slower than 5 s,
// as Shopify does). Afterwards every order in the database is compared with Shopify's.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import type { Pool as PgPool } from "pg";
import { request, setGlobalDispatcher } from "undici";
import { projectRoot } from "../../scripts/lib/database.ts";
import { webhookSubscriptions } from "../../scripts/lib/webhook-subscriptions.ts";
import type { DeliveryRecord } from "../../simulator/types.ts";
import { API_KEY, API_SECRET } from "./bench-env.ts";
import { SCOPES } from "./load-fleet.ts";
import {
  adopt,
  childPids,
  control,
  controlOk,
  cpuSecondsOf,
  DatabaseCpu,
  differences,
  freePort,
  machineCpu,
  memoryOf,
  projectFile,
  quantile,
  random,
  round,
  shuffle,
  startNode,
  startSimulator,
  stopAdopted,
  tail,
  truthTotals,
  type NodeProcess,
  type Simulator,
} from "./load-support.ts";
import { apiVersion } from "../../app/lib/api-version.ts";

export interface BurstSpec {
  /** Mutations a second. */
  rate: number;
  seconds: number;
  orders: number;
  customers: number;
  products: number;
}

export const BURST_FULL: BurstSpec = { rate: 1000, seconds: 5, orders: 3_000, customers: 500, products: 50 };
export const BURST_QUICK: BurstSpec = { rate: 1000, seconds: 1, orders: 2_000, customers: 300, products: 30 };

/** The share of each mutation in the burst. */
const MIX = { create: 0.5, update: 0.25, refund: 0.1, cancel: 0.1, delete: 0.05 } as const;
type Kind = keyof typeof MIX;
const WARM_UP = 20;
const API_VERSION = apiVersion;

type Latency = { p50: number | null; p95: number | null; p99: number | null; max: number | null };

export interface WebhookResult {
  key: "webhooks";
  name: string;
  ok: boolean;
  failures: string[];
  mutations: number;
  mix: Record<Kind, number>;
  mutationsRefused: number;
  sendSeconds: number;
  mutationsPerSecond: number;
  /** Deliveries the simulator made to the app for the burst's mutations. */
  offered: number;
  topics: Record<string, number>;
  /** Seconds from the first delivery's first attempt to the last one's. */
  offerSeconds: number;
  offeredPerSecond: number;
  peakOfferedPerSecond: number;
  deliveredFirstAttempt: number;
  retried: number;
  /** The most attempts one webhook took (the simulator, as Shopify, gives up after 8). */
  mostAttempts: number;
  failed: number;
  pending: number;
  attemptStatuses: Record<string, number>;
  /** Delivery attempts made (first ones and retries). */
  attempts: number;
  /** Every attempt's duration (a timed-out one counts its 5 s). */
  latencyMs: Latency;
  firstAttemptLatencyMs: Latency;
  /** Attempts the app answered (any status) before the timeout. */
  answeredLatencyMs: Latency;
  /** Deliveries answered 2xx a second, from the first offer to the last answer; and the busiest second. */
  deliveredPerSecond: number;
  peakDeliveredPerSecond: number;
  /** Webhooks committed a second, from the first offer to the last commit (webhook_delivery.received_at). */
  processedPerSecond: number;
  processedSeconds: number;
  /** From a webhook's first offer to its effect in the database. */
  processingLagMs: Latency;
  /** From the last mutation sent to the last delivery settled. */
  drainSeconds: number;
  serverPeakRssMb: number;
  serverRssBeforeMb: number;
  serverCpuSeconds: number;
  /** The server's CPU time per delivery attempt (a timed-out attempt is usually still processed). */
  serverCpuMsPerAttempt: number;
  cpu: {
    busySeconds: number;
    serverSeconds: number;
    simulatorSeconds: number;
    databaseSeconds: number | null;
    benchSeconds: number;
    otherSeconds: number;
    cores: number;
  };
  machineBusyPercent: number;
  exact: { orders: number; lost: number; extra: number; mismatched: number; examples: string[]; totals: boolean };
}

interface RestOrder {
  id: number;
  updated_at: string;
  cancelled_at: string | null;
  financial_status: string | null;
  total_price: string;
  refunds: { transactions?: { kind: string; status: string; amount: string }[] }[];
}

/** Waits until the app's server answers HTTP (any status) at `url`. */
async function untilListening(url: string, server: NodeProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(`the app's server exited before listening\n${tail(server)}`);
    }
    try {
      const response = await request(url, { method: "GET", headersTimeout: 2_000, bodyTimeout: 2_000 });
      await response.body.dump();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`the app's server did not listen at ${url}\n${tail(server)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

const cents = (money: string | number) => Math.round(Number(money) * 100);
const sameInstant = (a: string | Date | null, b: string | Date | null) =>
  a === null || b === null ? a === b : new Date(a).getTime() === new Date(b).getTime();

type Log = (message: string) => void;
type Kinds = Record<Kind, number>;
type Op = { kind: Kind; method: "POST" | "PUT" | "DELETE"; path: string; body?: unknown };
type TargetOrder = { id: string; financial_status: string | null; cancelled: boolean };

/** An order as the database holds it, in the terms of the comparison with Shopify's. */
interface StoredOrder {
  id: string;
  updated_at: Date;
  cancelled_at: Date | null;
  financial_status: string | null;
  total_price: string;
  total_refunded: string;
  refunds: number;
}

const latencyOf = (durations: number[]): Latency => ({
  p50: quantile(durations, 0.5),
  p95: quantile(durations, 0.95),
  p99: quantile(durations, 0.99),
  max: quantile(durations, 1),
});

/** Builds the app when there is no build yet: the production server serves the build. */
function buildIfMissing(log: Log): void {
  if (existsSync(projectFile("build/server/index.js"))) return;
  log("webhooks: no build found, building the app …");
  const build = spawnSync(projectFile("node_modules/.bin/remix"), ["vite:build"], {
    cwd: projectRoot,
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (build.status !== 0) throw new Error("the build failed");
}

/** The production server, as `npm start` runs it, with *.myshopify.com reaching the simulator. */
function startAppServer(sim: Simulator, port: number, appUrl: string, verbose: boolean): NodeProcess {
  return startNode(
    "app",
    ["scripts/start.ts"],
    {
      ...process.env,
      PORT: String(port),
      NODE_ENV: "production",
      SHOPIFY_APP_URL: appUrl,
      SYNC_WORKER: "off",
      SIMULATOR_HTTPS_PORT: new URL(sim.httpsUrl).port,
      SIMULATOR_CA_FILE: sim.caFile,
      LOG_FORMAT: "json",
      LOG_LEVEL: "info",
      // Both scripts/start.ts and the remix-serve process it starts.
      // BENCH_APP_NODE_OPTIONS: more Node options for the server (e.g. `--cpu-prof --cpu-prof-dir=DIR`).
      NODE_OPTIONS: `--import ${projectFile("scripts/lib/shopify-network.ts")} ${process.env.BENCH_APP_NODE_OPTIONS ?? ""}`,
    },
    { echo: verbose },
  );
}

/** The process that serves: scripts/start.ts itself, or (earlier versions) the remix-serve it starts. */
function servingPid(server: NodeProcess): number {
  return (
    childPids(server.pid).find((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("remix-serve");
      } catch {
        return false;
      }
    }) ?? server.pid
  );
}

/** The shop's records the burst changes. */
async function burstTargets(
  pool: PgPool,
  shopId: number,
): Promise<{ orders: TargetOrder[]; variants: { id: string }[]; customers: { id: string }[] }> {
  const { rows: orders } = await pool.query<TargetOrder>(
    `SELECT id::text, financial_status, cancelled_at IS NOT NULL AS cancelled FROM "order" WHERE shop_id = $1 ORDER BY id`,
    [shopId],
  );
  const { rows: variants } = await pool.query<{ id: string }>(
    "SELECT id::text FROM product_variant WHERE shop_id = $1 ORDER BY id LIMIT 200",
    [shopId],
  );
  const { rows: customers } = await pool.query<{ id: string }>(
    "SELECT id::text FROM customer WHERE shop_id = $1 ORDER BY id LIMIT 200",
    [shopId],
  );
  return { orders, variants, customers };
}

/** A warm server, as a live one is: a few changes delivered before the burst. Returns their deliveries' ids. */
async function warmUp(
  sim: Simulator,
  shop: string,
  orders: TargetOrder[],
  pick: <T>(items: T[]) => T,
  server: NodeProcess,
): Promise<Set<string>> {
  for (let i = 0; i < WARM_UP; i++) {
    await controlOk(sim, "PUT", `shops/${shop}/orders/${pick(orders).id}`, { note: `warm-up ${i}` });
  }
  await controlOk(sim, "POST", "webhooks/flush");
  const warmed = await controlOk<DeliveryRecord[]>(sim, "GET", `webhooks/deliveries?shop=${shop}`);
  const notDelivered = warmed.filter((d) => d.state !== "delivered");
  if (notDelivered.length > 0) {
    throw new Error(
      `the app did not take the warm-up webhooks: ${JSON.stringify(notDelivered[0].attempts)}\n${tail(server)}`,
    );
  }
  return new Set(warmed.map((d) => d.id));
}

/**
 * The burst: each kind's share, targets drawn without overlap where one change would refuse another
 * (a deleted order cannot be refunded; an order is cancelled once), updates anywhere but on deleted ones.
 */
function planBurst(
  shop: string,
  total: number,
  targets: Awaited<ReturnType<typeof burstTargets>>,
  next: () => number,
  pick: <T>(items: T[]) => T,
): { ops: Op[]; counts: Kinds } {
  const { orders, variants, customers } = targets;
  const counts = Object.fromEntries(
    (Object.keys(MIX) as Kind[]).map((kind) => [kind, Math.round(total * MIX[kind])]),
  ) as Kinds;
  counts.create += total - Object.values(counts).reduce((a, b) => a + b, 0);
  const open = shuffle(
    orders.filter((o) => o.financial_status === "paid" && !o.cancelled),
    next,
  );
  if (open.length < counts.refund + counts.cancel + counts.delete) {
    throw new Error(`the shop has ${open.length} paid orders: too few for the burst's refunds, cancels and deletes`);
  }
  const refunded = open.splice(0, counts.refund);
  const cancelled = open.splice(0, counts.cancel);
  const deleted = open.splice(0, counts.delete).map((o) => o.id);
  const gone = new Set(deleted);
  const updatable = orders.filter((o) => !gone.has(o.id));
  const ops: Op[] = [];
  for (let i = 0; i < counts.create; i++) {
    ops.push({
      kind: "create",
      method: "POST",
      path: `shops/${shop}/orders`,
      body: {
        line_items: [{ variant_id: Number(pick(variants).id), quantity: 1 + Math.floor(next() * 3) }],
        // Half of them a known customer's (Shopify then sends customers/update too), half guests'.
        ...(i % 2 === 0 ? { customer_id: Number(pick(customers).id) } : {}),
        tags: "burst",
      },
    });
  }
  for (let i = 0; i < counts.update; i++) {
    const body = i % 2 === 0 ? { tags: `burst-${i}` } : { note: `burst note ${i}` };
    ops.push({ kind: "update", method: "PUT", path: `shops/${shop}/orders/${pick(updatable).id}`, body });
  }
  for (const o of refunded)
    ops.push({ kind: "refund", method: "POST", path: `shops/${shop}/orders/${o.id}/refund`, body: {} });
  for (const o of cancelled) {
    ops.push({
      kind: "cancel",
      method: "POST",
      path: `shops/${shop}/orders/${o.id}/cancel`,
      body: { reason: "customer" },
    });
  }
  for (const id of deleted) ops.push({ kind: "delete", method: "DELETE", path: `shops/${shop}/orders/${id}` });
  shuffle(ops, next);
  return { ops, counts };
}

/** What sending the burst and draining its deliveries took: times, refusals, CPU and memory. */
interface Sent {
  refusals: string[];
  start: number;
  sentAt: number;
  drainedAt: number;
  machineBefore: { busy: number; total: number; cores: number };
  machineAfter: { busy: number; total: number; cores: number };
  databaseSeconds: number | null;
  serverCpuSeconds: number;
  simulatorSeconds: number;
  benchSeconds: number;
  busySeconds: number;
  serverRssBeforeMb: number;
  serverPeakRssMb: number;
}

/** Sends the mutations on schedule (the schedule, not the answers, sets the pace) and waits for every delivery to settle. */
async function sendBurst(
  sim: Simulator,
  pool: PgPool,
  spec: BurstSpec,
  ops: Op[],
  total: number,
  serverPid: number,
  log: Log,
): Promise<Sent> {
  const serverRssBeforeMb = memoryOf(serverPid)?.rssMb ?? 0;
  const serverCpuBefore = cpuSecondsOf(serverPid) ?? 0;
  const simulatorCpuBefore = cpuSecondsOf(sim.process.pid) ?? 0;
  const benchCpuBefore = process.cpuUsage();
  const machineBefore = machineCpu();
  const databaseCpu = new DatabaseCpu(pool);
  await databaseCpu.start();
  log(`webhooks: ${total.toLocaleString("en")} mutations at ${spec.rate}/s for ${spec.seconds} s …`);
  const refusals: string[] = [];
  const sending: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < ops.length;) {
    const now = performance.now();
    // Every mutation whose time has come goes out now: the schedule, not the answers, sets the pace.
    while (i < ops.length && start + (i * 1000) / spec.rate <= now) {
      const op = ops[i++];
      sending.push(
        control(sim, op.method, op.path, op.body).then(
          (answer) => {
            if (answer.status >= 300)
              refusals.push(`${op.kind} ${op.path}: ${answer.status} ${JSON.stringify(answer.body)}`);
          },
          (error: Error) => void refusals.push(`${op.kind} ${op.path}: ${error.message}`),
        ),
      );
    }
    if (i < ops.length)
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + (i * 1000) / spec.rate - now)));
  }
  const sentAt = performance.now();
  await Promise.all(sending);
  log(`webhooks: mutations sent; waiting for every delivery to settle …`);
  await controlOk(sim, "POST", "webhooks/flush");
  const drainedAt = performance.now();
  const machineAfter = machineCpu();
  const databaseSeconds = await databaseCpu.stop();
  const serverCpuSeconds = (cpuSecondsOf(serverPid) ?? serverCpuBefore) - serverCpuBefore;
  const simulatorSeconds = (cpuSecondsOf(sim.process.pid) ?? simulatorCpuBefore) - simulatorCpuBefore;
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const benchSeconds = (benchCpu.user + benchCpu.system) / 1e6;
  const busySeconds = machineAfter.busy - machineBefore.busy;
  const serverPeakRssMb = memoryOf(serverPid)?.peakMb ?? 0;
  return {
    refusals,
    start,
    sentAt,
    drainedAt,
    machineBefore,
    machineAfter,
    databaseSeconds,
    serverCpuSeconds,
    simulatorSeconds,
    benchSeconds,
    busySeconds,
    serverRssBeforeMb,
    serverPeakRssMb,
  };
}

/** Deliveries of the burst: offered, delivered first time, retried, failed for good, and when each took effect. */
async function settledDeliveries(sim: Simulator, pool: PgPool, shop: string, warmIds: Set<string>) {
  const deliveries = (await controlOk<DeliveryRecord[]>(sim, "GET", `webhooks/deliveries?shop=${shop}`)).filter(
    (d) => !warmIds.has(d.id),
  );
  const firstAt = deliveries.map((d) => Date.parse(d.attempts[0]?.at ?? "")).filter(Number.isFinite);
  const offerStart = Math.min(...firstAt);
  const offerSeconds = (Math.max(...firstAt) - offerStart) / 1000;
  const perSecond = new Map<number, number>();
  for (const at of firstAt) {
    const second = Math.floor((at - offerStart) / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  }
  const attemptStatuses: Record<string, number> = {};
  for (const attempt of deliveries.flatMap((d) => d.attempts)) {
    const label =
      attempt.status !== null ? String(attempt.status) : attempt.error?.startsWith("timeout") ? "timeout" : "error";
    attemptStatuses[label] = (attemptStatuses[label] ?? 0) + 1;
  }
  const topics: Record<string, number> = {};
  for (const d of deliveries) topics[d.topic] = (topics[d.topic] ?? 0) + 1;
  const attempts = deliveries.flatMap((d) => d.attempts);
  // When each delivery was answered with a 2xx, per second: the rate the app got through them.
  const answeredAt = attempts
    .filter((a) => a.status !== null && a.status >= 200 && a.status < 300)
    .map((a) => Date.parse(a.at) + a.durationMs);
  const answeredPerSecond = new Map<number, number>();
  for (const at of answeredAt) {
    const second = Math.floor((at - offerStart) / 1000);
    answeredPerSecond.set(second, (answeredPerSecond.get(second) ?? 0) + 1);
  }
  const lastAnswer = Math.max(...answeredAt);
  // When the app committed each webhook's effect (its webhook_delivery row, written in the same
  // transaction): how far behind Shopify's offer the database was.
  const { rows: received } = await pool.query<{ webhook_id: string; at: Date }>(
    "SELECT webhook_id, received_at AS at FROM webhook_delivery WHERE shop = $1",
    [shop],
  );
  const receivedAt = new Map(received.map((row) => [row.webhook_id, row.at.getTime()]));
  const lags: number[] = [];
  let unrecorded = 0;
  for (const d of deliveries) {
    const at = receivedAt.get(d.webhookId);
    if (at === undefined) unrecorded++;
    else lags.push(at - Date.parse(d.attempts[0].at));
  }
  const processedAt = deliveries.map((d) => receivedAt.get(d.webhookId)).filter((at) => at !== undefined);
  const lastProcessed = Math.max(...processedAt);
  const failed = deliveries.filter((d) => d.state === "failed").length;
  const pending = deliveries.filter((d) => d.state === "pending").length;
  return {
    deliveries,
    offerStart,
    offerSeconds,
    perSecond,
    attemptStatuses,
    topics,
    attempts,
    answeredAt,
    answeredPerSecond,
    lastAnswer,
    lags,
    unrecorded,
    processedAt,
    lastProcessed,
    failed,
    pending,
  };
}
type Settled = Awaited<ReturnType<typeof settledDeliveries>>;

/** What of a stored order differs from Shopify's ("total_price 10.00 ≠ 12.00"). */
function orderDifferences(row: StoredOrder, theirs: RestOrder): string[] {
  const refundedCents = theirs.refunds
    .flatMap((r) => r.transactions ?? [])
    .filter((t) => t.kind === "refund" && t.status === "success")
    .reduce((sum, t) => sum + cents(t.amount), 0);
  return [
    !sameInstant(row.updated_at, theirs.updated_at) &&
      `updated_at ${row.updated_at.toISOString()} ≠ ${theirs.updated_at}`,
    !sameInstant(row.cancelled_at, theirs.cancelled_at) &&
      `cancelled_at ${row.cancelled_at?.toISOString()} ≠ ${theirs.cancelled_at}`,
    row.financial_status !== theirs.financial_status &&
      `financial_status ${row.financial_status} ≠ ${theirs.financial_status}`,
    cents(row.total_price) !== cents(theirs.total_price) && `total_price ${row.total_price} ≠ ${theirs.total_price}`,
    cents(row.total_refunded) !== refundedCents && `refunded ${row.total_refunded} ≠ ${refundedCents / 100}`,
    row.refunds !== theirs.refunds.length && `refunds ${row.refunds} ≠ ${theirs.refunds.length}`,
  ].filter((d): d is string => typeof d === "string");
}

/** Every order at Shopify, page by page as the Admin API serves it, against the database's rows. */
async function compareOrders(pool: PgPool, shopId: number, shop: string, token: string, log: Log) {
  log(`webhooks: comparing every order with Shopify's …`);
  const shopify = new Map<string, RestOrder>();
  let url: string | null =
    `https://${shop}/admin/api/${API_VERSION}/orders.json?status=any&limit=250` +
    "&fields=id,updated_at,cancelled_at,financial_status,total_price,refunds";
  while (url) {
    const response: Response = await fetch(url, { headers: { "X-Shopify-Access-Token": token } });
    if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
    for (const o of ((await response.json()) as { orders: RestOrder[] }).orders) shopify.set(String(o.id), o);
    url = response.headers.get("link")?.match(/<([^>]+)>;\s*rel="next"/)?.[1] ?? null;
  }
  const { rows: stored } = await pool.query<StoredOrder>(
    `SELECT o.id::text, o.shopify_updated_at AS updated_at, o.cancelled_at, o.financial_status,
            o.total_price::text, o.total_refunded::text,
            (SELECT count(*)::int FROM refund r WHERE r.shop_id = o.shop_id AND r.order_id = o.id) AS refunds
     FROM "order" o WHERE o.shop_id = $1`,
    [shopId],
  );
  const mine = new Map(stored.map((row) => [row.id, row]));
  const lost = [...shopify.keys()].filter((id) => !mine.has(id));
  const extra = [...mine.keys()].filter((id) => !shopify.has(id));
  const examples: string[] = [...lost.slice(0, 3).map((id) => `order ${id} missing`)];
  examples.push(...extra.slice(0, 3).map((id) => `order ${id} deleted at Shopify, still stored`));
  let mismatched = 0;
  for (const [id, theirs] of shopify) {
    const row = mine.get(id);
    if (!row) continue;
    const diff = orderDifferences(row, theirs);
    if (diff.length > 0) {
      mismatched++;
      if (examples.length < 6) examples.push(`order ${id}: ${diff.join(", ")}`);
    }
  }
  return { orders: shopify.size, lost, extra, mismatched, examples };
}
type Compared = Awaited<ReturnType<typeof compareOrders>>;

function burstFailures(settled: Settled, compared: Compared, totalsDiff: string[]): string[] {
  const { unrecorded, failed, pending } = settled;
  const { lost, extra, mismatched, examples } = compared;
  const failures: string[] = [];
  if (unrecorded > 0) failures.push(`${unrecorded} webhooks acknowledged or failed without their delivery recorded`);
  if (failed > 0) failures.push(`${failed} webhooks failed for good (every attempt refused or timed out)`);
  if (pending > 0) failures.push(`${pending} webhooks still pending after the flush`);
  if (lost.length > 0) failures.push(`${lost.length} orders at Shopify missing from the database`);
  if (extra.length > 0) failures.push(`${extra.length} orders deleted at Shopify still in the database`);
  if (mismatched > 0) failures.push(`${mismatched} orders differ from Shopify's: ${examples.slice(0, 3).join("; ")}`);
  if (totalsDiff.length > 0) failures.push(`shop totals differ from the truth: ${totalsDiff.join(", ")}`);
  return failures;
}

function burstResult(
  spec: BurstSpec,
  plan: { ops: Op[]; counts: Kinds },
  sent: Sent,
  settled: Settled,
  compared: Compared,
  totalsOk: boolean,
  failures: string[],
): WebhookResult {
  const { ops, counts } = plan;
  const { start, sentAt, serverCpuSeconds, simulatorSeconds, databaseSeconds, benchSeconds, busySeconds } = sent;
  const { machineBefore, machineAfter } = sent;
  const { deliveries, attempts, offerStart, offerSeconds, answeredAt, lastAnswer, processedAt, lastProcessed } =
    settled;
  const offered = deliveries.length;
  return {
    key: "webhooks",
    name: `webhook burst ${spec.rate.toLocaleString("en")}/s`,
    ok: failures.length === 0,
    failures,
    mutations: ops.length,
    mix: counts,
    mutationsRefused: sent.refusals.length,
    sendSeconds: round((sentAt - start) / 1000, 2)!,
    mutationsPerSecond: Math.round(ops.length / ((sentAt - start) / 1000 + 1 / spec.rate)),
    offered,
    topics: settled.topics,
    offerSeconds: round(offerSeconds, 2)!,
    offeredPerSecond: Math.round(offered / Math.max(offerSeconds, 1 / spec.rate)),
    peakOfferedPerSecond: Math.max(...settled.perSecond.values()),
    deliveredFirstAttempt: deliveries.filter((d) => d.state === "delivered" && d.attempts.length === 1).length,
    retried: deliveries.filter((d) => d.attempts.length > 1).length,
    mostAttempts: Math.max(...deliveries.map((d) => d.attempts.length)),
    failed: settled.failed,
    pending: settled.pending,
    attemptStatuses: settled.attemptStatuses,
    attempts: attempts.length,
    latencyMs: latencyOf(attempts.map((a) => a.durationMs)),
    firstAttemptLatencyMs: latencyOf(deliveries.map((d) => d.attempts[0]?.durationMs ?? 0)),
    answeredLatencyMs: latencyOf(attempts.filter((a) => a.status !== null).map((a) => a.durationMs)),
    deliveredPerSecond: Math.round(answeredAt.length / Math.max((lastAnswer - offerStart) / 1000, 1 / spec.rate)),
    peakDeliveredPerSecond: Math.max(...settled.answeredPerSecond.values()),
    processedPerSecond: Math.round(processedAt.length / Math.max((lastProcessed - offerStart) / 1000, 1 / spec.rate)),
    processedSeconds: round((lastProcessed - offerStart) / 1000, 2)!,
    processingLagMs: latencyOf(settled.lags),
    drainSeconds: round((sent.drainedAt - sentAt) / 1000, 2)!,
    serverPeakRssMb: round(sent.serverPeakRssMb, 0)!,
    serverRssBeforeMb: round(sent.serverRssBeforeMb, 0)!,
    serverCpuSeconds: round(serverCpuSeconds, 1)!,
    serverCpuMsPerAttempt: round((1000 * serverCpuSeconds) / Math.max(1, attempts.length), 2)!,
    cpu: {
      busySeconds: round(busySeconds, 1)!,
      serverSeconds: round(serverCpuSeconds, 1)!,
      simulatorSeconds: round(simulatorSeconds, 1)!,
      databaseSeconds: round(databaseSeconds, 1),
      benchSeconds: round(benchSeconds, 1)!,
      otherSeconds: round(
        busySeconds - serverCpuSeconds - simulatorSeconds - (databaseSeconds ?? 0) - benchSeconds,
        1,
      )!,
      cores: machineAfter.cores,
    },
    machineBusyPercent: round(
      (100 * (machineAfter.busy - machineBefore.busy)) / (machineAfter.total - machineBefore.total),
      0,
    )!,
    exact: {
      orders: compared.orders,
      lost: compared.lost.length,
      extra: compared.extra.length,
      mismatched: compared.mismatched,
      examples: compared.examples,
      totals: totalsOk,
    },
  };
}

export async function runWebhookBurst(spec: BurstSpec, options: { log(message: string): void; verbose: boolean }) {
  const { log } = options;
  const shop = "burst.myshopify.com";
  const total = Math.round(spec.rate * spec.seconds);
  // Enough paid orders for the refunds, cancels and deletes (about 85% of generated orders are paid).
  const storeOrders = Math.max(spec.orders, Math.ceil(((MIX.refund + MIX.cancel + MIX.delete) * total) / 0.7));
  const sim = await startSimulator([
    "--no-rate-limits",
    "--shop",
    `burst:seed=4242,orders=${storeOrders},customers=${spec.customers},products=${spec.products},plan=basic`,
    "--app",
    `${API_KEY}:${API_SECRET}:${SCOPES}`,
  ]);
  // This process reaches the shop (its import, the REST pages compared at the end) as the app does.
  setGlobalDispatcher(sim.dispatcher());
  const token = sim.tokens.get(shop)!;
  let server: NodeProcess | undefined;
  let serverPid: number | undefined;
  const { default: prisma, pool } = await import("../../app/db.server.ts");
  try {
    const { sessionStorage } = await import("../../app/shopify.server.ts");
    const { Session } = await import("@shopify/shopify-api");
    const { runSync } = await import("../../app/ingest/sync.server.ts");
    const { storedTotals } = await import("../../tests/support/ingest-harness.ts");

    // Installed and imported: the shop's row, its offline session and a first sync.
    const { id: shopId } = await prisma.shop.create({ data: { domain: shop, scopes: SCOPES } });
    await sessionStorage.storeSession(
      new Session({
        id: `offline_${shop}`,
        shop,
        state: "installed",
        isOnline: false,
        scope: SCOPES,
        accessToken: token,
      }),
    );
    log(`webhooks: importing ${shop} (${storeOrders.toLocaleString("en")} orders) …`);
    const imported = await runSync({ db: prisma, pool, token: { get: async () => token } }, { shop, trigger: "cli" });
    if (imported.status !== "succeeded") throw new Error(`the import ended ${imported.status}: ${imported.error}`);

    buildIfMissing(log);
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    log(`webhooks: starting the app's server at ${appUrl} …`);
    server = startAppServer(sim, port, appUrl, options.verbose);
    await untilListening(appUrl, server, 120_000);
    serverPid = servingPid(server);
    if (serverPid !== server.pid) adopt(serverPid);
    await controlOk(sim, "PUT", `apps/${API_KEY}/webhooks`, { subscriptions: webhookSubscriptions(appUrl) });

    const targets = await burstTargets(pool, shopId);
    const next = random(20261126);
    const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
    const warmIds = await warmUp(sim, shop, targets.orders, pick, server);
    const plan = planBurst(shop, total, targets, next, pick);
    const sent = await sendBurst(sim, pool, spec, plan.ops, total, serverPid, log);
    if (server.child.exitCode !== null) throw new Error(`the app's server exited during the burst\n${tail(server)}`);

    const settled = await settledDeliveries(sim, pool, shop, warmIds);
    const compared = await compareOrders(pool, shopId, shop, token, log);
    const totalsDiff = differences(await storedTotals(prisma, shop), await truthTotals(sim, shop));
    const failures = burstFailures(settled, compared, totalsDiff);
    if (sent.refusals.length > 0)
      log(`webhooks: the simulator refused ${sent.refusals.length} mutations, e.g. ${sent.refusals[0]}`);
    return burstResult(spec, plan, sent, settled, compared, totalsDiff.length === 0, failures);
  } finally {
    // SIGTERM stops the server (scripts/start.ts drains its requests, or passes the signal on to
    // remix-serve); a remix-serve still running 15 s later is killed.
    if (server) {
      server.child.kill("SIGTERM");
      if (serverPid && serverPid !== server.pid) await stopAdopted(serverPid, 15_000);
      await server.stop();
    }
    await sim.process.stop();
    await prisma.$disconnect();
  }
}
