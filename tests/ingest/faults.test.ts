import { spawn } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server.ts";
import { runSync, type SyncProgress } from "../../app/ingest/sync.server.ts";
import { explainSyncError } from "../../app/insights/syncs.server.ts";
import { projectRoot, databaseUrl } from "../../scripts/lib/database.ts";
import { webhookSubscriptions } from "../../scripts/lib/webhook-subscriptions.ts";
import { startAppServer, type AppServer } from "../support/app-server.ts";
import { storeOfflineSession } from "../support/embedded.ts";
import { apiKey, startHarness, storedTotals, truthTotals, type Harness } from "../support/ingest-harness.ts";
import { apiVersion } from "../../app/lib/api-version.ts";

// The faults of a real deployment, against the simulator over HTTPS and a real PostgreSQL: a worker
// process killed with SIGKILL mid-import, the token revoked mid-sync, the database gone mid-sync, and
// webhooks arriving while the database is down. Each ends with no row lost: equal to Shopify's truth.

let h: Harness;
let app: AppServer;

beforeAll(async () => {
  app = await startAppServer();
  h = await startHarness(prisma, [], {
    rateLimits: false,
    // Shopify retries a failed delivery with backoff: here over about six seconds.
    webhookRetry: { attempts: 6, baseDelayMs: 200, timeoutMs: 5000 },
  });
});
afterAll(async () => {
  await h?.close();
  await app?.close();
  await prisma.$disconnect();
});

const ordersOf = (shop: string) => prisma.order.count({ where: { shop: { domain: shop } } });
const firstIds = async (shop: string, table: "order" | "product", count: number) =>
  (
    await prisma.$queryRawUnsafe<{ id: bigint }[]>(
      `SELECT t.id FROM "${table}" t JOIN shop s ON s.id = t.shop_id WHERE s.domain = $1 ORDER BY t.id LIMIT ${count}`,
      shop,
    )
  ).map((row) => Number(row.id));

/**
 * Takes this test file's database away from everyone, as a restart or an outage does: new
 * connections are refused and every open one is closed. Returns the function that brings it back.
 */
async function databaseDown(): Promise<() => Promise<void>> {
  const url = new URL(process.env.DATABASE_URL!);
  const name = url.pathname.slice(1);
  const admin = new pg.Client({ connectionString: databaseUrl(process.env.DATABASE_URL!, "postgres") });
  await admin.connect();
  await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
  await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [name]);
  return async () => {
    await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    await admin.end();
  };
}

describe("a sync worker killed with SIGKILL mid-import", () => {
  it("leaves a run the next one takes over at once, and deletions made meanwhile are applied", async () => {
    const shop = await h.install({ name: "sigkill", seed: 51, products: 20, customers: 200, orders: 6000 });
    await storeOfflineSession(h, shop);
    h.sim.control.addFault({ kind: "slow", delayMs: 120, shop, pathPrefix: `/admin/api/${apiVersion}/orders.json` });
    const child = spawn(
      process.execPath,
      ["--import", "./scripts/lib/shopify-network.ts", "scripts/sync.ts", "--shop", shop],
      {
        cwd: projectRoot,
        env: {
          ...process.env,
          SIMULATOR_HTTPS_PORT: new URL(h.sim.httpsUrl).port,
          SIMULATOR_CA_FILE: h.sim.certPaths.ca,
          SYNC_WORKER: "off",
        },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on("exit", (code, signal) => resolve(signal ?? code)),
    );
    await expect.poll(() => ordersOf(shop), { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(1000);
    expect(stderr).toBe("");
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    h.sim.control.clearFaults();
    const imported = await ordersOf(shop);
    expect(imported).toBeLessThan(6000);

    // While nothing runs: Shopify deletes orders the import already holds, and a product.
    for (const id of await firstIds(shop, "order", 3)) h.sim.control.deleteOrder(shop, id);
    const [product] = await firstIds(shop, "product", 1);
    h.sim.control.deleteProduct(shop, product);

    const dead = await prisma.syncRun.findFirstOrThrow({ where: { shop: { domain: shop } } });
    expect(dead.status).toBe("running");
    // The killed process's run lock went with its connection: no waiting for a timeout.
    const next = await runSync(h.deps(shop), { shop, trigger: "manual" });
    expect(next.status).toBe("succeeded");
    expect(next.resources.orders).toMatchObject({ resumed: true, deleted: 3 });
    expect(next.resources.orders!.fetched).toBeLessThanOrEqual(6000 - imported + 3 * 250);
    expect(next.resources.products!.deleted).toBe(1);
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
  });
});

describe("the access token revoked mid-sync", () => {
  it("fails the run with Shopify's reason, keeps what was written, and the next run with a new token ends exact", async () => {
    const shop = await h.install({ name: "revoked-mid", seed: 52, products: 10, customers: 50, orders: 3000 });
    let revoked = false;
    const failed = await runSync(h.deps(shop), {
      shop,
      trigger: "manual",
      onProgress: (p: SyncProgress) => {
        if (!revoked && (p.resources.orders?.pages ?? 0) >= 2) {
          revoked = true;
          h.sim.control.addFault({ kind: "revoke_token", shop });
        }
      },
    });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/401/);
    const kept = await ordersOf(shop);
    expect(kept).toBeGreaterThanOrEqual(500);
    h.sim.control.clearFaults();

    // The merchant opens the app again: a new token.
    const { accessToken } = h.sim.installApp(shop, apiKey);
    h.tokens.set(shop, accessToken);
    const next = await runSync(h.deps(shop), { shop, trigger: "manual" });
    expect(next.status).toBe("succeeded");
    expect(next.resources.orders?.resumed).toBe(true);
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
  });
});

describe("the database gone mid-sync", () => {
  it("fails the run with the database's reason, and the next run resumes and ends exact", async () => {
    const shop = await h.install({ name: "db-gone", seed: 53, products: 10, customers: 50, orders: 4000 });
    // Down for 1.5 s from the third page on, as a restart is; the run's end is written once it is back.
    let outage: Promise<void> | undefined;
    const gone = await runSync(h.deps(shop), {
      shop,
      trigger: "manual",
      onProgress: (p: SyncProgress) => {
        if (outage || (p.resources.orders?.pages ?? 0) < 3) return;
        outage = databaseDown().then(async (restore) => {
          await new Promise((resolve) => setTimeout(resolve, 1500));
          await restore();
        });
      },
    });
    await outage;
    expect(gone.status).toBe("failed");
    expect(gone.error).toMatch(/^The database connection (holding the sync lock of db-gone\.myshopify\.com )?was lost/);
    // The run's row says so too, rather than "running" until the next run takes it over.
    const row = await prisma.syncRun.findUniqueOrThrow({ where: { id: gone.runId } });
    expect(row).toMatchObject({ status: "failed", error: gone.error });
    expect(row.finishedAt).not.toBeNull();
    expect(explainSyncError(row.error!).summary).toMatch(/lost its database connection/);
    // No partial page: every order stored has all its line items.
    const [{ partial }] = await prisma.$queryRawUnsafe<{ partial: bigint }[]>(
      `SELECT count(*) AS partial FROM "order" o JOIN shop s ON s.id = o.shop_id
        WHERE s.domain = $1 AND NOT EXISTS (SELECT 1 FROM order_line_item l WHERE l.shop_id = o.shop_id AND l.order_id = o.id)`,
      shop,
    );
    expect(Number(partial)).toBe(0);
    expect(await ordersOf(shop)).toBeGreaterThan(0);

    const next = await runSync(h.deps(shop), { shop, trigger: "manual" });
    expect(next.status).toBe("succeeded");
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
  });
});

describe("webhooks while the database is down", () => {
  it("are refused (not acknowledged), and Shopify's retries then land every change", async () => {
    const subscriptions = webhookSubscriptions(app.url);
    const shop = await h.install({ name: "db-down-hooks", seed: 54, products: 10, customers: 60, orders: 300 });
    await runSync(h.deps(shop), { shop, trigger: "manual" });
    h.sim.control.setWebhooks(apiKey, subscriptions);
    const [first, second, third] = await firstIds(shop, "order", 3);
    const bringBack = await databaseDown();

    const c = h.sim.control;
    c.createOrder(shop);
    c.refundOrder(shop, first, { amount: "4.00" });
    c.cancelOrder(shop, second, { reason: "customer" });
    c.deleteOrder(shop, third);
    c.createProduct(shop);

    await expect
      .poll(() => c.deliveries({ shop }).filter((d) => d.attempts.length >= 2).length, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(4);
    expect(c.deliveries({ shop }).every((d) => d.state !== "delivered")).toBe(true);
    await bringBack();
    await c.flushWebhooks();

    const deliveries = c.deliveries({ shop });
    expect(deliveries.every((d) => d.state === "delivered")).toBe(true);
    expect(deliveries.some((d) => d.attempts.some((a) => a.status !== null && a.status >= 500))).toBe(true);
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
    h.sim.control.setWebhooks(apiKey, []);
  });
});
