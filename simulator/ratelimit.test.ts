import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "./index.ts";
import type { Simulator } from "./index.ts";
import { LeakyBucket, PRESETS, presetFor } from "./ratelimit.ts";
import { admin } from "../tests/support/simulator-client.ts";

describe("leaky bucket arithmetic", () => {
  it("allows the burst, then exactly the leak rate, with a fake monotonic clock", () => {
    let now = 1000;
    const b = new LeakyBucket(PRESETS.standard, () => now);
    for (let i = 1; i <= 40; i++) {
      const r = b.take();
      expect(r.ok).toBe(true);
      expect(r.used).toBe(i);
    }
    const full = b.take();
    expect(full.ok).toBe(false);
    expect(full.retryAfter).toBe(0.5);
    // a client sending at exactly 2/s after using the burst is never throttled
    for (let i = 0; i < 500; i++) {
      now += 500;
      const r = b.take();
      expect(r.ok).toBe(true);
      expect(r.used).toBe(40);
    }
    // but one request faster than the leak rate is
    now += 250;
    expect(b.take().ok).toBe(false);
    now += 250;
    expect(b.take().ok).toBe(true);
  });

  it("leaks continuously and reports the fill level", () => {
    let now = 0;
    const b = new LeakyBucket(PRESETS.advanced, () => now);
    for (let i = 0; i < 40; i++) b.take();
    now += 2500; // 4/s leaks 10
    expect(b.peek()).toBeCloseTo(30, 9);
    expect(b.take().used).toBe(31);
    now += 60_000;
    expect(b.take().used).toBe(1);
  });

  it("computes Retry-After from the deficit", () => {
    let now = 0;
    const b = new LeakyBucket(PRESETS.plus, () => now);
    for (let i = 0; i < 400; i++) expect(b.take().ok).toBe(true);
    const r = b.take();
    expect(r.ok).toBe(false);
    expect(r.retryAfter).toBe(0.1);
    now += 50;
    expect(b.take().ok).toBe(true);
  });

  it("maps plans to presets", () => {
    expect(presetFor("basic")).toEqual({ size: 40, rate: 2 });
    expect(presetFor("shopify")).toEqual({ size: 40, rate: 2 });
    expect(presetFor("standard")).toEqual({ size: 40, rate: 2 });
    expect(presetFor("advanced")).toEqual({ size: 40, rate: 4 });
    expect(presetFor("shopify_plus")).toEqual({ size: 400, rate: 20 });
    expect(presetFor("plus")).toEqual({ size: 400, rate: 20 });
    expect(presetFor("unlimited")).toBeNull();
  });
});

describe("rate limits over HTTP", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({
      apps: [
        { apiKey: "a", apiSecret: "sa", scopes: ["read_orders"] },
        { apiKey: "b", apiSecret: "sb", scopes: ["read_orders"] },
      ],
      shops: [
        { name: "std", orders: 20, plan: "basic" },
        { name: "plus", orders: 20, plan: "shopify_plus" },
        { name: "free", orders: 20, plan: "unlimited" },
      ],
    });
  });
  afterAll(() => sim.close());

  it("throttles a burst on the standard plan with Shopify's 429", async () => {
    const t = sim.installApp("std", "a").accessToken;
    const results = [];
    for (let i = 0; i < 45; i++) results.push(await admin(sim, "std", "shop.json", t));
    const ok = results.filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(40);
    expect(ok.length).toBeLessThan(45);
    expect(ok[0].headers["x-shopify-shop-api-call-limit"]).toBe("1/40");
    const throttled = results.find((r) => r.status === 429)!;
    expect(throttled.json).toEqual({
      errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.",
    });
    expect(throttled.headers["retry-after"]).toMatch(/^\d+\.\d$/);
    expect(Number(throttled.headers["retry-after"])).toBeGreaterThan(0);
    expect(throttled.headers["x-shopify-shop-api-call-limit"]).toBe("40/40");
    // buckets are per (app, shop): another app is unaffected
    const other = sim.installApp("std", "b").accessToken;
    const r = await admin(sim, "std", "shop.json", other);
    expect(r.status).toBe(200);
    expect(r.headers["x-shopify-shop-api-call-limit"]).toBe("1/40");
    const stats = sim.control.stats();
    expect(stats.shops.std.throttled).toBeGreaterThan(0);
    expect(stats.throttled).toBe(stats.shops.std.throttled);
  });

  it("uses the plus bucket and switches preset when the plan changes", async () => {
    const t = sim.installApp("plus", "a").accessToken;
    for (let i = 0; i < 60; i++) expect((await admin(sim, "plus", "shop.json", t)).status).toBe(200);
    const r = await admin(sim, "plus", "shop.json", t);
    expect(r.headers["x-shopify-shop-api-call-limit"]).toMatch(/^\d+\/400$/);
    sim.control.setPlan("plus", "advanced");
    const r2 = await admin(sim, "plus", "shop.json", t);
    expect(r2.status).toBe(429);
    expect(r2.json.errors).toContain("Exceeded 4 calls per second");
  });

  it("does not throttle the unlimited plan", async () => {
    const t = sim.installApp("free", "a").accessToken;
    for (let i = 0; i < 80; i++) {
      const r = await admin(sim, "free", "shop.json", t);
      expect(r.status).toBe(200);
      expect(r.headers["x-shopify-shop-api-call-limit"]).toBe("0/40");
    }
  });
});
