// The parts of a generated order's REST object: line items, shipping lines, the refund with its
// transactions, and the fulfilment. Ids derive from the order's index so every part is stable.
import { ID_BASE } from "../generator.ts";
import type { CoreRefund, OrderCore } from "../generator.ts";
import { money, toCents } from "../time.ts";
import type { JsonObject } from "../types.ts";
import type { RecordContext } from "./common.ts";
import { gid, moneySet, taxLine } from "./common.ts";

export function buildLineItems(ctx: RecordContext, core: OrderCore): JsonObject[] {
  const currency = ctx.params.currency;
  return core.lines.map((l, k) => {
    const product = ctx.products[l.productIndex];
    const id = core.lineIds
      ? core.lineIds[k]
      : ID_BASE.lineItem + (core.index * 8 + k) * 100 + ((core.id + k * 37) % 100);
    const refundedQuantity = core.refund
      ? core.refund.lines.filter((r) => r.line === k).reduce((a, r) => a + r.quantity, 0)
      : 0;
    const fulfilled = core.fulfillmentStatus === "fulfilled" || (core.fulfillmentStatus === "partial" && k === 0);
    const title = product ? product.title : "Custom item";
    const variantTitle = l.variant.title === "Default Title" ? null : l.variant.title;
    const gift = l.giftCard === true;
    return {
      id,
      admin_graphql_api_id: gid("LineItem", id),
      attributed_staffs: [],
      current_quantity: core.cancelledAt !== null ? 0 : l.quantity - refundedQuantity,
      fulfillable_quantity: core.cancelledAt !== null || fulfilled ? 0 : l.quantity - refundedQuantity,
      fulfillment_service: "manual",
      fulfillment_status: fulfilled ? "fulfilled" : null,
      gift_card: gift,
      grams: l.variant.grams,
      name: variantTitle ? `${title} - ${variantTitle}` : title,
      price: money(l.priceCents),
      price_set: moneySet(l.priceCents, currency),
      product_exists: true,
      product_id: product ? product.id : null,
      properties: [],
      quantity: l.quantity,
      requires_shipping: !gift,
      sku: l.variant.sku,
      taxable: !gift,
      title,
      total_discount: "0.00",
      total_discount_set: moneySet(0, currency),
      variant_id: l.variant.id,
      variant_inventory_management: "shopify",
      variant_title: variantTitle,
      vendor: product ? product.vendor : null,
      tax_lines: gift ? [] : [taxLine(l.taxCents, core.taxBp, core.taxTitle, currency)],
      duties: [],
      discount_allocations:
        l.discountCents > 0
          ? [
              {
                amount: money(l.discountCents),
                amount_set: moneySet(l.discountCents, currency),
                discount_application_index: 0,
              },
            ]
          : [],
    };
  });
}

export function buildShippingLines(ctx: RecordContext, core: OrderCore): JsonObject[] {
  const currency = ctx.params.currency;
  // the shipping discount's application follows the discount code's, when there is one
  const discountIndex = core.discount ? 1 : 0;
  return (core.shippingLines ?? (core.shipping ? [core.shipping] : [])).map((line, k) => {
    const discount = line.discountCents ?? 0;
    const tax = line.taxCents ?? 0;
    return {
      id: core.shippingLineIds?.[k] ?? core.shippingLineId ?? ID_BASE.shippingLine + core.index * 10 + (core.id % 10),
      carrier_identifier: null,
      code: line.code,
      discounted_price: money(line.cents - discount),
      discounted_price_set: moneySet(line.cents - discount, currency),
      is_removed: false,
      phone: null,
      price: money(line.cents),
      price_set: moneySet(line.cents, currency),
      requested_fulfillment_service_id: null,
      source: "shopify",
      title: line.title,
      tax_lines: tax > 0 ? [taxLine(tax, core.taxBp, core.taxTitle, currency)] : [],
      discount_allocations:
        discount > 0
          ? [
              {
                amount: money(discount),
                amount_set: moneySet(discount, currency),
                discount_application_index: discountIndex,
              },
            ]
          : [],
    };
  });
}

/** The refund's transactions: a failed attempt first when the core says so, then the success. */
function refundTransactions(ctx: RecordContext, core: OrderCore, refund: CoreRefund): JsonObject[] {
  const transaction = (n: number, status: string, atSec: number): JsonObject => {
    const id = ID_BASE.transaction + core.index * 10 + n;
    return {
      id,
      admin_graphql_api_id: gid("OrderTransaction", id),
      amount: money(refund.amountCents),
      authorization: null,
      created_at: ctx.iso(atSec),
      currency: ctx.params.currency,
      device_id: null,
      error_code: status === "failure" ? "processing_error" : null,
      gateway: core.gateway,
      kind: "refund",
      location_id: null,
      message: status === "failure" ? "Refund could not be processed" : "Refunded",
      order_id: core.id,
      parent_id: ID_BASE.transaction + core.index * 10,
      payment_id: `c${core.id}.${n}`,
      processed_at: ctx.iso(atSec),
      receipt: {},
      source_name: "web",
      status,
      test: core.test,
      user_id: null,
    };
  };
  const out: JsonObject[] = [];
  if (refund.failedFirst) out.push(transaction(2, "failure", refund.createdAt - 120));
  out.push(transaction(3, "success", refund.createdAt));
  return out;
}

export interface BuiltRefunds {
  refunds: JsonObject[];
  /** Money returned by successful refund transactions. */
  refundedCents: number;
  refundedSubtotalCents: number;
  refundedTaxCents: number;
}

/** The order's refunds (a generated order has at most one), referring to its built line items. */
export function buildRefunds(ctx: RecordContext, core: OrderCore, lineItems: JsonObject[]): BuiltRefunds {
  const out: BuiltRefunds = { refunds: [], refundedCents: 0, refundedSubtotalCents: 0, refundedTaxCents: 0 };
  const r = core.refund;
  if (!r) return out;
  const currency = ctx.params.currency;
  const refundId = ID_BASE.refund + core.index * 10 + 1;
  const at = ctx.iso(r.createdAt);
  const transactions = refundTransactions(ctx, core, r);
  out.refundedCents += r.amountCents;
  const refundLineItems = r.lines.map((line, n) => {
    out.refundedSubtotalCents += line.subtotalCents;
    out.refundedTaxCents += line.taxCents;
    const id = ID_BASE.refundLine + core.index * 10 + n;
    return {
      id,
      line_item_id: lineItems[line.line].id,
      location_id: ctx.locationId,
      quantity: line.quantity,
      restock_type: "return",
      subtotal: money(line.subtotalCents),
      subtotal_set: moneySet(line.subtotalCents, currency),
      total_tax: money(line.taxCents),
      total_tax_set: moneySet(line.taxCents, currency),
      line_item: lineItems[line.line],
    };
  });
  out.refunds.push({
    id: refundId,
    admin_graphql_api_id: gid("Refund", refundId),
    created_at: at,
    note: r.note,
    order_id: core.id,
    processed_at: at,
    restock: true,
    total_duties_set: moneySet(0, currency),
    user_id: null,
    order_adjustments:
      r.shippingCents > 0
        ? [
            {
              id: refundId + 5,
              amount: money(-r.shippingCents),
              amount_set: moneySet(-r.shippingCents, currency),
              kind: "shipping_refund",
              order_id: core.id,
              reason: "Shipping refund",
              refund_id: refundId,
              tax_amount: "0.00",
              tax_amount_set: moneySet(0, currency),
            },
          ]
        : [],
    transactions,
    refund_line_items: refundLineItems,
    duties: [],
  });
  return out;
}

/** The order's fulfilment: every line, or the first only when partially fulfilled. */
export function buildFulfillments(
  ctx: RecordContext,
  core: OrderCore,
  orderName: string,
  lineItems: JsonObject[],
): JsonObject[] {
  if (core.fulfilledAt === null || !core.fulfillmentStatus) return [];
  const id = ID_BASE.fulfillment + core.index * 10;
  const trackingNumber = `1Z${String(core.id % 1e10).padStart(10, "0")}`;
  const trackingUrl = `https://www.ups.com/track?tracknum=${trackingNumber}`;
  return [
    {
      id,
      admin_graphql_api_id: gid("Fulfillment", id),
      created_at: ctx.iso(core.fulfilledAt),
      location_id: ctx.locationId,
      name: `${orderName}.1`,
      order_id: core.id,
      origin_address: {},
      receipt: {},
      service: "manual",
      shipment_status: null,
      status: "success",
      tracking_company: "UPS",
      tracking_number: trackingNumber,
      tracking_numbers: [trackingNumber],
      tracking_url: trackingUrl,
      tracking_urls: [trackingUrl],
      updated_at: ctx.iso(core.fulfilledAt),
      line_items: core.fulfillmentStatus === "fulfilled" ? lineItems : lineItems.slice(0, 1),
    },
  ];
}

/** What the shipping lines' discount allocations take off shipping. */
export function shippingDiscountOf(shippingLines: JsonObject[]): number {
  return shippingLines.reduce((a, line) => a + toCents(line.price) - toCents(line.discounted_price), 0);
}
