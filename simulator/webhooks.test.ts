/* eslint-disable @typescript-eslint/no-explicit-any -- JSON payloads */
import "@shopify/shopify-api/adapters/node";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "./index.ts";
import type { Simulator } from "./index.ts";
import { control, shopifyLibrary } from "../tests/support/simulator-client.ts";

const KEY = "wh-key";
const SECRET = "wh-secret";

interface Received {
  topic: string;
  webhookId: string;
  eventId: string;
  body: any;
  valid: boolean;
  headers: http.IncomingHttpHeaders;
}

let sim: Simulator;
let receiver: http.Server;
let base = "";
const received: Received[] = [];
const failuresLeft = new Map<string, number>();
let hangNext = 0;

const shopify = shopifyLibrary(KEY, SECRET);

beforeAll(async () => {
  receiver = http.createServer((req, res) => void receive(req, res));
  async function receive(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const path = req.url ?? "/";
    if (path === "/hang" && hangNext > 0) {
      hangNext--;
      return; // never answer
    }
    const check = await shopify.webhooks.validate({ rawBody, rawRequest: req, rawResponse: res });
    received.push({
      topic: String(req.headers["x-shopify-topic"]),
      webhookId: String(req.headers["x-shopify-webhook-id"]),
      eventId: String(req.headers["x-shopify-event-id"]),
      body: JSON.parse(rawBody),
      valid: check.valid,
      headers: req.headers,
    });
    const left = failuresLeft.get(path) ?? 0;
    if (left > 0) {
      failuresLeft.set(path, left - 1);
      res.writeHead(500).end("nope");
      return;
    }
    res.writeHead(200).end("ok");
  }
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  sim = await startSimulator({
    webhookRetry: { attempts: 4, baseDelayMs: 10, timeoutMs: 300 },
    apps: [
      {
        apiKey: KEY,
        apiSecret: SECRET,
        scopes: ["read_orders", "read_products", "read_customers"],
        webhooks: [
          { topics: ["orders/create", "orders/updated", "orders/cancelled", "orders/delete"], uri: `${base}/orders` },
          {
            topics: [
              "products/create",
              "products/update",
              "products/delete",
              "customers/create",
              "customers/update",
              "customers/delete",
            ],
            uri: `${base}/catalog`,
          },
          {
            topics: ["app/uninstalled", "customers/data_request", "customers/redact", "shop/redact"],
            uri: `${base}/compliance`,
          },
        ],
      },
    ],
    shops: [{ name: "hooks", orders: 50, customers: 20, products: 10, plan: "unlimited" }],
  });
  sim.installApp("hooks", KEY);
});
afterAll(async () => {
  await sim.close();
  await new Promise<void>((r) => {
    receiver.close(() => r());
    receiver.closeAllConnections();
  });
});

function take(topic: string): Received[] {
  return received.filter((r) => r.topic === topic);
}

// Over 120 lines as the list of its tests, each of them short: they share the simulator above.
describe("webhooks", () => {
  it("delivers order topics with headers and HMAC that @shopify/shopify-api validates", async () => {
    received.length = 0;
    const order = sim.control.createOrder("hooks", { line_items: [] });
    sim.control.updateOrder("hooks", order.id, { note: "hello" });
    sim.control.cancelOrder("hooks", order.id, { reason: "customer" });
    sim.control.deleteOrder("hooks", order.id);
    await sim.control.flushWebhooks();
    expect(received.every((r) => r.valid)).toBe(true);
    const created = take("orders/create")[0];
    expect(created.body.id).toBe(order.id);
    expect(created.body.line_items.length).toBeGreaterThan(0);
    expect(created.headers["x-shopify-shop-domain"]).toBe("hooks.myshopify.com");
    expect(created.headers["x-shopify-api-version"]).toMatch(/^\d{4}-\d{2}$/);
    expect(Date.parse(String(created.headers["x-shopify-triggered-at"]))).not.toBeNaN();
    expect(take("orders/updated").length).toBeGreaterThanOrEqual(2);
    expect(take("orders/cancelled")[0].body.cancelled_at).toBeTruthy();
    expect(take("orders/delete")[0].body).toEqual({ id: order.id });
    const log = sim.control.deliveries({ shop: "hooks", topic: "orders/delete" });
    expect(log).toHaveLength(1);
    expect(log[0].state).toBe("delivered");
  });

  it("delivers product and customer topics", async () => {
    received.length = 0;
    const p = sim.control.createProduct("hooks", { title: "Hook Tee", variants: [{ price: "12.50", sku: "HT-1" }] });
    sim.control.updateProduct("hooks", p.id, { title: "Hook Tee 2" });
    sim.control.deleteProduct("hooks", p.id);
    const c = sim.control.createCustomer("hooks", {
      first_name: "Web",
      last_name: "Hook",
      email: "web.hook@example.com",
    });
    sim.control.updateCustomer("hooks", c.id, { tags: ["vip"] });
    sim.control.deleteCustomer("hooks", c.id);
    await sim.control.flushWebhooks();
    expect(take("products/create")[0].body.variants[0].price).toBe("12.50");
    expect(take("products/update")[0].body.title).toBe("Hook Tee 2");
    expect(take("products/delete")[0].body).toEqual({ id: p.id });
    expect(take("customers/create")[0].body.email).toBe("web.hook@example.com");
    expect(take("customers/update")[0].body.tags).toBe("vip");
    expect(take("customers/delete")[0].body).toEqual({ id: c.id });
    expect(received.every((r) => r.valid)).toBe(true);
  });

  it("retries non-2xx answers with backoff and logs every attempt", async () => {
    received.length = 0;
    failuresLeft.set("/catalog", 2);
    const p = sim.control.createProduct("hooks", { title: "Retry" });
    await sim.control.flushWebhooks();
    const attempts = take("products/create");
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.webhookId)).size).toBe(1);
    const log = sim.control.deliveries({ topic: "products/create" }).find((d) => JSON.parse(d.body).id === p.id)!;
    expect(log.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(log.state).toBe("delivered");
  });

  it("retries slow answers and gives up after the configured attempts", async () => {
    hangNext = 1;
    await sim.control.setWebhooks(KEY, [{ topics: ["orders/create"], uri: `${base}/hang` }]);
    received.length = 0;
    sim.control.createOrder("hooks", {});
    await sim.control.flushWebhooks();
    const log = sim.control.deliveries({ topic: "orders/create" }).at(-1)!;
    expect(log.attempts[0].status).toBeNull();
    expect(log.attempts[0].error).toContain("timeout");
    expect(log.attempts[1].status).toBe(200);
    failuresLeft.set("/hang", 10);
    sim.control.createOrder("hooks", {});
    await sim.control.flushWebhooks();
    const failed = sim.control.deliveries({ topic: "orders/create" }).at(-1)!;
    expect(failed.state).toBe("failed");
    expect(failed.attempts).toHaveLength(4);
    failuresLeft.set("/hang", 0);
  });

  it("sends duplicates and out-of-order deliveries on request", async () => {
    sim.control.setWebhooks(KEY, [{ topics: ["orders/create"], uri: `${base}/orders` }], { duplicates: true });
    received.length = 0;
    const o = sim.control.createOrder("hooks", {});
    await sim.control.flushWebhooks();
    const dup = take("orders/create").filter((r) => r.body.id === o.id);
    expect(dup).toHaveLength(2);
    expect(dup[0].webhookId).toBe(dup[1].webhookId);
    expect(dup[0].eventId).toBe(dup[1].eventId);
    sim.control.setWebhooks(KEY, [{ topics: ["orders/create"], uri: `${base}/orders` }], {
      duplicates: false,
      shuffle: true,
    });
    received.length = 0;
    const a = sim.control.createOrder("hooks", {});
    const b = sim.control.createOrder("hooks", {});
    await sim.control.flushWebhooks();
    expect(take("orders/create").map((r) => r.body.id)).toEqual([b.id, a.id]);
    const viaHttp = await control(sim, "PUT", `apps/${KEY}/webhooks`, {
      subscriptions: [{ topics: ["orders/create"], uri: `${base}/orders` }],
    });
    expect(viaHttp.status).toBe(200);
  });

  it("sends compliance topics and app/uninstalled on request", async () => {
    sim.control.setWebhooks(
      KEY,
      [
        {
          topics: ["app/uninstalled", "customers/data_request", "customers/redact", "shop/redact"],
          uri: `${base}/compliance`,
        },
      ],
      { shuffle: false },
    );
    received.length = 0;
    sim.control.sendCompliance("hooks", KEY, "customers/redact");
    sim.control.sendCompliance("hooks", KEY, "customers/data_request");
    const viaHttp = await control(sim, "POST", `shops/hooks/apps/${KEY}/compliance`, { topic: "shop/redact" });
    expect(viaHttp.status).toBe(200);
    sim.control.uninstall("hooks", KEY);
    await sim.control.flushWebhooks();
    const redact = take("customers/redact")[0].body;
    expect(redact.shop_domain).toBe("hooks.myshopify.com");
    expect(typeof redact.customer.id).toBe("number");
    expect(Array.isArray(redact.orders_to_redact)).toBe(true);
    expect(take("customers/data_request")[0].body.data_request.id).toBeTruthy();
    expect(take("shop/redact")[0].body).toEqual({ shop_id: expect.any(Number), shop_domain: "hooks.myshopify.com" });
    expect(take("app/uninstalled")[0].body.myshopify_domain).toBe("hooks.myshopify.com");
    expect(received.every((r) => r.valid)).toBe(true);
    const http = await control(sim, "GET", "webhooks/deliveries?shop=hooks&topic=app/uninstalled");
    expect(http.json).toHaveLength(1);
  });
});
