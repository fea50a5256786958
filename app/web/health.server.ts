import pg from "pg";
import { env } from "../lib/env.server.ts";
import { log } from "../lib/log.server.ts";
import { queue } from "../ingest/background.server.ts";
import { SYNC_QUEUE } from "../ingest/jobs.server.ts";

// Readiness: can this process serve? Its database answers, and its job queue (pg-boss, in the same
// PostgreSQL) is connected with the sync queue in place. Answers carry a short reason per check,
// never an error's text, a stack or a connection string; the details go to the log.

const CHECK_TIMEOUT_MS = 2_000;

export interface CheckResult {
  status: "ok" | "failed";
  latencyMs: number;
  reason?: string;
}

export interface Readiness {
  status: "ready" | "unavailable";
  checks: { database: CheckResult; queue: CheckResult };
}

declare global {
  // A pool of its own, so that syncs holding the app's connections never make the process look down.
  var healthPoolGlobal: pg.Pool | undefined;
  var appStoppingGlobal: boolean | undefined;
}

class TimedOut extends Error {}

/** A check that reached its target and did not like the answer. */
class Refused extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.reason = reason;
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut()), ms);
  });
  work.catch(() => {}); // a late failure after the timeout is not unhandled
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host not found",
  ETIMEDOUT: "connection timed out",
  "28P01": "authentication failed",
  "28000": "authentication failed",
  "3D000": "database does not exist",
  "3F000": "job queue schema missing",
  "42P01": "job queue tables missing",
  "57P01": "database shutting down",
  "57P03": "database starting up",
  "53300": "too many connections",
};

// A pooled connection the server (or the network) dropped while idle fails once, then reconnects.
const lostConnection = (error: unknown) => /Connection terminated|ECONNRESET|EPIPE/i.test(String(error));

async function retryLostConnection(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!lostConnection(error)) throw error;
    await work();
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof TimedOut) return `no answer within ${CHECK_TIMEOUT_MS} ms`;
  if (error instanceof Refused) return error.reason;
  const codes = [error, (error as { cause?: unknown })?.cause, ...((error as { errors?: unknown[] })?.errors ?? [])];
  for (const candidate of codes) {
    const code = (candidate as { code?: unknown })?.code;
    if (typeof code === "string" && REASONS[code]) return REASONS[code];
  }
  return lostConnection(error) ? "connection lost" : "unavailable";
}

async function check(name: string, work: () => Promise<void>): Promise<CheckResult> {
  const started = performance.now();
  const latencyMs = () => Math.round(performance.now() - started);
  try {
    await withTimeout(work(), CHECK_TIMEOUT_MS);
    return { status: "ok", latencyMs: latencyMs() };
  } catch (error) {
    const reason = reasonOf(error);
    log.warn("readiness check failed", { check: name, reason, error });
    return { status: "failed", latencyMs: latencyMs(), reason };
  }
}

function healthPool(): pg.Pool {
  if (!globalThis.healthPoolGlobal) {
    const pool = new pg.Pool({
      connectionString: env().DATABASE_URL,
      max: 2,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: CHECK_TIMEOUT_MS,
      application_name: "store-insights-health",
    });
    pool.on("error", () => {}); // an idle connection the server dropped; the next check reconnects
    globalThis.healthPoolGlobal = pool;
  }
  return globalThis.healthPoolGlobal;
}

export async function readiness(): Promise<Readiness> {
  if (globalThis.appStoppingGlobal) {
    const stopping: CheckResult = { status: "failed", latencyMs: 0, reason: "shutting down" };
    return { status: "unavailable", checks: { database: stopping, queue: stopping } };
  }
  const [database, queueCheck] = await Promise.all([
    check("database", () =>
      retryLostConnection(async () => {
        await healthPool().query("SELECT 1");
      }),
    ),
    check("queue", () =>
      retryLostConnection(async () => {
        // Connects the process's queue on first use, as a sync request would.
        const boss = await queue();
        if (!(await boss.getQueue(SYNC_QUEUE))) throw new Refused("sync queue missing");
      }),
    ),
  ]);
  const ready = database.status === "ok" && queueCheck.status === "ok";
  return { status: ready ? "ready" : "unavailable", checks: { database, queue: queueCheck } };
}

/** From now on readiness answers 503, so load balancers stop sending requests (shutdown). */
export function markStopping(): void {
  globalThis.appStoppingGlobal = true;
}

export async function closeHealthPool(): Promise<void> {
  const pool = globalThis.healthPoolGlobal;
  globalThis.healthPoolGlobal = undefined;
  await pool?.end().catch(() => {});
}
