/**
 * Deterministic store generation. Products are generated eagerly (they are few); orders and
 * customers are described by compact typed arrays plus a pure function that rebuilds any record
 * from (seed, index) on demand.
 */
import { Rng, mix, rngFor } from "./rng.ts";
import {
  ADJECTIVES,
  CANCEL_REASONS,
  COLORS,
  DISCOUNT_CODES,
  MATERIALS,
  NOUNS,
  PRODUCT_TYPES,
  SHIPPING_OPTIONS,
  SIZES,
  VENDORS,
  taxFor,
} from "./data.ts";
import { weekdayInZone } from "./time.ts";
import { priceOrder, taxOf } from "./pricing.ts";

export const DAY = 86400;

/** Random streams. */
export const S_PRODUCT = 1,
  S_CUSTOMER = 2,
  S_ORDER = 3,
  S_ORDER_TIME = 4,
  S_ORDER_CUST = 5,
  S_IDS = 6,
  S_SHOP = 7;

// Where each kind of record's ids start: near the magnitudes real Shopify ids have today (13 to 14
// digits, beyond 2^32 so a client storing them in 32-bit integers fails here as it would on
// Shopify), and far enough apart (ids advance by at most 1,000 a record) that two kinds never share
// an id, even for a store of millions of records.
export const ID_BASE = {
  product: 7_100_000_000_000,
  variant: 44_000_000_000_000,
  inventoryItem: 46_000_000_000_000,
  image: 33_000_000_000_000,
  option: 9_800_000_000_000,
  customer: 7_300_000_000_000,
  address: 9_100_000_000_000,
  order: 5_600_000_000_000,
  lineItem: 14_000_000_000_000,
  refund: 900_000_000_000,
  refundLine: 600_000_000_000,
  transaction: 6_500_000_000_000,
  fulfillment: 5_100_000_000_000,
  shippingLine: 4_700_000_000_000,
  event: 98_000_000_000_000,
  location: 71_000_000_000,
  checkout: 36_000_000_000_000,
};

/** Id of the record at `index` in a base space: strictly increasing with the index. */
export function idAt(seed: number, stream: number, base: number, index: number, step = 1000): number {
  return base + index * step + (mix(seed, S_IDS, stream, index) % step);
}

export interface GenVariant {
  id: number;
  inventoryItemId: number;
  productIndex: number;
  position: number;
  title: string;
  option1: string | null;
  option2: string | null;
  option3: string | null;
  priceCents: number;
  compareAtCents: number | null;
  sku: string;
  grams: number;
  inventoryQuantity: number;
  barcode: string;
}

export interface GenProduct {
  index: number;
  id: number;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  bodyHtml: string;
  tags: string;
  status: "active" | "draft" | "archived";
  createdAt: number;
  updatedAt: number;
  publishedAt: number | null;
  options: { name: string; values: string[] }[];
  variants: GenVariant[];
  images: { id: number; position: number; width: number; height: number; src: string; alt: string | null }[];
}

export interface StoreParams {
  name: string;
  seed: number;
  products: number;
  customers: number;
  orders: number;
  days: number;
  nowSec: number;
  currency: string;
  timezone: string;
  bigVariantProducts: number;
}

export function startOfPeriod(p: StoreParams): number {
  return p.nowSec - p.days * DAY;
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function optionPlan(rng: Rng, nVariants: number): { name: string; values: string[] }[] {
  if (nVariants === 1) return [{ name: "Title", values: ["Default Title"] }];
  if (nVariants <= SIZES.length && rng.chance(0.5)) return [{ name: "Size", values: SIZES.slice(0, nVariants) }];
  if (nVariants <= COLORS.length && rng.chance(0.5)) return [{ name: "Color", values: COLORS.slice(0, nVariants) }];
  if (nVariants <= SIZES.length * COLORS.length && nVariants <= 60) {
    const colors = Math.ceil(nVariants / SIZES.length);
    return [
      { name: "Size", values: SIZES.slice() },
      { name: "Color", values: COLORS.slice(0, Math.max(colors, 1)) },
    ];
  }
  return [
    { name: "Size", values: SIZES.slice() },
    { name: "Color", values: COLORS.slice() },
    { name: "Material", values: MATERIALS.slice() },
  ];
}

/** Generates every product of the store (deterministic). */
export function generateProducts(p: StoreParams): GenProduct[] {
  const out: GenProduct[] = [];
  const start = startOfPeriod(p);
  let gv = 0;
  const firstBig = Math.max(0, p.products - p.bigVariantProducts);
  for (let i = 0; i < p.products; i++) {
    const rng = rngFor(p.seed, S_PRODUCT, i);
    const big = i >= firstBig;
    const nVariants = big ? 101 + rng.int(0, 49) : [1, 1, 1, 2, 3, 3, 4, 5, 6, 8, 10][rng.int(0, 10)];
    const adjective = ADJECTIVES[rng.int(0, ADJECTIVES.length - 1)];
    const noun = NOUNS[rng.int(0, NOUNS.length - 1)];
    const title = `${adjective} ${noun}${big ? " Collection" : ""} ${i + 1}`;
    const basePrice = rng.int(3, 120) * 100 + [0, 50, 95, 99][rng.int(0, 3)];
    const createdAt = start - (p.products - i) * 3600 - rng.int(0, 3599) - 30 * DAY;
    const options = optionPlan(rng, nVariants);
    const variants: GenVariant[] = [];
    for (let v = 0; v < nVariants; v++) {
      // decompose v over the option value counts
      let rest = v;
      const vals: (string | null)[] = [null, null, null];
      for (let o = 0; o < options.length; o++) {
        const n = options[o].values.length;
        vals[o] = options[o].values[rest % n];
        rest = Math.floor(rest / n);
      }
      const vr = rngFor(p.seed, S_PRODUCT, i, v + 1);
      const priceCents = basePrice + (vr.chance(0.3) ? vr.int(1, 4) * 100 : 0);
      const onSale = vr.chance(0.2);
      variants.push({
        id: idAt(p.seed, 10, ID_BASE.variant, gv),
        inventoryItemId: idAt(p.seed, 11, ID_BASE.inventoryItem, gv),
        productIndex: i,
        position: v + 1,
        title: vals.filter((x) => x !== null).join(" / "),
        option1: vals[0],
        option2: vals[1],
        option3: vals[2],
        priceCents,
        compareAtCents: onSale ? priceCents + vr.int(5, 30) * 100 : null,
        sku: `SKU-${String(i + 1).padStart(5, "0")}-${String(v + 1).padStart(3, "0")}`,
        grams: vr.int(50, 2500),
        inventoryQuantity: vr.int(0, 250),
        barcode: String(mix(p.seed, 12, gv) % 1_000_000_000_000).padStart(12, "0"),
      });
      gv++;
    }
    const nImages = rng.int(0, 3);
    const images = [];
    for (let k = 0; k < nImages; k++) {
      images.push({
        id: idAt(p.seed, 13, ID_BASE.image, i * 4 + k),
        position: k + 1,
        width: 1024,
        height: 1024,
        src: `https://cdn.shopify.com/s/files/1/0000/0001/products/${slug(title)}-${k + 1}.jpg`,
        alt: k === 0 ? title : null,
      });
    }
    const statusRoll = rng.next();
    const status = statusRoll < 0.9 ? "active" : statusRoll < 0.96 ? "draft" : "archived";
    const updatedAt = Math.min(p.nowSec - 60, createdAt + rng.int(0, Math.max(1, p.nowSec - createdAt)));
    const nTags = rng.int(0, 3);
    const tags: string[] = [];
    for (let k = 0; k < nTags; k++) {
      const t = ["new", "bestseller", "sale", "eco", "limited", "gift"][rng.int(0, 5)];
      if (!tags.includes(t)) tags.push(t);
    }
    out.push({
      index: i,
      id: idAt(p.seed, S_PRODUCT, ID_BASE.product, i),
      title,
      handle: slug(title),
      vendor: VENDORS[rng.int(0, VENDORS.length - 1)],
      productType: PRODUCT_TYPES[rng.int(0, PRODUCT_TYPES.length - 1)],
      bodyHtml: `<p>${adjective} ${noun.toLowerCase()} made with care.</p>`,
      tags: tags.sort().join(", "),
      status,
      createdAt,
      updatedAt,
      publishedAt: status === "active" ? createdAt + 600 : null,
      options,
      variants,
      images,
    });
  }
  return out;
}

/** Relative order volume of a UTC day (weekly + seasonal shape + gentle growth). */
function dayWeight(p: StoreParams, dayStart: number, dayIndex: number): number {
  const wd = weekdayInZone(dayStart + 43200, p.timezone);
  const weekly = [0.85, 0.95, 0.97, 1.0, 1.05, 1.2, 1.12][wd];
  const d = new Date((dayStart + 43200) * 1000);
  const month = d.getUTCMonth();
  const dom = d.getUTCDate();
  const doy = Math.floor((Date.UTC(d.getUTCFullYear(), month, dom) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000);
  let seasonal = 1 + 0.3 * Math.cos((2 * Math.PI * (doy - 345)) / 365);
  if (month === 10 && dom >= 24) seasonal *= 1.8; // late-November peak
  if (month === 11 && dom <= 20) seasonal *= 1.35; // holiday shopping
  if (month === 6 && dom >= 10 && dom <= 17) seasonal *= 1.25; // mid-summer sale
  const growth = 0.85 + (0.3 * dayIndex) / Math.max(1, p.days);
  return weekly * seasonal * growth;
}

const HOUR_WEIGHTS = [
  0.2, 0.12, 0.08, 0.06, 0.06, 0.1, 0.25, 0.45, 0.7, 0.9, 1.0, 1.05, 1.1, 1.05, 1.0, 0.95, 0.95, 1.0, 1.15, 1.3, 1.35,
  1.2, 0.85, 0.45,
];

/**
 * Creation instants (epoch seconds, non-decreasing) of every generated order,
 * spread over the period with weekly and seasonal shape.
 */
export function generateOrderTimes(p: StoreParams): Uint32Array {
  const times = new Uint32Array(p.orders);
  if (p.orders === 0) return times;
  const start = startOfPeriod(p);
  const weights = new Float64Array(p.days);
  let total = 0;
  for (let d = 0; d < p.days; d++) {
    weights[d] = dayWeight(p, start + d * DAY, d);
    total += weights[d];
  }
  // largest-remainder allocation of orders to days
  const counts = new Int32Array(p.days);
  const rema: { d: number; r: number }[] = [];
  let assigned = 0;
  for (let d = 0; d < p.days; d++) {
    const exact = (p.orders * weights[d]) / total;
    counts[d] = Math.floor(exact);
    assigned += counts[d];
    rema.push({ d, r: exact - counts[d] });
  }
  rema.sort((a, b) => b.r - a.r || a.d - b.d);
  for (let k = 0; assigned < p.orders; k++, assigned++) counts[rema[k % rema.length].d]++;
  let cum = 0;
  for (const w of HOUR_WEIGHTS) cum += w;
  const cdf = new Float64Array(24);
  let acc = 0;
  for (let h = 0; h < 24; h++) {
    acc += HOUR_WEIGHTS[h];
    cdf[h] = acc / cum;
  }
  let i = 0;
  for (let d = 0; d < p.days; d++) {
    const n = counts[d];
    if (n === 0) continue;
    const rng = rngFor(p.seed, S_ORDER_TIME, d);
    const dayStart = start + d * DAY;
    const off = 0; // day shape is applied in UTC; hour profile is shifted by the shop offset below
    const local = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const r = rng.next();
      let h = 0;
      while (h < 23 && cdf[h] < r) h++;
      local[k] = h * 3600 + rng.int(0, 3599) + off;
    }
    local.sort();
    for (let k = 0; k < n; k++) {
      let t = dayStart + local[k];
      if (t >= p.nowSec) t = p.nowSec - 1;
      times[i++] = t;
    }
  }
  // guarantee monotonicity (clamping at the end may break it)
  for (let k = 1; k < times.length; k++) if (times[k] < times[k - 1]) times[k] = times[k - 1];
  return times;
}

/**
 * Assigns a customer index (or -1 for guests) to every order, sequentially so that a customer's
 * first order introduces them. Returns the assignment and the number of customers that ordered.
 */
export function assignCustomers(p: StoreParams): { assignment: Int32Array; introduced: number } {
  const assignment = new Int32Array(p.orders);
  const rng = new Rng(mix(p.seed, S_ORDER_CUST, 0, 0));
  const withOrders = Math.floor(p.customers * 0.85);
  const nonGuest = p.orders * 0.88;
  const pNew = nonGuest > 0 ? Math.min(0.95, withOrders / nonGuest) : 0;
  let next = 0;
  for (let i = 0; i < p.orders; i++) {
    const r = rng.next();
    if (p.customers === 0 || r < 0.12) {
      assignment[i] = -1;
      continue;
    }
    if (next === 0 || (next < withOrders && rng.next() < pNew)) {
      if (next < p.customers) {
        assignment[i] = next++;
        continue;
      }
    }
    // returning customer: skewed towards early (loyal) customers
    const u = rng.next();
    assignment[i] = Math.min(next - 1, Math.floor(next * u * u));
  }
  return { assignment, introduced: next };
}

export interface CoreLine {
  productIndex: number;
  variant: GenVariant;
  quantity: number;
  priceCents: number;
  discountCents: number;
  taxCents: number;
  /** Gift card line (orders created through the control surface only): not taxable, never discounted. */
  giftCard?: boolean;
}

/** One shipping line. `discountCents`/`taxCents` only on orders created through the control surface. */
export interface CoreShipping {
  title: string;
  code: string;
  /** Price before shipping discounts. */
  cents: number;
  discountCents?: number;
  taxCents?: number;
}

export interface CoreRefundLine {
  line: number;
  quantity: number;
  subtotalCents: number;
  taxCents: number;
}

export interface CoreRefund {
  createdAt: number;
  lines: CoreRefundLine[];
  shippingCents: number;
  amountCents: number;
  failedFirst: boolean;
  note: string | null;
}

export interface OrderCore {
  index: number;
  id: number;
  number: number;
  createdAt: number;
  processedAt: number;
  customerIndex: number;
  guestSeed: number;
  lines: CoreLine[];
  discount: { code: string; type: "percentage" | "fixed_amount"; value: number; amountCents: number } | null;
  shipping: CoreShipping | null;
  /** Every shipping line (orders created through the control surface); overrides `shipping` when set. */
  shippingLines?: CoreShipping[];
  taxBp: number;
  taxTitle: string;
  lineItemsCents: number;
  /** Line-item discounts (shipping discounts live on the shipping lines). */
  discountCents: number;
  subtotalCents: number;
  /** Line taxes plus shipping taxes. */
  taxCents: number;
  /** Shipping before discounts. */
  shippingCents: number;
  /** subtotal + discounted shipping + taxes. */
  totalCents: number;
  test: boolean;
  cancelledAt: number | null;
  cancelReason: string | null;
  financialStatus: "paid" | "pending" | "refunded" | "partially_refunded" | "voided";
  fulfillmentStatus: "fulfilled" | "partial" | null;
  fulfilledAt: number | null;
  closedAt: number | null;
  refund: CoreRefund | null;
  updatedAt: number;
  sourceName: string;
  gateway: string;
  note: string | null;
  tags: string;
  token: string;
  browserIp: string;
  buyerAcceptsMarketing: boolean;
  /** Explicit line item ids (orders created through the control surface). */
  lineIds?: number[];
  shippingLineId?: number;
  /** Explicit ids of `shippingLines`. */
  shippingLineIds?: number[];
}

/**
 * Rebuilds the full economic description of generated order `i`. Pure: depends only on the seed,
 * the index, the order's creation time and customer, and the generated catalogue.
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

  let refund: CoreRefund | null = null;
  const refundRoll = rng.next();
  if (cancelledAt === null && !pending && refundRoll < 0.07 && lines.length > 0) {
    const createdR = createdAt + rng.int(DAY, 20 * DAY);
    if (createdR < p.nowSec - 60) {
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
        else refundLines.push({ line: k, quantity: 1, subtotalCents: sub, taxCents: taxOf(sub, tax.bp) });
      }
      const amountCents = refundLines.reduce((a, r) => a + r.subtotalCents + r.taxCents, 0) + shippingRefund;
      refund = {
        createdAt: createdR,
        lines: refundLines,
        shippingCents: shippingRefund,
        amountCents,
        failedFirst: rng.chance(0.25),
        note: rng.chance(0.5)
          ? ["Damaged in transit", "Wrong size", "Changed mind", "Late delivery"][rng.int(0, 3)]
          : null,
      };
      financialStatus = amountCents >= totalCents ? "refunded" : "partially_refunded";
    }
  }

  let closedAt: number | null = cancelledAt;
  if (closedAt === null && fulfillmentStatus === "fulfilled" && fulfilledAt !== null && rng.chance(0.65)) {
    const t = Math.max(fulfilledAt, refund ? refund.createdAt : 0) + rng.int(600, 5 * DAY);
    if (t < p.nowSec - 60) closedAt = t;
  }
  const updatedAt = Math.max(
    createdAt,
    processedAt,
    cancelledAt ?? 0,
    fulfilledAt ?? 0,
    closedAt ?? 0,
    refund ? refund.createdAt : 0,
  );
  const sourceName = ["web", "web", "web", "web", "pos", "shopify_draft_order", "iphone"][rng.int(0, 6)];
  const tags: string[] = [];
  if (rng.chance(0.12)) tags.push(["gift", "priority", "wholesale", "influencer", "subscription"][rng.int(0, 4)]);
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
    sourceName,
    gateway: test
      ? "bogus"
      : ["shopify_payments", "shopify_payments", "shopify_payments", "paypal", "manual"][rng.int(0, 4)],
    note: rng.chance(0.08)
      ? ["Please gift wrap", "Leave at the door", "Call on arrival", "Birthday present"][rng.int(0, 3)]
      : null,
    tags: tags.join(", "),
    token: rng.hex(32),
    browserIp: `${rng.int(11, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    buyerAcceptsMarketing: rng.chance(0.4),
  };
}

/** Shop-level identity derived from the seed and name. */
export function shopIdentity(seed: number, name: string): { id: number; locationId: number } {
  let h = 0;
  for (let k = 0; k < name.length; k++) h = Math.imul(h ^ name.charCodeAt(k), 16777619) >>> 0;
  return {
    id: 60_000_000_000 + (mix(seed, S_SHOP, h) % 900_000_000),
    locationId: ID_BASE.location + (mix(seed, S_SHOP, h, 1) % 900_000_000),
  };
}
