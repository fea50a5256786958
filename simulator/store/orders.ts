// Order mutations through the control surface. A changed order lives in the overlay as a REST
// object; every change goes through mutateOrder so the order index and the customer aggregates
// follow it.
import type { CoreShipping, OrderCore } from "../generator.ts";
import { ID_BASE } from "../generator.ts";
import { priceOrder } from "../pricing.ts";
import type { DiscountCode } from "../pricing.ts";
import type { OrderFacts, OrderParty } from "../records.ts";
import { buildOrder, factsFromObject, gid, partyForGuest, recomputeOrderTotals } from "../records.ts";
import { mix } from "../rng.ts";
import { taxFor } from "../data.ts";
import { toCents } from "../time.ts";
import type { JsonObject } from "../types.ts";
import type { StoreState } from "./common.ts";
import { currentVariantPrice } from "./catalog.ts";
import { SimError } from "./errors.ts";
import { F_CANCELLED, F_CLOSED, F_DELETED, F_TEST, financialCode, fulfillmentCode } from "./indexes.ts";

/** Writes an order's current facts into the order index. */
export function syncOrderIndex(store: StoreState, i: number, f: OrderFacts): void {
  const o = store.orders;
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
  o.financial[i] = financialCode(f.financial);
  o.fulfillment[i] = fulfillmentCode(f.fulfillment);
}

/** What an order adds to its customer's total spent: nothing when test or cancelled. */
function netOf(f: OrderFacts): number {
  return !f.test && !f.cancelled ? f.totalCents - f.refundedCents : 0;
}

function recomputeLastOrder(store: StoreState, customerIndex: number): void {
  const o = store.orders;
  let last = -1;
  for (let k = o.n - 1; k >= 0; k--) {
    if (o.customer[k] === customerIndex && !(o.flags[k] & F_DELETED)) {
      last = k;
      break;
    }
  }
  store.customers.lastOrder[customerIndex] = last;
}

/** The order's overlay object, built from its core on its first change. */
function materialize(store: StoreState, i: number): JsonObject {
  let overlay = store.orderOverlay.get(i);
  if (!overlay) {
    overlay = structuredClone(store.orderRaw(i)) as JsonObject;
    store.orderOverlay.set(i, overlay);
  }
  return overlay;
}

/** Applies a change to an order object and keeps every aggregate consistent. */
export function mutateOrder(store: StoreState, i: number, fn: (o: JsonObject, now: number) => void): JsonObject {
  const before = store.orderFacts(i);
  const obj = materialize(store, i);
  const now = store.nowSec();
  fn(obj, now);
  obj.updated_at = store.iso(now);
  const after = factsFromObject(obj);
  syncOrderIndex(store, i, after);
  const customer = store.orders.customer[i];
  if (customer >= 0) store.customers.spent[customer] += netOf(after) - netOf(before);
  store.bump();
  return obj;
}

/** The order's lines: the requested variants, or one random live product when none are given. */
function requestedLines(store: StoreState, input: JsonObject): OrderCore["lines"] {
  const rng = store.createRng;
  const requested = (input.line_items as JsonObject[] | undefined) ?? [];
  const lines: OrderCore["lines"] = [];
  if (requested.length === 0) {
    const live = [];
    for (let k = 0; k < store.productIndex.n; k++) if (!(store.productIndex.flags[k] & F_DELETED)) live.push(k);
    if (live.length === 0) throw new SimError(422, { errors: { line_items: ["must have at least one product"] } });
    const productIndex = live[rng.int(0, live.length - 1)];
    const product = store.products[productIndex];
    const variant = product.variants[rng.int(0, product.variants.length - 1)];
    lines.push({
      productIndex,
      variant,
      quantity: 1,
      priceCents: currentVariantPrice(store, productIndex, variant),
      discountCents: 0,
      taxCents: 0,
    });
    return lines;
  }
  for (const line of requested) {
    const found = store.variantById.get(Number(line.variant_id));
    if (!found) throw new SimError(422, { errors: { line_items: [`variant ${line.variant_id} not found`] } });
    const quantity = Math.max(1, Math.floor(Number(line.quantity ?? 1)));
    const price =
      line.price !== undefined ? toCents(line.price) : currentVariantPrice(store, found.product, found.variant);
    lines.push({
      productIndex: found.product,
      variant: found.variant,
      quantity,
      priceCents: price,
      discountCents: 0,
      taxCents: 0,
      ...(line.gift_card === true ? { giftCard: true } : {}),
    });
  }
  return lines;
}

/** The first of `discount_codes`: a percentage, or a fixed amount (the default). */
function requestedDiscountCode(input: JsonObject): DiscountCode | null {
  const requested = (input.discount_codes as JsonObject[] | undefined)?.[0];
  if (!requested) return null;
  const type = requested.type === "percentage" ? "percentage" : "fixed_amount";
  const value =
    type === "percentage" ? Number(requested.amount ?? requested.value ?? 10) : toCents(requested.amount ?? "5.00");
  return { code: String(requested.code ?? "DISCOUNT"), type, value };
}

/** Shipping lines; a line's `discount` becomes its discount allocation. */
function requestedShippingLines(input: JsonObject): CoreShipping[] {
  return ((input.shipping_lines as JsonObject[] | undefined) ?? []).map((line) => {
    const cents = toCents(line.price ?? "0.00");
    const discountCents = Math.max(0, Math.min(cents, toCents(line.discount ?? "0.00")));
    return {
      title: String(line.title ?? "Shipping"),
      code: String(line.code ?? "custom"),
      cents,
      discountCents,
      taxCents: 0,
    };
  });
}

export function createOrder(store: StoreState, input: JsonObject = {}): JsonObject {
  const now = store.nowSec();
  const rng = store.createRng;
  // customer: an existing one by id, or a new one from `customer`
  let customer = -1;
  const customerInput = input.customer as JsonObject | undefined;
  const customerId = input.customer_id ?? customerInput?.id;
  if (customerId !== undefined && customerId !== null) {
    customer = store.customerIndexById(Number(customerId));
    if (customer < 0) throw new SimError(422, { errors: { customer: ["not found"] } });
  } else if (customerInput && (customerInput.email || customerInput.first_name)) {
    const created = store.createCustomer(customerInput);
    customer = store.customerIndexById(created.id);
  }
  const tax = taxFor(store.params.currency);
  const lines = requestedLines(store, input);
  const taxBp = input.taxes === false ? 0 : tax.bp;
  const shippingLines = requestedShippingLines(input);
  // `tax_shipping: true` taxes each shipping line's discounted price
  const money = priceOrder(lines, requestedDiscountCode(input), shippingLines, taxBp, input.tax_shipping === true);
  const index = store.orders.n;
  const id = Math.max(store.orders.lastId(), ID_BASE.order + store.baseOrders * 1000) + 1000 + rng.int(0, 999);
  const number = ++store.counters.number;
  const processedAt = input.processed_at ? Math.floor(Date.parse(String(input.processed_at)) / 1000) : now;
  if (Number.isNaN(processedAt)) throw new SimError(422, { errors: { processed_at: ["is invalid"] } });
  const financial = input.financial_status === "pending" ? "pending" : "paid";
  const core: OrderCore = {
    index,
    id,
    number,
    createdAt: now,
    processedAt,
    customerIndex: customer,
    guestSeed: mix(store.params.seed, 98, number),
    lines,
    discount: money.discount,
    shipping: shippingLines[0] ?? null,
    shippingLines,
    taxBp,
    taxTitle: tax.title,
    lineItemsCents: money.lineItemsCents,
    discountCents: money.discountCents,
    subtotalCents: money.subtotalCents,
    taxCents: money.taxCents,
    shippingCents: money.shippingCents,
    totalCents: money.totalCents,
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
    lineIds: lines.map(() => ++store.counters.lineItem),
    shippingLineIds: shippingLines.map(() => ++store.counters.shippingLine),
  };
  let party: OrderParty;
  if (customer >= 0) {
    const raw = store.customerRaw(customer);
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
  const obj = buildOrder(store, core, party);
  if (typeof input.email === "string") {
    obj.email = input.email;
    obj.contact_email = input.email;
  }
  const k = store.orders.push(id, now, now, core.test ? F_TEST : 0);
  store.orders.customer[k] = customer;
  store.orderOverlay.set(k, obj);
  const f = factsFromObject(obj);
  syncOrderIndex(store, k, f);
  if (customer >= 0) {
    const c = store.customers;
    c.ordersCount[customer]++;
    c.spent[customer] += netOf(f);
    c.lastOrder[customer] = k;
    c.updated[customer] = Math.max(c.updated[customer], now);
  }
  store.announce("Order", id, "create", `Order ${obj.name} was created.`, "orders/create", () => store.orderJson(k));
  if (customer >= 0)
    store.emit("customers/update", () => store.customerJson(customer), {
      type: "Customer",
      id: store.customers.ids[customer],
    });
  return store.orderJson(k);
}

/** Order fields the control surface sets as given. */
const SIMPLE_ORDER_FIELDS = [
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

/** An amount set as given, in a money field and its `_set` twin (both currencies). */
function setAmount(o: JsonObject, key: string, value: unknown): void {
  if (typeof value !== "string" && typeof value !== "number") {
    throw new SimError(422, { errors: { [key]: ["must be a string or a number"] } });
  }
  o[key] = value;
  const set = o[`${key}_set`] as JsonObject | undefined;
  if (set) {
    o[`${key}_set`] = {
      shop_money: { ...set.shop_money, amount: value },
      presentment_money: { ...set.presentment_money, amount: value },
    };
  }
}

/**
 * `total_price` and `line_items: [{id, price}]` set as given, verbatim and nothing recomputed: for
 * orders with amounts no real order has (past what an app can store), to test what a client does
 * with them. The ground truth reads them like any amount, so it is meaningless for such an order.
 */
function setAmountsAsGiven(o: JsonObject, key: string, value: unknown): void {
  if (key === "total_price") return setAmount(o, key, value);
  for (const given of (Array.isArray(value) ? value : []) as JsonObject[]) {
    const line = (o.line_items as JsonObject[]).find((li) => li.id === Number(given.id));
    if (!line) throw new SimError(422, { errors: { line_items: [`line item ${given.id} not found`] } });
    if (given.price !== undefined) setAmount(line, "price", given.price);
  }
}

/** A fulfilment of every line, as marking an order fulfilled creates it. */
function fulfillEverything(store: StoreState, o: JsonObject, now: number): void {
  for (const li of o.line_items as JsonObject[]) {
    li.fulfillment_status = "fulfilled";
    li.fulfillable_quantity = 0;
  }
  o.fulfillments = [
    ...(o.fulfillments ?? []),
    {
      id: ++store.counters.fulfillment,
      admin_graphql_api_id: gid("Fulfillment", store.counters.fulfillment),
      created_at: store.iso(now),
      location_id: store.locationId,
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
      updated_at: store.iso(now),
      line_items: o.line_items,
    },
  ];
}

export function updateOrder(store: StoreState, id: number | string, patch: JsonObject): JsonObject {
  const i = store.requireOrder(id);
  let fulfilled = false;
  mutateOrder(store, i, (o, now) => {
    for (const key of Object.keys(patch)) {
      const v = patch[key];
      if (SIMPLE_ORDER_FIELDS.includes(key)) {
        o[key] = key === "tags" && Array.isArray(v) ? (v as string[]).join(", ") : v;
        if (key === "email") o.contact_email = v;
      } else if (key === "total_price" || key === "line_items") {
        setAmountsAsGiven(o, key, v);
      } else if (key === "processed_at") {
        const t = Date.parse(String(v));
        if (Number.isNaN(t)) throw new SimError(422, { errors: { processed_at: ["is invalid"] } });
        o.processed_at = store.iso(Math.floor(t / 1000));
      } else if (key === "closed") {
        o.closed_at = v ? store.iso(now) : null;
      } else if (key === "financial_status") {
        o.financial_status = String(v);
      } else if (key === "fulfillment_status") {
        if (v === "fulfilled" && o.fulfillment_status !== "fulfilled") {
          fulfilled = true;
          fulfillEverything(store, o, now);
        }
        o.fulfillment_status = v;
      } else if (key !== "id") {
        throw new SimError(422, { errors: { [key]: ["cannot be updated through the simulator"] } });
      }
    }
  });
  const orderId = store.orders.ids[i];
  if (patch.closed !== undefined)
    store.recordEvent(
      "Order",
      orderId,
      patch.closed ? "closed" : "re_opened",
      `Order was ${patch.closed ? "closed" : "re-opened"}.`,
    );
  store.emit("orders/updated", () => store.orderJson(i), { type: "Order", id: orderId });
  if (fulfilled) store.emit("orders/fulfilled", () => store.orderJson(i), { type: "Order", id: orderId });
  return store.orderJson(i);
}

export function cancelOrder(
  store: StoreState,
  id: number | string,
  input: { reason?: string; refund?: boolean } = {},
): JsonObject {
  const i = store.requireOrder(id);
  const existing = store.orderRaw(i);
  if (existing.cancelled_at) throw new SimError(422, { errors: { base: ["Order has already been cancelled"] } });
  if (input.refund) {
    const f = store.orderFacts(i);
    if (f.totalCents - f.refundedCents > 0) store.refundOrder(id, { note: "Order cancelled" });
  }
  mutateOrder(store, i, (o, now) => {
    o.cancelled_at = store.iso(now);
    o.cancel_reason = input.reason ?? "other";
    o.closed_at = store.iso(now);
    if (o.financial_status === "pending" || o.financial_status === "authorized") o.financial_status = "voided";
    for (const li of o.line_items as JsonObject[]) {
      li.current_quantity = 0;
      li.fulfillable_quantity = 0;
    }
    recomputeOrderTotals(o, store.params.currency);
  });
  const orderId = store.orders.ids[i];
  store.recordEvent("Order", orderId, "cancelled", `Order ${store.orderName(i)} was cancelled.`);
  store.emit("orders/cancelled", () => store.orderJson(i), { type: "Order", id: orderId });
  store.emit("orders/updated", () => store.orderJson(i), { type: "Order", id: orderId });
  return store.orderJson(i);
}

export function deleteOrder(store: StoreState, id: number | string): void {
  const i = store.requireOrder(id);
  const f = store.orderFacts(i);
  const orderId = store.orders.ids[i];
  const name = store.orderName(i);
  store.orders.flags[i] |= F_DELETED;
  const customer = store.orders.customer[i];
  if (customer >= 0) {
    store.customers.ordersCount[customer]--;
    store.customers.spent[customer] -= netOf(f);
    if (store.customers.lastOrder[customer] === i) recomputeLastOrder(store, customer);
  }
  store.orderOverlay.delete(i);
  store.announce("Order", orderId, "destroy", `Order ${name} was deleted.`, "orders/delete", () => ({ id: orderId }));
}
