import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PgBoss } from "pg-boss";
import pg from "pg";
import prisma from "../../app/db.server.ts";
import { runSync, SyncAlreadyRunning } from "../../app/ingest/sync.server.ts";
import { findOrQueueRun, RUN_LOCK } from "../../app/ingest/sync-run.server.ts";
import { enqueueSync, startQueue, startWorker, type SyncWorker } from "../../app/ingest/jobs.server.ts";
import { offlineAccessToken } from "../../app/access-token.server.ts";
import { silentLogger } from "../../app/lib/log.server.ts";
import { storeOfflineSession } from "../support/embedded.ts";
import { startHarness, storedTotals, truthTotals, type Harness } from "../support/ingest-harness.ts";
import { apiVersion } from "../../app/lib/api-version.ts";

let h: Harness;
let boss: PgBoss;
const workers: SyncWorker[] = [];

beforeAll(async () => {
  h = await startHarness(prisma, [], { rateLimits: false });
  boss = await startQueue(process.env.DATABASE_URL!);
});
afterAll(async () => {
  for (const worker of workers) await worker.stop().catch(() => {});
  await boss?.stop({ graceful: false }).catch(() => {});
  await h?.close();
  await prisma.$disconnect();
});

/** A worker reading each shop's offline token from the session storage, as in production. */
async function worker(concurrency = 2): Promise<SyncWorker> {
  const started = await startWorker(boss, {
    db: prisma,
    syncDependencies: (shop) => ({ ...h.deps(shop), token: offlineAccessToken(shop) }),
    concurrency,
    intervalMinutes: 0,
    graceDays: 2,
    log: silentLogger,
  });
  workers.push(started);
  return started;
}

async function installWithSession(spec: Parameters<Harness["install"]>[0]): Promise<string> {
  const shop = await h.install(spec);
  await storeOfflineSession(h, shop);
  return shop;
}

const finished = (runId: number) =>
  expect
    .poll(async () => (await prisma.syncRun.findUniqueOrThrow({ where: { id: runId } })).status, {
      timeout: 30_000,
      interval: 200,
    })
    .toMatch(/^(succeeded|partial|failed)$/);

describe("sync jobs", () => {
  it("a second trigger while a sync is queued returns that run", async () => {
    const shop = await installWithSession({ name: "jobs-once", seed: 31, products: 5, customers: 10, orders: 50 });
    const first = await enqueueSync(boss, prisma, shop, "manual");
    const second = await enqueueSync(boss, prisma, shop, "manual");
    const [third, fourth] = await Promise.all([
      findOrQueueRun(prisma, shop, "manual"),
      findOrQueueRun(prisma, shop, "schedule"),
    ]);
    expect(first.created).toBe(true);
    expect([second, third, fourth].map((r) => [r.created, r.run.id])).toEqual([
      [false, first.run.id],
      [false, first.run.id],
      [false, first.run.id],
    ]);
    await worker();
    await finished(first.run.id);
    expect((await prisma.syncRun.findUniqueOrThrow({ where: { id: first.run.id } })).status).toBe("succeeded");
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
    // Once it has finished, a new trigger queues a new run.
    const next = await enqueueSync(boss, prisma, shop, "manual");
    expect(next.created).toBe(true);
    await finished(next.run.id);
  });

  it("a run whose holder died is taken over at once; one whose holder lives is not", async () => {
    const shop = await installWithSession({ name: "jobs-dead", seed: 34, products: 3, customers: 5, orders: 20 });
    const { id: shopId } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    const claimed = await findOrQueueRun(prisma, shop, "manual");
    // A worker process holding the run: the shop's run lock on its own connection, the run running.
    const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    await holder.query("SELECT pg_advisory_lock($1, $2)", [RUN_LOCK, shopId]);
    await prisma.syncRun.update({ where: { id: claimed.run.id }, data: { status: "running", startedAt: new Date() } });

    expect(await findOrQueueRun(prisma, shop, "manual")).toMatchObject({ created: false, run: { id: claimed.run.id } });
    await expect(runSync(h.deps(shop), { shop, trigger: "cli" })).rejects.toThrow(SyncAlreadyRunning);

    // kill -9: the process is gone without a word to PostgreSQL; its socket closes.
    (holder as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    holder.on("error", () => {});
    let taken: Awaited<ReturnType<typeof findOrQueueRun>> | undefined;
    for (let i = 0; i < 50 && !taken?.created; i++) {
      taken = await findOrQueueRun(prisma, shop, "manual");
      if (!taken.created) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(taken!.created).toBe(true);
    expect(await prisma.syncRun.findUniqueOrThrow({ where: { id: claimed.run.id } })).toMatchObject({
      status: "failed",
      error: "The worker running this sync stopped.",
    });
    const result = await runSync(h.deps(shop), { shop, trigger: "manual", runId: taken!.run.id });
    expect(result.status).toBe("succeeded");
  });

  it("a stopped worker hands its sync to the next one, which resumes it", async () => {
    for (const w of workers.splice(0)) await w.stop();
    boss = await startQueue(process.env.DATABASE_URL!);
    const shop = await installWithSession({
      name: "jobs-handover",
      seed: 32,
      products: 10,
      customers: 50,
      orders: 2500,
    });
    // Slow pages so that the first worker is mid-sync when it stops.
    h.sim.control.addFault({ kind: "slow", delayMs: 150, shop, pathPrefix: `/admin/api/${apiVersion}/orders.json` });
    const { run } = await enqueueSync(boss, prisma, shop, "manual");
    const first = await worker();
    await expect
      .poll(async () => prisma.order.count({ where: { shop: { domain: shop } } }), { timeout: 20_000, interval: 50 })
      .toBeGreaterThanOrEqual(500);
    await first.stop();
    workers.splice(workers.indexOf(first), 1);
    const stopped = await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(stopped.status).toBe("queued");
    expect(await prisma.order.count({ where: { shop: { domain: shop } } })).toBeLessThan(2500);

    h.sim.control.clearFaults();
    boss = await startQueue(process.env.DATABASE_URL!);
    await worker();
    await finished(run.id);
    const done = await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(done.status).toBe("succeeded");
    expect((done.resources as { orders: { resumed: boolean } }).orders.resumed).toBe(true);
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
  });

  it("runs more syncs at once than its process has pooled connections", async () => {
    for (const w of workers.splice(0)) await w.stop();
    boss = await startQueue(process.env.DATABASE_URL!);
    const shops: string[] = [];
    for (let i = 0; i < 14; i++) {
      shops.push(
        await installWithSession({ name: `jobs-many-${i}`, seed: 40 + i, products: 3, customers: 10, orders: 600 }),
      );
    }
    // Pages slow enough that all fourteen hold their run at the same time (the pool has ten).
    h.sim.control.addFault({ kind: "slow", delayMs: 100, pathPrefix: `/admin/api/${apiVersion}/orders.json` });
    const runs = await Promise.all(shops.map((shop) => enqueueSync(boss, prisma, shop, "manual")));
    await worker(16);
    for (const { run } of runs) await finished(run.id);
    h.sim.control.clearFaults();
    for (const [i, { run }] of runs.entries()) {
      expect((await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("succeeded");
      expect(await storedTotals(prisma, shops[i])).toEqual(truthTotals(h.sim, shops[i]));
    }
  });

  it("retries a sync job that threw, resuming the same run", async () => {
    for (const w of workers.splice(0)) await w.stop();
    boss = await startQueue(process.env.DATABASE_URL!);
    const shop = await installWithSession({ name: "jobs-retry", seed: 60, products: 3, customers: 10, orders: 100 });
    const { id: shopId } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    // Another process holds the shop's sync (a CLI sync): the job's runSync throws.
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    await other.query("SELECT pg_advisory_lock($1, $2)", [RUN_LOCK, shopId]);
    const { run } = await enqueueSync(boss, prisma, shop, "manual");
    await worker();
    await expect
      .poll(async () => (await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } })).error, {
        timeout: 10_000,
      })
      .toMatch(/already running/);
    expect((await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("queued");
    await other.end();
    await finished(run.id);
    expect((await prisma.syncRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("succeeded");
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
  }, 60_000);
});
