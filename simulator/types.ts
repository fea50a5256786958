// Public types of the simulator library.
import type { Dispatcher } from "undici";

export type PlanName = "basic" | "shopify" | "standard" | "advanced" | "shopify_plus" | "plus" | "unlimited";

export interface WebhookSubscription {
  topics: string[];
  uri: string;
}

export interface AppSpec {
  apiKey: string;
  apiSecret: string;
  scopes: string[];
  webhooks?: WebhookSubscription[];
  apiVersion?: string;
}

export interface ShopSpec {
  /** "acme" -> acme.myshopify.com */
  name: string;
  seed?: number;
  products?: number;
  customers?: number;
  orders?: number;
  /** Period the orders span, ending at `now`. */
  days?: number;
  /** ISO instant; default a fixed date so generation is deterministic. */
  now?: string;
  plan?: PlanName;
  currency?: string;
  /** IANA timezone. */
  timezone?: string;
  /** Whether the app is approved for protected customer data (default true). */
  protectedCustomerData?: boolean;
  /** Number of products with more than 100 variants (default 0). */
  bigVariantProducts?: number;
}

export interface WebhookRetryOptions {
  attempts: number;
  baseDelayMs: number;
  timeoutMs: number;
}

export interface SimulatorOptions {
  host?: string;
  port?: number;
  httpsPort?: number;
  certDir?: string;
  rateLimits?: boolean;
  apps?: AppSpec[];
  shops?: ShopSpec[];
  webhookRetry?: WebhookRetryOptions;
  /**
   * A state file (JSON lines) that keeps the shops, every change made to them and every token across
   * restarts: restored from when it exists, appended to while running. When it exists, the shops and
   * apps it was started with are used and `shops`/`apps` are ignored (README "State between runs").
   */
  state?: string;
}

/** How a simulator started with `state` came up. */
export interface StateInfo {
  file: string;
  /** True when the file held a previous run. */
  restored: boolean;
  /** Entries replayed from it. */
  changes: number;
  /** The shops and apps in use (the file's when restored). */
  shops: ShopSpec[];
  apps: AppSpec[];
  /** Things the person running it should know: ignored specs, a dropped torn line. */
  warnings: string[];
}

export interface ShopInfo {
  name: string;
  domain: string;
  id: number;
  currency: string;
  timezone: string;
  plan: string;
  counts: { products: number; variants: number; customers: number; orders: number };
}

export interface MoneyByKey {
  [key: string]: string;
}

export interface DayTruth {
  date: string;
  orders: number;
  gross: string;
  refunds: string;
  net: string;
  newCustomers: number;
  returningCustomers: number;
}

export interface GroundTruth {
  shop: string;
  currency: string;
  timezone: string;
  revenueDefinition: string;
  counts: {
    products: number;
    variants: number;
    customers: number;
    orders: number;
    lineItems: number;
    refunds: number;
    countedOrders: number;
    cancelledOrders: number;
    testOrders: number;
  };
  totals: {
    gross: string;
    refunds: string;
    net: string;
    orders: number;
    averageOrderValue: string;
    newCustomers: number;
    returningCustomers: number;
  };
  byDay: DayTruth[];
  byProduct: { productId: number; revenue: string; quantity: number }[];
  byCustomer: { customerId: number; net: string; orders: number }[];
}

/** Range of a sales report: local calendar days `from`..`to` (inclusive) in the shop's timezone. */
export interface SalesTruthRange {
  /** YYYY-MM-DD */
  from: string;
  /** YYYY-MM-DD, not before `from` */
  to: string;
  /** YYYY-MM-DD: the report runs "as of" this local day; events on later days are ignored everywhere. */
  today?: string;
}

/** Money figures of Shopify's sales report, strings with two decimals in the shop currency. */
export interface SalesMoney {
  grossSales: string;
  discounts: string;
  returns: string;
  netSales: string;
  shipping: string;
  taxes: string;
  totalSales: string;
}

export interface SalesFigures extends SalesMoney {
  orders: number;
  /** Σ(gross − discounts) of placements in range ÷ orders, half-up to the cent; null without orders. */
  averageOrderValue: string | null;
}

export interface SalesDay extends SalesMoney {
  date: string;
  orders: number;
}

export interface SalesHour {
  /** Local wall-clock hour "YYYY-MM-DDTHH:00" (repeated on the day clocks fall back). */
  hour: string;
  /** First instant of the bucket with its offset ("2026-11-01T01:00:00-04:00"): tells repeated hours apart. */
  start: string;
  totalSales: string;
  netSales: string;
  orders: number;
}

export interface SalesTruth {
  shop: string;
  currency: string;
  timezone: string;
  from: string;
  to: string;
  figures: SalesFigures;
  customers: {
    customers: number;
    returningCustomers: number;
    returningCustomerRate: number | null;
    newCustomers: number;
  };
  /** Every day from..to, zero-filled, sorted. */
  byDay: SalesDay[];
  /** Local hours of the day when from === to (23/25 on DST days), else null. */
  byHour: SalesHour[] | null;
  byProduct: { productId: number; netSales: string; netUnits: number }[];
  byVariant: { variantId: number; netUnits: number }[];
  byCustomer: { customerId: number; netSales: string; orders: number }[];
  inventory: { variantId: number; productId: number; inventoryQuantity: number; price: string }[];
}

export interface FaultSpec {
  kind: "status" | "timeout" | "reset" | "slow" | "truncate" | "malformed" | "rate_limit" | "revoke_token";
  /** Shop name or domain; omitted = every shop. */
  shop?: string;
  /** Only requests whose path starts with this prefix (e.g. "/admin/api/2026-01/orders"). */
  pathPrefix?: string;
  /** How many matching requests to affect; omitted = until cleared. */
  count?: number;
  /** HTTP status for kind "status" (500, 502, 503). */
  status?: number;
  /** Delay for kind "slow" in milliseconds. */
  delayMs?: number;
}

export interface FaultInfo extends FaultSpec {
  id: number;
  remaining: number | null;
  hits: number;
}

export interface DeliveryAttempt {
  at: string;
  status: number | null;
  error?: string;
  durationMs: number;
}

export interface DeliveryRecord {
  id: string;
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  apiKey: string;
  uri: string;
  triggeredAt: string;
  body: string;
  attempts: DeliveryAttempt[];
  state: "pending" | "delivered" | "failed";
  duplicate: boolean;
}

export interface ShopStats {
  requests: number;
  throttled: number;
  /** Requests to /admin/oauth/access_token (token exchanges, code and refresh grants). */
  accessTokenRequests: number;
  byStatus: Record<string, number>;
}

export interface SimulatorStats {
  requests: number;
  throttled: number;
  shops: Record<string, ShopStats>;
}

export interface InstallResult {
  accessToken: string;
  refreshToken?: string;
  scope: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON payloads
export type JsonObject = Record<string, any>;

export interface SimulatorControl {
  createOrder(shop: string, input?: JsonObject): JsonObject;
  updateOrder(shop: string, id: number | string, patch: JsonObject): JsonObject;
  deleteOrder(shop: string, id: number | string): void;
  refundOrder(
    shop: string,
    id: number | string,
    input?: {
      amount?: string;
      lineItems?: { lineItemId: number; quantity: number }[];
      shipping?: boolean;
      note?: string;
    },
  ): JsonObject;
  cancelOrder(shop: string, id: number | string, input?: { reason?: string; refund?: boolean }): JsonObject;
  createProduct(shop: string, input?: JsonObject): JsonObject;
  updateProduct(shop: string, id: number | string, patch: JsonObject): JsonObject;
  deleteProduct(shop: string, id: number | string): void;
  createCustomer(shop: string, input?: JsonObject): JsonObject;
  updateCustomer(shop: string, id: number | string, patch: JsonObject): JsonObject;
  deleteCustomer(shop: string, id: number | string): void;
  setPlan(shop: string, plan: PlanName): void;
  setProtectedCustomerData(shop: string, approved: boolean): void;
  setScopes(shop: string, apiKey: string, scopes: string[]): void;
  uninstall(shop: string, apiKey: string): void;
  sendCompliance(
    shop: string,
    apiKey: string,
    topic: "customers/data_request" | "customers/redact" | "shop/redact",
    input?: { customerId?: number },
  ): DeliveryRecord[];
  setWebhooks(
    apiKey: string,
    subscriptions: WebhookSubscription[],
    options?: { duplicates?: boolean; shuffle?: boolean },
  ): void;
  addFault(fault: FaultSpec): FaultInfo;
  clearFaults(): void;
  faults(): FaultInfo[];
  stats(): SimulatorStats;
  resetStats(): void;
  deliveries(filter?: { shop?: string; topic?: string }): DeliveryRecord[];
  /** Resolves when every queued webhook delivery has finished (delivered or failed). */
  flushWebhooks(): Promise<void>;
}

export interface Simulator {
  url: string;
  httpsUrl: string;
  caPem: string;
  certPaths: { ca: string; cert: string; key: string };
  dispatcher(): Dispatcher;
  addShop(spec: ShopSpec): Promise<ShopInfo>;
  installApp(shop: string, apiKey: string, opts?: { scopes?: string[]; expiring?: boolean }): InstallResult;
  sessionToken(shop: string, apiKey: string, opts?: { sub?: string; expiresInSec?: number }): string;
  truth(shop: string): GroundTruth;
  /** Shopify sales-report figures for a range of local days (README "Sales report truth"). */
  salesTruth(shop: string, range: SalesTruthRange): SalesTruth;
  control: SimulatorControl;
  /** Set when started with `state`. */
  state: StateInfo | null;
  /**
   * An offline token of an app installed on the shop without installing it again: the newest usable
   * one of that kind (expiring or not), else a new one; null when the app is not installed.
   */
  currentToken(shop: string, apiKey: string, opts?: { expiring?: boolean }): InstallResult | null;
  close(): Promise<void>;
}
