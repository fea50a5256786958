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

/** Adds decimal strings exactly (on integer units of 1/10000). */
// Money as integer ten-thousandths (the database's NUMERIC(19,4)), so sums are exact.
function toUnits(amount: string): bigint {
  const negative = amount.startsWith("-");
  const [whole, fraction = ""] = (negative ? amount.slice(1) : amount).split(".");
  const units = BigInt(whole || "0") * 10000n + BigInt((fraction + "0000").slice(0, 4));
  return negative ? -units : units;
}

function fromUnits(total: bigint): string {
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const text = `${abs / 10000n}.${(abs % 10000n).toString().padStart(4, "0")}`;
  return negative ? `-${text}` : text;
}

export function sumMoney(amounts: string[]): string {
  return fromUnits(amounts.reduce((total, amount) => total + toUnits(amount), 0n));
}

/** amount × quantity, exactly. */
export function multiplyMoney(amount: string, quantity: number): string {
  return fromUnits(toUnits(amount) * BigInt(quantity));
}

function negate(amount: string): string {
  return amount.startsWith("-") ? amount.slice(1) : `-${amount}`;
}

export function mapOrder(input: unknown): MapResult<OrderRow> {
  const parsed = orderSchema.safeParse(input);
  if (!parsed.success) return failure(input, parsed.error);
  const o = parsed.data;
  const lines = new Map(o.line_items.map((li) => [li.id, li]));
  const refundLines: RefundLineRow[] = [];
  const refunds = (o.refunds ?? []).map((r): RefundRow => {
    const goods: string[] = [];
    const shipping: string[] = [];
    const taxes: string[] = [];
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
      if (giftCard) continue;
      goods.push(rl.subtotal);
      taxes.push(rl.total_tax ?? "0");
    }
    // Shopify books adjustments as negative amounts: a shipping refund of 5.00 is "-5.00".
    for (const adjustment of r.order_adjustments) {
      if (adjustment.kind === "shipping_refund") {
        shipping.push(negate(adjustment.amount));
        taxes.push(negate(adjustment.tax_amount ?? "0"));
      } else if (adjustment.kind === "refund_discrepancy") {
        goods.push(negate(adjustment.amount));
      }
    }
    return {
      id: r.id,
      orderId: o.id,
      customerId: o.customer?.id ?? null,
      test: o.test ?? false,
      amount: sumMoney(
        r.transactions.filter((t) => t.kind === "refund" && t.status === "success").map((t) => t.amount),
      ),
      note: r.note,
      createdAt: r.created_at,
      processedAt: r.processed_at,
      returns: sumMoney(goods),
      shipping: sumMoney(shipping),
      taxes: sumMoney(taxes),
    };
  });
  const lineItems = o.line_items.map((li): LineItemRow => {
    const refunded = refundLines.filter((rl) => rl.lineItemId === li.id);
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
      totalDiscount: li.discount_allocations
        ? sumMoney(li.discount_allocations.map((d) => d.amount))
        : (li.total_discount ?? "0"),
      giftCard: li.gift_card ?? false,
      refundedQuantity: refunded.reduce((total, rl) => total + rl.quantity, 0),
      refundedSubtotal: sumMoney(refunded.map((rl) => rl.subtotal)),
    };
  });
  const sold = lineItems.filter((li) => !li.giftCard);
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
      totalRefunded: sumMoney(refunds.map((r) => r.amount)),
      grossSales: sumMoney(sold.map((li) => multiplyMoney(li.price, li.quantity))),
      discounts: sumMoney(sold.map((li) => li.totalDiscount)),
      netShipping: sumMoney(
        o.shipping_lines.flatMap((line) => [line.price, ...line.discount_allocations.map((d) => negate(d.amount))]),
      ),
      refundedReturns: sumMoney(refunds.map((r) => r.returns)),
      refundedShipping: sumMoney(refunds.map((r) => r.shipping)),
      refundedTaxes: sumMoney(refunds.map((r) => r.taxes)),
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
