// A generated (or newly created) order in REST shape, assembled from its parts.
import { ID_BASE } from "../generator.ts";
import type { OrderCore } from "../generator.ts";
import { money } from "../time.ts";
import type { JsonObject } from "../types.ts";
import type { RecordContext } from "./common.ts";
import { gid, moneySet, taxLine } from "./common.ts";
import type { OrderParty } from "./customers.ts";
import {
  buildFulfillments,
  buildLineItems,
  buildRefunds,
  buildShippingLines,
  shippingDiscountOf,
} from "./order-parts.ts";

function orderAddress(party: OrderParty): JsonObject | null {
  if (!party.address) return null;
  const a = party.address;
  return {
    first_name: party.first,
    address1: a.address1,
    phone: party.phone,
    city: a.city,
    zip: a.zip,
    province: a.province,
    country: a.country,
    last_name: party.last,
    address2: a.address2,
    company: a.company,
    latitude: null,
    longitude: null,
    name: `${party.first} ${party.last}`,
    country_code: a.country_code,
    province_code: a.province_code,
  };
}

/** The discount code's application, then a shipping discount's (their allocations refer to them by index). */
function discountApplications(core: OrderCore, shippingDiscountCents: number): JsonObject[] {
  return [
    ...(core.discount
      ? [
          {
            target_type: "line_item",
            type: "discount_code",
            value: core.discount.type === "percentage" ? core.discount.value.toFixed(1) : money(core.discount.value),
            value_type: core.discount.type,
            allocation_method: "across",
            target_selection: "all",
            code: core.discount.code,
          },
        ]
      : []),
    ...(shippingDiscountCents > 0
      ? [
          {
            target_type: "shipping_line",
            type: "manual",
            value: money(shippingDiscountCents),
            value_type: "fixed_amount",
            allocation_method: "each",
            target_selection: "all",
            title: "Shipping discount",
            description: "Shipping discount",
          },
        ]
      : []),
  ];
}

/**
 * Builds the REST order object for an order core. The embedded `customer` is attached at
 * serialisation time (it reflects the customer's current record).
 */
export function buildOrder(ctx: RecordContext, core: OrderCore, party: OrderParty): JsonObject {
  const currency = ctx.params.currency;
  const name = `#${1000 + core.number}`;
  const lineItems = buildLineItems(ctx, core);
  const shippingLines = buildShippingLines(ctx, core);
  const shippingDiscountCents = shippingDiscountOf(shippingLines);
  const refunds = buildRefunds(ctx, core, lineItems);
  const fulfillments = buildFulfillments(ctx, core, name, lineItems);
  const cancelled = core.cancelledAt !== null;
  const currentSubtotal = cancelled ? 0 : core.subtotalCents - refunds.refundedSubtotalCents;
  const currentTax = cancelled ? 0 : core.taxCents - refunds.refundedTaxCents;
  const currentTotal = cancelled ? 0 : core.totalCents - refunds.refundedCents;
  const totalDiscounts = core.discountCents + shippingDiscountCents;
  const currentDiscounts = cancelled ? 0 : totalDiscounts;
  const taxLines =
    core.taxCents > 0 || core.lines.length > 0 ? [taxLine(core.taxCents, core.taxBp, core.taxTitle, currency)] : [];
  const address = orderAddress(party);
  const checkoutId = ID_BASE.checkout + core.index * 10;
  return {
    id: core.id,
    admin_graphql_api_id: gid("Order", core.id),
    app_id: 580111,
    browser_ip: core.browserIp,
    buyer_accepts_marketing: core.buyerAcceptsMarketing,
    cancel_reason: core.cancelReason,
    cancelled_at: cancelled ? ctx.iso(core.cancelledAt as number) : null,
    cart_token: null,
    checkout_id: checkoutId,
    checkout_token: core.token.slice(0, 32),
    client_details: {
      accept_language: "en-US",
      browser_height: null,
      browser_ip: core.browserIp,
      browser_width: null,
      session_hash: null,
      user_agent: "Mozilla/5.0",
    },
    closed_at: core.closedAt === null ? null : ctx.iso(core.closedAt),
    company: null,
    confirmation_number: core.token.slice(0, 9).toUpperCase(),
    confirmed: true,
    contact_email: party.email,
    created_at: ctx.iso(core.createdAt),
    currency,
    current_subtotal_price: money(currentSubtotal),
    current_subtotal_price_set: moneySet(currentSubtotal, currency),
    current_total_additional_fees_set: null,
    current_total_discounts: money(currentDiscounts),
    current_total_discounts_set: moneySet(currentDiscounts, currency),
    current_total_duties_set: null,
    current_total_price: money(currentTotal),
    current_total_price_set: moneySet(currentTotal, currency),
    current_total_tax: money(currentTax),
    current_total_tax_set: moneySet(currentTax, currency),
    customer_locale: "en",
    device_id: null,
    discount_codes: core.discount
      ? [{ code: core.discount.code, amount: money(core.discount.amountCents), type: core.discount.type }]
      : [],
    duties_included: false,
    email: party.email,
    estimated_taxes: false,
    financial_status: core.financialStatus,
    fulfillment_status: core.fulfillmentStatus,
    landing_site: "/",
    landing_site_ref: null,
    location_id: core.sourceName === "pos" ? ctx.locationId : null,
    merchant_of_record_app_id: null,
    name,
    note: core.note,
    note_attributes: [],
    number: core.number,
    order_number: 1000 + core.number,
    order_status_url: `https://${ctx.domain}/${ctx.params.seed}/orders/${core.token}/authenticate?key=${core.token.slice(0, 16)}`,
    original_total_additional_fees_set: null,
    original_total_duties_set: null,
    payment_gateway_names: [core.gateway],
    phone: party.phone,
    po_number: null,
    presentment_currency: currency,
    processed_at: ctx.iso(core.processedAt),
    reference: null,
    referring_site: null,
    source_identifier: null,
    source_name: core.sourceName,
    source_url: null,
    subtotal_price: money(core.subtotalCents),
    subtotal_price_set: moneySet(core.subtotalCents, currency),
    tags: core.tags,
    tax_exempt: false,
    tax_lines: taxLines,
    taxes_included: false,
    test: core.test,
    token: core.token,
    total_discounts: money(totalDiscounts),
    total_discounts_set: moneySet(totalDiscounts, currency),
    total_line_items_price: money(core.lineItemsCents),
    total_line_items_price_set: moneySet(core.lineItemsCents, currency),
    total_outstanding: money(core.financialStatus === "pending" ? core.totalCents : 0),
    total_price: money(core.totalCents),
    total_price_set: moneySet(core.totalCents, currency),
    total_shipping_price_set: moneySet(core.shippingCents, currency),
    total_tax: money(core.taxCents),
    total_tax_set: moneySet(core.taxCents, currency),
    total_tip_received: "0.00",
    total_weight: core.lines.reduce((a, l) => a + l.variant.grams * l.quantity, 0),
    updated_at: ctx.iso(core.updatedAt),
    user_id: null,
    billing_address: address,
    discount_applications: discountApplications(core, shippingDiscountCents),
    fulfillments,
    line_items: lineItems,
    payment_terms: null,
    refunds: refunds.refunds,
    shipping_address: address,
    shipping_lines: shippingLines,
  };
}
