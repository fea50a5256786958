// The facts of an order the aggregates and the truth need, and an order object's derived money.
import type { GenProduct, OrderCore } from "../generator.ts";
import { money, toCents } from "../time.ts";
import type { JsonObject } from "../types.ts";
import { moneySet } from "./common.ts";

/** Facts about an order that the aggregates and the ground truth need. */
export interface OrderFacts {
  id: number;
  createdAt: number;
  processedAt: number;
  updatedAt: number;
  test: boolean;
  cancelled: boolean;
  closed: boolean;
  financial: string;
  fulfillment: string | null;
  totalCents: number;
  refundedCents: number;
  lines: { productId: number | null; cents: number; quantity: number }[];
  refundCount: number;
}

export function factsFromCore(core: OrderCore, products: GenProduct[]): OrderFacts {
  return {
    id: core.id,
    createdAt: core.createdAt,
    processedAt: core.processedAt,
    updatedAt: core.updatedAt,
    test: core.test,
    cancelled: core.cancelledAt !== null,
    closed: core.closedAt !== null,
    financial: core.financialStatus,
    fulfillment: core.fulfillmentStatus,
    totalCents: core.totalCents,
    refundedCents: core.refund ? core.refund.amountCents : 0,
    lines: core.lines.map((l) => ({
      productId: products[l.productIndex] ? products[l.productIndex].id : null,
      cents: l.priceCents * l.quantity - l.discountCents,
      quantity: l.quantity,
    })),
    refundCount: core.refund ? 1 : 0,
  };
}

export function parseIsoSec(s: unknown): number | null {
  if (typeof s !== "string") return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : Math.floor(t / 1000);
}

export function factsFromObject(o: JsonObject): OrderFacts {
  let refunded = 0;
  for (const r of (o.refunds ?? []) as JsonObject[]) {
    for (const t of (r.transactions ?? []) as JsonObject[]) {
      if (t.kind === "refund" && t.status === "success") refunded += toCents(t.amount);
    }
  }
  return {
    id: o.id,
    createdAt: parseIsoSec(o.created_at) ?? 0,
    processedAt: parseIsoSec(o.processed_at) ?? parseIsoSec(o.created_at) ?? 0,
    updatedAt: parseIsoSec(o.updated_at) ?? 0,
    test: o.test === true,
    cancelled: o.cancelled_at !== null && o.cancelled_at !== undefined,
    closed: o.closed_at !== null && o.closed_at !== undefined,
    financial: o.financial_status ?? "paid",
    fulfillment: o.fulfillment_status ?? null,
    totalCents: toCents(o.total_price),
    refundedCents: refunded,
    lines: ((o.line_items ?? []) as JsonObject[]).map((li) => {
      const disc = ((li.discount_allocations ?? []) as JsonObject[]).reduce((a, d) => a + toCents(d.amount), 0);
      return {
        productId: li.product_id ?? null,
        cents: toCents(li.price) * (li.quantity ?? 0) - disc,
        quantity: li.quantity ?? 0,
      };
    }),
    refundCount: (o.refunds ?? []).length,
  };
}

/** Recomputes an order's derived money fields after line items / refunds / cancellation changed. */
export function recomputeOrderTotals(o: JsonObject, currency: string): void {
  const ms = (c: number) => moneySet(c, currency);
  let lineItems = 0,
    discounts = 0,
    tax = 0;
  for (const li of o.line_items as JsonObject[]) {
    lineItems += toCents(li.price) * li.quantity;
    discounts += ((li.discount_allocations ?? []) as JsonObject[]).reduce((a, d) => a + toCents(d.amount), 0);
    tax += ((li.tax_lines ?? []) as JsonObject[]).reduce((a, t) => a + toCents(t.price), 0);
  }
  let shipping = 0,
    shippingDiscounts = 0;
  for (const line of (o.shipping_lines ?? []) as JsonObject[]) {
    shipping += toCents(line.price);
    shippingDiscounts += ((line.discount_allocations ?? []) as JsonObject[]).reduce((a, d) => a + toCents(d.amount), 0);
    tax += ((line.tax_lines ?? []) as JsonObject[]).reduce((a, t) => a + toCents(t.price), 0);
  }
  const subtotal = lineItems - discounts;
  const total = subtotal + shipping - shippingDiscounts + tax;
  discounts += shippingDiscounts;
  let refunded = 0,
    refundedSub = 0,
    refundedTax = 0;
  for (const r of (o.refunds ?? []) as JsonObject[]) {
    for (const t of (r.transactions ?? []) as JsonObject[])
      if (t.kind === "refund" && t.status === "success") refunded += toCents(t.amount);
    for (const rl of (r.refund_line_items ?? []) as JsonObject[]) {
      refundedSub += toCents(rl.subtotal);
      refundedTax += toCents(rl.total_tax);
    }
    for (const adj of (r.order_adjustments ?? []) as JsonObject[])
      if (adj.kind === "shipping_refund") refundedTax -= toCents(adj.tax_amount);
  }
  const cancelled = o.cancelled_at !== null && o.cancelled_at !== undefined;
  Object.assign(o, {
    subtotal_price: money(subtotal),
    subtotal_price_set: ms(subtotal),
    total_line_items_price: money(lineItems),
    total_line_items_price_set: ms(lineItems),
    total_discounts: money(discounts),
    total_discounts_set: ms(discounts),
    total_tax: money(tax),
    total_tax_set: ms(tax),
    total_price: money(total),
    total_price_set: ms(total),
    total_shipping_price_set: ms(shipping),
    current_subtotal_price: money(cancelled ? 0 : subtotal - refundedSub),
    current_subtotal_price_set: ms(cancelled ? 0 : subtotal - refundedSub),
    current_total_tax: money(cancelled ? 0 : tax - refundedTax),
    current_total_tax_set: ms(cancelled ? 0 : tax - refundedTax),
    current_total_discounts: money(cancelled ? 0 : discounts),
    current_total_discounts_set: ms(cancelled ? 0 : discounts),
    current_total_price: money(cancelled ? 0 : total - refunded),
    current_total_price_set: ms(cancelled ? 0 : total - refunded),
  });
}
