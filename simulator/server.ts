/** HTTP(S) front end: shop routing by Host, Admin REST API, OAuth, faults and the control surface. */
import { createHmac, randomUUID } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { Dispatcher } from "undici";
import { AuthRegistry, hasScope, normalizeScopes } from "./auth.ts";
import type { TokenRecord } from "./auth.ts";
import { createCertificates } from "./certs.ts";
import type { CertBundle } from "./certs.ts";
import { simulatorDispatcher } from "./dispatcher.ts";
import { FaultRegistry } from "./faults.ts";
import { LeakyBucket, presetFor, throttledBody } from "./ratelimit.ts";
import type { JsonObject as Obj } from "./types.ts";
import {
  ERR_NOT_FOUND,
  ERR_PROTECTED,
  ERR_UNAUTHORIZED,
  eventJson,
  eventMatcher,
  eventQuery,
  linkHeader,
  orderQuery,
  pageEvents,
  parseFields,
  parseListRequest,
  pickFields,
  scopeError,
  simpleQuery,
} from "./rest.ts";
import type { ListResource } from "./rest.ts";
import { computeSalesTruth } from "./sales-truth.ts";
import { StateJournal, loadState, specDifferences, storedApp } from "./state.ts";
import type { LoadedState, NewStateEntry, StateEntry, StateHeader, StoreOp } from "./state.ts";
import { SimError, Store, normalizeShopName } from "./store.ts";
import { computeTruth } from "./truth.ts";
import type {
  AppSpec,
  DeliveryRecord,
  FaultInfo,
  FaultSpec,
  GroundTruth,
  InstallResult,
  PlanName,
  SalesTruth,
  SalesTruthRange,
  ShopInfo,
  ShopSpec,
  ShopStats,
  Simulator,
  SimulatorControl,
  SimulatorOptions,
  SimulatorStats,
  StateInfo,
  WebhookSubscription,
} from "./types.ts";
import { WebhookDeliverer, topicMatches } from "./webhooks.ts";

const JSON_TYPE = "application/json; charset=utf-8";
const VERSION_RE = /^(\d{4}-\d{2}|unstable)$/;
const PLANS = ["basic", "shopify", "standard", "advanced", "shopify_plus", "plus", "unlimited"];

interface Ctx {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  secure: boolean;
  requestId: string;
  store: Store | null;
  fault: FaultInfo | null;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseBody(raw: string, contentType: string | undefined): Obj {
  if (!raw.trim()) return {};
  if (contentType && contentType.includes("application/x-www-form-urlencoded")) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  try {
    const v = JSON.parse(raw);
    return v && typeof v === "object" ? (v as Obj) : {};
  } catch {
    if (raw.includes("=")) return Object.fromEntries(new URLSearchParams(raw));
    throw new SimError(400, { errors: "Invalid JSON body" });
  }
}

/** Query string HMAC the way Shopify signs OAuth redirects (hex, keys sorted). */
export function queryHmac(secret: string, params: Record<string, string>): string {
  const qp = new URLSearchParams();
  for (const k of Object.keys(params).sort((a, b) => a.localeCompare(b))) qp.append(k, params[k]);
  return createHmac("sha256", secret).update(qp.toString().replace(/\+/g, "%20")).digest("hex");
}

export class SimulatorServer implements Simulator {
  url = "";
  httpsUrl = "";
  caPem: string;
  certPaths: { ca: string; cert: string; key: string };
  control: SimulatorControl;
  shops = new Map<string, Store>();
  auth = new AuthRegistry();
  faults = new FaultRegistry();
  webhooks: WebhookDeliverer;
  rateLimits: boolean;
  private host: string;
  private certs: CertBundle;
  private httpServer: http.Server;
  private httpsServer: https.Server;
  private buckets = new Map<string, LeakyBucket>();
  private statsData: SimulatorStats = { requests: 0, throttled: 0, shops: {} };
  private hanging = new Set<http.ServerResponse>();
  private dispatcherInstance: Dispatcher | null = null;
  private options: SimulatorOptions;
  state: StateInfo | null = null;
  private loaded: LoadedState | null = null;
  private journal: StateJournal | null = null;
  /** While a state file is replayed: no webhooks, no journal lines. */
  private replaying = false;

  constructor(options: SimulatorOptions = {}) {
    this.options = options;
    let apps = options.apps ?? [];
    if (options.state) {
      this.loaded = loadState(options.state);
      const header = this.loaded.header;
      if (header) {
        // the stored apps, with this run's webhook subscriptions (those are not part of the state)
        const given = new Map(apps.map((a) => [a.apiKey, a]));
        apps = header.apps.map((a) => ({ ...a, webhooks: given.get(a.apiKey)?.webhooks ?? [] }));
      }
    }
    this.host = options.host ?? "127.0.0.1";
    this.rateLimits = options.rateLimits !== false;
    this.certs = createCertificates(options.certDir);
    this.caPem = this.certs.caPem;
    this.certPaths = this.certs.paths;
    this.webhooks = new WebhookDeliverer(options.webhookRetry);
    for (const app of apps) this.auth.addApp(app);
    const handler = (secure: boolean) => (req: http.IncomingMessage, res: http.ServerResponse) => {
      this.handle(req, res, secure).catch((e) => this.fail(res, e));
    };
    this.httpServer = http.createServer({ keepAliveTimeout: 30_000 }, handler(false));
    this.httpsServer = https.createServer(
      { key: this.certs.keyPem, cert: this.certs.certPem, keepAliveTimeout: 30_000 },
      handler(true),
    );
    this.control = this.buildControl();
  }

  async listen(): Promise<void> {
    const listen = (srv: http.Server | https.Server, port: number) =>
      new Promise<number>((resolve, reject) => {
        srv.once("error", reject);
        srv.listen(port, this.host, () => {
          srv.off("error", reject);
          resolve((srv.address() as AddressInfo).port);
        });
      });
    const hostForUrl = this.host.includes(":") ? `[${this.host}]` : this.host;
    const p1 = await listen(this.httpServer, this.options.port ?? 0);
    const p2 = await listen(this.httpsServer, this.options.httpsPort ?? 0);
    this.url = `http://${hostForUrl}:${p1}`;
    this.httpsUrl = `https://${hostForUrl}:${p2}`;
    if (this.loaded) this.restoreState(this.options.state!, this.loaded);
    else for (const spec of this.options.shops ?? []) await this.addShop(spec);
  }

  // ------------------------------------------------------------------ state file

  /**
   * Generates the shops of the state file's header, replays its entries in order (each store
   * mutation at its recorded shop time, no webhooks) and opens it for appending; without a header
   * the file is started with this run's shops and apps. Synchronous, so no request sees a store
   * half restored.
   */
  private restoreState(file: string, loaded: LoadedState): void {
    const warnings = [...loaded.warnings];
    const header = loaded.header;
    const givenShops = this.options.shops ?? [];
    const givenApps = this.options.apps ?? [];
    const shops = header ? header.shops : givenShops;
    for (const spec of shops) this.addShopNow(spec);
    if (header && (givenShops.length > 0 || givenApps.length > 0)) {
      const diff = specDifferences(header, givenShops, givenApps);
      if (diff.length)
        warnings.push(
          `state file ${file}: using the shops and apps it was started with, not this run's (${diff.join("; ")})`,
        );
    }
    let lastN = 0;
    const lastAt = new Map<Store, number>();
    this.replaying = true;
    try {
      for (const entry of loaded.entries) {
        lastN = Math.max(lastN, entry.n);
        const problem = this.replay(entry, lastAt);
        if (problem) warnings.push(`state file ${file}: entry ${entry.n} (${entry.op}) ${problem}`);
      }
    } finally {
      this.replaying = false;
    }
    for (const [store, at] of lastAt) store.resumeClock(at);
    const fresh: StateHeader | null = header
      ? null
      : {
          format: "shopify-simulator-state",
          version: 1,
          createdAt: new Date().toISOString(),
          shops: givenShops,
          apps: givenApps.map(storedApp),
        };
    this.journal = new StateJournal(file, fresh, lastN);
    this.auth.onFact = (fact) => this.record({ op: "auth", fact });
    this.state = {
      file,
      restored: header !== null,
      changes: loaded.entries.length,
      shops: [...this.shops.values()].map((st) => st.spec),
      apps: [...this.auth.apps.values()].map((a) => storedApp(a)),
      warnings,
    };
  }

  /** Applies one journal entry; returns what went differently from the recorded run, if anything. */
  private replay(entry: StateEntry, lastAt: Map<Store, number>): string | null {
    switch (entry.op) {
      case "auth":
      case "addShop":
      case "addApp":
        try {
          if (entry.op === "auth") this.auth.applyFact(entry.fact);
          else if (entry.op === "addShop") this.addShopNow(entry.spec);
          else this.auth.addApp(entry.spec);
        } catch (e) {
          return `failed on replay: ${(e as Error).message}`;
        }
        return null;
      default: {
        const store = this.shops.get(entry.shop);
        if (!store) return `names unknown shop ${entry.shop}; skipped`;
        lastAt.set(store, Math.max(lastAt.get(store) ?? 0, entry.at));
        let failed = false;
        try {
          store.atTime(entry.at, () => this.applyStoreOp(store, entry.op, entry.args));
        } catch {
          failed = true;
        }
        if (failed === (entry.failed === true)) return null;
        return failed ? "failed on replay but had succeeded" : "succeeded on replay but had failed";
      }
    }
  }

  private record(entry: NewStateEntry): void {
    if (this.journal && !this.replaying) this.journal.append(entry);
  }

  /** One store mutation by name: the single path for live calls and replays. */
  private applyStoreOp(store: Store, op: StoreOp, args: unknown[]): unknown {
    const id = args[0] as number | string;
    const input = (args[1] ?? {}) as Obj;
    switch (op) {
      case "createOrder":
        return store.createOrder((args[0] ?? {}) as Obj);
      case "updateOrder":
        return store.updateOrder(id, input);
      case "deleteOrder":
        return store.deleteOrder(id);
      case "refundOrder":
        return store.refundOrder(id, input);
      case "cancelOrder":
        return store.cancelOrder(id, input);
      case "createProduct":
        return store.createProduct((args[0] ?? {}) as Obj);
      case "updateProduct":
        return store.updateProduct(id, input);
      case "deleteProduct":
        return store.deleteProduct(id);
      case "createCustomer":
        return store.createCustomer((args[0] ?? {}) as Obj);
      case "updateCustomer":
        return store.updateCustomer(id, input);
      case "deleteCustomer":
        return store.deleteCustomer(id);
      case "setPlan": {
        const plan = args[0] as PlanName;
        if (!PLANS.includes(plan)) throw new SimError(422, { errors: { plan: [`unknown plan ${plan}`] } });
        store.plan = plan;
        return undefined;
      }
      case "setProtectedCustomerData":
        store.protectedCustomerData = args[0] as boolean;
        store.version++;
        return undefined;
    }
  }

  /**
   * A mutation made through the control surface. With a state file it runs with the shop clock
   * pinned to one instant and on a JSON copy of its arguments, exactly as a replay will run it, and
   * its journal line is written before anything (a webhook, the answer) leaves the process.
   */
  private mutate(shop: string, op: StoreOp, args: unknown[]): unknown {
    const store = this.shop(shop);
    if (!this.journal) return this.applyStoreOp(store, op, args);
    const recorded = JSON.parse(JSON.stringify(args)) as unknown[];
    const live = JSON.parse(JSON.stringify(args)) as unknown[];
    const at = store.nowSec();
    let failed = false;
    try {
      return store.atTime(at, () => this.applyStoreOp(store, op, live));
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      this.record({ op, shop: store.name, at, args: recorded, ...(failed ? { failed: true as const } : {}) });
    }
  }

  currentToken(shop: string, apiKey: string, opts: { expiring?: boolean } = {}): InstallResult | null {
    const name = this.shop(shop).name;
    if (!this.auth.installation(name, apiKey)) return null;
    const expiring = opts.expiring === true;
    return this.auth.currentOffline(name, apiKey, expiring) ?? this.auth.installApp(name, apiKey, { expiring });
  }

  get httpPort(): number {
    return Number(new URL(this.url).port);
  }
  get httpsPort(): number {
    return Number(new URL(this.httpsUrl).port);
  }

  dispatcher(): Dispatcher {
    if (!this.dispatcherInstance) {
      this.dispatcherInstance = simulatorDispatcher({
        host: this.host,
        httpPort: this.httpPort,
        httpsPort: this.httpsPort,
        caPem: this.caPem,
      });
    }
    return this.dispatcherInstance;
  }

  async addShop(spec: ShopSpec): Promise<ShopInfo> {
    const info = this.addShopNow(spec);
    this.record({ op: "addShop", spec });
    return info;
  }

  private addShopNow(spec: ShopSpec): ShopInfo {
    const store = new Store(spec);
    if (this.shops.has(store.name))
      throw new SimError(422, { errors: { name: [`shop ${store.name} already exists`] } });
    if (spec.plan && !PLANS.includes(spec.plan))
      throw new SimError(422, { errors: { plan: [`unknown plan ${spec.plan}`] } });
    store.listener = (topic, payload) => this.dispatchWebhook(store, topic, payload);
    this.shops.set(store.name, store);
    return store.info();
  }

  shop(shop: string): Store {
    const s = this.shops.get(normalizeShopName(shop));
    if (!s) throw new SimError(404, { errors: `Unknown shop ${shop}` });
    return s;
  }

  installApp(shop: string, apiKey: string, opts?: { scopes?: string[]; expiring?: boolean }): InstallResult {
    const s = this.shop(shop);
    return this.auth.installApp(s.name, apiKey, opts);
  }

  sessionToken(shop: string, apiKey: string, opts?: { sub?: string; expiresInSec?: number }): string {
    const s = this.shop(shop);
    return this.auth.sessionToken(s.name, s.domain, apiKey, opts);
  }

  truth(shop: string): GroundTruth {
    return computeTruth(this.shop(shop));
  }

  salesTruth(shop: string, range: SalesTruthRange): SalesTruth {
    return computeSalesTruth(this.shop(shop), range);
  }

  async close(): Promise<void> {
    if (this.journal) {
      this.journal.close();
      this.journal = null;
    }
    await this.webhooks.close();
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    const closeServer = (srv: http.Server | https.Server) =>
      new Promise<void>((resolve) => {
        srv.close(() => resolve());
        srv.closeAllConnections();
      });
    await Promise.all([closeServer(this.httpServer), closeServer(this.httpsServer)]);
    if (this.dispatcherInstance) await this.dispatcherInstance.destroy().catch(() => undefined);
  }

  // ------------------------------------------------------------------ webhooks

  private dispatchWebhook(store: Store, topic: string, payload: () => Obj): DeliveryRecord[] {
    if (this.replaying) return [];
    let body: Obj | null = null;
    const out: DeliveryRecord[] = [];
    for (const app of this.auth.apps.values()) {
      if (!this.auth.installation(store.name, app.apiKey) && topic !== "app/uninstalled") continue;
      for (const sub of app.webhooks) {
        if (!topicMatches(sub.topics, topic)) continue;
        if (body === null) body = payload();
        out.push(...this.webhooks.enqueue(app, sub.uri, topic, store.domain, body));
      }
    }
    return out;
  }

  private deliverToApp(store: Store, apiKey: string, topic: string, payload: Obj): DeliveryRecord[] {
    if (this.replaying) return [];
    const app = this.auth.app(apiKey);
    const out: DeliveryRecord[] = [];
    for (const sub of app.webhooks) {
      if (topicMatches(sub.topics, topic))
        out.push(...this.webhooks.enqueue(app, sub.uri, topic, store.domain, payload));
    }
    return out;
  }

  // ------------------------------------------------------------------ stats

  private shopStats(name: string): ShopStats {
    let s = this.statsData.shops[name];
    if (!s) {
      s = { requests: 0, throttled: 0, accessTokenRequests: 0, byStatus: {} };
      this.statsData.shops[name] = s;
    }
    return s;
  }

  private count(ctx: Ctx, status: number): void {
    this.statsData.requests++;
    if (status === 429) this.statsData.throttled++;
    if (ctx.store) {
      const s = this.shopStats(ctx.store.name);
      s.requests++;
      if (status === 429) s.throttled++;
      s.byStatus[status] = (s.byStatus[status] ?? 0) + 1;
    }
  }

  // ------------------------------------------------------------------ responses

  private send(ctx: Ctx, status: number, body: string, headers: Record<string, string> = {}): void {
    const { res } = ctx;
    this.count(ctx, status);
    let out = body;
    const f = ctx.fault;
    if (f && f.kind === "truncate") out = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
    if (f && f.kind === "malformed") out = body.replace("{", "{,");
    const buf = Buffer.from(out, "utf8");
    res.writeHead(status, {
      "content-type": JSON_TYPE,
      "x-request-id": ctx.requestId,
      "content-length": String(buf.length),
      ...headers,
    });
    res.end(buf);
  }

  private fail(res: http.ServerResponse, e: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const status = e instanceof SimError ? e.status : 500;
    const body = e instanceof SimError ? e.body : { errors: "Internal Server Error", message: (e as Error)?.message };
    const text = typeof body === "string" ? JSON.stringify({ errors: body }) : JSON.stringify(body);
    res.writeHead(status, { "content-type": JSON_TYPE, "x-request-id": randomUUID() });
    res.end(text);
  }

  // ------------------------------------------------------------------ request handling

  private async handle(req: http.IncomingMessage, res: http.ServerResponse, secure: boolean): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sim.invalid");
    const path = url.pathname;
    if (path === "/_simulator" || path.startsWith("/_simulator/")) return this.handleControl(req, res, url);
    const hostHeader = (req.headers.host ?? "").toLowerCase();
    const host = hostHeader.replace(/:\d+$/, "");
    const ctx: Ctx = { req, res, secure, requestId: randomUUID(), store: null, fault: null };
    const shopName = host.endsWith(".myshopify.com") ? host.slice(0, -".myshopify.com".length) : null;
    ctx.store = shopName ? (this.shops.get(shopName) ?? null) : null;
    if (!ctx.store) return this.send(ctx, 404, JSON.stringify(ERR_NOT_FOUND));
    if (this.faults.size > 0) {
      const f = this.faults.take(ctx.store.name, path);
      if (f) {
        ctx.fault = f;
        switch (f.kind) {
          case "timeout":
            this.count(ctx, 0);
            this.hanging.add(res);
            res.on("close", () => this.hanging.delete(res));
            req.resume();
            return;
          case "reset":
            this.count(ctx, 0);
            req.socket.destroy();
            return;
          case "status": {
            const st = f.status ?? 500;
            if (st === 502) {
              this.count(ctx, st);
              res.writeHead(502, { "content-type": "text/html; charset=utf-8", "x-request-id": ctx.requestId });
              res.end("<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>");
              return;
            }
            const msg =
              st === 503
                ? "Service Unavailable"
                : st === 500
                  ? "Internal Server Error"
                  : (http.STATUS_CODES[st] ?? "Error");
            return this.send(ctx, st, JSON.stringify({ errors: msg }));
          }
          case "slow":
            await new Promise((r) => setTimeout(r, f.delayMs ?? 2000));
            break;
          default:
            break;
        }
      }
    }
    if (path === "/admin/oauth/access_token") return this.handleAccessToken(ctx);
    if (path === "/admin/oauth/authorize") return this.handleAuthorize(ctx, url);
    const m = /^\/admin\/api\/([^/]+)\/(.+)\.json$/.exec(path);
    if (!m || !VERSION_RE.test(m[1])) return this.send(ctx, 404, JSON.stringify(ERR_NOT_FOUND));
    return this.handleAdmin(ctx, url, m[1], m[2], hostHeader);
  }

  private async handleAccessToken(ctx: Ctx): Promise<void> {
    const store = ctx.store!;
    if (ctx.req.method !== "POST") return this.send(ctx, 404, JSON.stringify(ERR_NOT_FOUND));
    const body = parseBody(await readBody(ctx.req), ctx.req.headers["content-type"]);
    this.shopStats(store.name).accessTokenRequests++;
    try {
      const result = this.auth.accessTokenGrant(store.name, store.domain, body);
      return this.send(ctx, 200, JSON.stringify(result));
    } catch (e) {
      if (e instanceof SimError) return this.send(ctx, e.status, JSON.stringify(e.body));
      throw e;
    }
  }

  private handleAuthorize(ctx: Ctx, url: URL): void {
    const store = ctx.store!;
    const p = url.searchParams;
    const app = this.auth.apps.get(p.get("client_id") ?? "");
    const redirect = p.get("redirect_uri");
    if (!app || !redirect)
      return this.send(
        ctx,
        400,
        JSON.stringify({ errors: "Oauth error invalid_request: The client_id or redirect_uri is missing or invalid" }),
      );
    const scopes = normalizeScopes(p.get("scope") ?? app.scopes.join(","));
    const online = p.getAll("grant_options[]").includes("per-user");
    const code = this.auth.authorizeCode(store.name, app.apiKey, scopes, online);
    const params: Record<string, string> = {
      code,
      host: Buffer.from(`admin.shopify.com/store/${store.name}`).toString("base64").replace(/=+$/, ""),
      shop: store.domain,
      timestamp: String(Math.floor(Date.now() / 1000)),
    };
    const state = p.get("state");
    if (state !== null) params.state = state;
    params.hmac = queryHmac(app.apiSecret, params);
    const target = new URL(redirect);
    for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
    this.count(ctx, 302);
    ctx.res.writeHead(302, { location: target.toString(), "x-request-id": ctx.requestId, "content-length": "0" });
    ctx.res.end();
  }

  private bucketFor(t: TokenRecord, store: Store): LeakyBucket | null {
    const preset = presetFor(store.plan);
    if (!preset) return null;
    const key = `${t.apiKey}|${store.name}`;
    let b = this.buckets.get(key);
    if (!b) {
      b = new LeakyBucket(preset);
      this.buckets.set(key, b);
    } else if (b.size !== preset.size || b.rate !== preset.rate) {
      b.setPreset(preset);
    }
    return b;
  }

  private async handleAdmin(ctx: Ctx, url: URL, version: string, rest: string, hostHeader: string): Promise<void> {
    const store = ctx.store!;
    const headers: Record<string, string> = { "x-shopify-api-version": version };
    const rawToken = ctx.req.headers["x-shopify-access-token"];
    const token = Array.isArray(rawToken) ? rawToken[0] : rawToken;
    let rec = this.auth.lookup(token, store.name);
    if (ctx.fault?.kind === "revoke_token" && rec) {
      this.auth.revoke(rec);
      rec = null;
    }
    if (!rec) return this.send(ctx, 401, JSON.stringify(ERR_UNAUTHORIZED), headers);
    const preset = presetFor(store.plan);
    const bucket = this.rateLimits ? this.bucketFor(rec, store) : null;
    const size = preset ? preset.size : 40;
    if (ctx.fault?.kind === "rate_limit") {
      headers["x-shopify-shop-api-call-limit"] = `${size}/${size}`;
      headers["retry-after"] = "2.0";
      return this.send(ctx, 429, throttledBody(preset ? preset.rate : 2), headers);
    }
    if (bucket) {
      const r = bucket.take();
      headers["x-shopify-shop-api-call-limit"] = `${r.used}/${r.size}`;
      if (!r.ok) {
        headers["retry-after"] = r.retryAfter.toFixed(1);
        return this.send(ctx, 429, throttledBody(bucket.rate), headers);
      }
    } else {
      headers["x-shopify-shop-api-call-limit"] = `0/${size}`;
    }
    if (ctx.req.method !== "GET") return this.send(ctx, 404, JSON.stringify(ERR_NOT_FOUND), headers);
    const scopes = this.auth.scopesOf(rec);
    const parts = rest.split("/");
    const resource = parts[0];
    const need = (scope: string) => {
      if (!hasScope(scopes, scope)) throw new SimError(403, scopeError(scope));
    };
    try {
      if (rest === "shop") return this.send(ctx, 200, JSON.stringify({ shop: store.shopJson() }), headers);
      if (resource === "orders") need("read_orders");
      else if (resource === "products") need("read_products");
      else if (resource === "customers") {
        need("read_customers");
        if (!store.protectedCustomerData) throw new SimError(403, ERR_PROTECTED);
      } else if (resource !== "events") return this.send(ctx, 404, JSON.stringify(ERR_NOT_FOUND), headers);
      const params = url.searchParams;
      if (parts.length === 2 && parts[1] === "count") {
        let n = 0;
        if (resource === "orders") n = store.countOrders(orderQuery(store, params));
        else if (resource === "products") n = store.countProducts(simpleQuery(store, params, true));
        else if (resource === "customers") n = store.countCustomers(simpleQuery(store, params, false));
        else {
          const match = eventMatcher(eventQuery(store, params), this.eventTypes(scopes));
          n = store.events.filter(match).length;
        }
        return this.send(ctx, 200, JSON.stringify({ count: n }), headers);
      }
      if (parts.length === 2 && /^\d+$/.test(parts[1])) {
        const id = Number(parts[1]);
        const fields = parseFields(params.get("fields"));
        let obj: Obj | null = null;
        const key =
          resource === "orders"
            ? "order"
            : resource === "products"
              ? "product"
              : resource === "customers"
                ? "customer"
                : "event";
        if (resource === "orders") {
          const k = store.orderIndexById(id);
          if (k >= 0) obj = store.orderJson(k);
        } else if (resource === "products") {
          const k = store.productIndexById(id);
          if (k >= 0) obj = store.productJson(k);
        } else if (resource === "customers") {
          const k = store.customerIndexById(id);
          if (k >= 0) obj = store.customerJson(k);
        } else {
          const e = store.events.find((x) => x.id === id && this.eventTypes(scopes).has(x.subject_type));
          if (e) obj = eventJson(store, e);
        }
        if (!obj) return this.send(ctx, 404, JSON.stringify(ERR_NOT_FOUND), headers);
        return this.send(ctx, 200, `{"${key}":${JSON.stringify(pickFields(obj, fields))}}`, headers);
      }
      if (parts.length !== 1) return this.send(ctx, 404, JSON.stringify(ERR_NOT_FOUND), headers);
      const list = parseListRequest(params, resource as ListResource);
      const scheme = ctx.secure ? "https" : "http";
      const base = `${scheme}://${hostHeader}/admin/api/${version}/${resource}.json`;
      let items: string[];
      let firstId: number | null = null,
        lastId: number | null = null;
      let hasPrev = false,
        hasNext = false;
      if (resource === "events") {
        const match = eventMatcher(eventQuery(store, list.filters), this.eventTypes(scopes));
        const page = pageEvents(store.events, match, list.limit, list.cursor);
        items = page.items.map((e) => JSON.stringify(pickFields(eventJson(store, e), list.fields)));
        if (page.items.length) {
          firstId = page.items[0].id;
          lastId = page.items[page.items.length - 1].id;
        }
        hasPrev = page.hasPrev;
        hasNext = page.hasNext;
      } else {
        let page;
        let build: (i: number) => Obj;
        let ids: Float64Array;
        if (resource === "orders") {
          page = store.pageOrders(orderQuery(store, list.filters), list.limit, list.cursor);
          build = (i) => store.orderJson(i);
          ids = store.orders.ids;
        } else if (resource === "products") {
          page = store.pageProducts(simpleQuery(store, list.filters, true), list.limit, list.cursor);
          build = (i) => store.productJson(i);
          ids = store.productIndex.ids;
        } else {
          page = store.pageCustomers(simpleQuery(store, list.filters, false), list.limit, list.cursor);
          build = (i) => store.customerJson(i);
          ids = store.customers.ids;
        }
        items = page.indices.map((i) => JSON.stringify(pickFields(build(i), list.fields)));
        if (page.indices.length) {
          firstId = ids[page.indices[0]];
          lastId = ids[page.indices[page.indices.length - 1]];
        }
        hasPrev = page.hasPrev;
        hasNext = page.hasNext;
      }
      const link = linkHeader(base, resource as ListResource, list, firstId, lastId, hasPrev, hasNext);
      if (link) headers.link = link;
      return this.send(ctx, 200, `{"${resource}":[${items.join(",")}]}`, headers);
    } catch (e) {
      if (e instanceof SimError) return this.send(ctx, e.status, JSON.stringify(e.body), headers);
      throw e;
    }
  }

  private eventTypes(scopes: string[]): Set<string> {
    const s = new Set<string>();
    if (hasScope(scopes, "read_orders")) s.add("Order");
    if (hasScope(scopes, "read_products")) s.add("Product");
    if (hasScope(scopes, "read_customers")) s.add("Customer");
    return s;
  }

  // ------------------------------------------------------------------ control surface

  private async handleControl(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
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
      const result = await this.routeControl(method, segs, body, url.searchParams);
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

  private async routeControl(method: string, s: string[], body: Obj, q: URLSearchParams): Promise<unknown> {
    const c = this.control;
    const notFound = () => new SimError(404, { errors: "Unknown control endpoint" });
    if (s.length === 0) {
      return {
        url: this.url,
        httpsUrl: this.httpsUrl,
        certPaths: this.certPaths,
        memory: process.memoryUsage(),
        shops: [...this.shops.values()].map((x) => x.info()),
        apps: [...this.auth.apps.values()].map((a) => ({ apiKey: a.apiKey, scopes: a.scopes, webhooks: a.webhooks })),
      };
    }
    if (s[0] === "ca.pem" && method === "GET") return this.caPem;
    if (s[0] === "stats") {
      if (method === "GET") return c.stats();
      if (method === "DELETE") return c.resetStats();
    }
    if (s[0] === "faults") {
      if (method === "GET") return c.faults();
      if (method === "POST") return c.addFault(body as unknown as FaultSpec);
      if (method === "DELETE") return c.clearFaults();
    }
    if (s[0] === "webhooks" && s[1] === "deliveries" && method === "GET") {
      return c.deliveries({ shop: q.get("shop") ?? undefined, topic: q.get("topic") ?? undefined });
    }
    if (s[0] === "webhooks" && s[1] === "flush" && method === "POST") return c.flushWebhooks();
    if (s[0] === "apps" && s.length === 3 && s[2] === "webhooks" && (method === "PUT" || method === "POST")) {
      const subs = (body.subscriptions ?? body.webhooks ?? []) as WebhookSubscription[];
      return c.setWebhooks(s[1], subs, {
        duplicates: body.duplicates === true,
        shuffle: body.outOfOrder === true || body.shuffle === true,
      });
    }
    if (s[0] === "apps" && s.length === 1 && method === "POST") {
      this.auth.addApp(body as never);
      this.record({ op: "addApp", spec: body as unknown as AppSpec });
      return { ok: true };
    }
    if (s[0] !== "shops") throw notFound();
    if (s.length === 1) {
      if (method === "GET") return [...this.shops.values()].map((x) => x.info());
      if (method === "POST") return this.addShop(body as unknown as ShopSpec);
      throw notFound();
    }
    const shop = s[1];
    const store = this.shop(shop);
    if (s.length === 2 && method === "GET") return store.info();
    const sub = s[2];
    if (sub === "truth" && s[3] === "sales" && s.length === 4 && method === "GET")
      return this.salesTruth(shop, {
        from: q.get("from") as string,
        to: q.get("to") as string,
        today: q.get("today") ?? undefined,
      });
    if (sub === "truth" && method === "GET") return this.truth(shop);
    if (sub === "plan" && (method === "PUT" || method === "POST")) return c.setPlan(shop, body.plan as PlanName);
    if (sub === "protected-customer-data" && (method === "PUT" || method === "POST"))
      return c.setProtectedCustomerData(shop, body.approved === true || body.enabled === true);
    if (sub === "events" && method === "GET") return store.events.map((e) => eventJson(store, e));
    if (sub === "apps" && s.length === 5) {
      const apiKey = s[3];
      const action = s[4];
      if (action === "scopes")
        return c.setScopes(shop, apiKey, normalizeScopes((body.scopes ?? []) as string[] | string));
      if (action === "install")
        return this.installApp(shop, apiKey, {
          scopes: body.scopes ? normalizeScopes(body.scopes as string[] | string) : undefined,
          expiring: body.expiring === true,
        });
      if (action === "uninstall") return c.uninstall(shop, apiKey);
      if (action === "session-token")
        return {
          token: this.sessionToken(shop, apiKey, {
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
      const id = s[3];
      const action = s[4];
      if (s.length === 3 && method === "POST") {
        return sub === "orders"
          ? c.createOrder(shop, body)
          : sub === "products"
            ? c.createProduct(shop, body)
            : c.createCustomer(shop, body);
      }
      if (s.length === 4 && (method === "PUT" || method === "PATCH")) {
        return sub === "orders"
          ? c.updateOrder(shop, id, body)
          : sub === "products"
            ? c.updateProduct(shop, id, body)
            : c.updateCustomer(shop, id, body);
      }
      if (s.length === 4 && method === "DELETE") {
        if (sub === "orders") c.deleteOrder(shop, id);
        else if (sub === "products") c.deleteProduct(shop, id);
        else c.deleteCustomer(shop, id);
        return { ok: true };
      }
      if (s.length === 4 && method === "GET") {
        const k =
          sub === "orders"
            ? store.orderIndexById(Number(id))
            : sub === "products"
              ? store.productIndexById(Number(id))
              : store.customerIndexById(Number(id));
        if (k < 0) throw new SimError(404, { errors: "Not Found" });
        return sub === "orders"
          ? store.orderJson(k)
          : sub === "products"
            ? store.productJson(k)
            : store.customerJson(k);
      }
      if (sub === "orders" && s.length === 5 && method === "POST") {
        if (action === "refund") return c.refundOrder(shop, id, body as never);
        if (action === "cancel") return c.cancelOrder(shop, id, body as never);
      }
    }
    throw notFound();
  }

  private buildControl(): SimulatorControl {
    return {
      createOrder: (shop, input) => this.mutate(shop, "createOrder", [input ?? {}]) as Obj,
      updateOrder: (shop, id, patch) => this.mutate(shop, "updateOrder", [id, patch]) as Obj,
      deleteOrder: (shop, id) => void this.mutate(shop, "deleteOrder", [id]),
      refundOrder: (shop, id, input) => this.mutate(shop, "refundOrder", [id, input ?? {}]) as Obj,
      cancelOrder: (shop, id, input) => this.mutate(shop, "cancelOrder", [id, input ?? {}]) as Obj,
      createProduct: (shop, input) => this.mutate(shop, "createProduct", [input ?? {}]) as Obj,
      updateProduct: (shop, id, patch) => this.mutate(shop, "updateProduct", [id, patch]) as Obj,
      deleteProduct: (shop, id) => void this.mutate(shop, "deleteProduct", [id]),
      createCustomer: (shop, input) => this.mutate(shop, "createCustomer", [input ?? {}]) as Obj,
      updateCustomer: (shop, id, patch) => this.mutate(shop, "updateCustomer", [id, patch]) as Obj,
      deleteCustomer: (shop, id) => void this.mutate(shop, "deleteCustomer", [id]),
      setPlan: (shop, plan) => void this.mutate(shop, "setPlan", [plan]),
      setProtectedCustomerData: (shop, approved) => void this.mutate(shop, "setProtectedCustomerData", [approved]),
      setScopes: (shop, apiKey, scopes) => {
        this.auth.app(apiKey);
        this.auth.setScopes(this.shop(shop).name, apiKey, scopes);
      },
      uninstall: (shop, apiKey) => {
        const st = this.shop(shop);
        this.auth.app(apiKey);
        this.auth.uninstall(st.name, apiKey);
        this.deliverToApp(st, apiKey, "app/uninstalled", st.shopJson());
      },
      sendCompliance: (shop, apiKey, topic, input) => {
        const st = this.shop(shop);
        if (!["customers/data_request", "customers/redact", "shop/redact"].includes(topic)) {
          throw new SimError(422, {
            errors: { topic: ["must be customers/data_request, customers/redact or shop/redact"] },
          });
        }
        if (topic === "shop/redact")
          return this.deliverToApp(st, apiKey, topic, { shop_id: st.shopId, shop_domain: st.domain });
        let ci = -1;
        if (input?.customerId !== undefined) ci = st.customerIndexById(Number(input.customerId));
        else
          for (let k = 0; k < st.customers.n && ci < 0; k++)
            if (st.customers.ordersCount[k] > 0 && st.customerIndexById(st.customers.ids[k]) >= 0) ci = k;
        if (ci < 0) throw new SimError(404, { errors: "Not Found" });
        const raw = st.customerRaw(ci);
        const customer = { id: raw.id, email: raw.email, phone: raw.phone };
        const orders = st.customerOrders(ci);
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
        return this.deliverToApp(st, apiKey, topic, payload);
      },
      setWebhooks: (apiKey, subscriptions, options) => {
        const app = this.auth.app(apiKey);
        app.webhooks = subscriptions.map((x) => ({ topics: [...x.topics], uri: x.uri }));
        if (options?.duplicates !== undefined) app.duplicates = options.duplicates;
        if (options?.shuffle !== undefined) app.outOfOrder = options.shuffle;
      },
      addFault: (spec) => this.faults.add(spec, normalizeShopName),
      clearFaults: () => this.faults.clear(),
      faults: () => this.faults.all(),
      stats: () => structuredClone(this.statsData),
      resetStats: () => {
        this.statsData = { requests: 0, throttled: 0, shops: {} };
      },
      deliveries: (filter) => {
        let shopDomain: string | undefined;
        if (filter?.shop) shopDomain = `${normalizeShopName(filter.shop)}.myshopify.com`;
        return this.webhooks.log
          .filter((d) => (!shopDomain || d.shop === shopDomain) && (!filter?.topic || d.topic === filter.topic))
          .map((d) => structuredClone(d));
      },
      flushWebhooks: () => this.webhooks.flush(),
    };
  }
}
