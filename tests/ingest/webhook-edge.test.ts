import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import prisma from "../../app/db.server.ts";
import { PURGE_QUEUE } from "../../app/ingest/jobs.server.ts";
import { apiVersion } from "../../app/lib/api-version.ts";
import { WEBHOOK_BODY_LIMIT } from "../../app/lib/webhook-body.ts";
import { projectRoot } from "../../scripts/lib/database.ts";
import { startAppServer, type AppServer } from "../support/app-server.ts";
import { documentedCustomer, documentedOrder } from "../support/shopify-fixtures.ts";

// The one edge every webhook route goes through (app/web/webhook-request.server.ts), over HTTP: what
// a client can send wrong gets a 4xx with a reason and writes nothing, signed or not; app and
// compliance webhooks are handled once per X-Shopify-Webhook-Id; and a stream of large bodies costs
// the web server (`npm start`, a child process) no memory to speak of.

// A shop on a custom domain (SHOP_CUSTOM_DOMAIN), set before the app reads its configuration.
const CUSTOM_DOMAIN = vi.hoisted(() => {
  process.env.SHOP_CUSTOM_DOMAIN = "shops.example.test";
  return "shops.example.test";
});

const secret = process.env.SHOPIFY_API_SECRET!;
let app: AppServer;

beforeAll(async () => {
  app = await startAppServer();
});

afterAll(async () => {
  await app?.close();
  await prisma.$disconnect();
});

const routeOf = (topic: string) =>
  topic.startsWith("app/")
    ? `app/${topic.slice(4)}`
    : topic.startsWith("customers/data") || topic.endsWith("redact")
      ? "compliance"
      : "records";

interface Delivery {
  shop: string;
  topic: string;
  body: string;
  webhookId?: string;
  /** The key the HMAC is made with (the app's secret unless forged). */
  key?: string;
}

/** A webhook as Shopify sends it: the body signed with the app's secret. */
const deliver = ({ shop, topic, body, webhookId = randomUUID(), key = secret }: Delivery) =>
  fetch(`${app.url}/webhooks/${routeOf(topic)}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": topic,
      "x-shopify-shop-domain": shop,
      "x-shopify-api-version": apiVersion,
      "x-shopify-webhook-id": webhookId,
      "x-shopify-triggered-at": new Date().toISOString(),
      "x-shopify-hmac-sha256": createHmac("sha256", key).update(body).digest("base64"),
    },
    body,
  });

const answer = async (response: Response) => ({ status: response.status, text: await response.text() });

/** A shop as an install leaves it: its row and its offline session. */
async function installed(name: string) {
  const shop = `${name}.myshopify.com`;
  await prisma.shop.create({ data: { domain: shop, scopes: "read_orders" } });
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "x", accessToken: "t" } });
  return shop;
}

/** Everything a webhook can write for a shop. */
const written = async (shop: string) => ({
  deliveries: await prisma.webhookDelivery.count({ where: { shop } }),
  requests: await prisma.complianceRequest.count({ where: { shop } }),
  orders: await prisma.order.count({ where: { shop: { domain: shop } } }),
});

const customerPayload = (shop: string, extra: Record<string, unknown>) =>
  JSON.stringify({ shop_id: 1, shop_domain: shop, customer: { id: 207119551, email: null, phone: null }, ...extra });

describe("every webhook route", () => {
  it("goes through the edge, never Shopify's reader on a body it has not capped", () => {
    const routes = readdirSync(path.join(projectRoot, "app/routes")).filter((name) => name.startsWith("webhooks."));
    expect(routes.length).toBeGreaterThanOrEqual(4);
    for (const name of routes) {
      const source = readFileSync(path.join(projectRoot, "app/routes", name), "utf8");
      expect({ name, edge: source.includes("receiveWebhook(request") }).toEqual({ name, edge: true });
      expect({ name, library: /authenticate|shopify\.server/.test(source) }).toEqual({ name, library: false });
    }
  });
});

describe("signed webhooks a client got wrong", () => {
  it("answer 400 for a shop domain that is not a Shopify shop's, on every route", async () => {
    const stranger = "evil.example.com";
    for (const [topic, body] of [
      ["orders/delete", '{"id": 1}'],
      ["shop/redact", JSON.stringify({ shop_id: 1, shop_domain: stranger })],
      ["app/uninstalled", "{}"],
      ["app/scopes_update", '{"previous": [], "current": ["read_orders"]}'],
      // Domains Shopify's library also takes, but no shop has.
    ] as const) {
      expect(await answer(await deliver({ shop: stranger, topic, body }))).toEqual({
        status: 400,
        text: "X-Shopify-Shop-Domain is not a Shopify shop domain.",
      });
    }
    for (const shop of ["a.myshopify.io", "a.shop.dev", "admin.shopify.com"]) {
      expect((await deliver({ shop, topic: "app/uninstalled", body: "{}" })).status).toBe(400);
    }
    // A forged request learns nothing more than 401, whatever domain it names.
    const forged = await deliver({ shop: stranger, topic: "app/uninstalled", body: "{}", key: "someone-else" });
    expect(await answer(forged)).toEqual({
      status: 401,
      text: "The webhook's HMAC signature does not match its body.",
    });
    expect(await written(stranger)).toEqual({ deliveries: 0, requests: 0, orders: 0 });
  });

  it("take a shop on SHOP_CUSTOM_DOMAIN as a shop", async () => {
    const shop = `outlet.${CUSTOM_DOMAIN}`;
    await prisma.shop.create({ data: { domain: shop } });
    expect((await deliver({ shop, topic: "app/uninstalled", body: "{}" })).status).toBe(200);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).not.toBeNull();
    expect((await deliver({ shop: `outlet.evil${CUSTOM_DOMAIN}`, topic: "app/uninstalled", body: "{}" })).status).toBe(
      400,
    );
  });

  it("answer 400 to a body that is not JSON on the app webhooks, and write nothing", async () => {
    const shop = await installed("not-json");
    for (const topic of ["app/uninstalled", "app/scopes_update"]) {
      expect(await answer(await deliver({ shop, topic, body: "{not json" }))).toEqual({
        status: 400,
        text: "The webhook body is not JSON.",
      });
    }
    const after = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(after).toMatchObject({ uninstalledAt: null, scopes: "read_orders" });
    expect(await prisma.session.count({ where: { shop } })).toBe(1);
    expect(await written(shop)).toEqual({ deliveries: 0, requests: 0, orders: 0 });
  });

  it("answer 422 to app and compliance payloads without Shopify's fields, and write nothing", async () => {
    const shop = await installed("odd-payloads");
    const refused: [string, string][] = [
      ["customers/data_request", customerPayload(shop, { orders_requested: "all" })],
      ["customers/data_request", JSON.stringify({ shop_domain: shop, orders_requested: [1] })],
      ["customers/redact", customerPayload(shop, { customer: { id: "abc" }, orders_to_redact: [] })],
      ["customers/redact", customerPayload(shop, { customer: null, orders_to_redact: [] })],
      ["customers/redact", customerPayload(shop, { orders_to_redact: [1.5] })],
      ["customers/redact", customerPayload(shop, { shop_domain: "other.myshopify.com", orders_to_redact: [] })],
      ["shop/redact", "[]"],
      ["app/scopes_update", '{"current": "read_orders"}'],
      ["app/uninstalled", "42"],
    ];
    for (const [topic, body] of refused) {
      const response = await answer(await deliver({ shop, topic, body }));
      expect(response.status, `${topic} ${body}`).toBe(422);
      expect(response.text).toMatch(/^The .+ (payload lacks Shopify's fields or types: .+|is not the shop in .+)\.$/);
    }
    expect(await answer(await deliver({ shop, topic: "orders/create", body: '{"id": 1}' }))).toMatchObject({
      status: 422,
    });
    expect(await written(shop)).toEqual({ deliveries: 0, requests: 0, orders: 0 });
    expect(await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).toMatchObject({
      uninstalledAt: null,
      scopes: "read_orders",
    });
  });

  it("answer 422 to an order whose value PostgreSQL refuses (numeric overflow), and write nothing", async () => {
    const shop = await installed("overflow");
    const order = { ...documentedOrder(), total_price: "100000000000000000000.00" };
    const body = JSON.stringify(order);
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await answer(await deliver({ shop, topic: "orders/create", body }));
      expect(response.status).toBe(422);
      expect(response.text).toMatch(/^The record (has a value out of the range|does not have the fields)/);
    }
    expect(await written(shop)).toEqual({ deliveries: 0, requests: 0, orders: 0 });
    // The same order with Shopify's amount is written.
    expect((await deliver({ shop, topic: "orders/create", body: JSON.stringify(documentedOrder()) })).status).toBe(200);
    expect(await written(shop)).toMatchObject({ deliveries: 1, orders: 1 });
  });
});

describe("app and compliance webhooks", () => {
  it("handle a duplicated shop/redact once: one request recorded, one purge queued", async () => {
    const shop = await installed("redact-twice");
    const body = JSON.stringify({ shop_id: 1, shop_domain: shop });
    const webhookId = randomUUID();
    const copies = await Promise.all([1, 2].map(() => deliver({ shop, topic: "shop/redact", body, webhookId })));
    copies.push(await deliver({ shop, topic: "shop/redact", body, webhookId }));
    expect(copies.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(await prisma.complianceRequest.count({ where: { shop, topic: "shop/redact" } })).toBe(1);
    const purges = await prisma.$queryRawUnsafe<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>'shop' = $2",
      PURGE_QUEUE,
      shop,
    );
    expect(purges[0].n).toBe(1);
    expect(await prisma.webhookDelivery.count({ where: { shop, webhookId } })).toBe(1);
  });

  it("handle duplicated customer requests once each", async () => {
    const shop = await installed("requests-twice");
    for (const [topic, extra] of [
      ["customers/data_request", { orders_requested: [], data_request: { id: 9 } }],
      ["customers/redact", { orders_to_redact: [] }],
    ] as const) {
      const webhookId = randomUUID();
      const body = customerPayload(shop, extra);
      for (let copy = 0; copy < 2; copy++) expect((await deliver({ shop, topic, body, webhookId })).status).toBe(200);
      expect(await prisma.complianceRequest.count({ where: { shop, topic } })).toBe(1);
    }
  });

  it("leave a shop that reinstalled installed when an old app/uninstalled is delivered again", async () => {
    const shop = await installed("back-again");
    const webhookId = randomUUID();
    expect((await deliver({ shop, topic: "app/uninstalled", body: "{}", webhookId })).status).toBe(200);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
    // Reinstalled, then Shopify's retry of the old delivery arrives.
    await prisma.shop.update({ where: { domain: shop }, data: { uninstalledAt: null } });
    await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "x", accessToken: "t" } });
    expect((await deliver({ shop, topic: "app/uninstalled", body: "{}", webhookId })).status).toBe(200);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).toBeNull();
    expect(await prisma.session.count({ where: { shop } })).toBe(1);
    // The same for scopes: an old scopes_update does not undo a newer one.
    const older = randomUUID();
    const scopes = (current: string[]) => JSON.stringify({ previous: [], current });
    await deliver({ shop, topic: "app/scopes_update", body: scopes(["read_orders"]), webhookId: older });
    await deliver({ shop, topic: "app/scopes_update", body: scopes(["read_orders", "read_products"]) });
    await deliver({ shop, topic: "app/scopes_update", body: scopes(["read_orders"]), webhookId: older });
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).scopes).toBe("read_orders,read_products");
  });

  it("record a customers/redact that erases nothing as open, with the reason", async () => {
    const shop = await installed("redact-nothing");
    const response = await answer(
      await deliver({ shop, topic: "customers/redact", body: customerPayload(shop, { orders_to_redact: [123] }) }),
    );
    expect(response).toEqual({ status: 200, text: "Recorded; nothing held on this customer was erased." });
    const request = await prisma.complianceRequest.findFirstOrThrow({ where: { shop, topic: "customers/redact" } });
    expect(request.completedAt).toBeNull();
    expect(request.customerId).toBe(207119551n);
    expect(request.report).toEqual({
      customers: 0,
      orders: 0,
      reason: "The app holds no record of this customer or of the orders named.",
    });

    // One the app holds is erased, and the request completed.
    const id = (await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).id;
    const customer = documentedCustomer();
    await prisma.customer.create({
      data: {
        shopId: id,
        id: BigInt(customer.id),
        email: customer.email,
        shopifyCreatedAt: new Date(customer.created_at),
        shopifyUpdatedAt: new Date(customer.updated_at),
      },
    });
    await deliver({ shop, topic: "customers/redact", body: customerPayload(shop, { orders_to_redact: [] }) });
    const done = await prisma.complianceRequest.findFirstOrThrow({
      where: { shop, topic: "customers/redact", completedAt: { not: null } },
    });
    expect(done.report).toEqual({ customers: 1, orders: 0 });
    expect((await prisma.customer.findFirstOrThrow({ where: { shopId: id } })).email).toBeNull();
  });
});

describe("large bodies", () => {
  const SIZE = 64 * 1024 * 1024;
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  let web: ChildProcess;
  let port: number;

  beforeAll(async () => {
    web = spawn(process.execPath, [path.join(projectRoot, "scripts/start.ts")], {
      cwd: projectRoot,
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", SYNC_WORKER: "off", LOG_LEVEL: "info", LOG_FORMAT: "json" },
    });
    port = await new Promise<number>((resolve, reject) => {
      createInterface({ input: web.stdout! }).on("line", (line) => {
        const parsed = JSON.parse(line) as { msg?: string; port?: number };
        if (parsed.msg === "web server listening") resolve(parsed.port!);
      });
      web.once("exit", (code) => reject(new Error(`the web server exited (${code})`)));
    });
  });

  afterAll(async () => {
    if (web && web.exitCode === null) {
      const exited = new Promise((resolve) => web.once("exit", resolve));
      web.kill("SIGTERM");
      await exited;
    }
  });

  /** The web server's resident memory, in MB (Linux's /proc). */
  const residentMb = (field: "VmRSS" | "VmHWM") =>
    Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${web.pid}/status`, "utf8"))![1]) / 1024;

  /**
   * A 64 MB webhook with a forged HMAC, its length declared or streamed without one, sent until the
   * server answers: the status.
   */
  function postLarge(topic: string, declared: boolean) {
    return new Promise<{ status: number | string }>((resolve) => {
      const req = request({
        host: "127.0.0.1",
        port,
        method: "POST",
        path: `/webhooks/${routeOf(topic)}`,
        headers: {
          "content-type": "application/json",
          ...(declared ? { "content-length": String(SIZE) } : {}),
          "x-shopify-topic": topic,
          "x-shopify-shop-domain": "big.myshopify.com",
          "x-shopify-api-version": apiVersion,
          "x-shopify-webhook-id": randomUUID(),
          "x-shopify-hmac-sha256": createHmac("sha256", "someone-else").update("{}").digest("base64"),
        },
      });
      let sent = 0;
      let answered = false;
      req.on("response", (res) => {
        answered = true;
        res.resume();
        res.on("end", () => {
          resolve({ status: res.statusCode! });
          req.destroy();
        });
      });
      req.on("error", (error: NodeJS.ErrnoException) => resolve({ status: error.code ?? "error" }));
      const pump = () => {
        while (!answered && sent < SIZE) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        if (!answered) req.end();
      };
      pump();
    });
  }

  it("are refused while they stream, on every route, and the server's memory stays flat", async () => {
    const topics = ["orders/create", "customers/redact", "app/uninstalled", "app/scopes_update"];
    // Every route loaded once before the baseline.
    for (const topic of topics) expect((await postLarge(topic, false)).status).toBe(413);
    const baseline = residentMb("VmRSS");
    const peakBefore = residentMb("VmHWM");
    let highest = baseline;
    const sampler = setInterval(() => (highest = Math.max(highest, residentMb("VmRSS"))), 20);
    try {
      for (const topic of topics) {
        for (const declared of [false, true]) {
          // Four at once: buffered whole, they would take 256 MB and more.
          const answers = await Promise.all([1, 2, 3, 4].map(() => postLarge(topic, declared)));
          // The cap's answer to each; past the cap the server drops what still comes (as Node drops an
          // unread body), so how much of the body went out before the answer depends on the machine's
          // speed, and only the memory below says it was never held.
          for (const { status } of answers) {
            expect({ topic, declared, status }).toEqual({ topic, declared, status: 413 });
          }
        }
      }
    } finally {
      clearInterval(sampler);
    }
    highest = Math.max(highest, residentMb("VmRSS"));
    expect(highest - baseline).toBeLessThan(100);
    expect(residentMb("VmHWM") - Math.max(peakBefore, baseline)).toBeLessThan(100);
    expect(WEBHOOK_BODY_LIMIT * 4).toBeLessThan(100 * 1024 * 1024);
  });
});
