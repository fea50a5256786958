import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PgBoss } from "pg-boss";
import prisma from "../../app/db.server.ts";
import { enqueueSync, startQueue } from "../../app/ingest/jobs.server.ts";
import { findOrQueueRun } from "../../app/ingest/sync-run.server.ts";
import { STOPPED_FROM_CLI } from "../../app/ingest/sync-errors.ts";
import { explainSyncError } from "../../app/insights/syncs.server.ts";
import { SealedSessionStorage } from "../../app/lib/sealed-session-storage.server.ts";
import { tokenKeyring } from "../../app/lib/token-encryption.server.ts";
import { apiVersion } from "../../app/lib/api-version.ts";
import { expectStructured, killProcesses, startProcess, type AppProcess } from "../support/app-process.ts";
import { offlineSession, storeOfflineSession } from "../support/embedded.ts";
import { startHarness, storedTotals, truthTotals, type Harness } from "../support/ingest-harness.ts";

// A shop whose offline session is missing or cannot be opened (the key changed) fails its sync at
// once, naming the cause and the fix, and frees the worker for the next shop; and `npm run sync`, for
// an operator on a machine without a worker.

let h: Harness;
let boss: PgBoss;

beforeAll(async () => {
  h = await startHarness(prisma, [], { rateLimits: false });
  boss = await startQueue(process.env.DATABASE_URL!);
});
afterAll(async () => {
  killProcesses();
  await boss?.stop({ graceful: false }).catch(() => {});
  await h?.close();
  await prisma.$disconnect();
});

const runOf = (id: number) => prisma.syncRun.findUniqueOrThrow({ where: { id } });
const ended = (id: number, timeout = 30_000) =>
  expect.poll(async () => (await runOf(id)).status, { timeout, interval: 100 }).toMatch(/^(succeeded|partial|failed)$/);

describe("a shop without a usable offline session", () => {
  it("fails at once, says why and what to do, and the worker goes on with the next shop", async () => {
    const unreadable = await h.install({ name: "key-changed", seed: 91, products: 2, customers: 3, orders: 5 });
    // Sealed with a key this worker is not given, as after a key change without the previous key.
    const otherKeys = tokenKeyring(randomBytes(32).toString("base64"));
    await new SealedSessionStorage(prisma, { keys: otherKeys, warn: () => {} }).storeSession(
      offlineSession(unreadable, h.tokens.get(unreadable)!),
    );
    const missing = await h.install({ name: "no-session", seed: 92, products: 2, customers: 3, orders: 5 });
    const healthy = await h.install({ name: "healthy", seed: 93, products: 3, customers: 5, orders: 40 });
    await storeOfflineSession(h, healthy);

    // One sync at a time: the healthy shop waits behind the other two.
    const runs = [];
    for (const shop of [unreadable, missing, healthy]) runs.push((await enqueueSync(boss, prisma, shop, "manual")).run);
    const worker = startProcess(h, "scripts/worker.ts", { SYNC_CONCURRENCY: "1", LOG_LEVEL: "info" });
    for (const run of runs) await ended(run.id);

    const [dead, absent, done] = await Promise.all(runs.map((run) => runOf(run.id)));
    expect(dead.status).toBe("failed");
    expect(dead.error).toMatch(
      /^The stored access token of key-changed\.myshopify\.com cannot be opened \(accessToken was sealed with key [0-9a-f]{8}, which is not configured\)/,
    );
    expect(dead.error).toMatch(/TOKEN_ENCRYPTION_KEY_PREVIOUS/);
    expect(dead.error).toMatch(/open the app from Shopify admin/);
    expect(explainSyncError(dead.error!).summary).toMatch(
      /could not read its saved access.*Opening the app from Shopify admin renews it/,
    );
    expect(absent.status).toBe("failed");
    expect(absent.error).toBe(
      "No offline access token is stored for no-session.myshopify.com: open the app from Shopify admin to install it again.",
    );
    expect(explainSyncError(absent.error!).summary).toMatch(
      /had no access to the store.*Opening the app from Shopify admin renews it/,
    );
    // Failed at once: no request reached Shopify, none was retried.
    for (const run of [dead, absent])
      expect({ apiCalls: run.apiCalls, retries: run.retries }).toEqual({ apiCalls: 0, retries: 0 });
    expect(done.status).toBe("succeeded");
    expect(await storedTotals(prisma, healthy)).toEqual(truthTotals(h.sim, healthy));

    // Every line the worker wrote is a JSON log line, the unopenable session's included.
    await stop(worker);
    expectStructured(worker);
    expect(worker.lines).toContainEqual(
      expect.objectContaining({
        level: "warn",
        msg: "session tokens cannot be opened; the session is treated as absent",
        sessionId: "offline_key-changed.myshopify.com",
      }),
    );
    expect(worker.output()).not.toContain(h.tokens.get(unreadable)!);
  }, 90_000);
});

async function stop(process: AppProcess) {
  process.signalled("SIGTERM");
  expect((await process.exited).code).toBe(0);
}

/** `npm run sync -- ARGS` as an operator runs it, against the simulator. */
function npmSync(args: string[]) {
  return startProcess(h, { command: "npm", args: ["run", "--silent", "sync", "--", ...args] }, { LOG_FORMAT: "json" });
}

/** The processes whose parent is `pid`, with their command lines. */
function childrenOf(pid: number): { pid: number; command: string }[] {
  let out: string;
  try {
    out = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(pid)], { encoding: "utf8" }).trim();
  } catch (error) {
    // ps exits 1 when no process matched.
    if ((error as { status?: number }).status === 1) return [];
    throw error;
  }
  return out
    ? out.split("\n").map((line) => {
        const [, child, command] = /^\s*(\d+)\s+(.*)$/.exec(line)!;
        return { pid: Number(child), command };
      })
    : [];
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("npm run sync", () => {
  it("runs a run already queued with --take-over when no worker takes it, and says so without it", async () => {
    const shop = await h.install({ name: "cli-queued", seed: 94, products: 3, customers: 10, orders: 60 });
    await storeOfflineSession(h, shop);
    // Queued (a button, the schedule) on a machine where no worker runs.
    const { run } = await findOrQueueRun(prisma, shop, "manual", { full: true });

    const refused = npmSync(["--shop", shop]);
    expect((await refused.exited).code).toBe(1);
    expect(refused.output()).toContain(`A sync of ${shop} is already queued (run ${run.id}) and waits for a worker.`);
    expect(refused.output()).toContain(`npm run sync -- --shop ${shop} --take-over`);
    expect((await runOf(run.id)).status).toBe("queued");

    const taken = npmSync(["--shop", shop, "--take-over"]);
    expect((await taken.exited).code).toBe(0);
    const after = await runOf(run.id);
    expect(after).toMatchObject({ status: "succeeded", trigger: "manual", full: true });
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
  }, 60_000);

  it("is the sync process itself under npm, and stops with its run handed back when npm is killed outright", async () => {
    const shop = await h.install({ name: "cli-orphan", seed: 95, products: 5, customers: 20, orders: 3000 });
    await storeOfflineSession(h, shop);
    h.sim.control.addFault({ kind: "slow", delayMs: 300, shop, pathPrefix: `/admin/api/${apiVersion}/orders.json` });
    const cli = npmSync(["--shop", shop]);
    const npmPid = cli.child.pid!;
    // Mid-import: some order pages committed (and checkpointed), most still to come.
    await expect
      .poll(() => prisma.order.count({ where: { shop: { domain: shop } } }), { timeout: 30_000, interval: 100 })
      .toBeGreaterThanOrEqual(750);
    // npm's child is Node running the sync, not a shell between them.
    const [sync, ...others] = childrenOf(npmPid);
    expect(others).toEqual([]);
    expect(sync.command).toMatch(/^node .*scripts\/sync\.ts --shop cli-orphan\.myshopify\.com$/);
    expect(childrenOf(sync.pid)).toEqual([]);

    cli.signalled("SIGKILL");
    // The sync notices npm is gone, stops after the page in flight, ends its run and exits.
    await expect.poll(() => alive(sync.pid), { timeout: 15_000, interval: 100 }).toBe(false);
    const run = await prisma.syncRun.findFirstOrThrow({ where: { shop: { domain: shop } }, orderBy: { id: "desc" } });
    expect(run).toMatchObject({ status: "failed", error: STOPPED_FROM_CLI });
    expect(run.finishedAt).not.toBeNull();
    expect(explainSyncError(run.error!).summary).toMatch(/continues from where it stopped/);
    h.sim.control.clearFaults();

    // The next sync continues the pass from its checkpoint.
    const resumed = npmSync(["--shop", shop]);
    expect((await resumed.exited).code).toBe(0);
    const next = await prisma.syncRun.findFirstOrThrow({ where: { shop: { domain: shop } }, orderBy: { id: "desc" } });
    expect(next.id).not.toBe(run.id);
    expect(next.status).toBe("succeeded");
    expect((next.resources as { orders?: { resumed?: boolean } }).orders?.resumed).toBe(true);
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
  }, 90_000);
});
