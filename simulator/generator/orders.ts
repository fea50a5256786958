// The economic core of a generated order (lines, discount, shipping, taxes, refund, statuses),
// rebuilt on demand from the seed and the order's index.
import { mix, rngFor } from "../rng.ts";
import type { Rng } from "../rng.ts";
import { CANCEL_REASONS, DISCOUNT_CODES, SHIPPING_OPTIONS, taxFor } from "../data.ts";
import { priceOrder, taxOf } from "../pricing.ts";
import { DAY, ID_BASE, S_ORDER, idAt } from "./ids.ts";
import type { StoreParams } from "./ids.ts";
import type { CoreLine, CoreRefund, CoreRefundLine, OrderCore } from "./common.ts";
import type { GenProduct } from "./products.ts";

/**
 * A refund of a paid order (neither cancelled nor pending), whole (with shipping) or of one unit of
 * one line; null for most orders. The roll is drawn for every order, paid or not.
 */
function drawRefund(
  rng: Rng,
  p: StoreParams,
  createdAt: number,
  paid: boolean,
  lines: CoreLine[],
  shippingCents: number,
  taxBp: number,
): CoreRefund | null {
  const refundRoll = rng.next();
  if (!(paid && refundRoll < 0.07 && lines.length > 0)) return null;
  const createdR = createdAt + rng.int(DAY, 20 * DAY);
  if (!(createdR < p.nowSec - 60)) return null;
  const full = rng.chance(0.35);
  const refundLines: CoreRefundLine[] = [];
  let shippingRefund = 0;
  if (full) {
    lines.forEach((l, k) => {
      refundLines.push({
        line: k,
        quantity: l.quantity,
        subtotalCents: l.priceCents * l.quantity - l.discountCents,
        taxCents: l.taxCents,
      });
    });
    shippingRefund = shippingCents;
  } else {
    const k = rng.int(0, lines.length - 1);
    const l = lines[k];
    const perUnitDiscount = Math.floor(l.discountCents / l.quantity);
    const sub = l.priceCents - perUnitDiscount;
    if (l.quantity === 1) refundLines.push({ line: k, quantity: 1, subtotalCents: sub, taxCents: l.taxCents });
    else refundLines.push({ line: k, quantity: 1, subtotalCents: sub, taxCents: taxOf(sub, taxBp) });
  }
  const amountCents = refundLines.reduce((a, r) => a + r.subtotalCents + r.taxCents, 0) + shippingRefund;
  return {
    createdAt: createdR,
    lines: refundLines,
    shippingCents: shippingRefund,
    amountCents,
    failedFirst: rng.chance(0.25),
    note: rng.chance(0.5) ? ["Damaged in transit", "Wrong size", "Changed mind", "Late delivery"][rng.int(0, 3)] : null,
  };
}

/** When a fulfilled order was closed (most are, some days after fulfilment and any refund). */
function drawClosedAt(
  rng: Rng,
  p: StoreParams,
  fulfillmentStatus: OrderCore["fulfillmentStatus"],
  fulfilledAt: number | null,
  refund: CoreRefund | null,
): number | null {
  if (fulfillmentStatus === "fulfilled" && fulfilledAt !== null && rng.chance(0.65)) {
    const t = Math.max(fulfilledAt, refund ? refund.createdAt : 0) + rng.int(600, 5 * DAY);
    if (t < p.nowSec - 60) return t;
  }
  return null;
}

/** The order's channel, tags, gateway, note, checkout token, browser IP and marketing consent, drawn in that order. */
function drawDetails(
  rng: Rng,
  test: boolean,
): Pick<OrderCore, "sourceName" | "tags" | "gateway" | "note" | "token" | "browserIp" | "buyerAcceptsMarketing"> {
  const sourceName = ["web", "web", "web", "web", "pos", "shopify_draft_order", "iphone"][rng.int(0, 6)];
  const tags: string[] = [];
  if (rng.chance(0.12)) tags.push(["gift", "priority", "wholesale", "influencer", "subscription"][rng.int(0, 4)]);
  const gateway = test
    ? "bogus"
    : ["shopify_payments", "shopify_payments", "shopify_payments", "paypal", "manual"][rng.int(0, 4)];
  const note = rng.chance(0.08)
    ? ["Please gift wrap", "Leave at the door", "Call on arrival", "Birthday present"][rng.int(0, 3)]
    : null;
  const token = rng.hex(32);
  const browserIp = `${rng.int(11, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  const buyerAcceptsMarketing = rng.chance(0.4);
  return { sourceName, tags: tags.join(", "), gateway, note, token, browserIp, buyerAcceptsMarketing };
}

/**
 * Rebuilds the full economic description of generated order `i`. Pure: depends only on the seed,
 * the index, the order's creation time and customer, and the generated catalogue. Every draw comes
 * from the order's one random stream, in a fixed order: the cart and its statuses here, then the
 * refund, the closing and the details in functions of their own. (The cart and the statuses stay in
 * this function: drawn in helpers of their own, V8 optimized generation unevenly, at times 1.7 times
 * slower.)
 */
export function orderCore(
  p: StoreParams,
  products: GenProduct[],
  i: number,
  createdAt: number,
  customerIndex: number,
): OrderCore {
  const rng = rngFor(p.seed, S_ORDER, i);
  const tax = taxFor(p.currency);
  const nLines = [1, 1, 1, 1, 2, 2, 2, 3, 3, 4][rng.int(0, 9)];
  const lines: CoreLine[] = [];
  const P = Math.min(p.products, products.length);
  for (let k = 0; k < nLines && P > 0; k++) {
    const u = rng.next();
    const productIndex = Math.min(P - 1, Math.floor(P * Math.pow(u, 1.6)));
    const prod = products[productIndex];
    const variant = prod.variants[rng.int(0, prod.variants.length - 1)];
    // merge duplicates of the same variant into one line
    const existing = lines.find((l) => l.variant.id === variant.id);
    const quantity = [1, 1, 1, 1, 1, 2, 2, 3][rng.int(0, 7)];
    if (existing) {
      existing.quantity += quantity;
      continue;
    }
    lines.push({ productIndex, variant, quantity, priceCents: variant.priceCents, discountCents: 0, taxCents: 0 });
  }
  // the discount code and the shipping option are drawn before the order is priced
  const lineItemsCents = lines.reduce((a, l) => a + l.priceCents * l.quantity, 0);
  const code = rng.chance(0.18) && lineItemsCents > 0 ? DISCOUNT_CODES[rng.int(0, DISCOUNT_CODES.length - 1)] : null;
  const shipRoll = rng.next();
  const shipping = shipRoll < 0.9 ? SHIPPING_OPTIONS[rng.int(0, SHIPPING_OPTIONS.length - 1)] : null;
  const money = priceOrder(lines, code, shipping ? [shipping] : [], tax.bp);
  const { discount, discountCents, subtotalCents, taxCents, shippingCents, totalCents } = money;

  const test = rng.chance(0.015);
  let processedAt = createdAt;
  if (rng.chance(0.03)) processedAt = createdAt - rng.int(3600, 2 * DAY);
  let cancelledAt: number | null = null;
  let cancelReason: string | null = null;
  if (rng.chance(0.035)) {
    const t = createdAt + rng.int(600, 2 * DAY);
    if (t < p.nowSec) {
      cancelledAt = t;
      cancelReason = CANCEL_REASONS[rng.int(0, CANCEL_REASONS.length - 1)];
    }
  }
  const pending = cancelledAt === null && rng.chance(0.03);
  let financialStatus: OrderCore["financialStatus"] = cancelledAt !== null ? "voided" : pending ? "pending" : "paid";

  let fulfillmentStatus: OrderCore["fulfillmentStatus"] = null;
  let fulfilledAt: number | null = null;
  const fr = rng.next();
  if (cancelledAt === null && !pending) {
    const t = createdAt + rng.int(1800, 3 * DAY);
    if (t < p.nowSec - 60) {
      if (fr < 0.86) {
        fulfillmentStatus = "fulfilled";
        fulfilledAt = t;
      } else if (fr < 0.9 && lines.length > 1) {
        fulfillmentStatus = "partial";
        fulfilledAt = t;
      }
    }
  }

  const refund = drawRefund(rng, p, createdAt, cancelledAt === null && !pending, lines, shippingCents, tax.bp);
  if (refund) financialStatus = refund.amountCents >= totalCents ? "refunded" : "partially_refunded";

  const closedAt = cancelledAt ?? drawClosedAt(rng, p, fulfillmentStatus, fulfilledAt, refund);
  const updatedAt = Math.max(
    createdAt,
    processedAt,
    cancelledAt ?? 0,
    fulfilledAt ?? 0,
    closedAt ?? 0,
    refund ? refund.createdAt : 0,
  );
  const details = drawDetails(rng, test);
  return {
    index: i,
    id: idAt(p.seed, S_ORDER, ID_BASE.order, i),
    number: i + 1,
    createdAt,
    processedAt,
    customerIndex,
    guestSeed: mix(p.seed, 99, i),
    lines,
    discount,
    shipping,
    taxBp: tax.bp,
    taxTitle: tax.title,
    lineItemsCents,
    discountCents,
    subtotalCents,
    taxCents,
    shippingCents,
    totalCents,
    test,
    cancelledAt,
    cancelReason,
    financialStatus,
    fulfillmentStatus,
    fulfilledAt,
    closedAt,
    refund,
    updatedAt,
    sourceName: details.sourceName,
    gateway: details.gateway,
    note: details.note,
    tags: details.tags,
    token: details.token,
    browserIp: details.browserIp,
    buyerAcceptsMarketing: details.buyerAcceptsMarketing,
  };
}
