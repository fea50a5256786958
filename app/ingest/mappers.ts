import { z } from "zod";

// Pure functions from Shopify REST JSON to rows. Payloads are checked against the fields the app
// uses; a record that does not fit is reported (and skipped by the caller), never half-written.

const id = z.number().int().positive().transform(String);
const optionalId = z
  .number()
  .int()
  .positive()
  .nullish()
  .transform((v) => (v == null ? null : String(v)));
const money = z
  .union([z.string(), z.number()])
  .transform(String)
  .pipe(z.string().regex(/^-?\d+(\.\d+)?$/));
const optionalMoney = money.nullish().transform((v) => v ?? null);
// Shopify's timestamps: ISO-8601 with an offset, e.g. 2008-01-10T11:00:00-05:00.
const timestamp = z.iso.datetime({ offset: true });
const optionalTimestamp = timestamp.nullish().transform((v) => v ?? null);
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
const int = z
  .number()
  .int()
  .nullish()
  .transform((v) => v ?? null);

export interface ShopJson {
  id: number;
  name: string;
  email?: string | null;
  myshopify_domain: string;
  currency: string;
  iana_timezone: string;
  plan_name?: string | null;
  primary_locale?: string | null;
}

export function mapShop(shop: ShopJson) {
  return {
    name: shop.name,
    email: shop.email ?? null,
    currency: shop.currency,
    timezone: shop.iana_timezone,
    plan: shop.plan_name ?? null,
    locale: shop.primary_locale ?? null,
  };
}

const variantSchema = z.object({
  id,
  title: text,
  sku: text,
  price: money,
  compare_at_price: optionalMoney,
  position: int,
  inventory_item_id: optionalId,
  inventory_quantity: int,
  updated_at: optionalTimestamp,
});

const productSchema = z.object({
  id,
  title: z.string(),
  handle: text,
  vendor: text,
  product_type: text,
  status: text,
  tags: text,
  created_at: optionalTimestamp,
  updated_at: timestamp,
  variants: z.array(variantSchema).default([]),
});

const addressSchema = z.object({ city: text, province: text, country_code: text }).nullish();

const customerSchema = z.object({
  id,
  email: text,
  first_name: text,
  last_name: text,
  phone: text,
  state: text,
  tags: text,
  accepts_marketing: z.boolean().nullish(),
  email_marketing_consent: z.object({ state: text }).nullish(),
  orders_count: int,
  total_spent: optionalMoney,
  currency: text,
  default_address: addressSchema,
  created_at: optionalTimestamp,
  updated_at: timestamp,
});

const moneySet = z.object({ shop_money: z.object({ amount: money }) }).nullish();

const lineItemSchema = z.object({
  id,
  product_id: optionalId,
  variant_id: optionalId,
  title: z.string(),
  variant_title: text,
  sku: text,
  vendor: text,
  quantity: z.number().int(),
  price: money,
  total_discount: optionalMoney,
  discount_allocations: z.array(z.object({ amount: money })).nullish(),
  gift_card: z.boolean().nullish(),
});

const discountAllocations = z
  .array(z.object({ amount: money }))
  .nullish()
  .transform((v) => v ?? []);

const shippingLineSchema = z.object({ price: money, discount_allocations: discountAllocations });

const refundSchema = z.object({
  id,
  created_at: timestamp,
  processed_at: optionalTimestamp,
  note: text,
  transactions: z
    .array(z.object({ kind: text, status: text, amount: money }))
    .nullish()
    .transform((v) => v ?? []),
  refund_line_items: z
    .array(z.object({ id, line_item_id: id, quantity: z.number().int(), subtotal: money, total_tax: optionalMoney }))
    .nullish()
    .transform((v) => v ?? []),
  order_adjustments: z
    .array(z.object({ kind: text, amount: money, tax_amount: optionalMoney }))
    .nullish()
    .transform((v) => v ?? []),
});

const orderSchema = z.object({
  id,
  name: z.string(),
  order_number: int,
  email: text,
  customer: z.object({ id }).nullish(),
  currency: z.string(),
  total_price: money,
  subtotal_price: optionalMoney,
  total_tax: optionalMoney,
  total_discounts: optionalMoney,
  total_shipping_price_set: moneySet,
  financial_status: text,
  fulfillment_status: text,
  cancelled_at: optionalTimestamp,
  cancel_reason: text,
  closed_at: optionalTimestamp,
  test: z.boolean().nullish(),
  source_name: text,
  tags: text,
  processed_at: optionalTimestamp,
  created_at: timestamp,
  updated_at: timestamp,
  line_items: z.array(lineItemSchema).default([]),
  shipping_lines: z
    .array(shippingLineSchema)
    .nullish()
    .transform((v) => v ?? []),
  refunds: z.array(refundSchema).nullish(),
});

/** The top-level fields each mapper reads: the sync asks Shopify for these only (`fields=`). */
export const fieldsRead = {
  products: Object.keys(productSchema.shape),
  customers: Object.keys(customerSchema.shape),
  orders: Object.keys(orderSchema.shape),
};

export interface ProductRow {
  id: string;
  title: string;
  handle: string | null;
  vendor: string | null;
  productType: string | null;
  status: string | null;
  tags: string | null;
  variantCount: number;
  createdAt: string | null;
  updatedAt: string;
  variants: VariantRow[];
}

export interface VariantRow {
  id: string;
  productId: string;
  title: string | null;
  sku: string | null;
  price: string;
  compareAtPrice: string | null;
  position: number | null;
  inventoryItemId: string | null;
  inventoryQuantity: number | null;
  updatedAt: string | null;
}

export interface CustomerRow {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  city: string | null;
  province: string | null;
  countryCode: string | null;
  state: string | null;
  tags: string | null;
  acceptsMarketing: boolean | null;
  ordersCount: number | null;
  totalSpent: string | null;
  currency: string | null;
  createdAt: string | null;
  updatedAt: string;
}

export interface OrderRow {
  id: string;
  name: string;
  orderNumber: number | null;
  customerId: string | null;
  email: string | null;
  currency: string;
  totalPrice: string;
  subtotalPrice: string;
  totalTax: string;
  totalDiscounts: string;
  totalShipping: string;
  totalRefunded: string;
  /** Sales-report amounts (README "Definitions"): gift-card lines excluded. */
  grossSales: string;
  discounts: string;
  netShipping: string;
  refundedReturns: string;
  refundedShipping: string;
  refundedTaxes: string;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  closedAt: string | null;
  test: boolean;
  sourceName: string | null;
  tags: string | null;
  processedAt: string;
  createdAt: string;
  updatedAt: string;
  lineItems: LineItemRow[];
  refunds: RefundRow[];
  refundLines: RefundLineRow[];
}

export interface LineItemRow {
  id: string;
  orderId: string;
  productId: string | null;
  variantId: string | null;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  vendor: string | null;
  quantity: number;
  price: string;
  totalDiscount: string;
  giftCard: boolean;
  refundedQuantity: number;
  refundedSubtotal: string;
}

export interface RefundRow {
  id: string;
  orderId: string;
  /** The order's customer and test flag, so the sales ledger reads refunds without their order. */
  customerId: string | null;
  test: boolean;
  amount: string;
  note: string | null;
  createdAt: string;
  processedAt: string | null;
  /** Goods returned (refund line subtotals, gift cards excluded, plus refund discrepancies). */
  returns: string;
  /** Shipping refunded and taxes refunded (lines and shipping), as positive amounts. */
  shipping: string;
  taxes: string;
}

export interface RefundLineRow {
  id: string;
  orderId: string;
  refundId: string;
  lineItemId: string;
  productId: string | null;
  variantId: string | null;
  giftCard: boolean;
  quantity: number;
  subtotal: string;
  totalTax: string;
}

export type MapResult<Row> = { ok: true; row: Row } | { ok: false; id: string | null; reason: string };

function failure(input: unknown, error: z.ZodError): { ok: false; id: string | null; reason: string } {
  const raw = (input as { id?: unknown } | null)?.id;
  const issue = error.issues[0];
  return {
    ok: false,
    id: typeof raw === "number" || typeof raw === "string" ? String(raw) : null,
    reason: issue ? `${issue.path.join(".") || "record"}: ${issue.message}` : "invalid record",
  };
}

export function mapProduct(input: unknown): MapResult<ProductRow> {
  const parsed = productSchema.safeParse(input);
  if (!parsed.success) return failure(input, parsed.error);
  const p = parsed.data;
  return {
    ok: true,
    row: {
      id: p.id,
      title: p.title,
      handle: p.handle,
      vendor: p.vendor,
      productType: p.product_type,
      status: p.status,
      tags: p.tags,
      variantCount: p.variants.length,
      createdAt: p.created_at,
      updatedAt: p.updated_at,
      variants: p.variants.map((v) => ({
        id: v.id,
        productId: p.id,
        title: v.title,
        sku: v.sku,
        price: v.price,
        compareAtPrice: v.compare_at_price,
        position: v.position,
        inventoryItemId: v.inventory_item_id,
        inventoryQuantity: v.inventory_quantity,
        updatedAt: v.updated_at,
      })),
    },
  };
}

export function mapCustomer(input: unknown): MapResult<CustomerRow> {
  const parsed = customerSchema.safeParse(input);
  if (!parsed.success) return failure(input, parsed.error);
  const c = parsed.data;
  const consent = c.email_marketing_consent?.state;
  return {
    ok: true,
    row: {
      id: c.id,
      email: c.email,
      firstName: c.first_name,
      lastName: c.last_name,
      phone: c.phone,
      city: c.default_address?.city ?? null,
      province: c.default_address?.province ?? null,
      countryCode: c.default_address?.country_code ?? null,
      state: c.state,
      tags: c.tags,
      acceptsMarketing: consent ? consent === "subscribed" : (c.accepts_marketing ?? null),
      ordersCount: c.orders_count,
      totalSpent: c.total_spent,
      currency: c.currency,
      createdAt: c.created_at,
      updatedAt: c.updated_at,
    },
  };
}

// Money as integer ten-thousandths (the database's NUMERIC(19,4)), so sums are exact: JavaScript
// numbers while every amount and partial sum is a safe integer (any amount below 10^11, so every
// real order), BigInt beyond. Digits past the fourth decimal are dropped, per amount.

/** An amount's units as a number, or null when it could leave the safe integers. */
function smallUnits(amount: string): number | null {
  const negative = amount.charCodeAt(0) === 45; // "-"
  const dot = amount.indexOf(".");
  const whole = amount.slice(negative ? 1 : 0, dot < 0 ? amount.length : dot);
  if (whole.length > 11) return null;
  const fraction = dot < 0 ? "" : amount.slice(dot + 1, dot + 5);
  const units = Number(whole || "0") * 10000 + (fraction ? Number(fraction.padEnd(4, "0")) : 0);
  return negative ? -units : units;
}

function bigUnits(amount: string): bigint {
  const negative = amount.startsWith("-");
  const [whole, fraction = ""] = (negative ? amount.slice(1) : amount).split(".");
  const units = BigInt(whole || "0") * 10000n + BigInt((fraction + "0000").slice(0, 4));
  return negative ? -units : units;
}

/** A running exact sum of decimal strings. */
class MoneySum {
  private small = 0;
  private big: bigint | null = null;

  /** Adds amount × times (times a whole number, 1 unless given). */
  add(amount: string, times = 1): this {
    if (this.big === null) {
      const units = smallUnits(amount);
      if (units !== null) {
        const next = this.small + units * times;
        if (Number.isSafeInteger(next) && Number.isSafeInteger(units * times)) {
          this.small = next;
          return this;
        }
      }
      this.big = BigInt(this.small);
    }
    this.big += bigUnits(amount) * BigInt(times);
    return this;
  }

  /** Subtracts amount. */
  sub(amount: string): this {
    return this.add(amount, -1);
  }

  toString(): string {
    if (this.big !== null) {
      const negative = this.big < 0n;
      const abs = negative ? -this.big : this.big;
      const text = `${abs / 10000n}.${(abs % 10000n).toString().padStart(4, "0")}`;
      return negative ? `-${text}` : text;
    }
    const abs = Math.abs(this.small);
    const text = `${Math.floor(abs / 10000)}.${String(abs % 10000).padStart(4, "0")}`;
    return this.small < 0 ? `-${text}` : text;
  }
}

export function sumMoney(amounts: string[]): string {
  const sum = new MoneySum();
  for (const amount of amounts) sum.add(amount);
  return sum.toString();
}

export function mapOrder(input: unknown): MapResult<OrderRow> {
  const parsed = orderSchema.safeParse(input);
  if (!parsed.success) return failure(input, parsed.error);
  const o = parsed.data;
  const lines = new Map(o.line_items.map((li) => [li.id, li]));
  const refundLines: RefundLineRow[] = [];
  // What each line had refunded, for its refunded quantity and subtotal.
  const refundedByLine = new Map<string, { quantity: number; subtotal: MoneySum }>();
  const refunds = (o.refunds ?? []).map((r): RefundRow => {
    const returns = new MoneySum();
    const shipping = new MoneySum();
    const taxes = new MoneySum();
    for (const rl of r.refund_line_items) {
      const line = lines.get(rl.line_item_id);
      const giftCard = line?.gift_card ?? false;
      refundLines.push({
        id: rl.id,
        orderId: o.id,
        refundId: r.id,
        lineItemId: rl.line_item_id,
        productId: line?.product_id ?? null,
        variantId: line?.variant_id ?? null,
        giftCard,
        quantity: rl.quantity,
        subtotal: rl.subtotal,
        totalTax: rl.total_tax ?? "0",
      });
      const refunded = refundedByLine.get(rl.line_item_id);
      if (refunded) {
        refunded.quantity += rl.quantity;
        refunded.subtotal.add(rl.subtotal);
      } else {
        refundedByLine.set(rl.line_item_id, { quantity: rl.quantity, subtotal: new MoneySum().add(rl.subtotal) });
      }
      if (giftCard) continue;
      returns.add(rl.subtotal);
      taxes.add(rl.total_tax ?? "0");
    }
    // Shopify books adjustments as negative amounts: a shipping refund of 5.00 is "-5.00".
    for (const adjustment of r.order_adjustments) {
      if (adjustment.kind === "shipping_refund") {
        shipping.sub(adjustment.amount);
        taxes.sub(adjustment.tax_amount ?? "0");
      } else if (adjustment.kind === "refund_discrepancy") {
        returns.sub(adjustment.amount);
      }
    }
    const amount = new MoneySum();
    for (const t of r.transactions) if (t.kind === "refund" && t.status === "success") amount.add(t.amount);
    return {
      id: r.id,
      orderId: o.id,
      customerId: o.customer?.id ?? null,
      test: o.test ?? false,
      amount: amount.toString(),
      note: r.note,
      createdAt: r.created_at,
      processedAt: r.processed_at,
      returns: returns.toString(),
      shipping: shipping.toString(),
      taxes: taxes.toString(),
    };
  });
  const grossSales = new MoneySum();
  const discounts = new MoneySum();
  const lineItems = o.line_items.map((li): LineItemRow => {
    const refunded = refundedByLine.get(li.id);
    let totalDiscount = li.total_discount ?? "0";
    if (li.discount_allocations) {
      const allocated = new MoneySum();
      for (const d of li.discount_allocations) allocated.add(d.amount);
      totalDiscount = allocated.toString();
    }
    const giftCard = li.gift_card ?? false;
    if (!giftCard) {
      grossSales.add(li.price, li.quantity);
      discounts.add(totalDiscount);
    }
    return {
      id: li.id,
      orderId: o.id,
      productId: li.product_id,
      variantId: li.variant_id,
      title: li.title,
      variantTitle: li.variant_title,
      sku: li.sku,
      vendor: li.vendor,
      quantity: li.quantity,
      price: li.price,
      totalDiscount,
      giftCard,
      refundedQuantity: refunded?.quantity ?? 0,
      refundedSubtotal: refunded ? refunded.subtotal.toString() : "0.0000",
    };
  });
  const netShipping = new MoneySum();
  for (const line of o.shipping_lines) {
    netShipping.add(line.price);
    for (const d of line.discount_allocations) netShipping.sub(d.amount);
  }
  const refundTotals = {
    amount: new MoneySum(),
    returns: new MoneySum(),
    shipping: new MoneySum(),
    taxes: new MoneySum(),
  };
  for (const r of refunds) {
    refundTotals.amount.add(r.amount);
    refundTotals.returns.add(r.returns);
    refundTotals.shipping.add(r.shipping);
    refundTotals.taxes.add(r.taxes);
  }
  return {
    ok: true,
    row: {
      id: o.id,
      name: o.name,
      orderNumber: o.order_number,
      customerId: o.customer?.id ?? null,
      email: o.email,
      currency: o.currency,
      totalPrice: o.total_price,
      subtotalPrice: o.subtotal_price ?? "0",
      totalTax: o.total_tax ?? "0",
      totalDiscounts: o.total_discounts ?? "0",
      totalShipping: o.total_shipping_price_set?.shop_money.amount ?? "0",
      totalRefunded: refundTotals.amount.toString(),
      grossSales: grossSales.toString(),
      discounts: discounts.toString(),
      netShipping: netShipping.toString(),
      refundedReturns: refundTotals.returns.toString(),
      refundedShipping: refundTotals.shipping.toString(),
      refundedTaxes: refundTotals.taxes.toString(),
      financialStatus: o.financial_status,
      fulfillmentStatus: o.fulfillment_status,
      cancelledAt: o.cancelled_at,
      cancelReason: o.cancel_reason,
      closedAt: o.closed_at,
      test: o.test ?? false,
      sourceName: o.source_name,
      tags: o.tags,
      processedAt: o.processed_at ?? o.created_at,
      createdAt: o.created_at,
      updatedAt: o.updated_at,
      lineItems,
      refunds,
      refundLines,
    },
  };
}
