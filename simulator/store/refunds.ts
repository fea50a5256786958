// Refunds through the control surface: line items (restocked), shipping and any amount; what the
// lines and shipping do not explain becomes a refund discrepancy, as in Shopify.
import { taxOf } from "../pricing.ts";
import { factsFromObject, gid, moneySet, recomputeOrderTotals } from "../records.ts";
import { money, toCents } from "../time.ts";
import type { JsonObject } from "../types.ts";
import type { RefundInput, StoreState } from "./common.ts";
import { SimError } from "./errors.ts";
import { mutateOrder } from "./orders.ts";

const sumOf = (items: JsonObject[] | undefined, key: string): number =>
  ((items ?? []) as JsonObject[]).reduce((a, x) => a + toCents(x[key]), 0);

/** What earlier refunds returned: quantities per line item, shipping and its tax. */
function refundedSoFar(o: JsonObject): { quantities: Map<number, number>; shipping: number; shippingTax: number } {
  const quantities = new Map<number, number>();
  let shipping = 0,
    shippingTax = 0;
  for (const r of (o.refunds ?? []) as JsonObject[]) {
    for (const line of (r.refund_line_items ?? []) as JsonObject[])
      quantities.set(line.line_item_id, (quantities.get(line.line_item_id) ?? 0) + line.quantity);
    for (const adjustment of (r.order_adjustments ?? []) as JsonObject[])
      if (adjustment.kind === "shipping_refund") {
        shipping += -toCents(adjustment.amount);
        shippingTax += -toCents(adjustment.tax_amount);
      }
  }
  return { quantities, shipping, shippingTax };
}

function refundTransaction(store: StoreState, o: JsonObject, amount: number, now: number): JsonObject {
  const id = ++store.counters.transaction;
  return {
    id,
    admin_graphql_api_id: gid("OrderTransaction", id),
    amount: money(amount),
    authorization: null,
    created_at: store.iso(now),
    currency: store.params.currency,
    device_id: null,
    error_code: null,
    gateway: (o.payment_gateway_names ?? ["manual"])[0],
    kind: "refund",
    location_id: null,
    message: "Refunded",
    order_id: o.id,
    parent_id: null,
    payment_id: `r${id}`,
    processed_at: store.iso(now),
    receipt: {},
    source_name: "web",
    status: "success",
    test: o.test === true,
    user_id: null,
  };
}

/**
 * The refund's line items: those asked for (every line's remaining quantity when neither lines nor an
 * amount are given), each with its share of the line's discounted price and tax, and the restocking
 * to apply once the refund is known to be valid.
 */
function refundLineItems(
  store: StoreState,
  o: JsonObject,
  input: RefundInput,
  earlier: ReturnType<typeof refundedSoFar>,
): { refundLines: JsonObject[]; restock: (() => void)[]; sum: number } {
  const currency = store.params.currency;
  const refundLines: JsonObject[] = [];
  const restock: (() => void)[] = []; // applied once the refund is known to be valid
  let sum = 0;
  const wanted =
    input.lineItems ??
    (input.amount === undefined
      ? (o.line_items as JsonObject[]).map((li) => ({
          lineItemId: li.id,
          quantity: li.quantity - (earlier.quantities.get(li.id) ?? 0),
        }))
      : []);
  for (const want of wanted) {
    if (want.quantity <= 0) continue;
    const li = (o.line_items as JsonObject[]).find((x) => x.id === Number(want.lineItemId));
    if (!li) throw new SimError(422, { errors: { refund_line_items: [`line item ${want.lineItemId} not found`] } });
    const left = li.quantity - (earlier.quantities.get(li.id) ?? 0);
    const quantity = Math.min(left, Math.floor(want.quantity));
    if (quantity <= 0) continue;
    const lineNet = toCents(li.price) * li.quantity - sumOf(li.discount_allocations, "amount");
    const lineTax = sumOf(li.tax_lines, "price");
    const rate = Math.round(Number(li.tax_lines?.[0]?.rate ?? 0) * 10000);
    const subtotal = quantity === li.quantity ? lineNet : Math.floor(lineNet / li.quantity) * quantity;
    const tax = quantity === li.quantity ? lineTax : taxOf(subtotal, rate);
    sum += subtotal + tax;
    refundLines.push({
      id: ++store.counters.refundLine,
      line_item_id: li.id,
      location_id: store.locationId,
      quantity,
      restock_type: "return",
      subtotal: money(subtotal),
      subtotal_set: moneySet(subtotal, currency),
      total_tax: money(tax),
      total_tax_set: moneySet(tax, currency),
      line_item: li,
    });
    restock.push(() => {
      li.current_quantity = Math.max(0, (li.current_quantity ?? li.quantity) - quantity);
      li.fulfillable_quantity = Math.max(0, Math.min(li.fulfillable_quantity ?? 0, li.current_quantity));
    });
  }
  return { refundLines, restock, sum };
}

export function refundOrder(store: StoreState, id: number | string, input: RefundInput = {}): JsonObject {
  const i = store.requireOrder(id);
  const currency = store.params.currency;
  let refund: JsonObject | null = null;
  mutateOrder(store, i, (o, now) => {
    const facts = factsFromObject(o);
    const remaining = facts.totalCents - facts.refundedCents;
    if (o.cancelled_at && !input.amount) throw new SimError(422, { errors: { base: ["Order is cancelled"] } });
    const earlier = refundedSoFar(o);
    const lines = refundLineItems(store, o, input, earlier);
    const { refundLines, restock } = lines;
    let sum = lines.sum;
    const refundId = ++store.counters.refund;
    const adjustments: JsonObject[] = [];
    // what the customer paid for shipping: discounted price, and its tax
    let shippingTotal = 0,
      shippingTaxTotal = 0;
    for (const line of (o.shipping_lines ?? []) as JsonObject[]) {
      shippingTotal += toCents(line.price) - sumOf(line.discount_allocations, "amount");
      shippingTaxTotal += sumOf(line.tax_lines, "price");
    }
    const wantShipping = input.shipping ?? (input.amount === undefined && input.lineItems === undefined);
    if (wantShipping && shippingTotal - earlier.shipping > 0) {
      const shipping = shippingTotal - earlier.shipping;
      const shippingTax = Math.max(0, shippingTaxTotal - earlier.shippingTax);
      sum += shipping + shippingTax;
      adjustments.push({
        id: refundId * 10 + 1,
        amount: money(-shipping),
        amount_set: moneySet(-shipping, currency),
        kind: "shipping_refund",
        order_id: o.id,
        reason: "Shipping refund",
        refund_id: refundId,
        tax_amount: money(-shippingTax),
        tax_amount_set: moneySet(-shippingTax, currency),
      });
    }
    // the money actually returned; whatever lines and shipping do not explain is a refund discrepancy
    const amount = Math.min(input.amount !== undefined ? toCents(input.amount) : sum, remaining);
    if (amount !== sum) {
      adjustments.push({
        id: refundId * 10 + 2,
        amount: money(sum - amount),
        amount_set: moneySet(sum - amount, currency),
        kind: "refund_discrepancy",
        order_id: o.id,
        reason: "Refund discrepancy",
        refund_id: refundId,
        tax_amount: "0.00",
        tax_amount_set: moneySet(0, currency),
      });
    }
    if (amount <= 0)
      throw new SimError(422, {
        errors: { base: ["Refund amount must be greater than 0 and no more than the refundable amount"] },
      });
    for (const apply of restock) apply();
    refund = {
      id: refundId,
      admin_graphql_api_id: gid("Refund", refundId),
      created_at: store.iso(now),
      note: input.note ?? null,
      order_id: o.id,
      processed_at: store.iso(now),
      restock: refundLines.length > 0,
      total_duties_set: moneySet(0, currency),
      user_id: null,
      order_adjustments: adjustments,
      transactions: [refundTransaction(store, o, amount, now)],
      refund_line_items: refundLines,
      duties: [],
    };
    o.refunds = [...(o.refunds ?? []), refund];
    recomputeOrderTotals(o, currency);
    const after = factsFromObject(o);
    o.financial_status = after.refundedCents >= after.totalCents ? "refunded" : "partially_refunded";
  });
  const orderId = store.orders.ids[i];
  store.recordEvent("Order", orderId, "refund_success", `A refund was issued on order ${store.orderName(i)}.`);
  const r = refund as unknown as JsonObject;
  store.emit("refunds/create", () => r, { type: "Refund", id: r.id });
  store.emit("orders/updated", () => store.orderJson(i), { type: "Order", id: orderId });
  return store.orderJson(i);
}
