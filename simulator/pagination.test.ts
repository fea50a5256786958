/* eslint-disable @typescript-eslint/no-explicit-any -- JSON payloads */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "./index.ts";
import type { Simulator } from "./index.ts";
import { API, admin, call, control, fetchAll, links } from "../tests/support/simulator-client.ts";

let sim: Simulator;
let token: string;

beforeAll(async () => {
  sim = await startSimulator({
    apps: [{ apiKey: "app1", apiSecret: "secret1", scopes: ["read_orders", "read_products", "read_customers"] }],
    shops: [
      { name: "pager", seed: 7, orders: 1200, customers: 300, products: 60, plan: "unlimited" },
      { name: "bigvar", seed: 3, orders: 10, products: 5, bigVariantProducts: 2, plan: "unlimited" },
    ],
  });
  token = sim.installApp("pager", "app1").accessToken;
});
afterAll(() => sim.close());

// Over 120 lines as the list of its tests, each of them short: they share the simulator above.
describe("cursor pagination", () => {
  it("emits Shopify's Link header syntax and round-trips page_info", async () => {
    const first = await admin(sim, "pager", "orders.json?status=any&limit=100", token);
    expect(first.status).toBe(200);
    expect(first.headers["x-shopify-api-version"]).toBe(API);
    expect(first.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.json.orders).toHaveLength(100);
    expect(first.headers.link).toMatch(
      /^<https:\/\/pager\.myshopify\.com\/admin\/api\/2026-01\/orders\.json\?page_info=[A-Za-z0-9_-]+&limit=100>; rel="next"$/,
    );
    const l1 = links(first.headers.link);
    expect(l1.previous).toBeUndefined();
    const second = await call(sim, l1.next!, { token });
    expect(second.status).toBe(200);
    const l2 = links(second.headers.link);
    expect(l2.previous).toBeDefined();
    expect(l2.next).toBeDefined();
    expect(second.headers.link!.indexOf('rel="previous"')).toBeLessThan(second.headers.link!.indexOf('rel="next"'));
    const back = await call(sim, l2.previous!, { token });
    expect(back.json.orders.map((o: any) => o.id)).toEqual(first.json.orders.map((o: any) => o.id));
    const ids = [...first.json.orders, ...second.json.orders].map((o: any) => o.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids).size).toBe(200);
  });

  it("pages through everything with no duplicates and matches count.json", async () => {
    const all = await fetchAll(sim, "pager", "orders", "status=any&limit=250", token);
    const count = await admin(sim, "pager", "orders/count.json?status=any", token);
    expect(all.length).toBe(count.json.count);
    expect(all.length).toBe(1200);
    expect(new Set(all.map((o) => o.id)).size).toBe(all.length);
    const last = await fetchAll(sim, "pager", "orders", "status=any&limit=250", token);
    expect(last.map((o) => o.id)).toEqual(all.map((o) => o.id));
  });

  it("defaults to 50, accepts 250 and rejects out-of-range limits with 400", async () => {
    const d = await admin(sim, "pager", "orders.json?status=any", token);
    expect(d.json.orders).toHaveLength(50);
    expect(links(d.headers.link).next).toContain("limit=50");
    const max = await admin(sim, "pager", "orders.json?status=any&limit=250", token);
    expect(max.json.orders).toHaveLength(250);
    for (const bad of ["251", "0", "-1", "abc", "1.5"]) {
      const r = await admin(sim, "pager", `orders.json?limit=${bad}`, token);
      expect(r.status).toBe(400);
      expect(r.json.errors.limit).toBeTruthy();
    }
  });

  it("only accepts limit and fields beside page_info", async () => {
    const first = await admin(sim, "pager", "orders.json?status=any&limit=5", token);
    const next = links(first.headers.link).next!;
    const r = await call(sim, `${next}&status=any`, { token });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ errors: { status: "status cannot be passed when page_info is present." } });
    const r2 = await call(sim, `${next}&created_at_min=2026-01-01`, { token });
    expect(r2.status).toBe(400);
    const ok = await call(sim, `${next.replace("limit=5", "limit=7")}&fields=id`, { token });
    expect(ok.status).toBe(200);
    expect(ok.json.orders).toHaveLength(7);
    expect(Object.keys(ok.json.orders[0])).toEqual(["id"]);
    const bad = await admin(sim, "pager", "orders.json?page_info=not-a-cursor", token);
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ errors: { page_info: "Invalid value." } });
    const wrongResource = await call(sim, next.replace("/orders.json", "/products.json"), { token });
    expect(wrongResource.status).toBe(400);
  });

  it("keeps filters in the cursor and carries fields into the links", async () => {
    const r = await admin(
      sim,
      "pager",
      "orders.json?status=any&financial_status=refunded&limit=3&fields=id,financial_status",
      token,
    );
    const l = links(r.headers.link);
    expect(l.next).toContain("fields=id,financial_status");
    const page2 = await call(sim, l.next!, { token });
    for (const o of [...r.json.orders, ...page2.json.orders]) {
      expect(Object.keys(o).sort()).toEqual(["financial_status", "id"]);
      expect(o.financial_status).toBe("refunded");
    }
  });

  it("applies status, date, since_id and ids filters", async () => {
    const all = await fetchAll(sim, "pager", "orders", "status=any&limit=250", token);
    const open = await fetchAll(sim, "pager", "orders", "limit=250", token);
    expect(open.every((o) => o.closed_at === null)).toBe(true);
    expect(open.length).toBe(all.filter((o) => o.closed_at === null).length);
    const closed = await fetchAll(sim, "pager", "orders", "status=closed&limit=250", token);
    expect(closed.length).toBe(all.filter((o) => o.closed_at !== null).length);
    const cancelled = await fetchAll(sim, "pager", "orders", "status=cancelled&limit=250", token);
    expect(cancelled.length).toBeGreaterThan(0);
    expect(cancelled.length).toBe(all.filter((o) => o.cancelled_at !== null).length);
    const mid = all[600];
    const since = await fetchAll(sim, "pager", "orders", `status=any&limit=250&since_id=${mid.id}`, token);
    expect(since.map((o) => o.id)).toEqual(all.slice(601).map((o) => o.id));
    const from = mid.created_at;
    const created = await fetchAll(
      sim,
      "pager",
      "orders",
      `status=any&limit=250&created_at_min=${encodeURIComponent(from)}`,
      token,
    );
    expect(created.length).toBe(all.filter((o) => Date.parse(o.created_at) >= Date.parse(from)).length);
    const updMax = await fetchAll(
      sim,
      "pager",
      "orders",
      `status=any&limit=250&updated_at_max=${encodeURIComponent(from)}`,
      token,
    );
    expect(updMax.length).toBe(all.filter((o) => Date.parse(o.updated_at) <= Date.parse(from)).length);
    const pick = [all[3].id, all[10].id, all[500].id];
    const byIds = await admin(sim, "pager", `orders.json?status=any&ids=${pick.join(",")}`, token);
    expect(byIds.json.orders.map((o: any) => o.id)).toEqual(pick);
    const bad = await admin(sim, "pager", "orders.json?status=bogus", token);
    expect(bad.status).toBe(400);
    const badDate = await admin(sim, "pager", "orders.json?created_at_min=yesterday", token);
    expect(badDate.status).toBe(400);
  });

  it("stays stable while records change underneath", async () => {
    const seen: number[] = [];
    let url: string | undefined = `https://pager.myshopify.com/admin/api/${API}/orders.json?status=any&limit=250`;
    let page = 0;
    let deletedAhead: number | null = null;
    let createdId: number | null = null;
    while (url) {
      const r = await call(sim, url, { token });
      expect(r.status).toBe(200);
      const ids = r.json.orders.map((o: any) => o.id);
      seen.push(...ids);
      if (page === 1) {
        // delete a record on a later page, update one already seen, create a new one
        const later = await admin(
          sim,
          "pager",
          `orders.json?status=any&limit=1&since_id=${ids[ids.length - 1] + 5000}&fields=id`,
          token,
        );
        deletedAhead = later.json.orders[0].id;
        expect((await control(sim, "DELETE", `shops/pager/orders/${deletedAhead}`)).status).toBe(200);
        expect((await control(sim, "PUT", `shops/pager/orders/${seen[0]}`, { note: "changed" })).status).toBe(200);
        createdId = (await control(sim, "POST", "shops/pager/orders", {})).json.id;
      }
      url = links(r.headers.link).next;
      page++;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).not.toContain(deletedAhead);
    expect(seen[seen.length - 1]).toBe(createdId);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    const count = await admin(sim, "pager", "orders/count.json?status=any", token);
    expect(seen.length).toBe(count.json.count);
  });

  it("paginates products and customers and caps variants at 100", async () => {
    const ct = sim.installApp("bigvar", "app1").accessToken;
    const products = await fetchAll(sim, "bigvar", "products", "limit=2", ct);
    expect(products).toHaveLength(5);
    const big = products.filter((p) => p.variants.length === 100);
    expect(big).toHaveLength(2);
    const single = await admin(sim, "bigvar", `products/${big[0].id}.json`, ct);
    expect(single.json.product.variants).toHaveLength(100);
    expect(sim.truth("bigvar").counts.variants).toBeGreaterThan(products.reduce((a, p) => a + p.variants.length, 0));
    for (const p of products) {
      expect(p.admin_graphql_api_id).toBe(`gid://shopify/Product/${p.id}`);
      for (const v of p.variants) {
        expect(typeof v.price).toBe("string");
        expect(v.price).toMatch(/^\d+\.\d{2}$/);
        expect(typeof v.inventory_item_id).toBe("number");
        expect(typeof v.inventory_quantity).toBe("number");
        expect(v.sku).toBeTruthy();
      }
    }
    const customers = await fetchAll(sim, "pager", "customers", "limit=100", token);
    const cc = await admin(sim, "pager", "customers/count.json", token);
    expect(customers.length).toBe(cc.json.count);
    expect(customers.length).toBe(300);
    const pc = await admin(sim, "pager", "products/count.json", token);
    expect(pc.json.count).toBe(60);
  });

  it("serves single resources and 404s", async () => {
    const list = await admin(sim, "pager", "orders.json?status=any&limit=1", token);
    const id = list.json.orders[0].id;
    const one = await admin(sim, "pager", `orders/${id}.json?fields=id,total_price`, token);
    expect(one.json).toEqual({ order: { id, total_price: list.json.orders[0].total_price } });
    const missing = await admin(sim, "pager", "orders/1.json", token);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ errors: "Not Found" });
    const unknown = await admin(sim, "pager", "widgets.json", token);
    expect(unknown.status).toBe(404);
    const noShop = await call(sim, `https://nosuchshop.myshopify.com/admin/api/${API}/shop.json`, { token });
    expect(noShop.status).toBe(404);
    const shop = await admin(sim, "pager", "shop.json", token);
    expect(shop.json.shop.myshopify_domain).toBe("pager.myshopify.com");
    expect(shop.json.shop.iana_timezone).toBe("America/New_York");
    const anyVersion = await call(sim, `https://pager.myshopify.com/admin/api/2031-07/shop.json`, { token });
    expect(anyVersion.status).toBe(200);
    expect(anyVersion.headers["x-shopify-api-version"]).toBe("2031-07");
    const badVersion = await call(sim, `https://pager.myshopify.com/admin/api/latest/shop.json`, { token });
    expect(badVersion.status).toBe(404);
  });

  it("answers over plain HTTP with the Host header selecting the shop", async () => {
    const r = await call(sim, `${sim.url}/admin/api/${API}/orders.json?status=any&limit=2`, {
      token,
      headers: { host: "pager.myshopify.com" },
    });
    expect(r.status).toBe(200);
    expect(r.json.orders).toHaveLength(2);
    expect(links(r.headers.link).next).toMatch(/^http:\/\/pager\.myshopify\.com\//);
  });
});
