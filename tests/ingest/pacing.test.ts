import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server.ts";
import { runSync } from "../../app/ingest/sync.server.ts";
import { startHarness, storedTotals, truthTotals, type Harness } from "../support/ingest-harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness(prisma, [], { rateLimits: true });
});
afterAll(async () => {
  await h?.close();
  await prisma.$disconnect();
});

describe("rate-limit pacing", () => {
  it("syncs past the standard plan's 40-request burst without a single 429", async () => {
    const shop = await h.install({
      name: "paced",
      seed: 41,
      plan: "basic",
      products: 60,
      customers: 900,
      orders: 12_000,
    });
    h.sim.control.resetStats();
    const result = await runSync(h.deps(shop), { shop, trigger: "manual" });
    expect(result.status).toBe("succeeded");
    const pages = Math.ceil(60 / 250) + Math.ceil(900 / 250) + Math.ceil(12_000 / 250);
    // shop.json, one count per resource, every page once (nothing repeated), then the deletions made
    // while the import ran (events.json).
    expect(result.apiCalls).toBe(1 + 3 + pages + 1);
    expect(result.apiCalls).toBeGreaterThan(40);
    expect(result.throttled).toBe(0);
    expect(result.retries).toBe(0);
    expect(h.sim.control.stats().throttled).toBe(0);
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
  });
});
