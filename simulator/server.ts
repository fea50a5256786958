// HTTP(S) front end: shop routing by Host, faults, authentication and rate limits, and the wiring of
// shops, apps, webhooks and the state file. The Admin REST resources, OAuth, the control surface and
// the state file's restore and journal live in ./server/; the routes reach the server through the
// ServerContext interface of ./server/common.ts, which SimulatorServer implements.
import { randomUUID } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { Dispatcher } from "undici";
import { AuthRegistry } from "./auth.ts";
import type { TokenRecord } from "./auth.ts";
import { createCertificates } from "./certs.ts";
import type { CertBundle } from "./certs.ts";
import { simulatorDispatcher } from "./dispatcher.ts";
import { FaultRegistry } from "./faults.ts";
import { LeakyBucket, presetFor, throttledBody } from "./ratelimit.ts";
import { ERR_NOT_FOUND, ERR_UNAUTHORIZED } from "./rest.ts";
import { computeSalesTruth } from "./sales-truth.ts";
import { adminAnswer } from "./server/admin.ts";
import type { ServerContext } from "./server/common.ts";
import { controlSurface, handleControl } from "./server/control.ts";
import { answerFault } from "./server/fault-answer.ts";
import { JSON_TYPE } from "./server/http.ts";
import type { RequestContext } from "./server/http.ts";
import { handleAccessToken, handleAuthorize } from "./server/oauth.ts";
import { StateFile } from "./server/state-file.ts";
import { PLANS } from "./server/store-ops.ts";
import type { NewStateEntry, StoreOp } from "./state.ts";
import { SimError, Store, normalizeShopName } from "./store.ts";
import { computeTruth } from "./truth.ts";
import type {
  DeliveryRecord,
  GroundTruth,
  InstallResult,
  JsonObject,
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
} from "./types.ts";
import { WebhookDeliverer, topicMatches } from "./webhooks.ts";

export { queryHmac } from "./server/oauth.ts";

const VERSION_RE = /^(\d{4}-\d{2}|unstable)$/;

export class SimulatorServer implements Simulator, ServerContext {
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
  statsData: SimulatorStats = { requests: 0, throttled: 0, shops: {} };
  /** Answers a timeout fault holds open until close. */
  hanging = new Set<http.ServerResponse>();
  private dispatcherInstance: Dispatcher | null = null;
  private options: SimulatorOptions;
  state: StateInfo | null = null;
  private stateFile: StateFile;

  constructor(options: SimulatorOptions = {}) {
    this.options = options;
    this.stateFile = new StateFile(options);
    const apps = this.stateFile.apps(options.apps ?? []);
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
    this.control = controlSurface(this);
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
    if (this.stateFile.active)
      this.state = this.stateFile.restore({
        shops: this.shops,
        auth: this.auth,
        addShop: (spec) => this.addShopNow(spec),
      });
    else for (const spec of this.options.shops ?? []) await this.addShop(spec);
  }

  record(entry: NewStateEntry): void {
    this.stateFile.record(entry);
  }

  /** A mutation made through the control surface, journaled when there is a state file. */
  mutate(shop: string, op: StoreOp, args: unknown[]): unknown {
    return this.stateFile.mutate(this.shop(shop), op, args);
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
    this.stateFile.close();
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

  private dispatchWebhook(store: Store, topic: string, payload: () => JsonObject): DeliveryRecord[] {
    if (this.stateFile.replaying) return [];
    let body: JsonObject | null = null;
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

  deliverToApp(store: Store, apiKey: string, topic: string, payload: JsonObject): DeliveryRecord[] {
    if (this.stateFile.replaying) return [];
    const app = this.auth.app(apiKey);
    const out: DeliveryRecord[] = [];
    for (const sub of app.webhooks) {
      if (topicMatches(sub.topics, topic))
        out.push(...this.webhooks.enqueue(app, sub.uri, topic, store.domain, payload));
    }
    return out;
  }

  // ------------------------------------------------------------------ stats

  shopStats(name: string): ShopStats {
    let s = this.statsData.shops[name];
    if (!s) {
      s = { requests: 0, throttled: 0, accessTokenRequests: 0, byStatus: {} };
      this.statsData.shops[name] = s;
    }
    return s;
  }

  count(ctx: RequestContext, status: number): void {
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

  send(ctx: RequestContext, status: number, body: string, headers: Record<string, string> = {}): void {
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
    if (path === "/_simulator" || path.startsWith("/_simulator/")) return handleControl(this, req, res, url);
    const hostHeader = (req.headers.host ?? "").toLowerCase();
    const host = hostHeader.replace(/:\d+$/, "");
    const ctx: RequestContext = { req, res, secure, requestId: randomUUID(), store: null, fault: null };
    const shopName = host.endsWith(".myshopify.com") ? host.slice(0, -".myshopify.com".length) : null;
    ctx.store = shopName ? (this.shops.get(shopName) ?? null) : null;
    if (!ctx.store) return this.send(ctx, 404, JSON.stringify(ERR_NOT_FOUND));
    if (this.faults.size > 0) {
      ctx.fault = this.faults.take(ctx.store.name, path);
      if (await answerFault(this, ctx)) return;
    }
    if (path === "/admin/oauth/access_token") return handleAccessToken(this, ctx);
    if (path === "/admin/oauth/authorize") return handleAuthorize(this, ctx, url);
    const m = /^\/admin\/api\/([^/]+)\/(.+)\.json$/.exec(path);
    if (!m || !VERSION_RE.test(m[1])) return this.send(ctx, 404, JSON.stringify(ERR_NOT_FOUND));
    return this.handleAdmin(ctx, url, m[1], m[2], hostHeader);
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

  private async handleAdmin(
    ctx: RequestContext,
    url: URL,
    version: string,
    rest: string,
    hostHeader: string,
  ): Promise<void> {
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
    const apiBase = `${ctx.secure ? "https" : "http"}://${hostHeader}/admin/api/${version}`;
    try {
      const answer = adminAnswer(store, scopes, rest, url.searchParams, apiBase);
      if (answer.link) headers.link = answer.link;
      return this.send(ctx, answer.status, answer.body, headers);
    } catch (e) {
      if (e instanceof SimError) return this.send(ctx, e.status, JSON.stringify(e.body), headers);
      throw e;
    }
  }
}
