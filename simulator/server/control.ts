// The control surface: the library's `control` object and the `/_simulator/...` HTTP routes.
import { randomUUID } from "node:crypto";
import type http from "node:http";
import { normalizeScopes } from "../auth.ts";
import { eventJson } from "../rest.ts";
import { SimError, normalizeShopName } from "../store.ts";
import type {
  AppSpec,
  FaultSpec,
  JsonObject,
  PlanName,
  ShopSpec,
  SimulatorControl,
  WebhookSubscription,
} from "../types.ts";
import type { ServerContext } from "./common.ts";
import { JSON_TYPE, parseBody, readBody } from "./http.ts";

/** A request to `/_simulator/...`: JSON in, JSON out (the CA certificate as PEM). */
export async function handleControl(
  server: ServerContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<void> {
  const reply = (status: number, body: unknown) => {
    const text = JSON.stringify(body ?? null);
    res.writeHead(status, {
      "content-type": JSON_TYPE,
      "content-length": String(Buffer.byteLength(text)),
      "x-request-id": randomUUID(),
    });
    res.end(text);
  };
  try {
    const method = req.method ?? "GET";
    const raw = method === "GET" || method === "HEAD" ? "" : await readBody(req);
    const body = parseBody(raw, req.headers["content-type"]);
    const segs = url.pathname.split("/").filter(Boolean).slice(1).map(decodeURIComponent);
    const result = await routeControl(server, method, segs, body, url.searchParams);
    if (result === undefined) return reply(200, { ok: true });
    if (typeof result === "string") {
      res.writeHead(200, { "content-type": "application/x-pem-file" });
      res.end(result);
      return;
    }
    reply(200, result);
  } catch (e) {
    if (e instanceof SimError) return reply(e.status, e.body);
    reply(500, { errors: (e as Error).message });
  }
}

const notFound = () => new SimError(404, { errors: "Unknown control endpoint" });

async function routeControl(
  server: ServerContext,
  method: string,
  segments: string[],
  body: JsonObject,
  q: URLSearchParams,
): Promise<unknown> {
  const c = server.control;
  if (segments.length === 0) {
    return {
      url: server.url,
      httpsUrl: server.httpsUrl,
      certPaths: server.certPaths,
      memory: process.memoryUsage(),
      shops: [...server.shops.values()].map((x) => x.info()),
      apps: [...server.auth.apps.values()].map((a) => ({ apiKey: a.apiKey, scopes: a.scopes, webhooks: a.webhooks })),
    };
  }
  if (segments[0] === "ca.pem" && method === "GET") return server.caPem;
  if (segments[0] === "stats") {
    if (method === "GET") return c.stats();
    if (method === "DELETE") return c.resetStats();
  }
  if (segments[0] === "faults") {
    if (method === "GET") return c.faults();
    if (method === "POST") return c.addFault(body as unknown as FaultSpec);
    if (method === "DELETE") return c.clearFaults();
  }
  if (segments[0] === "webhooks" && segments[1] === "deliveries" && method === "GET") {
    return c.deliveries({ shop: q.get("shop") ?? undefined, topic: q.get("topic") ?? undefined });
  }
  if (segments[0] === "webhooks" && segments[1] === "flush" && method === "POST") return c.flushWebhooks();
  if (
    segments[0] === "apps" &&
    segments.length === 3 &&
    segments[2] === "webhooks" &&
    (method === "PUT" || method === "POST")
  ) {
    const subs = (body.subscriptions ?? body.webhooks ?? []) as WebhookSubscription[];
    return c.setWebhooks(segments[1], subs, {
      duplicates: body.duplicates === true,
      shuffle: body.outOfOrder === true || body.shuffle === true,
    });
  }
  if (segments[0] === "apps" && segments.length === 1 && method === "POST") {
    server.auth.addApp(body as never);
    server.record({ op: "addApp", spec: body as unknown as AppSpec });
    return { ok: true };
  }
  if (segments[0] !== "shops") throw notFound();
  return routeShops(server, method, segments, body, q);
}

/** `/_simulator/shops` and everything below one shop: its truth, plan, events, apps and records. */
async function routeShops(
  server: ServerContext,
  method: string,
  segments: string[],
  body: JsonObject,
  q: URLSearchParams,
): Promise<unknown> {
  const c = server.control;
  if (segments.length === 1) {
    if (method === "GET") return [...server.shops.values()].map((x) => x.info());
    if (method === "POST") return server.addShop(body as unknown as ShopSpec);
    throw notFound();
  }
  const shop = segments[1];
  const store = server.shop(shop);
  if (segments.length === 2 && method === "GET") return store.info();
  const sub = segments[2];
  if (sub === "truth" && segments[3] === "sales" && segments.length === 4 && method === "GET")
    return server.salesTruth(shop, {
      from: q.get("from") as string,
      to: q.get("to") as string,
      today: q.get("today") ?? undefined,
    });
  if (sub === "truth" && method === "GET") return server.truth(shop);
  if (sub === "plan" && (method === "PUT" || method === "POST")) return c.setPlan(shop, body.plan as PlanName);
  if (sub === "protected-customer-data" && (method === "PUT" || method === "POST"))
    return c.setProtectedCustomerData(shop, body.approved === true || body.enabled === true);
  if (sub === "events" && method === "GET") return store.events.map((e) => eventJson(store, e));
  if (sub === "apps" && segments.length === 5) {
    const apiKey = segments[3];
    const action = segments[4];
    if (action === "scopes")
      return c.setScopes(shop, apiKey, normalizeScopes((body.scopes ?? []) as string[] | string));
    if (action === "install")
      return server.installApp(shop, apiKey, {
        scopes: body.scopes ? normalizeScopes(body.scopes as string[] | string) : undefined,
        expiring: body.expiring === true,
      });
    if (action === "uninstall") return c.uninstall(shop, apiKey);
    if (action === "session-token")
      return {
        token: server.sessionToken(shop, apiKey, {
          sub: body.sub as string | undefined,
          expiresInSec: body.expiresInSec as number | undefined,
        }),
      };
    if (action === "compliance")
      return c.sendCompliance(shop, apiKey, body.topic as never, {
        customerId: body.customerId as number | undefined,
      });
    throw notFound();
  }
  if (sub === "orders" || sub === "products" || sub === "customers") {
    const id = segments[3];
    const action = segments[4];
    if (segments.length === 3 && method === "POST") {
      return sub === "orders"
        ? c.createOrder(shop, body)
        : sub === "products"
          ? c.createProduct(shop, body)
          : c.createCustomer(shop, body);
    }
    if (segments.length === 4 && (method === "PUT" || method === "PATCH")) {
      return sub === "orders"
        ? c.updateOrder(shop, id, body)
        : sub === "products"
          ? c.updateProduct(shop, id, body)
          : c.updateCustomer(shop, id, body);
    }
    if (segments.length === 4 && method === "DELETE") {
      if (sub === "orders") c.deleteOrder(shop, id);
      else if (sub === "products") c.deleteProduct(shop, id);
      else c.deleteCustomer(shop, id);
      return { ok: true };
    }
    if (segments.length === 4 && method === "GET") {
      const k =
        sub === "orders"
          ? store.orderIndexById(Number(id))
          : sub === "products"
            ? store.productIndexById(Number(id))
            : store.customerIndexById(Number(id));
      if (k < 0) throw new SimError(404, { errors: "Not Found" });
      return sub === "orders" ? store.orderJson(k) : sub === "products" ? store.productJson(k) : store.customerJson(k);
    }
    if (sub === "orders" && segments.length === 5 && method === "POST") {
      if (action === "refund") return c.refundOrder(shop, id, body as never);
      if (action === "cancel") return c.cancelOrder(shop, id, body as never);
    }
  }
  throw notFound();
}

/** The library's `control`: store mutations go through the server so the state file records them. */
export function controlSurface(server: ServerContext): SimulatorControl {
  return {
    createOrder: (shop, input) => server.mutate(shop, "createOrder", [input ?? {}]) as JsonObject,
    updateOrder: (shop, id, patch) => server.mutate(shop, "updateOrder", [id, patch]) as JsonObject,
    deleteOrder: (shop, id) => void server.mutate(shop, "deleteOrder", [id]),
    refundOrder: (shop, id, input) => server.mutate(shop, "refundOrder", [id, input ?? {}]) as JsonObject,
    cancelOrder: (shop, id, input) => server.mutate(shop, "cancelOrder", [id, input ?? {}]) as JsonObject,
    createProduct: (shop, input) => server.mutate(shop, "createProduct", [input ?? {}]) as JsonObject,
    updateProduct: (shop, id, patch) => server.mutate(shop, "updateProduct", [id, patch]) as JsonObject,
    deleteProduct: (shop, id) => void server.mutate(shop, "deleteProduct", [id]),
    createCustomer: (shop, input) => server.mutate(shop, "createCustomer", [input ?? {}]) as JsonObject,
    updateCustomer: (shop, id, patch) => server.mutate(shop, "updateCustomer", [id, patch]) as JsonObject,
    deleteCustomer: (shop, id) => void server.mutate(shop, "deleteCustomer", [id]),
    setPlan: (shop, plan) => void server.mutate(shop, "setPlan", [plan]),
    setProtectedCustomerData: (shop, approved) => void server.mutate(shop, "setProtectedCustomerData", [approved]),
    setScopes: (shop, apiKey, scopes) => {
      server.auth.app(apiKey);
      server.auth.setScopes(server.shop(shop).name, apiKey, scopes);
    },
    uninstall: (shop, apiKey) => {
      const st = server.shop(shop);
      server.auth.app(apiKey);
      server.auth.uninstall(st.name, apiKey);
      server.deliverToApp(st, apiKey, "app/uninstalled", st.shopJson());
    },
    sendCompliance: (shop, apiKey, topic, input) => {
      const st = server.shop(shop);
      if (!["customers/data_request", "customers/redact", "shop/redact"].includes(topic)) {
        throw new SimError(422, {
          errors: { topic: ["must be customers/data_request, customers/redact or shop/redact"] },
        });
      }
      if (topic === "shop/redact")
        return server.deliverToApp(st, apiKey, topic, { shop_id: st.shopId, shop_domain: st.domain });
      // the named customer, or the first with orders
      let customerIndex = -1;
      if (input?.customerId !== undefined) customerIndex = st.customerIndexById(Number(input.customerId));
      else
        for (let k = 0; k < st.customers.n && customerIndex < 0; k++)
          if (st.customers.ordersCount[k] > 0 && st.customerIndexById(st.customers.ids[k]) >= 0) customerIndex = k;
      if (customerIndex < 0) throw new SimError(404, { errors: "Not Found" });
      const raw = st.customerRaw(customerIndex);
      const customer = { id: raw.id, email: raw.email, phone: raw.phone };
      const orders = st.customerOrders(customerIndex);
      const payload =
        topic === "customers/redact"
          ? { shop_id: st.shopId, shop_domain: st.domain, customer, orders_to_redact: orders }
          : {
              shop_id: st.shopId,
              shop_domain: st.domain,
              orders_requested: orders,
              customer,
              data_request: { id: Math.floor(Math.random() * 1e9) },
            };
      return server.deliverToApp(st, apiKey, topic, payload);
    },
    setWebhooks: (apiKey, subscriptions, options) => {
      const app = server.auth.app(apiKey);
      app.webhooks = subscriptions.map((x) => ({ topics: [...x.topics], uri: x.uri }));
      if (options?.duplicates !== undefined) app.duplicates = options.duplicates;
      if (options?.shuffle !== undefined) app.outOfOrder = options.shuffle;
    },
    addFault: (spec) => server.faults.add(spec, normalizeShopName),
    clearFaults: () => server.faults.clear(),
    faults: () => server.faults.all(),
    stats: () => structuredClone(server.statsData),
    resetStats: () => {
      server.statsData = { requests: 0, throttled: 0, shops: {} };
    },
    deliveries: (filter) => {
      let shopDomain: string | undefined;
      if (filter?.shop) shopDomain = `${normalizeShopName(filter.shop)}.myshopify.com`;
      return server.webhooks.log
        .filter((d) => (!shopDomain || d.shop === shopDomain) && (!filter?.topic || d.topic === filter.topic))
        .map((d) => structuredClone(d));
    },
    flushWebhooks: () => server.webhooks.flush(),
  };
}
