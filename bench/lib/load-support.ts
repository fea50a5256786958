// Shared pieces of bench/load.ts: child processes of the project (simulator, workers, the app's
// server) with their output read line by line and their memory and CPU read from /proc, the
// simulator's control surface, figures (percentiles) and the comparison of a shop's rows with
// Shopify's truth.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Pool as PgPool } from "pg";
import { Agent, request, type Dispatcher } from "undici";
import { projectRoot } from "../../scripts/lib/database.ts";
import { simulatorDispatcher } from "../../simulator/dispatcher.ts";

// ------------------------------------------------------------------ child processes

export interface NodeProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Every stdout line so far. */
  lines: string[];
  /** Every stderr line so far. */
  errors: string[];
  /** Resolves with the first stdout line (already printed or to come) matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
/** Processes the children started (the app's remix-serve under scripts/start.ts). */
const adopted = new Set<number>();
let exitHookInstalled = false;

/** Whatever ends this process ends the children it started too, and theirs it was told of. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const endAll = () => {
    for (const child of running) child.kill("SIGTERM");
    for (const pid of adopted) signal(pid, "SIGKILL");
  };
  process.once("exit", endAll);
  for (const name of ["SIGINT", "SIGTERM"] as const) {
    process.once(name, () => {
      endAll();
      process.exit(130);
    });
  }
}

function signal(pid: number, name: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

export const isAlive = (pid: number) => signal(pid, 0);

/**
 * A grandchild (started by one of our children) to end with the rest: killed when this process
 * exits, and by `stopAdopted`.
 */
export function adopt(pid: number): void {
  installExitHook();
  adopted.add(pid);
}

/** Waits up to `graceMs` for an adopted process to end on its own, then kills it. */
export async function stopAdopted(pid: number, graceMs: number): Promise<void> {
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  signal(pid, "SIGKILL");
  adopted.delete(pid);
}

/** Runs `node [nodeArgs] script [args]` in the project with Node 24 (this process's). */
export function startNode(
  name: string,
  nodeArgs: string[],
  env: NodeJS.ProcessEnv,
  options: { echo?: boolean } = {},
): NodeProcess {
  installExitHook();
  const child = spawn(process.execPath, nodeArgs, {
    cwd: projectRoot,
    env: {
      ...env,
      // Scripts that start Node themselves (remix-serve's `#!/usr/bin/env node`) get this Node too.
      PATH: `${path.dirname(process.execPath)}:${path.join(projectRoot, "node_modules/.bin")}:${env.PATH ?? ""}`,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  const lines: string[] = [];
  const errors: string[] = [];
  const waiters: { pattern: RegExp; resolve(line: string): void }[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    lines.push(line);
    if (options.echo) process.stderr.write(`[${name}] ${line}\n`);
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  createInterface({ input: child.stderr! }).on("line", (line) => {
    errors.push(line);
    if (options.echo) process.stderr.write(`[${name}] ${line}\n`);
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve(signal ? null : code);
    }),
  );
  const proc: NodeProcess = {
    name,
    child,
    pid: child.pid!,
    lines,
    errors,
    exited,
    waitForLine(pattern, timeoutMs) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`${name}: no line matching ${pattern} within ${timeoutMs} ms\n${tail(proc)}`));
        }, timeoutMs);
        waiters.push({
          pattern,
          resolve: (line: string) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${name} exited (${code}) before printing ${pattern}\n${tail(proc)}`));
        });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      // A process that does not end within 40 s (a worker waits up to 30 s for its syncs) is killed.
      const killed = setTimeout(() => child.kill("SIGKILL"), 40_000);
      await exited;
      clearTimeout(killed);
    },
  };
  return proc;
}

/** The last lines a process printed, for an error message. */
export function tail(p: Pick<NodeProcess, "lines" | "errors">, count = 20): string {
  return [...p.lines.slice(-count), ...p.errors.slice(-count)].join("\n");
}

/** A TCP port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// ------------------------------------------------------------------ /proc

/** Peak (VmHWM) and current (VmRSS) resident memory of a process, in MB; null once it is gone. */
export function memoryOf(pid: number): { peakMb: number; rssMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, "m"))?.[1] ?? 0);
    return { peakMb: kb("VmHWM") / 1024, rssMb: kb("VmRSS") / 1024 };
  } catch {
    return null;
  }
}

const TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system, every thread) a process has used so far; null once it is gone. */
export function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name.
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return null;
  }
}

/** The machine's CPU time so far: busy and total, in seconds summed over every core. */
export function machineCpu(): { busy: number; total: number; cores: number } {
  const text = readFileSync("/proc/stat", "utf8");
  const [, ...numbers] = text.split("\n")[0].trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = numbers.map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  const cores = text.split("\n").filter((line) => /^cpu\d+ /.test(line)).length;
  return { busy: busy / TICKS, total: (busy + idle + iowait) / TICKS, cores };
}

/** The ids of a process's children. */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * CPU seconds of the PostgreSQL sessions of this pool's database (when the server runs on this
 * machine), sampled: each session's CPU from the first sample it is seen in to the last.
 */
export class DatabaseCpu {
  private readonly pool: PgPool;
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(pool: PgPool) {
    this.pool = pool;
  }

  /** Samples now; `baseline` counts the sessions already open from their present CPU time on. */
  async sample(baseline = false): Promise<void> {
    const { rows } = await this.pool.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database()",
    );
    for (const { pid } of rows) {
      const cpu = cpuSecondsOf(pid);
      if (cpu === null) continue;
      if (!this.first.has(pid)) this.first.set(pid, baseline ? cpu : 0);
      this.last.set(pid, cpu);
    }
  }

  start(everyMs = 250): Promise<void> {
    this.timer = setInterval(() => void this.sample().catch(() => {}), everyMs);
    return this.sample(true);
  }

  /** CPU seconds so far; null when no session's process could be read (a server elsewhere). */
  async stop(): Promise<number | null> {
    clearInterval(this.timer);
    await this.sample().catch(() => {});
    if (this.last.size === 0) return null;
    let total = 0;
    for (const [pid, cpu] of this.last) total += cpu - (this.first.get(pid) ?? 0);
    return total;
  }
}

// ------------------------------------------------------------------ the simulator in a process

export interface Simulator {
  process: NodeProcess;
  url: string;
  httpsUrl: string;
  /** The control surface's base URL, ending in `/`. */
  control: string;
  caFile: string;
  tokens: Map<string, string>;
  dispatcher(): Dispatcher;
}

/** The simulator CLI in a process of its own (as scripts/lib/simulator-process.ts, with its pid at hand). */
export async function startSimulator(args: string[]): Promise<Simulator> {
  const process_ = startNode("simulator", ["simulator/cli.ts", "--port", "0", "--https-port", "0", "--json", ...args], {
    ...process.env,
  });
  const line = await process_.waitForLine(/^\{/, 600_000);
  const info = JSON.parse(line) as {
    url: string;
    httpsUrl: string;
    control: string;
    certPaths: { ca: string };
    tokens: { shop: string; accessToken: string }[];
  };
  const caPem = readFileSync(info.certPaths.ca, "utf8");
  const https = new URL(info.httpsUrl);
  const http = new URL(info.url);
  return {
    process: process_,
    url: info.url,
    httpsUrl: info.httpsUrl,
    control: info.control,
    caFile: info.certPaths.ca,
    tokens: new Map(info.tokens.map((t) => [t.shop, t.accessToken])),
    dispatcher: () =>
      simulatorDispatcher({ host: https.hostname, httpsPort: Number(https.port), httpPort: Number(http.port), caPem }),
  };
}

/** For the control surface: many connections, and no time limit on a flush that waits for retries. */
export const controlAgent = new Agent({
  connections: 128,
  headersTimeout: 0,
  bodyTimeout: 0,
  keepAliveTimeout: 10_000,
});

/** A control-surface call: its status and its JSON body. */
export async function control<T>(
  sim: Simulator,
  method: "GET" | "POST" | "PUT" | "DELETE",
  pathname: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await request(`${sim.control}${pathname}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher: controlAgent,
  });
  const text = await response.body.text();
  return { status: response.statusCode, body: (text ? JSON.parse(text) : null) as T };
}

/** A control-surface call that must succeed. */
export async function controlOk<T>(
  sim: Simulator,
  method: "GET" | "POST" | "PUT" | "DELETE",
  pathname: string,
  body?: unknown,
): Promise<T> {
  const result = await control<T>(sim, method, pathname, body);
  if (result.status < 200 || result.status >= 300) {
    throw new Error(`${method} ${pathname}: ${result.status} ${JSON.stringify(result.body)}`);
  }
  return result.body;
}

// ------------------------------------------------------------------ figures

/** The q-quantile (0..1) of the values, nearest rank; null when there are none. */
export function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function round(value: number | null, digits = 1): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A deterministic generator of numbers in [0, 1) (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], next: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

// ------------------------------------------------------------------ rows against Shopify's truth

/** The simulator's ground truth in storedTotals' terms (tests/support/ingest-harness.ts truthTotals). */
export async function truthTotals(sim: Simulator, shop: string) {
  const truth = await controlOk<{
    counts: Record<
      "products" | "variants" | "customers" | "orders" | "lineItems" | "refunds" | "countedOrders",
      number
    >;
    totals: { gross: string; refunds: string; net: string };
  }>(sim, "GET", `shops/${shop}/truth`);
  return {
    counts: {
      products: truth.counts.products,
      variants: truth.counts.variants,
      customers: truth.counts.customers,
      orders: truth.counts.orders,
      lineItems: truth.counts.lineItems,
      refunds: truth.counts.refunds,
      countedOrders: truth.counts.countedOrders,
    },
    totals: { gross: truth.totals.gross, refunds: truth.totals.refunds, net: truth.totals.net },
  };
}

/** The figures of `a` that differ from `b` ("counts.orders 1999 ≠ 2000"), both nested one level. */
export function differences(
  stored: Record<string, Record<string, unknown>>,
  truth: Record<string, Record<string, unknown>>,
): string[] {
  const out: string[] = [];
  for (const [group, figures] of Object.entries(truth)) {
    for (const [key, value] of Object.entries(figures)) {
      const mine = stored[group]?.[key];
      if (String(mine) !== String(value)) out.push(`${group}.${key} ${String(mine)} ≠ ${String(value)}`);
    }
  }
  return out;
}

export const projectFile = (file: string) => path.join(projectRoot, file);
