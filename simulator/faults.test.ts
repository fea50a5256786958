import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "./index.ts";
import type { Simulator } from "./index.ts";
import { API, admin, control } from "../tests/support/simulator-client.ts";

let sim: Simulator;
let token: string;
let token2: string;

beforeAll(async () => {
  sim = await startSimulator({
    apps: [{ apiKey: "f", apiSecret: "fs", scopes: ["read_orders", "read_products"] }],
    shops: [
      { name: "faulty", orders: 40, plan: "unlimited" },
      { name: "healthy", orders: 40, plan: "unlimited" },
    ],
  });
  token = sim.installApp("faulty", "f").accessToken;
  token2 = sim.installApp("healthy", "f").accessToken;
});
afterAll(() => sim.close());

const ORDERS = `/admin/api/${API}/orders`;

describe("faults", () => {
  it("answers 500/502/503 for the matching shop, path and count only", async () => {
    sim.control.clearFaults();
    sim.control.addFault({ kind: "status", status: 503, shop: "faulty", pathPrefix: ORDERS, count: 2 });
    expect((await admin(sim, "faulty", "orders.json", token)).status).toBe(503);
    expect((await admin(sim, "healthy", "orders.json", token2)).status).toBe(200);
    expect((await admin(sim, "faulty", "shop.json", token)).status).toBe(200);
    expect((await admin(sim, "faulty", "orders.json", token)).status).toBe(503);
    expect((await admin(sim, "faulty", "orders.json", token)).status).toBe(200);
    sim.control.addFault({ kind: "status", status: 502, count: 1 });
    const bad = await admin(sim, "healthy", "orders.json", token2);
    expect(bad.status).toBe(502);
    expect(bad.headers["content-type"]).toContain("text/html");
    sim.control.addFault({ kind: "status", status: 500, count: 1 });
    const ise = await admin(sim, "faulty", "orders.json", token);
    expect(ise.status).toBe(500);
    expect(ise.json).toEqual({ errors: "Internal Server Error" });
    const list = sim.control.faults();
    expect(list.map((f) => [f.status, f.hits, f.remaining])).toEqual([
      [503, 2, 0],
      [502, 1, 0],
      [500, 1, 0],
    ]);
  });

  it("hangs without answering on timeout faults", async () => {
    sim.control.clearFaults();
    sim.control.addFault({ kind: "timeout", shop: "faulty", count: 1 });
    const p = request(`https://faulty.myshopify.com${ORDERS}.json`, {
      headers: { "x-shopify-access-token": token },
      dispatcher: sim.dispatcher(),
      signal: AbortSignal.timeout(300),
    });
    await expect(p).rejects.toThrow();
    expect((await admin(sim, "faulty", "orders.json", token)).status).toBe(200);
  });

  it("resets connections", async () => {
    sim.control.clearFaults();
    sim.control.addFault({ kind: "reset", count: 1 });
    await expect(admin(sim, "faulty", "orders.json", token)).rejects.toThrow();
    expect((await admin(sim, "faulty", "orders.json", token)).status).toBe(200);
  });

  it("serves slow, truncated and malformed pages", async () => {
    sim.control.clearFaults();
    sim.control.addFault({ kind: "slow", delayMs: 50, count: 1 });
    const slow = await admin(sim, "faulty", "orders.json", token);
    expect(slow.status).toBe(200);
    expect(slow.json.orders.length).toBeGreaterThan(0);
    sim.control.addFault({ kind: "truncate", count: 1 });
    const cut = await admin(sim, "faulty", "orders.json", token);
    expect(cut.status).toBe(200);
    expect(() => JSON.parse(cut.text)).toThrow();
    expect(cut.text.startsWith('{"orders":[')).toBe(true);
    sim.control.addFault({ kind: "malformed", count: 1 });
    const mal = await admin(sim, "faulty", "orders.json", token);
    expect(mal.status).toBe(200);
    expect(() => JSON.parse(mal.text)).toThrow();
    expect((await admin(sim, "faulty", "orders.json", token)).json.orders.length).toBeGreaterThan(0);
  });

  it("sends a burst of 429s", async () => {
    sim.control.clearFaults();
    sim.control.addFault({ kind: "rate_limit", shop: "faulty", count: 3 });
    for (let i = 0; i < 3; i++) {
      const r = await admin(sim, "faulty", "orders.json", token);
      expect(r.status).toBe(429);
      expect(r.headers["retry-after"]).toBe("2.0");
      expect(r.json.errors).toContain("Exceeded");
    }
    expect((await admin(sim, "faulty", "orders.json", token)).status).toBe(200);
  });

  it("revokes the presented token", async () => {
    sim.control.clearFaults();
    const t = sim.installApp("faulty", "f").accessToken;
    expect((await admin(sim, "faulty", "shop.json", t)).status).toBe(200);
    sim.control.addFault({ kind: "revoke_token", count: 1 });
    expect((await admin(sim, "faulty", "shop.json", t)).status).toBe(401);
    expect((await admin(sim, "faulty", "shop.json", t)).status).toBe(401);
    expect((await admin(sim, "faulty", "shop.json", token)).status).toBe(200);
  });

  it("is driven through the control surface", async () => {
    expect((await control(sim, "DELETE", "faults")).status).toBe(200);
    const added = await control(sim, "POST", "faults", { kind: "status", status: 503, count: 1, pathPrefix: ORDERS });
    expect(added.json.id).toBeGreaterThan(0);
    expect((await admin(sim, "healthy", "orders.json", token2)).status).toBe(503);
    const listed = await control(sim, "GET", "faults");
    expect(listed.json[0].hits).toBe(1);
    const bad = await control(sim, "POST", "faults", { kind: "explode" });
    expect(bad.status).toBe(422);
    await control(sim, "DELETE", "faults");
    const stats = await control(sim, "GET", "stats");
    expect(stats.json.shops.faulty.byStatus["503"]).toBeGreaterThan(0);
  });
});
