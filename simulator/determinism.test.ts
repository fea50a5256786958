import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "./index.ts";
import type { ShopSpec, Simulator } from "./index.ts";
import { Store } from "./store.ts";
import { buildOrder, factsFromCore, factsFromObject, partyForGuest } from "./records.ts";
import { API, call, links } from "../tests/support/simulator-client.ts";

const spec: ShopSpec = {
  name: "twin",
  seed: 99,
  orders: 700,
  customers: 150,
  products: 30,
  bigVariantProducts: 1,
  plan: "unlimited",
  timezone: "Europe/Berlin",
  currency: "EUR",
};
let a: Simulator;
let b: Simulator;

async function pages(sim: Simulator, token: string, resource: string, query: string): Promise<string[]> {
  const out: string[] = [];
  let url: string | undefined = `https://twin.myshopify.com/admin/api/${API}/${resource}.json?${query}`;
  while (url) {
    const r = await call(sim, url, { token });
    expect(r.status).toBe(200);
    out.push(r.text);
    url = links(r.headers.link).next;
  }
  return out;
}

beforeAll(async () => {
  a = await startSimulator({
    apps: [{ apiKey: "k", apiSecret: "s", scopes: ["read_orders", "read_products", "read_customers"] }],
    shops: [spec],
  });
  b = await startSimulator({
    apps: [{ apiKey: "k", apiSecret: "s", scopes: ["read_orders", "read_products", "read_customers"] }],
    shops: [spec, { ...spec, name: "other", seed: 100 }],
  });
});
afterAll(async () => {
  await a.close();
  await b.close();
});

describe("determinism", () => {
  it("produces byte-identical pages for the same seed", async () => {
    const ta = a.installApp("twin", "k").accessToken;
    const tb = b.installApp("twin", "k").accessToken;
    for (const [resource, q] of [
      ["orders", "status=any&limit=250"],
      ["products", "limit=250"],
      ["customers", "limit=250"],
    ]) {
      const pa = await pages(a, ta, resource, q);
      const pb = await pages(b, tb, resource, q);
      expect(pa.length).toBeGreaterThan(0);
      expect(pb).toEqual(pa);
    }
    const sa = await call(a, `https://twin.myshopify.com/admin/api/${API}/shop.json`, { token: ta });
    const sb = await call(b, `https://twin.myshopify.com/admin/api/${API}/shop.json`, { token: tb });
    expect(sb.text).toBe(sa.text);
    expect(JSON.stringify(b.truth("twin"))).toBe(JSON.stringify(a.truth("twin")));
  });

  it("differs for another seed", async () => {
    const t = b.installApp("other", "k").accessToken;
    const r1 = await call(b, `https://other.myshopify.com/admin/api/${API}/orders.json?status=any&limit=5`, {
      token: t,
    });
    const t2 = b.installApp("twin", "k").accessToken;
    const r2 = await call(b, `https://twin.myshopify.com/admin/api/${API}/orders.json?status=any&limit=5`, {
      token: t2,
    });
    expect(r1.text).not.toBe(r2.text);
  });

  it("derives the same facts from the compact core and from the full order object", () => {
    const s = new Store({ ...spec, name: "facts" });
    for (let i = 0; i < s.orders.n; i++) {
      const core = s.orderCoreAt(i);
      const fromCore = factsFromCore(core, s.products);
      const fromObj = factsFromObject(s.orderRaw(i));
      expect(fromObj).toEqual(fromCore);
    }
    // guest identity and order building are pure
    const core = s.orderCoreAt(3);
    expect(JSON.stringify(buildOrder(s, core, partyForGuest(5)))).toBe(
      JSON.stringify(buildOrder(s, core, partyForGuest(5))),
    );
  });

  it("keeps orders in time order, shaped by weekday and season, and money consistent", () => {
    const s = new Store({ name: "shape", seed: 5, orders: 20000, customers: 3000, products: 50, days: 365 });
    const created = s.orders.created;
    for (let i = 1; i < s.orders.n; i++) expect(created[i]).toBeGreaterThanOrEqual(created[i - 1]);
    const months = new Map<number, number>();
    for (let i = 0; i < s.orders.n; i++) {
      const m = new Date(created[i] * 1000).getUTCMonth();
      months.set(m, (months.get(m) ?? 0) + 1);
    }
    // November/December busier than the average month
    const avg = s.orders.n / months.size;
    expect(months.get(10)!).toBeGreaterThan(avg);
    const c = s.customers;
    let withOrders = 0;
    for (let k = 0; k < c.n; k++) if (c.ordersCount[k] > 0) withOrders++;
    expect(withOrders).toBeGreaterThan(c.n * 0.5);
  });
});
