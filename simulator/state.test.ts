/* eslint-disable @typescript-eslint/no-explicit-any -- JSON payloads */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ID_TOKEN_TYPE, OFFLINE_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from "./auth.ts";
import { StateFileError, startSimulator } from "./index.ts";
import type { AppSpec, ShopSpec, Simulator, SimulatorOptions } from "./index.ts";
import { API, admin, call, control, links } from "../tests/support/simulator-client.ts";

const KEY = "keeper";
const SECRET = "keeper-secret";
const SCOPES = ["read_orders", "read_products", "read_customers"];
// a shop clock ahead of the wall clock, so that it runs from `now` and a restart could set it back
const SHOP: ShopSpec = { name: "keep", seed: 7, orders: 300, customers: 60, products: 15, now: "2030-03-01T00:00:00Z" };
const SALES_RANGE = "from=2029-08-01&to=2030-03-31";

let dir: string;
let hookServer: http.Server;
let hookUrl: string;
const hooks: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "sim-state-"));
  hookServer = http.createServer((req, res) => {
    hooks.push(String(req.headers["x-shopify-topic"]));
    req.resume();
    req.on("end", () => res.end("ok"));
  });
  await new Promise<void>((r) => hookServer.listen(0, "127.0.0.1", r));
  hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/webhooks`;
});
afterAll(async () => {
  await new Promise((r) => hookServer.close(r));
  rmSync(dir, { recursive: true, force: true });
});

function options(file: string, over: Partial<SimulatorOptions> = {}): SimulatorOptions {
  const app: AppSpec = { apiKey: KEY, apiSecret: SECRET, scopes: SCOPES, webhooks: [{ topics: ["*"], uri: hookUrl }] };
  return {
    apps: [app, { apiKey: "other", apiSecret: "other-secret", scopes: ["read_products"] }],
    shops: [SHOP],
    state: file,
    rateLimits: false,
    webhookRetry: { attempts: 1, baseDelayMs: 10, timeoutMs: 2000 },
    ...over,
  };
}

async function oauth(sim: Simulator, body: Record<string, unknown>) {
  return call(sim, `https://keep.myshopify.com/admin/oauth/access_token`, {
    method: "POST",
    body: { client_id: KEY, client_secret: SECRET, ...body },
  });
}

async function mutate(sim: Simulator, method: string, p: string, body?: unknown) {
  const r = await control(sim, method, `shops/keep/${p}`, body);
  expect(r.status, `${method} ${p}: ${r.text}`).toBe(200);
  return r.json;
}

/** Every page of a list as served (bodies and Link headers), following next links. */
async function pages(sim: Simulator, resource: string, query: string, token: string) {
  const out: { text: string; link: string | undefined }[] = [];
  let url: string | undefined = `https://keep.myshopify.com/admin/api/${API}/${resource}.json?${query}`;
  while (url) {
    const r = await call(sim, url, { token });
    expect(r.status, r.text).toBe(200);
    out.push({ text: r.text, link: r.headers.link });
    url = links(r.headers.link).next;
  }
  return out;
}

/** Everything the app or a test can observe of the shop. */
async function snapshot(sim: Simulator, token: string) {
  const get = async (p: string) => {
    const r = await admin(sim, "keep", p, token);
    expect(r.status, `${p}: ${r.text}`).toBe(200);
    return r.json;
  };
  return {
    truth: (await control(sim, "GET", "shops/keep/truth")).json,
    sales: (await control(sim, "GET", `shops/keep/truth/sales?${SALES_RANGE}`)).json,
    info: (await control(sim, "GET", "shops/keep")).json,
    controlEvents: (await control(sim, "GET", "shops/keep/events")).json,
    shop: await get("shop.json"),
    orders: await pages(sim, "orders", "status=any&limit=50", token),
    ordersByUpdate: await pages(sim, "orders", "status=any&limit=100&order=updated_at%20asc", token),
    products: await pages(sim, "products", "limit=250", token),
    customers: await pages(sim, "customers", "limit=250", token),
    events: await pages(sim, "events", "limit=100", token),
    counts: {
      orders: await get("orders/count.json?status=any"),
      cancelled: await get("orders/count.json?status=cancelled"),
      products: await get("products/count.json"),
      customers: await get("customers/count.json"),
      events: await get("events/count.json"),
    },
  };
}

function lastEvent(snap: Awaited<ReturnType<typeof snapshot>>): any {
  return JSON.parse(snap.events.at(-1)!.text).events.at(-1);
}

// Over 120 lines as the list of its tests, each of them short: they share the setup above.
describe("--state: a restart restores the previous run", () => {
  const file = () => path.join(dir, "main.jsonl");
  let token: string;
  let refresh: string;
  let usedRefresh: string;
  let expiringToken: string;
  let otherToken: string;
  let before: Awaited<ReturnType<typeof snapshot>>;
  let hooksAfterRun1: number;
  let productId: number;

  it("records a run: token exchange, installs, and a mix of mutations", async () => {
    const sim = await startSimulator(options(file()));
    try {
      expect(sim.state).toMatchObject({ file: file(), restored: false, changes: 0, warnings: [] });
      const exchanged = await oauth(sim, {
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token: sim.sessionToken("keep", KEY),
        subject_token_type: ID_TOKEN_TYPE,
        requested_token_type: OFFLINE_TOKEN_TYPE,
      });
      expect(exchanged.status, exchanged.text).toBe(200);
      token = exchanged.json.access_token;
      // an expiring token, refreshed once: the first refresh token is spent
      const installed = await mutate(sim, "POST", `apps/${KEY}/install`, { expiring: true });
      usedRefresh = installed.refreshToken;
      const refreshed = await oauth(sim, { grant_type: "refresh_token", refresh_token: usedRefresh });
      expect(refreshed.status, refreshed.text).toBe(200);
      expiringToken = refreshed.json.access_token;
      refresh = refreshed.json.refresh_token;
      otherToken = sim.installApp("keep", "other").accessToken;
      await mutate(sim, "POST", "apps/other/uninstall");

      const products = JSON.parse((await pages(sim, "products", "limit=250", token))[0].text).products;
      const orders = JSON.parse((await pages(sim, "orders", "status=any&limit=50", token))[0].text).orders;
      const customer = await mutate(sim, "POST", "customers", {
        first_name: "Ada",
        last_name: "Lovelace",
        email: "ada@example.com",
      });
      const order = await mutate(sim, "POST", "orders", {
        line_items: [
          { variant_id: products[0].variants[0].id, quantity: 3 },
          { variant_id: products[1].variants[0].id, quantity: 1 },
        ],
        customer_id: customer.id,
        shipping_lines: [{ title: "Ship", price: "7.00" }],
        discount_codes: [{ code: "TEN", type: "percentage", amount: 10 }],
      });
      // no line items: the simulator picks a product with its seeded generator
      const picked = await mutate(sim, "POST", "orders", { customer: { first_name: "Bo", email: "bo@example.com" } });
      await mutate(sim, "POST", `orders/${order.id}/refund`, {
        lineItems: [{ lineItemId: order.line_items[0].id, quantity: 1 }],
      });
      await mutate(sim, "POST", `orders/${picked.id}/cancel`, { refund: true, reason: "customer" });
      await mutate(sim, "DELETE", `orders/${orders[3].id}`);
      await mutate(sim, "PUT", `orders/${orders[5].id}`, { note: "gift", fulfillment_status: "fulfilled" });
      // fails after changing part of the order: replayed as it happened
      const half = await control(sim, "PUT", `shops/keep/orders/${orders[6].id}`, { note: "half", bogus: 1 });
      expect(half.status).toBe(422);
      productId = products[2].id;
      await mutate(sim, "PUT", `products/${productId}`, {
        title: "Renamed",
        variants: [{ id: products[2].variants[0].id, price: "12.34" }],
      });
      await mutate(sim, "DELETE", `products/${products[4].id}`);
      await mutate(sim, "POST", "products", { title: "Brand new", variants: [{ price: "3.00" }, { price: "4.00" }] });
      await mutate(sim, "PUT", `customers/${customer.id}`, { note: "VIP", accepts_marketing: true });
      await mutate(sim, "PUT", "plan", { plan: "shopify_plus" });
      await mutate(sim, "PUT", "protected-customer-data", { approved: false });
      await mutate(sim, "PUT", "protected-customer-data", { approved: true });
      await mutate(sim, "PUT", `apps/${KEY}/scopes`, { scopes: [...SCOPES, "read_inventory"] });
      // a shop and an app added while running come back too
      expect((await control(sim, "POST", "shops", { name: "extra", orders: 5 })).status).toBe(200);
      expect(
        (await control(sim, "POST", "apps", { apiKey: "late", apiSecret: "late-secret", scopes: [] })).status,
      ).toBe(200);
      sim.installApp("extra", "late");
      sim.control.createOrder("extra", {});

      before = await snapshot(sim, token);
      expect(before.counts.orders.count).toBe(300 + 2 - 1);
      await sim.control.flushWebhooks();
      hooksAfterRun1 = hooks.length;
      expect(hooksAfterRun1).toBeGreaterThan(10);
    } finally {
      await sim.close();
    }
    const lines = readFileSync(file(), "utf8").trimEnd().split("\n");
    expect(JSON.parse(lines[0])).toMatchObject({ format: "shopify-simulator-state", version: 1, shops: [SHOP] });
    expect(lines.slice(1).map((l) => JSON.parse(l).op)).toContain("refundOrder");
  });

  it("restores the same store, tokens and truth, without webhooks or counted calls", async () => {
    const sim = await startSimulator(options(file()));
    try {
      expect(sim.state).toMatchObject({ restored: true, warnings: [] });
      expect(sim.state!.changes).toBeGreaterThan(15);
      expect(sim.control.stats().requests).toBe(0);
      expect(sim.control.deliveries()).toEqual([]);
      const after = await snapshot(sim, token);
      expect(after).toEqual(before);
      await sim.control.flushWebhooks();
      expect(sim.control.deliveries()).toEqual([]);
      expect(hooks.length).toBe(hooksAfterRun1);

      // tokens: the exchanged and the refreshed one work, the uninstalled app's does not
      expect((await admin(sim, "keep", "shop.json", expiringToken)).status).toBe(200);
      expect((await admin(sim, "keep", "shop.json", otherToken)).status).toBe(401);
      expect(sim.currentToken("keep", "other")).toBeNull();
      expect(sim.currentToken("keep", KEY)).toEqual({
        accessToken: token,
        scope: [...SCOPES, "read_inventory"].join(","),
      });
      expect((await oauth(sim, { grant_type: "refresh_token", refresh_token: usedRefresh })).status).toBe(400);
      const again = await oauth(sim, { grant_type: "refresh_token", refresh_token: refresh });
      expect(again.status, again.text).toBe(200);
      expect((await admin(sim, "keep", "shop.json", again.json.access_token)).status).toBe(200);
      expect(again.json.scope).toBe([...SCOPES, "read_inventory"].join(","));
      expect((await control(sim, "GET", "shops/extra")).json.counts.orders).toBe(6);
      expect(sim.currentToken("extra", "late")).not.toBeNull();
    } finally {
      await sim.close();
    }
  });

  let afterFurther: Awaited<ReturnType<typeof snapshot>>;
  let latestTruth: unknown;

  it("goes on after a restore with the next ids and later timestamps", async () => {
    const sim = await startSimulator(options(file()));
    try {
      const last = lastEvent(before);
      const ordersBefore = before.orders.flatMap((p) => JSON.parse(p.text).orders);
      const maxOrderId = Math.max(...ordersBefore.map((o: any) => o.id));
      const maxNumber = Math.max(...ordersBefore.map((o: any) => o.order_number));
      const created = await mutate(sim, "POST", "orders", {});
      expect(created.id).toBeGreaterThan(maxOrderId);
      expect(created.order_number).toBe(maxNumber + 1);
      expect(Date.parse(created.created_at)).toBeGreaterThanOrEqual(Date.parse(last.created_at));
      const oldProduct = JSON.parse(before.products[0].text).products.find((p: any) => p.id === productId);
      await new Promise((r) => setTimeout(r, 1100));
      const updated = await mutate(sim, "PUT", `products/${productId}`, { title: "Renamed again" });
      expect(Date.parse(updated.updated_at)).toBeGreaterThan(Date.parse(oldProduct.updated_at));
      afterFurther = await snapshot(sim, token);
      const events = afterFurther.events.flatMap((p) => JSON.parse(p.text).events);
      expect(events.at(-2).id).toBe(last.id + 1);
      expect(events.at(-2).subject_id).toBe(created.id);
      expect(events.at(-1).created_at >= last.created_at).toBe(true);
    } finally {
      await sim.close();
    }
  });

  it("ignores a torn last line with a warning and appends after it cleanly", async () => {
    appendFileSync(file(), `{"n":9999,"op":"createOrder","shop":"keep","at":18930`);
    const sim = await startSimulator(options(file()));
    let createdId: number;
    try {
      expect(sim.state!.warnings).toHaveLength(1);
      expect(sim.state!.warnings[0]).toMatch(/ignoring its last line, cut short/);
      expect(await snapshot(sim, token)).toEqual(afterFurther);
      createdId = (await mutate(sim, "POST", "customers", { first_name: "After", last_name: "Tear" })).id;
      latestTruth = sim.truth("keep");
    } finally {
      await sim.close();
    }
    for (const line of readFileSync(file(), "utf8").trimEnd().split("\n")) expect(() => JSON.parse(line)).not.toThrow();
    const again = await startSimulator(options(file()));
    try {
      expect(again.state!.warnings).toEqual([]);
      expect((await admin(again, "keep", `customers/${createdId}.json`, token)).status).toBe(200);
    } finally {
      await again.close();
    }
  });

  it("uses the stored shops and apps when this run's differ, and says so", async () => {
    const sim = await startSimulator(
      options(file(), {
        shops: [{ ...SHOP, orders: 10, now: "2031-01-01T00:00:00Z" }],
        apps: [{ apiKey: KEY, apiSecret: SECRET, scopes: ["read_orders"] }],
      }),
    );
    try {
      expect(sim.state!.warnings).toHaveLength(1);
      const w = sim.state!.warnings[0];
      expect(w).toMatch(/using the shops and apps it was started with, not this run's/);
      expect(w).toContain(`shop keep: now "2030-03-01T00:00:00Z" in the file, "2031-01-01T00:00:00Z" given`);
      expect(w).toContain("shop keep: orders 300 in the file, 10 given");
      expect(w).toContain("app other is in the state file only");
      expect(w).not.toContain("\n");
      expect(sim.state!.shops).toEqual([SHOP, { name: "extra", orders: 5 }]);
      expect(sim.truth("keep")).toEqual(latestTruth);
      // both stored apps are there, with their stored secret and scopes
      expect(sim.currentToken("keep", KEY)!.accessToken).toBe(token);
    } finally {
      await sim.close();
    }
  });

  it("refuses a file that is not a state file", async () => {
    const bad = path.join(dir, "bad.jsonl");
    appendFileSync(bad, `{"hello":"world"}\n`);
    await expect(startSimulator(options(bad))).rejects.toThrow(StateFileError);
    await expect(startSimulator(options(bad))).rejects.toThrow(/is not a simulator state file/);
  });
});

describe("--state: the shop clock", () => {
  it("restores a mutation at its recorded time and never runs the clock back before it", async () => {
    const file = path.join(dir, "clock.jsonl");
    const spec: ShopSpec = { name: "keep", seed: 3, orders: 40, customers: 10, products: 5 };
    const first = await startSimulator({ shops: [spec], state: file });
    const product = first.control.createProduct("keep", { title: "Clockwork" });
    await first.close();
    // a change recorded a month ahead of any clock
    const at = Math.floor(Date.now() / 1000) + 30 * 86400;
    appendFileSync(
      file,
      JSON.stringify({ n: 2, op: "updateProduct", shop: "keep", at, args: [product.id, { title: "Later" }] }) + "\n",
    );
    const sim = await startSimulator({ shops: [spec], state: file });
    try {
      const restored = sim.control.createOrder("keep", { line_items: [{ variant_id: product.variants[0].id }] });
      const events = (await control(sim, "GET", "shops/keep/events")).json;
      const update = events.find((e: any) => e.verb === "update");
      expect(Date.parse(update.created_at) / 1000).toBe(at);
      expect(Date.parse(restored.created_at) / 1000).toBeGreaterThanOrEqual(at);
      // and runs on from there rather than standing still until the wall clock catches up
      await new Promise((r) => setTimeout(r, 1100));
      const later = sim.control.updateProduct("keep", product.id, { title: "Later still" });
      expect(Date.parse(later.updated_at) / 1000).toBeGreaterThan(at);
    } finally {
      await sim.close();
    }
  });
});

// the CLI needs Node 24 (type stripping): the project's own node binary when present
const CLI = fileURLToPath(new URL("./cli.ts", import.meta.url));
const localNode = fileURLToPath(new URL("../node_modules/.bin/node", import.meta.url));
const NODE = existsSync(localNode) ? localNode : process.execPath;

async function startCli(args: string[]): Promise<{ child: ChildProcess; summary: any; stderr: () => string }> {
  const child = spawn(NODE, [CLI, "--port", "0", "--https-port", "0", "--json", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  const line = await new Promise<string>((resolve, reject) => {
    let buf = "";
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (d: string) => {
      buf += d;
      if (buf.includes("\n")) resolve(buf.split("\n")[0]);
    });
    child.on("exit", (code) => reject(new Error(`cli exited with ${code}: ${err}`)));
  });
  return { child, summary: JSON.parse(line), stderr: () => err };
}

describe("--state on the command line", () => {
  it("documents the option", async () => {
    const child = spawn(NODE, [CLI, "--help"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    await new Promise((r) => child.on("exit", r));
    expect(out).toContain("--state FILE");
  });

  it("survives kill -9: the next run restores every answered mutation and keeps the printed token", async () => {
    const file = path.join(dir, "cli.jsonl");
    const first = await startCli(["--state", file, "--shop", "clikeep:seed=4,orders=50", "--app", "K:S:read_orders"]);
    const token = first.summary.tokens[0].accessToken;
    expect(first.summary.state).toEqual({ file, restored: false, changes: 0 });
    let orderId: number;
    try {
      const res = await request(`${first.summary.control}shops/clikeep/orders`, { method: "POST", body: "{}" });
      expect(res.statusCode).toBe(200);
      orderId = ((await res.body.json()) as any).id;
    } finally {
      first.child.kill("SIGKILL");
      await new Promise((r) => first.child.on("exit", r));
    }
    // neither --shop nor --app: both come from the file
    const second = await startCli(["--state", file]);
    try {
      expect(second.summary.shops).toEqual(["clikeep.myshopify.com"]);
      expect(second.summary.state).toMatchObject({ restored: true });
      expect(second.summary.tokens).toEqual([first.summary.tokens[0]]);
      const res = await request(`${second.summary.url}/admin/api/${API}/orders/${orderId}.json`, {
        headers: { host: "clikeep.myshopify.com", "x-shopify-access-token": token },
      });
      expect(res.statusCode).toBe(200);
      expect(second.stderr()).toBe("");
    } finally {
      second.child.kill("SIGTERM");
      await new Promise((r) => second.child.on("exit", r));
    }
  });

  it("fails with one line on a file that is not a state file", async () => {
    const bad = path.join(dir, "cli-bad.jsonl");
    appendFileSync(bad, "not json\n{}\n");
    const child = spawn(NODE, [CLI, "--port", "0", "--https-port", "0", "--state", bad], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const code = await new Promise((r) => child.on("exit", r));
    expect(code).toBe(2);
    expect(err.trimEnd().split("\n")).toEqual([
      `error: ${bad} is not a simulator state file (its first line is not a state header)`,
    ]);
  });
});
