// One simulated shop: generated base data described by compact typed arrays, materialised on
// demand, plus an overlay for every mutation made through the control surface. The class holds the
// shop's state, its clock and the record views; the jobs live in ./store/: indexes, paging, orders,
// refunds, catalog, customers, events and the shop record, each working on the shop through the
// StoreState interface of ./store/common.ts, which the class implements.
// About 400 lines because it is the one face of a shop that the jobs, the server and the truth work
// through: its queries and mutations are one-line delegations to ./store/, kept here so that a
// reader finds every operation of a shop in one list.
import { performance } from "node:perf_hooks";
import type { GenProduct, GenVariant, OrderCore, StoreParams } from "./generator.ts";
import { ID_BASE, generateProducts, orderCore, shopIdentity } from "./generator.ts";
import type { CustomerBase, OrderFacts, OrderParty, RecordContext } from "./records.ts";
import {
  buildCustomer,
  buildOrder,
  buildProduct,
  customerBase,
  customerForOrder,
  factsFromCore,
  factsFromObject,
  partyForCustomer,
  partyForGuest,
  variantJson,
  withAggregates,
} from "./records.ts";
import { Rng, mix } from "./rng.ts";
import { isoInZone } from "./time.ts";
import type { JsonObject, PlanName, ShopInfo, ShopSpec } from "./types.ts";
import type { RefundInput, StoreCounters, StoreState } from "./store/common.ts";
import { createCustomer, customerOrders, deleteCustomer, updateCustomer } from "./store/customers.ts";
import { createProduct, deleteProduct, productFilter, updateProduct } from "./store/catalog.ts";
import { SimError } from "./store/errors.ts";
import type { ChangeListener, EventRecord } from "./store/events.ts";
import { eventRecord } from "./store/events.ts";
import { indexCatalog, indexOrdersAndCustomers } from "./store/generate.ts";
import type { CustomerIndex, OrderIndex, RecordIndex } from "./store/indexes.ts";
import { F_DELETED } from "./store/indexes.ts";
import { cancelOrder, createOrder, deleteOrder, updateOrder } from "./store/orders.ts";
import type { OrderQuery, PageCursor, PageResult, SimpleQuery } from "./store/paging.ts";
import { count, orderMatcher, page, simpleMatcher } from "./store/paging.ts";
import { refundOrder } from "./store/refunds.ts";
import { shopJson, storeParams } from "./store/shop.ts";

export { SimError } from "./store/errors.ts";
export { DEFAULT_NOW, normalizeShopName } from "./store/shop.ts";
export type { ChangeListener, EventRecord } from "./store/events.ts";
export type { OrderQuery, PageResult, SimpleQuery } from "./store/paging.ts";

export class Store implements RecordContext, StoreState {
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
  productOverlay = new Map<number, JsonObject>();
  variantById: Map<number, { product: number; variant: GenVariant }>;
  customers: CustomerIndex;
  customerOverlay = new Map<number, JsonObject>();
  orders: OrderIndex;
  orderOverlay = new Map<number, JsonObject>();
  events: EventRecord[] = [];
  version = 0;
  listener: ChangeListener | null = null;
  /** Next ids of records the control surface creates (ranges clear of the generated ones). */
  readonly counters: StoreCounters = {
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
  /** Randomness of created records (ids, tokens), seeded so that replays make the same ones. */
  readonly createRng: Rng;
  readonly baseOrders: number;
  readonly baseCustomers: number;
  private clockOrigin = performance.now();
  private clockBase: number;
  private lastNow = 0;
  /** While set, the shop clock reads this instant (a replayed or journaled mutation). */
  private pinnedSec: number | null = null;

  /** The spec it was generated from. */
  readonly spec: ShopSpec;

  constructor(spec: ShopSpec) {
    this.spec = structuredClone(spec);
    this.params = storeParams(spec);
    const name = this.params.name;
    this.clockBase = this.params.nowSec;
    this.name = name;
    this.domain = `${name}.myshopify.com`;
    const identity = shopIdentity(this.params.seed, name);
    this.shopId = identity.id;
    this.locationId = identity.locationId;
    this.plan = spec.plan ?? "basic";
    this.protectedCustomerData = spec.protectedCustomerData ?? true;
    this.createRng = new Rng(mix(this.params.seed, 4242, 0));
    this.baseOrders = this.params.orders;
    this.baseCustomers = this.params.customers;
    this.products = generateProducts(this.params);
    const catalog = indexCatalog(this.products);
    this.productIndex = catalog.productIndex;
    this.variantById = catalog.variantById;
    const { orders, customers } = indexOrdersAndCustomers(this.params, this.products);
    this.orders = orders;
    this.customers = customers;
    this.counters.number = this.params.orders;
  }

  // ---------------------------------------------------------------- clock

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

  // ---------------------------------------------------------------- shop

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
    const overlay = this.productOverlay.get(i);
    return overlay ? (overlay.variants as { id: number }[]) : this.products[i].variants;
  }

  shopJson(): JsonObject {
    return shopJson(this);
  }

  // ---------------------------------------------------------------- changes: version, events, webhooks

  bump(): void {
    this.version++;
  }

  emit(topic: string, payload: () => JsonObject, subject: { type: string; id: number }): void {
    if (this.listener) this.listener(topic, payload, subject);
  }

  /** A change of one record: its event in events.json, a new data version, and its webhook. */
  announce(
    type: EventRecord["subject_type"],
    id: number,
    verb: string,
    message: string,
    topic: string,
    payload: () => JsonObject,
  ): void {
    this.recordEvent(type, id, verb, message);
    this.bump();
    this.emit(topic, payload, { type, id });
  }

  recordEvent(type: EventRecord["subject_type"], id: number, verb: string, message: string, args?: unknown[]): void {
    this.events.push(eventRecord(++this.counters.event, this.nowSec(), type, id, verb, message, args));
  }

  // ---------------------------------------------------------------- record materialisation

  private customerBaseAt(i: number): CustomerBase {
    return customerBase(this.params, i);
  }

  customerRaw(i: number): JsonObject {
    const overlay = this.customerOverlay.get(i);
    if (overlay) return overlay;
    return buildCustomer(this, this.customerBaseAt(i), this.customers.created[i], this.customers.updated[i]);
  }

  customerJson(i: number): JsonObject {
    const c = this.customers;
    const lastOrder = c.lastOrder[i];
    const last = lastOrder >= 0 ? { id: this.orders.ids[lastOrder], name: this.orderName(lastOrder) } : null;
    const raw = this.customerRaw(i);
    const out = withAggregates(raw, c.ordersCount[i], c.spent[i], last);
    out.updated_at = this.iso(c.updated[i]);
    return out;
  }

  orderName(i: number): string {
    const overlay = this.orderOverlay.get(i);
    return overlay ? overlay.name : `#${1001 + i}`;
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
  orderRaw(i: number): JsonObject {
    const overlay = this.orderOverlay.get(i);
    if (overlay) return overlay;
    const core = this.orderCoreAt(i);
    return buildOrder(this, core, this.partyFor(core));
  }

  /** Final order object as served: customer attached, protected data redacted when not approved. */
  orderJson(i: number): JsonObject {
    const overlay = this.orderOverlay.get(i);
    // base orders are built fresh for every call and can be adjusted in place
    const out: JsonObject = overlay ? { ...overlay } : this.orderRaw(i);
    const redacted = !this.protectedCustomerData;
    const customer = this.orders.customer[i];
    if (redacted) {
      out.email = null;
      out.contact_email = null;
      out.phone = null;
      delete out.billing_address;
      delete out.shipping_address;
      if (out.client_details) out.client_details = { ...out.client_details, browser_ip: null };
      out.browser_ip = null;
    }
    if (customer >= 0 && !(this.customers.flags[customer] & F_DELETED)) {
      const raw = this.customerRaw(customer);
      out.customer = customerForOrder({ ...raw, updated_at: this.iso(this.customers.updated[customer]) }, redacted);
    }
    return out;
  }

  /** Product as the REST API and webhooks serve it: at most 100 variants. */
  productJson(i: number): JsonObject {
    const p = this.productOverlay.get(i) ?? buildProduct(this, this.products[i]);
    return Array.isArray(p.variants) && p.variants.length > 100 ? { ...p, variants: p.variants.slice(0, 100) } : p;
  }

  /** Facts of a (non-deleted) order from whichever representation is current. */
  orderFacts(i: number): OrderFacts {
    const overlay = this.orderOverlay.get(i);
    return overlay ? factsFromObject(overlay) : factsFromCore(this.orderCoreAt(i), this.products);
  }

  variantJsonFor(productIndex: number, v: GenVariant): JsonObject {
    const product = this.products[productIndex];
    return variantJson(this, product.id, v, product.createdAt, product.updatedAt);
  }

  // ---------------------------------------------------------------- queries

  pageOrders(q: OrderQuery, limit: number, cursor: PageCursor): PageResult {
    return page(this.orders, orderMatcher(this.orders, q), q, limit, cursor);
  }
  countOrders(q: OrderQuery): number {
    return count(this.orders, orderMatcher(this.orders, q), q);
  }
  pageCustomers(q: SimpleQuery, limit: number, cursor: PageCursor): PageResult {
    return page(this.customers, simpleMatcher(this.customers, q), q, limit, cursor);
  }
  countCustomers(q: SimpleQuery): number {
    return count(this.customers, simpleMatcher(this.customers, q), q);
  }
  pageProducts(q: SimpleQuery, limit: number, cursor: PageCursor): PageResult {
    return page(this.productIndex, simpleMatcher(this.productIndex, q, productFilter(this, q)), q, limit, cursor);
  }
  countProducts(q: SimpleQuery): number {
    return count(this.productIndex, simpleMatcher(this.productIndex, q, productFilter(this, q)), q);
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

  /** Index of a live record by id, or a 404. */
  requireOrder(id: number | string): number {
    return found(this.orderIndexById(Number(id)));
  }
  requireCustomer(id: number | string): number {
    return found(this.customerIndexById(Number(id)));
  }
  requireProduct(id: number | string): number {
    return found(this.productIndexById(Number(id)));
  }

  isOrderDeleted(i: number): boolean {
    return (this.orders.flags[i] & F_DELETED) !== 0;
  }

  /** Ids of the customer's live orders (for compliance payloads). */
  customerOrders(customerIndex: number): number[] {
    return customerOrders(this, customerIndex);
  }

  // ---------------------------------------------------------------- mutations

  createOrder(input: JsonObject = {}): JsonObject {
    return createOrder(this, input);
  }
  updateOrder(id: number | string, patch: JsonObject): JsonObject {
    return updateOrder(this, id, patch);
  }
  refundOrder(id: number | string, input: RefundInput = {}): JsonObject {
    return refundOrder(this, id, input);
  }
  cancelOrder(id: number | string, input: { reason?: string; refund?: boolean } = {}): JsonObject {
    return cancelOrder(this, id, input);
  }
  deleteOrder(id: number | string): void {
    deleteOrder(this, id);
  }
  createProduct(input: JsonObject = {}): JsonObject {
    return createProduct(this, input);
  }
  updateProduct(id: number | string, patch: JsonObject): JsonObject {
    return updateProduct(this, id, patch);
  }
  deleteProduct(id: number | string): void {
    deleteProduct(this, id);
  }
  createCustomer(input: JsonObject = {}): JsonObject {
    return createCustomer(this, input);
  }
  updateCustomer(id: number | string, patch: JsonObject): JsonObject {
    return updateCustomer(this, id, patch);
  }
  deleteCustomer(id: number | string): void {
    deleteCustomer(this, id);
  }
}

function found(k: number): number {
  if (k < 0) throw new SimError(404, { errors: "Not Found" });
  return k;
}
