import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PgBoss } from "pg-boss";
import prisma from "../../app/db.server.ts";
import { claimRun, enqueueSync, startQueue, startWorker, type Worker } from "../../app/ingest/jobs.server.ts";
import { offlineAccessToken } from "../../app/ingest/access-token.server.ts";
import { startHarness, storedTotals, truthTotals, type Harness } from "../support/ingest-harness.ts";

let h: Harness;
let boss: PgBoss;
const workers: Worker[] = [];

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
async function worker(): Promise<Worker> {
  const started = await startWorker(boss, {
    db: prisma,
    syncDependencies: (shop) => ({ ...h.deps(shop), token: offlineAccessToken(shop) }),
    concurrency: 2,
    intervalMinutes: 0,
    graceDays: 2,
    log: () => {},
  });
  workers.push(started);
  return started;
}

async function installWithSession(spec: Parameters<Harness["install"]>[0]): Promise<string> {
  const shop = await h.install(spec);
  await prisma.session.create({
    data: { id: `offline_${shop}`, shop, state: "installed", accessToken: h.tokens.get(shop)!, scope: "read_orders" },
  });
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
    const [third, fourth] = await Promise.all([claimRun(prisma, shop, "manual"), claimRun(prisma, shop, "schedule")]);
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
    h.sim.control.addFault({ kind: "slow", delayMs: 150, shop, pathPrefix: "/admin/api/2026-10/orders.json" });
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
});
