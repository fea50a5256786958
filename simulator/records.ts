/* eslint-disable @typescript-eslint/no-explicit-any -- JSON payloads */
/** Builders for REST-shaped records (orders, customers, products) and fact extraction. */
import { FIRST_NAMES, LAST_NAMES, PLACES, STREETS, CUSTOMER_TAGS } from "./data.ts";
import type { GenProduct, GenVariant, OrderCore, StoreParams } from "./generator.ts";
import { ID_BASE, S_CUSTOMER, idAt } from "./generator.ts";
import { taxOf } from "./pricing.ts";
import { rngFor } from "./rng.ts";
import { isoInZone, money, toCents } from "./time.ts";

export type Obj = Record<string, any>;

export interface RecordContext {
  params: StoreParams;
  domain: string;
  locationId: number;
  products: GenProduct[];
  iso(sec: number): string;
}

export function gid(type: string, id: number): string {
  return `gid://shopify/${type}/${id}`;
}

export function moneySet(cents: number, currency: string): Obj {
  const amount = money(cents);
  return { shop_money: { amount, currency_code: currency }, presentment_money: { amount, currency_code: currency } };
}

/** Immutable generated facts about customer `i`. */
export interface CustomerBase {
  index: number;
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  acceptsMarketing: boolean;
  tags: string;
  state: "enabled" | "disabled" | "invited";
  note: string | null;
  verifiedEmail: boolean;
  taxExempt: boolean;
  addresses: Obj[];
}

function makeAddress(
  rngSeed: number,
  first: string,
  last: string,
  phone: string | null,
  id: number | null,
  customerId: number | null,
  isDefault: boolean,
): Obj {
  const rng = rngFor(rngSeed, 77, 0);
  const place = PLACES[rng.int(0, PLACES.length - 1)];
  const a: Obj = {};
  if (id !== null) a.id = id;
  if (customerId !== null) a.customer_id = customerId;
  Object.assign(a, {
    first_name: first,
    last_name: last,
    company: rng.chance(0.1) ? `${last} & Co` : null,
    address1: `${rng.int(1, 9999)} ${STREETS[rng.int(0, STREETS.length - 1)]}`,
    address2: rng.chance(0.2) ? `Apt ${rng.int(1, 40)}` : "",
    city: place.city,
    province: place.province,
    country: place.country,
    zip: place.zip,
    phone,
    name: `${first} ${last}`,
    province_code: place.province_code,
    country_code: place.country_code,
    country_name: place.country,
  });
  if (id !== null) a.default = isDefault;
  return a;
}

export function customerBase(p: StoreParams, i: number): CustomerBase {
  const rng = rngFor(p.seed, S_CUSTOMER, i);
  const first = FIRST_NAMES[rng.int(0, FIRST_NAMES.length - 1)];
  const last = LAST_NAMES[rng.int(0, LAST_NAMES.length - 1)];
  const id = idAt(p.seed, S_CUSTOMER, ID_BASE.customer, i);
  const email = `${first}.${last}.${i + 1}@example.com`.toLowerCase();
  const phone = rng.chance(0.6) ? `+1${rng.int(201, 989)}555${String(rng.int(0, 9999)).padStart(4, "0")}` : null;
  const nAddr = rng.chance(0.85) ? (rng.chance(0.2) ? 2 : 1) : 0;
  const addresses: Obj[] = [];
  for (let k = 0; k < nAddr; k++) {
    addresses.push(
      makeAddress((p.seed ^ (i * 7 + k)) >>> 0, first, last, phone, ID_BASE.address + i * 4 + k, id, k === 0),
    );
  }
  const tags: string[] = [];
  if (rng.chance(0.3)) tags.push(CUSTOMER_TAGS[rng.int(0, CUSTOMER_TAGS.length - 1)]);
  if (rng.chance(0.1)) {
    const t = CUSTOMER_TAGS[rng.int(0, CUSTOMER_TAGS.length - 1)];
    if (!tags.includes(t)) tags.push(t);
  }
  const stateRoll = rng.next();
  return {
    index: i,
    id,
    firstName: first,
    lastName: last,
    email,
    phone,
    acceptsMarketing: rng.chance(0.45),
    tags: tags.sort().join(", "),
    state: stateRoll < 0.8 ? "enabled" : stateRoll < 0.95 ? "disabled" : "invited",
    note: rng.chance(0.05) ? "Prefers email contact" : null,
    verifiedEmail: rng.chance(0.9),
    taxExempt: rng.chance(0.02),
    addresses,
  };
}

/** Raw customer record (without order aggregates) in REST shape. */
export function buildCustomer(ctx: RecordContext, b: CustomerBase, createdAt: number, updatedAt: number): Obj {
  const c = ctx.params.currency;
  const marketingAt = b.acceptsMarketing ? ctx.iso(createdAt) : null;
  const obj: Obj = {
    id: b.id,
    email: b.email,
    created_at: ctx.iso(createdAt),
    updated_at: ctx.iso(updatedAt),
    first_name: b.firstName,
    last_name: b.lastName,
    state: b.state,
    note: b.note,
    verified_email: b.verifiedEmail,
    multipass_identifier: null,
    tax_exempt: b.taxExempt,
    tags: b.tags,
    currency: c,
    phone: b.phone,
    addresses: b.addresses,
    accepts_marketing: b.acceptsMarketing,
    accepts_marketing_updated_at: marketingAt,
    marketing_opt_in_level: b.acceptsMarketing ? "single_opt_in" : null,
    tax_exemptions: [],
    email_marketing_consent: {
      state: b.acceptsMarketing ? "subscribed" : "not_subscribed",
      opt_in_level: "single_opt_in",
      consent_updated_at: marketingAt,
    },
    sms_marketing_consent: b.phone
      ? {
          state: "not_subscribed",
          opt_in_level: "single_opt_in",
          consent_updated_at: null,
          consent_collected_from: "OTHER",
        }
      : null,
    admin_graphql_api_id: gid("Customer", b.id),
    default_address: b.addresses[0] ?? null,
  };
  return obj;
}

/** Customer record with aggregates, as served by customers.json. */
export function withAggregates(
  raw: Obj,
  ordersCount: number,
  spentCents: number,
  lastOrder: { id: number; name: string } | null,
): Obj {
  const out: Obj = {};
  for (const k of Object.keys(raw)) {
    out[k] = raw[k];
    if (k === "last_name") {
      out.orders_count = ordersCount;
      out.total_spent = money(spentCents);
      out.last_order_id = lastOrder ? lastOrder.id : null;
      out.last_order_name = lastOrder ? lastOrder.name : null;
    }
  }
  return out;
}

/** The customer object embedded in orders. */
export function customerForOrder(raw: Obj, redacted: boolean): Obj {
  if (redacted) return { id: raw.id, admin_graphql_api_id: raw.admin_graphql_api_id };
  const out: Obj = {};
  for (const k of Object.keys(raw)) if (k !== "addresses") out[k] = raw[k];
  return out;
}

export function variantJson(
  ctx: RecordContext,
  productId: number,
  v: GenVariant,
  createdAt: number,
  updatedAt: number,
): Obj {
  return {
    id: v.id,
    product_id: productId,
    title: v.title,
    price: money(v.priceCents),
    position: v.position,
    inventory_policy: "deny",
    compare_at_price: v.compareAtCents === null ? null : money(v.compareAtCents),
    option1: v.option1,
    option2: v.option2,
    option3: v.option3,
    created_at: ctx.iso(createdAt),
    updated_at: ctx.iso(updatedAt),
    taxable: true,
    barcode: v.barcode,
    fulfillment_service: "manual",
    grams: v.grams,
    inventory_management: "shopify",
    requires_shipping: true,
    sku: v.sku,
    weight: Math.round(v.grams / 10) / 100,
    weight_unit: "kg",
    inventory_item_id: v.inventoryItemId,
    inventory_quantity: v.inventoryQuantity,
    old_inventory_quantity: v.inventoryQuantity,
    admin_graphql_api_id: gid("ProductVariant", v.id),
    image_id: null,
  };
}

/** Full REST product record built from the generated catalogue entry. */
export function buildProduct(ctx: RecordContext, g: GenProduct): Obj {
  const created = ctx.iso(g.createdAt);
  const updated = ctx.iso(g.updatedAt);
  const images = g.images.map((im) => ({
    id: im.id,
    alt: im.alt,
    position: im.position,
    product_id: g.id,
    created_at: created,
    updated_at: updated,
    admin_graphql_api_id: gid("ProductImage", im.id),
    width: im.width,
    height: im.height,
    src: im.src,
    variant_ids: [],
  }));
  return {
    id: g.id,
    title: g.title,
    body_html: g.bodyHtml,
    vendor: g.vendor,
    product_type: g.productType,
    created_at: created,
    handle: g.handle,
    updated_at: updated,
    published_at: g.publishedAt === null ? null : ctx.iso(g.publishedAt),
    template_suffix: null,
    published_scope: "web",
    tags: g.tags,
    status: g.status,
    admin_graphql_api_id: gid("Product", g.id),
    variants: g.variants.map((v) => variantJson(ctx, g.id, v, g.createdAt, g.updatedAt)),
    options: g.options.map((o, k) => ({
      id: ID_BASE.option + g.index * 4 + k,
      product_id: g.id,
      name: o.name,
      position: k + 1,
      values: o.values,
    })),
    images,
    image: images[0] ?? null,
  };
}

function taxLine(cents: number, bp: number, title: string, currency: string): Obj {
  return { price: money(cents), rate: bp / 10000, title, price_set: moneySet(cents, currency), channel_liable: false };
}

function guestIdentity(seed: number): { first: string; last: string; email: string; phone: string | null } {
  const rng = rngFor(seed, 55, 0);
  const first = FIRST_NAMES[rng.int(0, FIRST_NAMES.length - 1)];
  const last = LAST_NAMES[rng.int(0, LAST_NAMES.length - 1)];
  return {
    first,
    last,
    email: `${first}.${last}.guest${seed % 100000}@example.net`.toLowerCase(),
    phone: rng.chance(0.3) ? `+1${rng.int(201, 989)}555${String(rng.int(0, 9999)).padStart(4, "0")}` : null,
  };
}

export interface OrderParty {
  first: string;
  last: string;
  email: string;
  phone: string | null;
  address: Obj | null;
}

export function partyForCustomer(b: CustomerBase): OrderParty {
  return { first: b.firstName, last: b.lastName, email: b.email, phone: b.phone, address: b.addresses[0] ?? null };
}

export function partyForGuest(seed: number): OrderParty {
  const g = guestIdentity(seed);
  return {
    first: g.first,
    last: g.last,
    email: g.email,
    phone: g.phone,
    address: makeAddress(seed, g.first, g.last, g.phone, null, null, false),
  };
}

function orderAddress(party: OrderParty): Obj | null {
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

/**
 * Builds the REST order object for an order core. The embedded `customer` is attached at
 * serialisation time (it reflects the customer's current record).
 */
export function buildOrder(ctx: RecordContext, core: OrderCore, party: OrderParty): Obj {
  const cur = ctx.params.currency;
  const iso = (s: number) => ctx.iso(s);
  const ms = (c: number) => moneySet(c, cur);
  const orderId = core.id;
  const name = `#${1000 + core.number}`;
  const lineItems: Obj[] = core.lines.map((l, k) => {
    const prod = ctx.products[l.productIndex];
    const id = core.lineIds
      ? core.lineIds[k]
      : ID_BASE.lineItem + (core.index * 8 + k) * 100 + ((core.id + k * 37) % 100);
    const refundedQty = core.refund
      ? core.refund.lines.filter((r) => r.line === k).reduce((a, r) => a + r.quantity, 0)
      : 0;
    const fulfilled = core.fulfillmentStatus === "fulfilled" || (core.fulfillmentStatus === "partial" && k === 0);
    const title = prod ? prod.title : "Custom item";
    const variantTitle = l.variant.title === "Default Title" ? null : l.variant.title;
    const gift = l.giftCard === true;
    return {
      id,
      admin_graphql_api_id: gid("LineItem", id),
      attributed_staffs: [],
      current_quantity: core.cancelledAt !== null ? 0 : l.quantity - refundedQty,
      fulfillable_quantity: core.cancelledAt !== null || fulfilled ? 0 : l.quantity - refundedQty,
      fulfillment_service: "manual",
      fulfillment_status: fulfilled ? "fulfilled" : null,
      gift_card: gift,
      grams: l.variant.grams,
      name: variantTitle ? `${title} - ${variantTitle}` : title,
      price: money(l.priceCents),
      price_set: ms(l.priceCents),
      product_exists: true,
      product_id: prod ? prod.id : null,
      properties: [],
      quantity: l.quantity,
      requires_shipping: !gift,
      sku: l.variant.sku,
      taxable: !gift,
      title,
      total_discount: "0.00",
      total_discount_set: ms(0),
      variant_id: l.variant.id,
      variant_inventory_management: "shopify",
      variant_title: variantTitle,
      vendor: prod ? prod.vendor : null,
      tax_lines: gift ? [] : [taxLine(l.taxCents, core.taxBp, core.taxTitle, cur)],
      duties: [],
      discount_allocations:
        l.discountCents > 0
          ? [{ amount: money(l.discountCents), amount_set: ms(l.discountCents), discount_application_index: 0 }]
          : [],
    };
  });
  const shipDiscountIndex = core.discount ? 1 : 0;
  const shippingLines: Obj[] = (core.shippingLines ?? (core.shipping ? [core.shipping] : [])).map((sh, k) => {
    const disc = sh.discountCents ?? 0;
    const shTax = sh.taxCents ?? 0;
    return {
      id: core.shippingLineIds?.[k] ?? core.shippingLineId ?? ID_BASE.shippingLine + core.index * 10 + (core.id % 10),
      carrier_identifier: null,
      code: sh.code,
      discounted_price: money(sh.cents - disc),
      discounted_price_set: ms(sh.cents - disc),
      is_removed: false,
      phone: null,
      price: money(sh.cents),
      price_set: ms(sh.cents),
      requested_fulfillment_service_id: null,
      source: "shopify",
      title: sh.title,
      tax_lines: shTax > 0 ? [taxLine(shTax, core.taxBp, core.taxTitle, cur)] : [],
      discount_allocations:
        disc > 0 ? [{ amount: money(disc), amount_set: ms(disc), discount_application_index: shipDiscountIndex }] : [],
    };
  });
  const shippingDiscountCents = shippingLines.reduce(
    (a, sl) => a + toCents(sl.price) - toCents(sl.discounted_price),
    0,
  );
  const refunds: Obj[] = [];
  let refundedSuccess = 0,
    refundedSub = 0,
    refundedTax = 0;
  if (core.refund) {
    const r = core.refund;
    const refundId = ID_BASE.refund + core.index * 10 + 1;
    const at = iso(r.createdAt);
    const transactions: Obj[] = [];
    const gw = core.gateway;
    const tx = (n: number, status: string, atSec: number): Obj => {
      const id = ID_BASE.transaction + core.index * 10 + n;
      return {
        id,
        admin_graphql_api_id: gid("OrderTransaction", id),
        amount: money(r.amountCents),
        authorization: null,
        created_at: iso(atSec),
        currency: cur,
        device_id: null,
        error_code: status === "failure" ? "processing_error" : null,
        gateway: gw,
        kind: "refund",
        location_id: null,
        message: status === "failure" ? "Refund could not be processed" : "Refunded",
        order_id: orderId,
        parent_id: ID_BASE.transaction + core.index * 10,
        payment_id: `c${orderId}.${n}`,
        processed_at: iso(atSec),
        receipt: {},
        source_name: "web",
        status,
        test: core.test,
        user_id: null,
      };
    };
    if (r.failedFirst) transactions.push(tx(2, "failure", r.createdAt - 120));
    transactions.push(tx(3, "success", r.createdAt));
    refundedSuccess += r.amountCents;
    const refundLineItems = r.lines.map((rl, n) => {
      refundedSub += rl.subtotalCents;
      refundedTax += rl.taxCents;
      const id = ID_BASE.refundLine + core.index * 10 + n;
      return {
        id,
        line_item_id: lineItems[rl.line].id,
        location_id: ctx.locationId,
        quantity: rl.quantity,
        restock_type: "return",
        subtotal: money(rl.subtotalCents),
        subtotal_set: ms(rl.subtotalCents),
        total_tax: money(rl.taxCents),
        total_tax_set: ms(rl.taxCents),
        line_item: lineItems[rl.line],
      };
    });
    refunds.push({
      id: refundId,
      admin_graphql_api_id: gid("Refund", refundId),
      created_at: at,
      note: r.note,
      order_id: orderId,
      processed_at: at,
      restock: true,
      total_duties_set: ms(0),
      user_id: null,
      order_adjustments:
        r.shippingCents > 0
          ? [
              {
                id: refundId + 5,
                amount: money(-r.shippingCents),
                amount_set: ms(-r.shippingCents),
                kind: "shipping_refund",
                order_id: orderId,
                reason: "Shipping refund",
                refund_id: refundId,
                tax_amount: "0.00",
                tax_amount_set: ms(0),
              },
            ]
          : [],
      transactions,
      refund_line_items: refundLineItems,
      duties: [],
    });
  }
  const fulfillments: Obj[] = [];
  if (core.fulfilledAt !== null && core.fulfillmentStatus) {
    const fid = ID_BASE.fulfillment + core.index * 10;
    const fl = core.fulfillmentStatus === "fulfilled" ? lineItems : lineItems.slice(0, 1);
    fulfillments.push({
      id: fid,
      admin_graphql_api_id: gid("Fulfillment", fid),
      created_at: iso(core.fulfilledAt),
      location_id: ctx.locationId,
      name: `${name}.1`,
      order_id: orderId,
      origin_address: {},
      receipt: {},
      service: "manual",
      shipment_status: null,
      status: "success",
      tracking_company: "UPS",
      tracking_number: `1Z${String(core.id % 1e10).padStart(10, "0")}`,
      tracking_numbers: [`1Z${String(core.id % 1e10).padStart(10, "0")}`],
      tracking_url: `https://www.ups.com/track?tracknum=1Z${String(core.id % 1e10).padStart(10, "0")}`,
      tracking_urls: [`https://www.ups.com/track?tracknum=1Z${String(core.id % 1e10).padStart(10, "0")}`],
      updated_at: iso(core.fulfilledAt),
      line_items: fl,
    });
  }
  const cancelled = core.cancelledAt !== null;
  const curSub = cancelled ? 0 : core.subtotalCents - refundedSub;
  const curTax = cancelled ? 0 : core.taxCents - refundedTax;
  const curTotal = cancelled ? 0 : core.totalCents - refundedSuccess;
  const totalDiscounts = core.discountCents + shippingDiscountCents;
  const curDiscounts = cancelled ? 0 : totalDiscounts;
  const taxLines =
    core.taxCents > 0 || core.lines.length > 0 ? [taxLine(core.taxCents, core.taxBp, core.taxTitle, cur)] : [];
  const address = orderAddress(party);
  const checkoutId = ID_BASE.checkout + core.index * 10;
  return {
    id: orderId,
    admin_graphql_api_id: gid("Order", orderId),
    app_id: 580111,
    browser_ip: core.browserIp,
    buyer_accepts_marketing: core.buyerAcceptsMarketing,
    cancel_reason: core.cancelReason,
    cancelled_at: cancelled ? iso(core.cancelledAt as number) : null,
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
    closed_at: core.closedAt === null ? null : iso(core.closedAt),
    company: null,
    confirmation_number: core.token.slice(0, 9).toUpperCase(),
    confirmed: true,
    contact_email: party.email,
    created_at: iso(core.createdAt),
    currency: cur,
    current_subtotal_price: money(curSub),
    current_subtotal_price_set: ms(curSub),
    current_total_additional_fees_set: null,
    current_total_discounts: money(curDiscounts),
    current_total_discounts_set: ms(curDiscounts),
    current_total_duties_set: null,
    current_total_price: money(curTotal),
    current_total_price_set: ms(curTotal),
    current_total_tax: money(curTax),
    current_total_tax_set: ms(curTax),
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
    presentment_currency: cur,
    processed_at: iso(core.processedAt),
    reference: null,
    referring_site: null,
    source_identifier: null,
    source_name: core.sourceName,
    source_url: null,
    subtotal_price: money(core.subtotalCents),
    subtotal_price_set: ms(core.subtotalCents),
    tags: core.tags,
    tax_exempt: false,
    tax_lines: taxLines,
    taxes_included: false,
    test: core.test,
    token: core.token,
    total_discounts: money(totalDiscounts),
    total_discounts_set: ms(totalDiscounts),
    total_line_items_price: money(core.lineItemsCents),
    total_line_items_price_set: ms(core.lineItemsCents),
    total_outstanding: money(core.financialStatus === "pending" ? core.totalCents : 0),
    total_price: money(core.totalCents),
    total_price_set: ms(core.totalCents),
    total_shipping_price_set: ms(core.shippingCents),
    total_tax: money(core.taxCents),
    total_tax_set: ms(core.taxCents),
    total_tip_received: "0.00",
    total_weight: core.lines.reduce((a, l) => a + l.variant.grams * l.quantity, 0),
    updated_at: iso(core.updatedAt),
    user_id: null,
    billing_address: address,
    discount_applications: [
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
    ],
    fulfillments,
    line_items: lineItems,
    payment_terms: null,
    refunds,
    shipping_address: address,
    shipping_lines: shippingLines,
  };
}

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

export function factsFromObject(o: Obj): OrderFacts {
  let refunded = 0;
  for (const r of (o.refunds ?? []) as Obj[]) {
    for (const t of (r.transactions ?? []) as Obj[]) {
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
    lines: ((o.line_items ?? []) as Obj[]).map((li) => {
      const disc = ((li.discount_allocations ?? []) as Obj[]).reduce((a, d) => a + toCents(d.amount), 0);
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
export function recomputeOrderTotals(o: Obj, currency: string): void {
  const ms = (c: number) => moneySet(c, currency);
  let lineItems = 0,
    discounts = 0,
    tax = 0;
  for (const li of o.line_items as Obj[]) {
    lineItems += toCents(li.price) * li.quantity;
    discounts += ((li.discount_allocations ?? []) as Obj[]).reduce((a, d) => a + toCents(d.amount), 0);
    tax += ((li.tax_lines ?? []) as Obj[]).reduce((a, t) => a + toCents(t.price), 0);
  }
  let shipping = 0,
    shippingDiscounts = 0;
  for (const sl of (o.shipping_lines ?? []) as Obj[]) {
    shipping += toCents(sl.price);
    shippingDiscounts += ((sl.discount_allocations ?? []) as Obj[]).reduce((a, d) => a + toCents(d.amount), 0);
    tax += ((sl.tax_lines ?? []) as Obj[]).reduce((a, t) => a + toCents(t.price), 0);
  }
  const subtotal = lineItems - discounts;
  const total = subtotal + shipping - shippingDiscounts + tax;
  discounts += shippingDiscounts;
  let refunded = 0,
    refundedSub = 0,
    refundedTax = 0;
  for (const r of (o.refunds ?? []) as Obj[]) {
    for (const t of (r.transactions ?? []) as Obj[])
      if (t.kind === "refund" && t.status === "success") refunded += toCents(t.amount);
    for (const rl of (r.refund_line_items ?? []) as Obj[]) {
      refundedSub += toCents(rl.subtotal);
      refundedTax += toCents(rl.total_tax);
    }
    for (const adj of (r.order_adjustments ?? []) as Obj[])
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

export { taxOf };
export function isoFor(p: StoreParams): (s: number) => string {
  return (s: number) => isoInZone(s, p.timezone);
}
