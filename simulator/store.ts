/**
 * One simulated shop: generated base data described by compact typed arrays, materialised on
 * demand, plus an overlay for every mutation made through the control surface.
 */
import { performance } from "node:perf_hooks";
import type { CoreShipping, GenProduct, GenVariant, OrderCore, StoreParams } from "./generator.ts";
import {
  DAY,
  ID_BASE,
  S_CUSTOMER,
  allocate,
  assignCustomers,
  generateOrderTimes,
  generateProducts,
  idAt,
  orderCore,
  shopIdentity,
  startOfPeriod,
  taxOf,
} from "./generator.ts";
import type { CustomerBase, Obj, OrderFacts, OrderParty, RecordContext } from "./records.ts";
import {
  buildCustomer,
  buildOrder,
  buildProduct,
  customerBase,
  customerForOrder,
  factsFromCore,
  factsFromObject,
  gid,
  moneySet,
  partyForCustomer,
  partyForGuest,
  recomputeOrderTotals,
  variantJson,
  withAggregates,
} from "./records.ts";
import { Rng, mix, rngFor } from "./rng.ts";
import { isoInZone, money, offsetMinutes, toCents } from "./time.ts";
import { taxFor } from "./data.ts";
import type { PlanName, ShopInfo, ShopSpec } from "./types.ts";

export const DEFAULT_NOW = "2026-11-01T00:00:00Z";

export class SimError extends Error {
  status: number;
  body: unknown;
  constructor(status: number, body: unknown) {
    super(typeof body === "string" ? body : JSON.stringify(body));
    this.status = status;
    this.body = body;
  }
}

const F_DELETED = 1,
  F_CANCELLED = 2,
  F_CLOSED = 4,
  F_TEST = 8;
const FIN_CODES = [
  "paid",
  "pending",
  "refunded",
  "partially_refunded",
  "voided",
  "authorized",
  "partially_paid",
  "unpaid",
];
const FUL_CODES = [null, "fulfilled", "partial", "restocked"];

function finCode(s: string): number {
  const k = FIN_CODES.indexOf(s);
  return k < 0 ? 0 : k;
}
function fulCode(s: string | null): number {
  const k = FUL_CODES.indexOf(s);
  return k < 0 ? 0 : k;
}

/** Growable id-ordered index over records (base records first, created ones appended). */
class RecordIndex {
  n = 0;
  ids: Float64Array;
  created: Uint32Array;
  updated: Uint32Array;
  flags: Uint8Array;
  constructor(cap: number) {
    cap = Math.max(cap, 16);
    this.ids = new Float64Array(cap);
    this.created = new Uint32Array(cap);
    this.updated = new Uint32Array(cap);
    this.flags = new Uint8Array(cap);
  }
  protected grow(): void {
    const cap = this.ids.length * 2;
    const g = <T extends Float64Array | Uint32Array | Uint8Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.ids = g(this.ids);
    this.created = g(this.created);
    this.updated = g(this.updated);
    this.flags = g(this.flags);
    this.growExtra(g);
  }
  protected growExtra(_g: <T extends Float64Array | Uint32Array | Uint8Array | Int32Array>(a: T) => T): void {}
  push(id: number, created: number, updated: number, flags: number): number {
    if (this.n === this.ids.length) this.grow();
    const i = this.n++;
    this.ids[i] = id;
    this.created[i] = created;
    this.updated[i] = updated;
    this.flags[i] = flags;
    return i;
  }
  /** First index whose id is > id. */
  upperBound(id: number): number {
    let lo = 0,
      hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ids[mid] <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** First index whose id is >= id. */
  lowerBound(id: number): number {
    let lo = 0,
      hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ids[mid] < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  indexOf(id: number): number {
    const k = this.lowerBound(id);
    return k < this.n && this.ids[k] === id ? k : -1;
  }
  lastId(): number {
    return this.n > 0 ? this.ids[this.n - 1] : 0;
  }
}

class OrderIndex extends RecordIndex {
  processed: Uint32Array;
  customer: Int32Array;
  total: Int32Array;
  refunded: Int32Array;
  fin: Uint8Array;
  ful: Uint8Array;
  constructor(cap: number) {
    super(cap);
    const c = this.ids.length;
    this.processed = new Uint32Array(c);
    this.customer = new Int32Array(c);
    this.total = new Int32Array(c);
    this.refunded = new Int32Array(c);
    this.fin = new Uint8Array(c);
    this.ful = new Uint8Array(c);
  }
  protected growExtra(g: <T extends Float64Array | Uint32Array | Uint8Array | Int32Array>(a: T) => T): void {
    this.processed = g(this.processed);
    this.customer = g(this.customer);
    this.total = g(this.total);
    this.refunded = g(this.refunded);
    this.fin = g(this.fin);
    this.ful = g(this.ful);
  }
}

class CustomerIndex extends RecordIndex {
  ordersCount: Int32Array;
  spent: Float64Array;
  lastOrder: Int32Array;
  constructor(cap: number) {
    super(cap);
    const c = this.ids.length;
    this.ordersCount = new Int32Array(c);
    this.spent = new Float64Array(c);
    this.lastOrder = new Int32Array(c).fill(-1);
  }
  protected growExtra(g: <T extends Float64Array | Uint32Array | Uint8Array | Int32Array>(a: T) => T): void {
    this.ordersCount = g(this.ordersCount);
    this.spent = g(this.spent);
    const old = this.lastOrder.length;
    this.lastOrder = g(this.lastOrder);
    this.lastOrder.fill(-1, old);
  }
}

export interface EventRecord {
  id: number;
  subject_id: number;
  created_at: number;
  subject_type: "Order" | "Product" | "Customer";
  verb: string;
  arguments: unknown[];
  body: null;
  message: string;
  author: string;
  description: string;
  path: string;
}

export type ChangeListener = (topic: string, payload: () => Obj, subject: { type: string; id: number }) => void;

export interface OrderQuery {
  ids?: number[];
  sinceId?: number;
  createdMin?: number;
  createdMax?: number;
  updatedMin?: number;
  updatedMax?: number;
  processedMin?: number;
  processedMax?: number;
  status?: "open" | "closed" | "cancelled" | "any";
  financialStatus?: string;
  fulfillmentStatus?: string;
}

export interface SimpleQuery {
  ids?: number[];
  sinceId?: number;
  createdMin?: number;
  createdMax?: number;
  updatedMin?: number;
  updatedMax?: number;
  productStatus?: string[];
  vendor?: string;
  productType?: string;
  handle?: string[];
  title?: string;
}

export interface PageResult {
  indices: number[];
  hasNext: boolean;
  hasPrev: boolean;
}

const PLAN_DISPLAY: Record<string, [string, string]> = {
  basic: ["basic", "Basic"],
  shopify: ["professional", "Shopify"],
  standard: ["basic", "Basic"],
  advanced: ["advanced", "Advanced"],
  shopify_plus: ["shopify_plus", "Shopify Plus"],
  plus: ["shopify_plus", "Shopify Plus"],
  unlimited: ["unlimited", "Development (unlimited API)"],
};

export class Store implements RecordContext {
  params: StoreParams;
  name: string;
  domain: string;
  shopId: number;
  locationId: number;
  plan: PlanName;
  protectedCustomerData: boolean;
  /** Base catalogue first (immutable), created products appended. */
  products: GenProduct[];
  productIndex: RecordIndex;
  productOverlay = new Map<number, Obj>();
  variantById = new Map<number, { product: number; variant: GenVariant }>();
  customers: CustomerIndex;
  customerOverlay = new Map<number, Obj>();
  orders: OrderIndex;
  orderOverlay = new Map<number, Obj>();
  events: EventRecord[] = [];
  version = 0;
  listener: ChangeListener | null = null;
  private clockOrigin = performance.now();
  private clockBase: number;
  private lastNow = 0;
  /** While set, the shop clock reads this instant (a replayed or journaled mutation). */
  private pinnedSec: number | null = null;
  private counters = {
    refund: 950_000_000_000,
    refundLine: 650_000_000_000,
    transaction: 6_900_000_000_000,
    lineItem: 19_000_000_000_000,
    fulfillment: 5_500_000_000_000,
    address: 9_500_000_000_000,
    shippingLine: 4_900_000_000_000,
    variant: 45_500_000_000_000,
    event: ID_BASE.event,
    number: 0,
  };
  private createRng: Rng;
  private baseOrders: number;
  private baseCustomers: number;

  /** The spec it was generated from. */
  readonly spec: ShopSpec;

  constructor(spec: ShopSpec) {
    this.spec = structuredClone(spec);
    const name = normalizeShopName(spec.name);
    const nowMs = Date.parse(spec.now ?? DEFAULT_NOW);
    if (Number.isNaN(nowMs)) throw new SimError(422, { errors: { now: "is not a valid ISO timestamp" } });
    const tz = spec.timezone ?? "America/New_York";
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
    } catch {
      throw new SimError(422, { errors: { timezone: "is not a valid IANA timezone" } });
    }
    this.params = {
      name,
      seed: (spec.seed ?? 1) >>> 0,
      products: Math.max(0, Math.floor(spec.products ?? 40)),
      customers: Math.max(0, Math.floor(spec.customers ?? 150)),
      orders: Math.max(0, Math.floor(spec.orders ?? 500)),
      days: Math.max(1, Math.floor(spec.days ?? 180)),
      nowSec: Math.floor(nowMs / 1000),
      currency: (spec.currency ?? "USD").toUpperCase(),
      timezone: tz,
      bigVariantProducts: Math.max(0, Math.floor(spec.bigVariantProducts ?? 0)),
    };
    if (this.params.bigVariantProducts > this.params.products) this.params.products = this.params.bigVariantProducts;
    this.clockBase = this.params.nowSec;
    this.name = name;
    this.domain = `${name}.myshopify.com`;
    const ident = shopIdentity(this.params.seed, name);
    this.shopId = ident.id;
    this.locationId = ident.locationId;
    this.plan = spec.plan ?? "basic";
    this.protectedCustomerData = spec.protectedCustomerData ?? true;
    this.createRng = new Rng(mix(this.params.seed, 4242, 0));
    this.baseOrders = this.params.orders;
    this.baseCustomers = this.params.customers;

    // catalogue
    this.products = generateProducts(this.params);
    this.productIndex = new RecordIndex(this.products.length + 16);
    for (const g of this.products) {
      this.productIndex.push(g.id, g.createdAt, g.updatedAt, 0);
      for (const v of g.variants) this.variantById.set(v.id, { product: g.index, variant: v });
    }

    // orders and customers
    const p = this.params;
    const times = generateOrderTimes(p);
    const { assignment } = assignCustomers(p);
    this.orders = new OrderIndex(p.orders + 16);
    this.customers = new CustomerIndex(p.customers + 16);
    const firstOrder = new Int32Array(p.customers).fill(-1);
    const o = this.orders;
    const c = this.customers;
    for (let i = 0; i < p.orders; i++) {
      const core = orderCore(p, this.products, i, times[i], assignment[i]);
      let flags = 0;
      if (core.cancelledAt !== null) flags |= F_CANCELLED;
      if (core.closedAt !== null) flags |= F_CLOSED;
      if (core.test) flags |= F_TEST;
      o.push(core.id, core.createdAt, core.updatedAt, flags);
      o.processed[i] = core.processedAt;
      o.customer[i] = core.customerIndex;
      o.total[i] = core.totalCents;
      o.refunded[i] = core.refund ? core.refund.amountCents : 0;
      o.fin[i] = finCode(core.financialStatus);
      o.ful[i] = fulCode(core.fulfillmentStatus);
      const ci = core.customerIndex;
      if (ci >= 0) {
        if (firstOrder[ci] < 0) firstOrder[ci] = i;
        c.ordersCount[ci]++;
        if (!core.test && core.cancelledAt === null) c.spent[ci] += core.totalCents - o.refunded[i];
        c.lastOrder[ci] = i;
      }
    }
    this.counters.number = p.orders;
    const start = startOfPeriod(p);
    for (let k = 0; k < p.customers; k++) {
      const rng = rngFor(p.seed, S_CUSTOMER, k, 1);
      const fo = firstOrder[k];
      const created =
        fo >= 0 ? o.created[fo] - rng.int(60, 3 * DAY) : start + rng.int(0, Math.max(1, p.nowSec - start - 120));
      const lo = c.lastOrder[k];
      const updated = Math.max(created, lo >= 0 ? o.created[lo] : 0);
      c.push(idAt(p.seed, S_CUSTOMER, ID_BASE.customer, k), created, updated, 0);
    }
  }

  // ---------------------------------------------------------------- clock & helpers

  iso(sec: number): string {
    return isoInZone(sec, this.params.timezone);
  }

  /** Shop clock (epoch seconds): never before the generated data, never going backwards. */
  nowSec(): number {
    if (this.pinnedSec !== null) return this.pinnedSec;
    const elapsed = (performance.now() - this.clockOrigin) / 1000;
    const t = Math.max(Math.floor(Date.now() / 1000), Math.floor(this.clockBase + elapsed));
    this.lastNow = Math.max(this.lastNow, t);
    return this.lastNow;
  }

  /**
   * Runs fn with the shop clock reading `sec` throughout, so that every timestamp one mutation
   * writes is the same instant, live and when the mutation is replayed from a state file.
   */
  atTime<T>(sec: number, fn: () => T): T {
    const outer = this.pinnedSec;
    this.pinnedSec = sec;
    this.lastNow = Math.max(this.lastNow, sec);
    try {
      return fn();
    } finally {
      this.pinnedSec = outer;
    }
  }

  /**
   * After a restore: the clock goes on from `sec` (the last replayed mutation) rather than from the
   * spec's `now`, so restored data never lies in the shop's future.
   */
  resumeClock(sec: number): void {
    if (sec <= this.clockBase + (performance.now() - this.clockOrigin) / 1000) return;
    this.clockBase = sec;
    this.clockOrigin = performance.now();
    this.lastNow = Math.max(this.lastNow, sec);
  }

  get planName(): PlanName {
    return this.plan;
  }

  info(): ShopInfo {
    return {
      name: this.name,
      domain: this.domain,
      id: this.shopId,
      currency: this.params.currency,
      timezone: this.params.timezone,
      plan: this.plan,
      counts: this.counts(),
    };
  }

  counts(): { products: number; variants: number; customers: number; orders: number } {
    let products = 0,
      variants = 0;
    for (let i = 0; i < this.productIndex.n; i++) {
      if (this.productIndex.flags[i] & F_DELETED) continue;
      products++;
      variants += this.productVariants(i).length;
    }
    let customers = 0;
    for (let i = 0; i < this.customers.n; i++) if (!(this.customers.flags[i] & F_DELETED)) customers++;
    let orders = 0;
    for (let i = 0; i < this.orders.n; i++) if (!(this.orders.flags[i] & F_DELETED)) orders++;
    return { products, variants, customers, orders };
  }

  private productVariants(i: number): { id: number }[] {
    const ov = this.productOverlay.get(i);
    return ov ? (ov.variants as { id: number }[]) : this.products[i].variants;
  }

  private bump(): void {
    this.version++;
  }

  private emit(topic: string, payload: () => Obj, subject: { type: string; id: number }): void {
    if (this.listener) this.listener(topic, payload, subject);
  }

  /** A change of one record: its event in events.json, a new data version, and its webhook. */
  private announce(
    type: EventRecord["subject_type"],
    id: number,
    verb: string,
    message: string,
    topic: string,
    payload: () => Obj,
  ): void {
    this.recordEvent(type, id, verb, message);
    this.bump();
    this.emit(topic, payload, { type, id });
  }

  private recordEvent(
    type: EventRecord["subject_type"],
    id: number,
    verb: string,
    message: string,
    args: unknown[] = [],
  ): void {
    const path =
      type === "Order"
        ? `/admin/orders/${id}`
        : type === "Product"
          ? `/admin/products/${id}`
          : `/admin/customers/${id}`;
    this.events.push({
      id: ++this.counters.event,
      subject_id: id,
      created_at: this.nowSec(),
      subject_type: type,
      verb,
      arguments: args,
      body: null,
      message,
      author: "Shopify",
      description: message,
      path,
    });
  }

  shopJson(): Obj {
    const p = this.params;
    const now = p.nowSec;
    const off = offsetMinutes(p.timezone, p.nowSec);
    const sign = off < 0 ? "-" : "+";
    const a = Math.abs(off);
    const tzLabel = `(GMT${sign}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}) ${p.timezone}`;
    const [planName, planDisplay] = PLAN_DISPLAY[this.plan] ?? ["basic", "Basic"];
    const title = this.name
      .split(/[-_]/)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(" ");
    const symbol = p.currency === "EUR" ? "€" : p.currency === "GBP" ? "£" : p.currency === "JPY" ? "¥" : "$";
    return {
      id: this.shopId,
      name: title,
      email: `owner@${this.name}.example.com`,
      domain: this.domain,
      province: "New York",
      country: "US",
      address1: "1 Commerce Way",
      zip: "10001",
      city: "New York",
      source: null,
      phone: "+12125550100",
      latitude: 40.7505,
      longitude: -73.9934,
      primary_locale: "en",
      address2: "",
      created_at: this.iso(startOfPeriod(p) - 60 * DAY),
      updated_at: this.iso(now - DAY),
      country_code: "US",
      country_name: "United States",
      currency: p.currency,
      customer_email: `support@${this.name}.example.com`,
      timezone: tzLabel,
      iana_timezone: p.timezone,
      shop_owner: "Store Owner",
      money_format: `${symbol}{{amount}}`,
      money_with_currency_format: `${symbol}{{amount}} ${p.currency}`,
      weight_unit: "kg",
      province_code: "NY",
      taxes_included: false,
      auto_configure_tax_inclusivity: null,
      tax_shipping: null,
      county_taxes: true,
      plan_display_name: planDisplay,
      plan_name: planName,
      has_discounts: true,
      has_gift_cards: false,
      myshopify_domain: this.domain,
      google_apps_domain: null,
      google_apps_login_enabled: null,
      money_in_emails_format: `${symbol}{{amount}}`,
      money_with_currency_in_emails_format: `${symbol}{{amount}} ${p.currency}`,
      eligible_for_payments: true,
      requires_extra_payments_agreement: false,
      password_enabled: false,
      has_storefront: true,
      finances: true,
      primary_location_id: this.locationId,
      checkout_api_supported: true,
      multi_location_enabled: true,
      setup_required: false,
      pre_launch_enabled: false,
      enabled_presentment_currencies: [p.currency],
      transactional_sms_disabled: false,
      marketing_sms_consent_enabled_at_checkout: false,
    };
  }

  // ---------------------------------------------------------------- record materialisation

  private customerBaseAt(i: number): CustomerBase {
    return customerBase(this.params, i);
  }

  customerRaw(i: number): Obj {
    const ov = this.customerOverlay.get(i);
    if (ov) return ov;
    return buildCustomer(this, this.customerBaseAt(i), this.customers.created[i], this.customers.updated[i]);
  }

  customerJson(i: number): Obj {
    const c = this.customers;
    const lo = c.lastOrder[i];
    const last = lo >= 0 ? { id: this.orders.ids[lo], name: this.orderName(lo) } : null;
    const raw = this.customerRaw(i);
    const out = withAggregates(raw, c.ordersCount[i], c.spent[i], last);
    out.updated_at = this.iso(c.updated[i]);
    return out;
  }

  private orderName(i: number): string {
    const ov = this.orderOverlay.get(i);
    return ov ? ov.name : `#${1001 + i}`;
  }

  orderCoreAt(i: number): OrderCore {
    return orderCore(this.params, this.products, i, this.orders.created[i], this.orders.customer[i]);
  }

  private partyFor(core: OrderCore): OrderParty {
    return core.customerIndex >= 0 && core.customerIndex < this.baseCustomers
      ? partyForCustomer(this.customerBaseAt(core.customerIndex))
      : partyForGuest(core.guestSeed);
  }

  /** The order object without the embedded customer. Do not mutate the result of base orders. */
  orderRaw(i: number): Obj {
    const ov = this.orderOverlay.get(i);
    if (ov) return ov;
    const core = this.orderCoreAt(i);
    return buildOrder(this, core, this.partyFor(core));
  }

  /** Final order object as served: customer attached, protected data redacted when not approved. */
  orderJson(i: number): Obj {
    const ov = this.orderOverlay.get(i);
    // base orders are built fresh for every call and can be adjusted in place
    const out: Obj = ov ? { ...ov } : this.orderRaw(i);
    const redacted = !this.protectedCustomerData;
    const ci = this.orders.customer[i];
    if (redacted) {
      out.email = null;
      out.contact_email = null;
      out.phone = null;
      delete out.billing_address;
      delete out.shipping_address;
      if (out.client_details) out.client_details = { ...out.client_details, browser_ip: null };
      out.browser_ip = null;
    }
    if (ci >= 0 && !(this.customers.flags[ci] & F_DELETED)) {
      const cust = this.customerRaw(ci);
      out.customer = customerForOrder({ ...cust, updated_at: this.iso(this.customers.updated[ci]) }, redacted);
    }
    return out;
  }

  /** Product as the REST API and webhooks serve it: at most 100 variants. */
  productJson(i: number): Obj {
    const p = this.productOverlay.get(i) ?? buildProduct(this, this.products[i]);
    return Array.isArray(p.variants) && p.variants.length > 100 ? { ...p, variants: p.variants.slice(0, 100) } : p;
  }

  // ---------------------------------------------------------------- queries

  private orderMatcher(q: OrderQuery): (i: number) => boolean {
    const o = this.orders;
    const status = q.status ?? "open";
    const fin = q.financialStatus && q.financialStatus !== "any" ? q.financialStatus : null;
    const ful = q.fulfillmentStatus && q.fulfillmentStatus !== "any" ? q.fulfillmentStatus : null;
    return (i: number) => {
      const f = o.flags[i];
      if (f & F_DELETED) return false;
      if (status === "open" && f & F_CLOSED) return false;
      if (status === "closed" && !(f & F_CLOSED)) return false;
      if (status === "cancelled" && !(f & F_CANCELLED)) return false;
      if (q.createdMin !== undefined && o.created[i] < q.createdMin) return false;
      if (q.createdMax !== undefined && o.created[i] > q.createdMax) return false;
      if (q.updatedMin !== undefined && o.updated[i] < q.updatedMin) return false;
      if (q.updatedMax !== undefined && o.updated[i] > q.updatedMax) return false;
      if (q.processedMin !== undefined && o.processed[i] < q.processedMin) return false;
      if (q.processedMax !== undefined && o.processed[i] > q.processedMax) return false;
      if (fin) {
        const code = FIN_CODES[o.fin[i]];
        if (
          fin === "paid"
            ? !(code === "paid" || code === "partially_refunded")
            : fin === "unpaid"
              ? !(code === "pending" || code === "authorized" || code === "unpaid")
              : code !== fin
        )
          return false;
      }
      if (ful) {
        const code = FUL_CODES[o.ful[i]];
        if (ful === "shipped" && code !== "fulfilled") return false;
        if (ful === "partial" && code !== "partial") return false;
        if (ful === "unshipped" && code !== null) return false;
        if (ful === "unfulfilled" && code === "fulfilled") return false;
      }
      return true;
    };
  }

  private simpleMatcher(idx: RecordIndex, q: SimpleQuery, extra?: (i: number) => boolean): (i: number) => boolean {
    return (i: number) => {
      if (idx.flags[i] & F_DELETED) return false;
      if (q.createdMin !== undefined && idx.created[i] < q.createdMin) return false;
      if (q.createdMax !== undefined && idx.created[i] > q.createdMax) return false;
      if (q.updatedMin !== undefined && idx.updated[i] < q.updatedMin) return false;
      if (q.updatedMax !== undefined && idx.updated[i] > q.updatedMax) return false;
      return extra ? extra(i) : true;
    };
  }

  private productExtra(q: SimpleQuery): ((i: number) => boolean) | undefined {
    if (!q.productStatus && !q.vendor && !q.productType && !q.handle && !q.title) return undefined;
    return (i: number) => {
      const ov = this.productOverlay.get(i);
      const g = this.products[i];
      const status = ov ? ov.status : g.status;
      const vendor = ov ? ov.vendor : g.vendor;
      const type = ov ? ov.product_type : g.productType;
      const handle = ov ? ov.handle : g.handle;
      const title = ov ? ov.title : g.title;
      if (q.productStatus && !q.productStatus.includes(status)) return false;
      if (q.vendor && vendor !== q.vendor) return false;
      if (q.productType && type !== q.productType) return false;
      if (q.handle && !q.handle.includes(handle)) return false;
      if (q.title && !String(title).toLowerCase().includes(q.title.toLowerCase())) return false;
      return true;
    };
  }

  private page(
    idx: RecordIndex,
    match: (i: number) => boolean,
    q: { ids?: number[]; sinceId?: number },
    limit: number,
    cursor: { dir: "next" | "prev"; id: number } | null,
  ): PageResult {
    // candidate iteration bounds
    let positions: number[] | null = null;
    if (q.ids) {
      positions = [];
      for (const id of q.ids) {
        const k = idx.indexOf(id);
        if (k >= 0) positions.push(k);
      }
      positions.sort((a, b) => a - b);
    }
    const lowerStart = q.sinceId !== undefined ? idx.upperBound(q.sinceId) : 0;
    const inRange = (k: number) => k >= lowerStart;
    const out: number[] = [];
    if (!cursor || cursor.dir === "next") {
      const start = cursor ? Math.max(lowerStart, idx.upperBound(cursor.id)) : lowerStart;
      let hasNext = false;
      if (positions) {
        for (const k of positions) {
          if (k < start || !match(k)) continue;
          if (out.length === limit) {
            hasNext = true;
            break;
          }
          out.push(k);
        }
      } else {
        for (let k = start; k < idx.n; k++) {
          if (!match(k)) continue;
          if (out.length === limit) {
            hasNext = true;
            break;
          }
          out.push(k);
        }
      }
      let hasPrev = false;
      if (cursor) {
        const before = out.length > 0 ? out[0] : start;
        hasPrev = this.existsBefore(before, match, positions, inRange);
      }
      return { indices: out, hasNext, hasPrev };
    }
    // previous page: the `limit` matching records just before cursor.id
    const end = idx.lowerBound(cursor.id); // exclusive
    let hasPrev = false;
    if (positions) {
      for (let n = positions.length - 1; n >= 0; n--) {
        const k = positions[n];
        if (k >= end || !inRange(k) || !match(k)) continue;
        if (out.length === limit) {
          hasPrev = true;
          break;
        }
        out.push(k);
      }
    } else {
      for (let k = end - 1; k >= lowerStart; k--) {
        if (!match(k)) continue;
        if (out.length === limit) {
          hasPrev = true;
          break;
        }
        out.push(k);
      }
    }
    out.reverse();
    const after = out.length > 0 ? out[out.length - 1] : end - 1;
    const hasNext = this.existsAfter(idx, after, match, positions);
    return { indices: out, hasNext, hasPrev };
  }

  private existsBefore(
    before: number,
    match: (i: number) => boolean,
    positions: number[] | null,
    inRange: (k: number) => boolean,
  ): boolean {
    if (positions) return positions.some((k) => k < before && inRange(k) && match(k));
    for (let k = before - 1; k >= 0 && inRange(k); k--) if (match(k)) return true;
    return false;
  }

  private existsAfter(
    idx: RecordIndex,
    after: number,
    match: (i: number) => boolean,
    positions: number[] | null,
  ): boolean {
    if (positions) return positions.some((k) => k > after && match(k));
    for (let k = after + 1; k < idx.n; k++) if (match(k)) return true;
    return false;
  }

  private count(idx: RecordIndex, match: (i: number) => boolean, q: { ids?: number[]; sinceId?: number }): number {
    let n = 0;
    if (q.ids) {
      for (const id of new Set(q.ids)) {
        const k = idx.indexOf(id);
        if (k >= 0 && (q.sinceId === undefined || id > q.sinceId) && match(k)) n++;
      }
      return n;
    }
    const start = q.sinceId !== undefined ? idx.upperBound(q.sinceId) : 0;
    for (let k = start; k < idx.n; k++) if (match(k)) n++;
    return n;
  }

  pageOrders(q: OrderQuery, limit: number, cursor: { dir: "next" | "prev"; id: number } | null): PageResult {
    return this.page(this.orders, this.orderMatcher(q), q, limit, cursor);
  }
  countOrders(q: OrderQuery): number {
    return this.count(this.orders, this.orderMatcher(q), q);
  }
  pageCustomers(q: SimpleQuery, limit: number, cursor: { dir: "next" | "prev"; id: number } | null): PageResult {
    return this.page(this.customers, this.simpleMatcher(this.customers, q), q, limit, cursor);
  }
  countCustomers(q: SimpleQuery): number {
    return this.count(this.customers, this.simpleMatcher(this.customers, q), q);
  }
  pageProducts(q: SimpleQuery, limit: number, cursor: { dir: "next" | "prev"; id: number } | null): PageResult {
    return this.page(
      this.productIndex,
      this.simpleMatcher(this.productIndex, q, this.productExtra(q)),
      q,
      limit,
      cursor,
    );
  }
  countProducts(q: SimpleQuery): number {
    return this.count(this.productIndex, this.simpleMatcher(this.productIndex, q, this.productExtra(q)), q);
  }

  orderIndexById(id: number): number {
    const k = this.orders.indexOf(id);
    return k >= 0 && !(this.orders.flags[k] & F_DELETED) ? k : -1;
  }
  customerIndexById(id: number): number {
    const k = this.customers.indexOf(id);
    return k >= 0 && !(this.customers.flags[k] & F_DELETED) ? k : -1;
  }
  productIndexById(id: number): number {
    const k = this.productIndex.indexOf(id);
    return k >= 0 && !(this.productIndex.flags[k] & F_DELETED) ? k : -1;
  }

  // ---------------------------------------------------------------- derived state upkeep

  /** Facts of a (non-deleted) order from whichever representation is current. */
  orderFacts(i: number): OrderFacts {
    const ov = this.orderOverlay.get(i);
    return ov ? factsFromObject(ov) : factsFromCore(this.orderCoreAt(i), this.products);
  }

  private syncOrderArrays(i: number, f: OrderFacts): void {
    const o = this.orders;
    let flags = o.flags[i] & F_DELETED;
    if (f.cancelled) flags |= F_CANCELLED;
    if (f.closed) flags |= F_CLOSED;
    if (f.test) flags |= F_TEST;
    o.flags[i] = flags;
    o.created[i] = f.createdAt;
    o.updated[i] = f.updatedAt;
    o.processed[i] = f.processedAt;
    o.total[i] = f.totalCents;
    o.refunded[i] = f.refundedCents;
    o.fin[i] = finCode(f.financial);
    o.ful[i] = fulCode(f.fulfillment);
  }

  private netOf(f: OrderFacts): number {
    return !f.test && !f.cancelled ? f.totalCents - f.refundedCents : 0;
  }

  private recomputeLastOrder(ci: number): void {
    const o = this.orders;
    let last = -1;
    for (let k = o.n - 1; k >= 0; k--) {
      if (o.customer[k] === ci && !(o.flags[k] & F_DELETED)) {
        last = k;
        break;
      }
    }
    this.customers.lastOrder[ci] = last;
  }

  private materialize(i: number): Obj {
    let ov = this.orderOverlay.get(i);
    if (!ov) {
      ov = structuredClone(this.orderRaw(i)) as Obj;
      this.orderOverlay.set(i, ov);
    }
    return ov;
  }

  private requireOrder(id: number | string): number {
    const k = this.orderIndexById(Number(id));
    if (k < 0) throw new SimError(404, { errors: "Not Found" });
    return k;
  }
  private requireCustomer(id: number | string): number {
    const k = this.customerIndexById(Number(id));
    if (k < 0) throw new SimError(404, { errors: "Not Found" });
    return k;
  }
  private requireProduct(id: number | string): number {
    const k = this.productIndexById(Number(id));
    if (k < 0) throw new SimError(404, { errors: "Not Found" });
    return k;
  }

  /** Applies a change to an order object and keeps every aggregate consistent. */
  private mutateOrder(i: number, fn: (o: Obj, now: number) => void): Obj {
    const before = this.orderFacts(i);
    const obj = this.materialize(i);
    const now = this.nowSec();
    fn(obj, now);
    obj.updated_at = this.iso(now);
    const after = factsFromObject(obj);
    this.syncOrderArrays(i, after);
    const ci = this.orders.customer[i];
    if (ci >= 0) this.customers.spent[ci] += this.netOf(after) - this.netOf(before);
    this.bump();
    return obj;
  }

  // ---------------------------------------------------------------- mutations: orders

  createOrder(input: Obj = {}): Obj {
    const now = this.nowSec();
    const rng = this.createRng;
    // customer
    let ci = -1;
    const custInput = input.customer as Obj | undefined;
    const custId = input.customer_id ?? custInput?.id;
    if (custId !== undefined && custId !== null) {
      ci = this.customerIndexById(Number(custId));
      if (ci < 0) throw new SimError(422, { errors: { customer: ["not found"] } });
    } else if (custInput && (custInput.email || custInput.first_name)) {
      const created = this.createCustomer(custInput);
      ci = this.customerIndexById(created.id);
    }
    // line items
    const tax = taxFor(this.params.currency);
    const reqLines = (input.line_items as Obj[] | undefined) ?? [];
    const lines: OrderCore["lines"] = [];
    if (reqLines.length === 0) {
      const live = [];
      for (let k = 0; k < this.productIndex.n; k++) if (!(this.productIndex.flags[k] & F_DELETED)) live.push(k);
      if (live.length === 0) throw new SimError(422, { errors: { line_items: ["must have at least one product"] } });
      const pi = live[rng.int(0, live.length - 1)];
      const prod = this.products[pi];
      const variant = prod.variants[rng.int(0, prod.variants.length - 1)];
      lines.push({
        productIndex: pi,
        variant,
        quantity: 1,
        priceCents: this.currentVariantPrice(pi, variant),
        discountCents: 0,
        taxCents: 0,
      });
    } else {
      for (const li of reqLines) {
        const vid = Number(li.variant_id);
        const found = this.variantById.get(vid);
        if (!found) throw new SimError(422, { errors: { line_items: [`variant ${li.variant_id} not found`] } });
        const qty = Math.max(1, Math.floor(Number(li.quantity ?? 1)));
        const price =
          li.price !== undefined ? toCents(li.price) : this.currentVariantPrice(found.product, found.variant);
        lines.push({
          productIndex: found.product,
          variant: found.variant,
          quantity: qty,
          priceCents: price,
          discountCents: 0,
          taxCents: 0,
          ...(li.gift_card === true ? { giftCard: true } : {}),
        });
      }
    }
    const lineItemsCents = lines.reduce((a, l) => a + l.priceCents * l.quantity, 0);
    // discount codes and taxes apply to every line except gift cards
    const eligible = lines.filter((l) => !l.giftCard);
    const eligibleCents = eligible.reduce((a, l) => a + l.priceCents * l.quantity, 0);
    let discount: OrderCore["discount"] = null;
    const dc = (input.discount_codes as Obj[] | undefined)?.[0];
    if (dc) {
      const type = dc.type === "percentage" ? "percentage" : "fixed_amount";
      const value = type === "percentage" ? Number(dc.amount ?? dc.value ?? 10) : toCents(dc.amount ?? "5.00");
      const amountCents =
        type === "percentage" ? Math.floor((eligibleCents * value) / 100) : Math.min(value, eligibleCents);
      discount = { code: String(dc.code ?? "DISCOUNT"), type, value, amountCents };
      const shares = allocate(
        amountCents,
        eligible.map((l) => l.priceCents * l.quantity),
      );
      eligible.forEach((l, k) => (l.discountCents = shares[k]));
    }
    const taxBp = input.taxes === false ? 0 : tax.bp;
    for (const l of eligible) l.taxCents = taxOf(l.priceCents * l.quantity - l.discountCents, taxBp);
    // shipping lines: `discount` becomes a discount allocation; `tax_shipping: true` taxes the discounted price
    const taxShipping = input.tax_shipping === true;
    const shippingLines: CoreShipping[] = ((input.shipping_lines as Obj[] | undefined) ?? []).map((sl) => {
      const cents = toCents(sl.price ?? "0.00");
      const discountCents = Math.max(0, Math.min(cents, toCents(sl.discount ?? "0.00")));
      return {
        title: String(sl.title ?? "Shipping"),
        code: String(sl.code ?? "custom"),
        cents,
        discountCents,
        taxCents: taxShipping ? taxOf(cents - discountCents, taxBp) : 0,
      };
    });
    const discountCents = discount ? discount.amountCents : 0;
    const subtotalCents = lineItemsCents - discountCents;
    const taxCents =
      lines.reduce((a, l) => a + l.taxCents, 0) + shippingLines.reduce((a, sl) => a + (sl.taxCents ?? 0), 0);
    const shippingCents = shippingLines.reduce((a, sl) => a + sl.cents, 0);
    const shippingNetCents = shippingLines.reduce((a, sl) => a + sl.cents - (sl.discountCents ?? 0), 0);
    const totalCents = subtotalCents + shippingNetCents + taxCents;
    const index = this.orders.n;
    const id = Math.max(this.orders.lastId(), ID_BASE.order + this.baseOrders * 1000) + 1000 + rng.int(0, 999);
    const number = ++this.counters.number;
    const processedAt = input.processed_at ? Math.floor(Date.parse(String(input.processed_at)) / 1000) : now;
    if (Number.isNaN(processedAt)) throw new SimError(422, { errors: { processed_at: ["is invalid"] } });
    const financial = input.financial_status === "pending" ? "pending" : "paid";
    const core: OrderCore = {
      index,
      id,
      number,
      createdAt: now,
      processedAt,
      customerIndex: ci,
      guestSeed: mix(this.params.seed, 98, number),
      lines,
      discount,
      shipping: shippingLines[0] ?? null,
      shippingLines,
      taxBp,
      taxTitle: tax.title,
      lineItemsCents,
      discountCents,
      subtotalCents,
      taxCents,
      shippingCents,
      totalCents,
      test: input.test === true,
      cancelledAt: null,
      cancelReason: null,
      financialStatus: financial,
      fulfillmentStatus: null,
      fulfilledAt: null,
      closedAt: null,
      refund: null,
      updatedAt: now,
      sourceName: String(input.source_name ?? "web"),
      gateway: input.test === true ? "bogus" : "shopify_payments",
      note: input.note === undefined ? null : (input.note as string | null),
      tags: Array.isArray(input.tags) ? (input.tags as string[]).join(", ") : String(input.tags ?? ""),
      token: rng.hex(32),
      browserIp: "127.0.0.1",
      buyerAcceptsMarketing: input.buyer_accepts_marketing === true,
      lineIds: lines.map(() => ++this.counters.lineItem),
      shippingLineIds: shippingLines.map(() => ++this.counters.shippingLine),
    };
    let party: OrderParty;
    if (ci >= 0) {
      const raw = this.customerRaw(ci);
      party = {
        first: raw.first_name ?? "",
        last: raw.last_name ?? "",
        email: raw.email ?? "",
        phone: raw.phone ?? null,
        address: raw.default_address ?? null,
      };
    } else {
      party = partyForGuest(core.guestSeed);
      if (typeof input.email === "string") party = { ...party, email: input.email };
    }
    const obj = buildOrder(this, core, party);
    if (typeof input.email === "string") {
      obj.email = input.email;
      obj.contact_email = input.email;
    }
    const k = this.orders.push(id, now, now, core.test ? F_TEST : 0);
    this.orders.customer[k] = ci;
    this.orderOverlay.set(k, obj);
    const f = factsFromObject(obj);
    this.syncOrderArrays(k, f);
    if (ci >= 0) {
      const c = this.customers;
      c.ordersCount[ci]++;
      c.spent[ci] += this.netOf(f);
      c.lastOrder[ci] = k;
      c.updated[ci] = Math.max(c.updated[ci], now);
    }
    this.announce("Order", id, "create", `Order ${obj.name} was created.`, "orders/create", () => this.orderJson(k));
    if (ci >= 0)
      this.emit("customers/update", () => this.customerJson(ci), { type: "Customer", id: this.customers.ids[ci] });
    return this.orderJson(k);
  }

  private currentVariantPrice(pi: number, v: GenVariant): number {
    const ov = this.productOverlay.get(pi);
    if (ov) {
      const vv = (ov.variants as Obj[]).find((x) => x.id === v.id);
      if (vv) return toCents(vv.price);
    }
    return v.priceCents;
  }

  updateOrder(id: number | string, patch: Obj): Obj {
    const i = this.requireOrder(id);
    const simple = [
      "note",
      "tags",
      "email",
      "phone",
      "note_attributes",
      "buyer_accepts_marketing",
      "shipping_address",
      "billing_address",
      "test",
      "source_name",
      "reference",
      "po_number",
    ];
    let fulfilled = false;
    this.mutateOrder(i, (o, now) => {
      for (const key of Object.keys(patch)) {
        const v = patch[key];
        if (simple.includes(key)) {
          o[key] = key === "tags" && Array.isArray(v) ? (v as string[]).join(", ") : v;
          if (key === "email") o.contact_email = v;
        } else if (key === "processed_at") {
          const t = Date.parse(String(v));
          if (Number.isNaN(t)) throw new SimError(422, { errors: { processed_at: ["is invalid"] } });
          o.processed_at = this.iso(Math.floor(t / 1000));
        } else if (key === "closed") {
          o.closed_at = v ? this.iso(now) : null;
        } else if (key === "financial_status") {
          o.financial_status = String(v);
        } else if (key === "fulfillment_status") {
          if (v === "fulfilled" && o.fulfillment_status !== "fulfilled") {
            fulfilled = true;
            for (const li of o.line_items as Obj[]) {
              li.fulfillment_status = "fulfilled";
              li.fulfillable_quantity = 0;
            }
            o.fulfillments = [
              ...(o.fulfillments ?? []),
              {
                id: ++this.counters.fulfillment,
                admin_graphql_api_id: gid("Fulfillment", this.counters.fulfillment),
                created_at: this.iso(now),
                location_id: this.locationId,
                name: `${o.name}.${(o.fulfillments ?? []).length + 1}`,
                order_id: o.id,
                service: "manual",
                shipment_status: null,
                status: "success",
                tracking_company: null,
                tracking_number: null,
                tracking_numbers: [],
                tracking_url: null,
                tracking_urls: [],
                updated_at: this.iso(now),
                line_items: o.line_items,
              },
            ];
          }
          o.fulfillment_status = v;
        } else if (key !== "id") {
          throw new SimError(422, { errors: { [key]: ["cannot be updated through the simulator"] } });
        }
      }
    });
    const oid = this.orders.ids[i];
    if (patch.closed !== undefined)
      this.recordEvent(
        "Order",
        oid,
        patch.closed ? "closed" : "re_opened",
        `Order was ${patch.closed ? "closed" : "re-opened"}.`,
      );
    this.emit("orders/updated", () => this.orderJson(i), { type: "Order", id: oid });
    if (fulfilled) this.emit("orders/fulfilled", () => this.orderJson(i), { type: "Order", id: oid });
    return this.orderJson(i);
  }

  refundOrder(
    id: number | string,
    input: {
      amount?: string;
      lineItems?: { lineItemId: number; quantity: number }[];
      shipping?: boolean;
      note?: string;
    } = {},
  ): Obj {
    const i = this.requireOrder(id);
    const cur = this.params.currency;
    let refundObj: Obj | null = null;
    this.mutateOrder(i, (o, now) => {
      const facts = factsFromObject(o);
      const remaining = facts.totalCents - facts.refundedCents;
      if (o.cancelled_at && !input.amount) throw new SimError(422, { errors: { base: ["Order is cancelled"] } });
      const refundedQty = new Map<number, number>();
      let shippingRefunded = 0,
        shippingTaxRefunded = 0;
      for (const r of (o.refunds ?? []) as Obj[]) {
        for (const rl of (r.refund_line_items ?? []) as Obj[])
          refundedQty.set(rl.line_item_id, (refundedQty.get(rl.line_item_id) ?? 0) + rl.quantity);
        for (const adj of (r.order_adjustments ?? []) as Obj[])
          if (adj.kind === "shipping_refund") {
            shippingRefunded += -toCents(adj.amount);
            shippingTaxRefunded += -toCents(adj.tax_amount);
          }
      }
      const rlines: Obj[] = [];
      const restock: (() => void)[] = []; // applied once the refund is known to be valid
      let sum = 0;
      const wantLines =
        input.lineItems ??
        (input.amount === undefined
          ? (o.line_items as Obj[]).map((li) => ({
              lineItemId: li.id,
              quantity: li.quantity - (refundedQty.get(li.id) ?? 0),
            }))
          : []);
      for (const w of wantLines) {
        if (w.quantity <= 0) continue;
        const li = (o.line_items as Obj[]).find((x) => x.id === Number(w.lineItemId));
        if (!li) throw new SimError(422, { errors: { refund_line_items: [`line item ${w.lineItemId} not found`] } });
        const left = li.quantity - (refundedQty.get(li.id) ?? 0);
        const q = Math.min(left, Math.floor(w.quantity));
        if (q <= 0) continue;
        const disc = ((li.discount_allocations ?? []) as Obj[]).reduce((a, d) => a + toCents(d.amount), 0);
        const lineNet = toCents(li.price) * li.quantity - disc;
        const lineTax = ((li.tax_lines ?? []) as Obj[]).reduce((a, t) => a + toCents(t.price), 0);
        const rate = Math.round(Number(li.tax_lines?.[0]?.rate ?? 0) * 10000);
        const sub = q === li.quantity ? lineNet : Math.floor(lineNet / li.quantity) * q;
        const taxC = q === li.quantity ? lineTax : taxOf(sub, rate);
        sum += sub + taxC;
        const rid = ++this.counters.refundLine;
        rlines.push({
          id: rid,
          line_item_id: li.id,
          location_id: this.locationId,
          quantity: q,
          restock_type: "return",
          subtotal: money(sub),
          subtotal_set: moneySet(sub, cur),
          total_tax: money(taxC),
          total_tax_set: moneySet(taxC, cur),
          line_item: li,
        });
        restock.push(() => {
          li.current_quantity = Math.max(0, (li.current_quantity ?? li.quantity) - q);
          li.fulfillable_quantity = Math.max(0, Math.min(li.fulfillable_quantity ?? 0, li.current_quantity));
        });
      }
      const refundId = ++this.counters.refund;
      const adjustments: Obj[] = [];
      // what the customer paid for shipping: discounted price, and its tax
      let shippingTotal = 0,
        shippingTaxTotal = 0;
      for (const sl of (o.shipping_lines ?? []) as Obj[]) {
        const disc = ((sl.discount_allocations ?? []) as Obj[]).reduce((a, d) => a + toCents(d.amount), 0);
        shippingTotal += toCents(sl.price) - disc;
        shippingTaxTotal += ((sl.tax_lines ?? []) as Obj[]).reduce((a, t) => a + toCents(t.price), 0);
      }
      const wantShipping = input.shipping ?? (input.amount === undefined && input.lineItems === undefined);
      if (wantShipping && shippingTotal - shippingRefunded > 0) {
        const s = shippingTotal - shippingRefunded;
        const st = Math.max(0, shippingTaxTotal - shippingTaxRefunded);
        sum += s + st;
        adjustments.push({
          id: refundId * 10 + 1,
          amount: money(-s),
          amount_set: moneySet(-s, cur),
          kind: "shipping_refund",
          order_id: o.id,
          reason: "Shipping refund",
          refund_id: refundId,
          tax_amount: money(-st),
          tax_amount_set: moneySet(-st, cur),
        });
      }
      // the money actually returned; whatever lines and shipping do not explain is a refund discrepancy
      const amount = Math.min(input.amount !== undefined ? toCents(input.amount) : sum, remaining);
      if (amount !== sum) {
        adjustments.push({
          id: refundId * 10 + 2,
          amount: money(sum - amount),
          amount_set: moneySet(sum - amount, cur),
          kind: "refund_discrepancy",
          order_id: o.id,
          reason: "Refund discrepancy",
          refund_id: refundId,
          tax_amount: "0.00",
          tax_amount_set: moneySet(0, cur),
        });
      }
      if (amount <= 0)
        throw new SimError(422, {
          errors: { base: ["Refund amount must be greater than 0 and no more than the refundable amount"] },
        });
      for (const apply of restock) apply();
      const txId = ++this.counters.transaction;
      refundObj = {
        id: refundId,
        admin_graphql_api_id: gid("Refund", refundId),
        created_at: this.iso(now),
        note: input.note ?? null,
        order_id: o.id,
        processed_at: this.iso(now),
        restock: rlines.length > 0,
        total_duties_set: moneySet(0, cur),
        user_id: null,
        order_adjustments: adjustments,
        transactions: [
          {
            id: txId,
            admin_graphql_api_id: gid("OrderTransaction", txId),
            amount: money(amount),
            authorization: null,
            created_at: this.iso(now),
            currency: cur,
            device_id: null,
            error_code: null,
            gateway: (o.payment_gateway_names ?? ["manual"])[0],
            kind: "refund",
            location_id: null,
            message: "Refunded",
            order_id: o.id,
            parent_id: null,
            payment_id: `r${txId}`,
            processed_at: this.iso(now),
            receipt: {},
            source_name: "web",
            status: "success",
            test: o.test === true,
            user_id: null,
          },
        ],
        refund_line_items: rlines,
        duties: [],
      };
      o.refunds = [...(o.refunds ?? []), refundObj];
      recomputeOrderTotals(o, cur);
      const after = factsFromObject(o);
      o.financial_status = after.refundedCents >= after.totalCents ? "refunded" : "partially_refunded";
    });
    const oid = this.orders.ids[i];
    this.recordEvent("Order", oid, "refund_success", `A refund was issued on order ${this.orderName(i)}.`);
    const r = refundObj as unknown as Obj;
    this.emit("refunds/create", () => r, { type: "Refund", id: r.id });
    this.emit("orders/updated", () => this.orderJson(i), { type: "Order", id: oid });
    return this.orderJson(i);
  }

  cancelOrder(id: number | string, input: { reason?: string; refund?: boolean } = {}): Obj {
    const i = this.requireOrder(id);
    const existing = this.orderRaw(i);
    if (existing.cancelled_at) throw new SimError(422, { errors: { base: ["Order has already been cancelled"] } });
    if (input.refund) {
      const f = this.orderFacts(i);
      if (f.totalCents - f.refundedCents > 0) this.refundOrder(id, { note: "Order cancelled" });
    }
    this.mutateOrder(i, (o, now) => {
      o.cancelled_at = this.iso(now);
      o.cancel_reason = input.reason ?? "other";
      o.closed_at = this.iso(now);
      if (o.financial_status === "pending" || o.financial_status === "authorized") o.financial_status = "voided";
      for (const li of o.line_items as Obj[]) {
        li.current_quantity = 0;
        li.fulfillable_quantity = 0;
      }
      recomputeOrderTotals(o, this.params.currency);
    });
    const oid = this.orders.ids[i];
    this.recordEvent("Order", oid, "cancelled", `Order ${this.orderName(i)} was cancelled.`);
    this.emit("orders/cancelled", () => this.orderJson(i), { type: "Order", id: oid });
    this.emit("orders/updated", () => this.orderJson(i), { type: "Order", id: oid });
    return this.orderJson(i);
  }

  deleteOrder(id: number | string): void {
    const i = this.requireOrder(id);
    const f = this.orderFacts(i);
    const oid = this.orders.ids[i];
    const name = this.orderName(i);
    this.orders.flags[i] |= F_DELETED;
    const ci = this.orders.customer[i];
    if (ci >= 0) {
      this.customers.ordersCount[ci]--;
      this.customers.spent[ci] -= this.netOf(f);
      if (this.customers.lastOrder[ci] === i) this.recomputeLastOrder(ci);
    }
    this.orderOverlay.delete(i);
    this.announce("Order", oid, "destroy", `Order ${name} was deleted.`, "orders/delete", () => ({ id: oid }));
  }

  // ---------------------------------------------------------------- mutations: products

  createProduct(input: Obj = {}): Obj {
    const now = this.nowSec();
    const idx = this.products.length;
    const id =
      Math.max(this.productIndex.lastId(), ID_BASE.product + this.params.products * 1000) +
      1000 +
      this.createRng.int(0, 999);
    const title = String(input.title ?? `New Product ${idx + 1}`);
    const reqVariants = (input.variants as Obj[] | undefined) ?? [{}];
    const variants: GenVariant[] = reqVariants.map((v, k) => {
      const vid = (this.counters.variant += 1000);
      return {
        id: vid,
        inventoryItemId: vid + 2_000_000_000_000,
        productIndex: idx,
        position: k + 1,
        title: v.option1 ? String(v.option1) : reqVariants.length === 1 ? "Default Title" : `Option ${k + 1}`,
        option1: v.option1 ? String(v.option1) : reqVariants.length === 1 ? "Default Title" : `Option ${k + 1}`,
        option2: null,
        option3: null,
        priceCents: toCents(v.price ?? "10.00"),
        compareAtCents: v.compare_at_price ? toCents(v.compare_at_price) : null,
        sku: String(v.sku ?? `NEW-${idx + 1}-${k + 1}`),
        grams: Number(v.grams ?? 200),
        inventoryQuantity: Number(v.inventory_quantity ?? 10),
        barcode: "",
      };
    });
    const g: GenProduct = {
      index: idx,
      id,
      title,
      handle: String(
        input.handle ??
          title
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, "-")
            .replace(/^-|-$/g, ""),
      ),
      vendor: String(input.vendor ?? "Acme Goods"),
      productType: String(input.product_type ?? ""),
      bodyHtml: String(input.body_html ?? ""),
      tags: Array.isArray(input.tags) ? (input.tags as string[]).join(", ") : String(input.tags ?? ""),
      status: (input.status as GenProduct["status"]) ?? "active",
      createdAt: now,
      updatedAt: now,
      publishedAt: (input.status ?? "active") === "active" ? now : null,
      options: [
        {
          name: reqVariants.length === 1 && !reqVariants[0].option1 ? "Title" : "Option",
          values: variants.map((v) => v.option1 as string),
        },
      ],
      variants,
      images: [],
    };
    this.products.push(g);
    for (const v of variants) this.variantById.set(v.id, { product: idx, variant: v });
    const k = this.productIndex.push(id, now, now, 0);
    const obj = buildProduct(this, g);
    this.productOverlay.set(k, obj);
    this.announce("Product", id, "create", `Product ${title} was created.`, "products/create", () =>
      this.productJson(k),
    );
    return obj;
  }

  updateProduct(id: number | string, patch: Obj): Obj {
    const k = this.requireProduct(id);
    const now = this.nowSec();
    const obj = this.productOverlay.get(k) ?? structuredClone(buildProduct(this, this.products[k]));
    const simple = [
      "title",
      "body_html",
      "vendor",
      "product_type",
      "handle",
      "status",
      "template_suffix",
      "published_scope",
    ];
    for (const key of Object.keys(patch)) {
      const v = patch[key];
      if (simple.includes(key)) obj[key] = v;
      else if (key === "tags") obj.tags = Array.isArray(v) ? (v as string[]).join(", ") : v;
      else if (key === "variants") {
        for (const pv of v as Obj[]) {
          const target = (obj.variants as Obj[]).find((x) => x.id === Number(pv.id));
          if (!target) throw new SimError(422, { errors: { variants: [`variant ${pv.id} not found`] } });
          for (const vk of [
            "price",
            "compare_at_price",
            "sku",
            "inventory_quantity",
            "barcode",
            "option1",
            "option2",
            "option3",
          ]) {
            if (pv[vk] !== undefined)
              target[vk] =
                vk === "price" || vk === "compare_at_price"
                  ? pv[vk] === null
                    ? null
                    : money(toCents(pv[vk]))
                  : pv[vk];
          }
          if (pv.inventory_quantity !== undefined) target.old_inventory_quantity = target.inventory_quantity;
          target.updated_at = this.iso(now);
        }
      } else if (key !== "id")
        throw new SimError(422, { errors: { [key]: ["cannot be updated through the simulator"] } });
    }
    obj.updated_at = this.iso(now);
    this.productOverlay.set(k, obj);
    this.productIndex.updated[k] = now;
    this.announce("Product", obj.id, "update", `Product ${obj.title} was updated.`, "products/update", () =>
      this.productJson(k),
    );
    return obj;
  }

  deleteProduct(id: number | string): void {
    const k = this.requireProduct(id);
    const pid = this.productIndex.ids[k];
    const title = this.productJson(k).title;
    this.productIndex.flags[k] |= F_DELETED;
    this.productOverlay.delete(k);
    this.announce("Product", pid, "destroy", `Product ${title} was deleted.`, "products/delete", () => ({ id: pid }));
  }

  // ---------------------------------------------------------------- mutations: customers

  createCustomer(input: Obj = {}): Obj {
    const now = this.nowSec();
    const rng = this.createRng;
    const id = Math.max(this.customers.lastId(), ID_BASE.customer + this.baseCustomers * 1000) + 1000 + rng.int(0, 999);
    const first = String(input.first_name ?? "New");
    const last = String(input.last_name ?? "Customer");
    const email =
      input.email === undefined
        ? `${first}.${last}.${id % 100000}@example.com`.toLowerCase()
        : (input.email as string | null);
    const phone = (input.phone as string | undefined) ?? null;
    const addresses: Obj[] = ((input.addresses as Obj[] | undefined) ?? []).map((a, k) => ({
      id: ++this.counters.address,
      customer_id: id,
      first_name: a.first_name ?? first,
      last_name: a.last_name ?? last,
      company: a.company ?? null,
      address1: a.address1 ?? "",
      address2: a.address2 ?? "",
      city: a.city ?? "",
      province: a.province ?? "",
      country: a.country ?? "United States",
      zip: a.zip ?? "",
      phone: a.phone ?? phone,
      name: `${a.first_name ?? first} ${a.last_name ?? last}`,
      province_code: a.province_code ?? null,
      country_code: a.country_code ?? "US",
      country_name: a.country ?? "United States",
      default: k === 0,
    }));
    const base: CustomerBase = {
      index: -1,
      id,
      firstName: first,
      lastName: last,
      email: email ?? "",
      phone,
      acceptsMarketing: input.accepts_marketing === true,
      tags: Array.isArray(input.tags) ? (input.tags as string[]).join(", ") : String(input.tags ?? ""),
      state: "enabled",
      note: (input.note as string | undefined) ?? null,
      verifiedEmail: true,
      taxExempt: false,
      addresses,
    };
    const raw = buildCustomer(this, base, now, now);
    if (email === null) raw.email = null;
    const k = this.customers.push(id, now, now, 0);
    this.customerOverlay.set(k, raw);
    this.announce("Customer", id, "create", `Customer ${first} ${last} was created.`, "customers/create", () =>
      this.customerJson(k),
    );
    return this.customerJson(k);
  }

  updateCustomer(id: number | string, patch: Obj): Obj {
    const k = this.requireCustomer(id);
    const now = this.nowSec();
    const raw = this.customerOverlay.get(k) ?? structuredClone(this.customerRaw(k));
    const simple = ["first_name", "last_name", "email", "phone", "note", "state", "tax_exempt", "verified_email"];
    for (const key of Object.keys(patch)) {
      const v = patch[key];
      if (simple.includes(key)) raw[key] = v;
      else if (key === "tags") raw.tags = Array.isArray(v) ? (v as string[]).join(", ") : v;
      else if (key === "accepts_marketing") {
        raw.accepts_marketing = v === true;
        raw.accepts_marketing_updated_at = this.iso(now);
        raw.email_marketing_consent = {
          state: v ? "subscribed" : "unsubscribed",
          opt_in_level: "single_opt_in",
          consent_updated_at: this.iso(now),
        };
      } else if (key !== "id")
        throw new SimError(422, { errors: { [key]: ["cannot be updated through the simulator"] } });
    }
    raw.updated_at = this.iso(now);
    this.customerOverlay.set(k, raw);
    this.customers.updated[k] = now;
    this.announce(
      "Customer",
      raw.id,
      "update",
      `Customer ${raw.first_name} ${raw.last_name} was updated.`,
      "customers/update",
      () => this.customerJson(k),
    );
    return this.customerJson(k);
  }

  deleteCustomer(id: number | string): void {
    const k = this.requireCustomer(id);
    if (this.customers.ordersCount[k] > 0) {
      throw new SimError(422, { errors: { base: ["Error deleting customer: customer has orders"] } });
    }
    const cid = this.customers.ids[k];
    this.customers.flags[k] |= F_DELETED;
    this.customerOverlay.delete(k);
    this.announce("Customer", cid, "destroy", `Customer was deleted.`, "customers/delete", () => ({ id: cid }));
  }

  /** Index of the customer owning orders (for compliance payloads). */
  customerOrders(ci: number): number[] {
    const out: number[] = [];
    const o = this.orders;
    for (let k = 0; k < o.n; k++) if (o.customer[k] === ci && !(o.flags[k] & F_DELETED)) out.push(o.ids[k]);
    return out;
  }

  isOrderDeleted(i: number): boolean {
    return (this.orders.flags[i] & F_DELETED) !== 0;
  }

  variantJsonFor(productIndex: number, v: GenVariant): Obj {
    const g = this.products[productIndex];
    return variantJson(this, g.id, v, g.createdAt, g.updatedAt);
  }
}

export function normalizeShopName(shop: string): string {
  let s = shop.trim().toLowerCase();
  s = s.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
  if (s.endsWith(".myshopify.com")) s = s.slice(0, -".myshopify.com".length);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(s)) throw new SimError(422, { errors: { shop: [`invalid shop name: ${shop}`] } });
  return s;
}
