import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server.ts";
import { runSync } from "../../app/ingest/sync.server.ts";
import { explainSyncError } from "../../app/insights/syncs.server.ts";
import type { SyncStatusReport } from "../../app/insights/types.ts";
import { startHarness, type Harness } from "../support/ingest-harness.ts";
import { startAppServer, type AppServer } from "../support/app-server.ts";
import { bearerHeaders, closeAppTest, embeddedPage, storeOfflineSession } from "../support/embedded.ts";

// The sync card's route and the history page over HTTP, as App Bridge calls them from the embedded
// app (a session token in the Authorization header): clicks never queue a second run, the status
// follows the run to its end, history lists it with its counts, and a shop sees only its own runs.

let app: AppServer;
let h: Harness;
const shops = { a: "", b: "" };

beforeAll(async () => {
  app = await startAppServer();
  h = await startHarness(prisma, [], { rateLimits: false });
  for (const [key, seed] of [
    ["a", 71],
    ["b", 72],
  ] as const) {
    const shop = await h.install({ name: `syncs-${key}`, seed, products: 12, customers: 40, orders: 150, days: 60 });
    shops[key] = shop;
    await storeOfflineSession(h, shop);
  }
});

afterAll(() => closeAppTest(h, app));

/** The sync route's GET, as the card polls it (a resource route: its JSON as is). */
async function status(shop: string, query = ""): Promise<SyncStatusReport> {
  const response = await fetch(`${app.url}/app/sync?${query}`, { headers: bearerHeaders(shop) });
  expect(response.status).toBe(200);
  return (await response.json()) as SyncStatusReport;
}

/** The history page as a document, opened from Shopify admin. */
const historyPage = (shop: string, query: Record<string, string> = {}) =>
  embeddedPage(app.url, shop, "/app/syncs", query);

function click(shop: string, intent: string) {
  return fetch(`${app.url}/app/sync`, {
    method: "POST",
    headers: { ...bearerHeaders(shop), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ intent }),
  });
}

describe("sync now", () => {
  it("queues exactly one run for two clicks at once, reports it, then its end, and lists it", async () => {
    const shop = shops.a;
    expect((await status(shop)).current).toBeNull();
    const responses = await Promise.all([click(shop, "sync"), click(shop, "sync")]);
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as {
      ok: boolean;
      created: boolean;
      run: { id: number; status: string };
    }[];
    expect(responses.map((r) => r.status).sort()).toEqual([200, 202]);
    expect(bodies.map((b) => b.created).sort()).toEqual([false, true]);
    expect(bodies[0].run.id).toBe(bodies[1].run.id);
    const runId = bodies[0].run.id;
    const runs = await prisma.syncRun.findMany({ where: { shop: { domain: shop } } });
    expect(runs.map((r) => [r.id, r.status, r.trigger])).toEqual([[runId, "queued", "manual"]]);
    // A full resync asked for while it waits is the same run too.
    const full = (await (await click(shop, "full")).json()) as { created: boolean; run: { id: number } };
    expect(full).toMatchObject({ created: false, run: { id: runId } });

    const queued = await status(shop);
    expect(queued.current).toMatchObject({ id: runId, status: "queued", trigger: "manual" });
    expect(queued.lastSuccessAt).toBeNull();

    // The worker takes the job (here: the engine runs the queued run in the test's process).
    const result = await runSync(h.deps(shop), { shop, trigger: "manual", runId });
    expect(result.status).toBe("succeeded");

    const ended = await status(shop);
    expect(ended.current).toBeNull();
    expect(ended.lastSuccessAt).not.toBeNull();
    const counts = h.sim.truth(shop).counts;
    expect(ended.latest).toMatchObject({ id: runId, status: "succeeded" });
    const written = Object.fromEntries(ended.latest!.resources.map((r) => [r.name, r.written]));
    expect(written).toEqual({ products: counts.products, customers: counts.customers, orders: counts.orders });

    const page = await historyPage(shop);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Sync button");
    expect(html).toContain("Succeeded");
    expect(html).toContain(`>${counts.orders}<`);
    expect(html).toContain(`>${counts.customers}<`);

    // The next click starts a new run.
    const again = (await (await click(shop, "sync")).json()) as { created: boolean; run: { id: number } };
    expect(again.created).toBe(true);
    expect(again.run.id).not.toBe(runId);
    expect((await runSync(h.deps(shop), { shop, trigger: "manual", runId: again.run.id })).status).toBe("succeeded");
  });

  it("shows a shop only its own runs, whatever shop the URL names", async () => {
    const b = await status(shops.b);
    expect(b).toEqual({ lastSuccessAt: null, current: null, latest: null, warnings: [] });
    const crossed = await status(shops.b, `shop=${shops.a}`);
    expect(crossed.latest).toBeNull();
    const history = await historyPage(shops.b, { shop: shops.a });
    const html = await history.text();
    expect(html).toContain("No syncs yet");
    expect(html).not.toContain("Sync button");
  });

  it.each([["resync"], [""], ["sync'; DROP TABLE sync_run; --"]])(
    "answers intent %j with a 400 and a message, queuing nothing",
    async (intent) => {
      const before = await prisma.syncRun.count();
      const response = await click(shops.b, intent);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/intent/);
      expect(await prisma.syncRun.count()).toBe(before);
    },
  );
});

describe("explainSyncError", () => {
  it.each([
    ["The worker running this sync stopped.", /stopped before it finished/],
    ["Shopify refused the access token (401): the app needs to be opened again from Shopify admin.", /Open the app/],
    ["Shopify answered 402 for orders.json: Payment Required", /plan/],
    ["Shopify answered 503 for orders.json: unavailable (request abc)", /temporary problem/],
    ["orders.json: connect ECONNREFUSED 127.0.0.1:443", /could not be reached/],
    ["something else", /unexpected error/],
  ])("puts %j in a merchant's words and keeps it as the detail", (message, summary) => {
    const explained = explainSyncError(message);
    expect(explained.summary).toMatch(summary);
    expect(explained.detail).toBe(message);
  });
});
