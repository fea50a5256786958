// Orders, declared once: the REST payload's schema, the rows (order, line items, refunds, refund line
// items) with Shopify's sales-report amounts, the mapper, the tables, the endpoint, events and
// webhook topics. Past 400 lines on purpose: the order is Shopify's largest record, and a resource
// is one module.
import { z } from "zod";
import { MoneySum } from "./money.ts";
import { columnsOf, type TableSpecOf } from "./tables.ts";
import { id, int, mapper, money, optionalId, optionalMoney, optionalTimestamp, text, timestamp } from "./payload.ts";
import { defineResource } from "./resource.ts";

// Orders with their line items, refunds and refund line items, and the sales-report amounts of each
// (README "Definitions"), computed exactly when the order is mapped.

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

type OrderPayload = z.output<typeof orderSchema>;
type LinePayload = OrderPayload["line_items"][number];
type RefundPayload = NonNullable<OrderPayload["refunds"]>[number];

/** What each line had refunded, for its refunded quantity and subtotal. */
type RefundedByLine = Map<string, { quantity: number; subtotal: MoneySum }>;

/**
 * One refund with its sales-report amounts; its refund lines are added to `refundLines` and to
 * what their order line had refunded.
 */
function mapRefund(
  o: OrderPayload,
  r: RefundPayload,
  lines: Map<string, LinePayload>,
  refundLines: RefundLineRow[],
  refundedByLine: RefundedByLine,
): RefundRow {
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
}

/** The order's refunds, their lines, and what each order line had refunded. */
function mapRefunds(o: OrderPayload) {
  const lines = new Map(o.line_items.map((li) => [li.id, li]));
  const refundLines: RefundLineRow[] = [];
  const refundedByLine: RefundedByLine = new Map();
  const refunds = (o.refunds ?? []).map((r) => mapRefund(o, r, lines, refundLines, refundedByLine));
  return { refunds, refundLines, refundedByLine };
}

/** The order's lines with what each had refunded, and their gross sales and discounts (gift cards excluded). */
function mapLineItems(o: OrderPayload, refundedByLine: RefundedByLine) {
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
  return { lineItems, grossSales, discounts };
}

/** Shipping charged less its discounts. */
function netShippingOf(o: OrderPayload): MoneySum {
  const netShipping = new MoneySum();
  for (const line of o.shipping_lines) {
    netShipping.add(line.price);
    for (const d of line.discount_allocations) netShipping.sub(d.amount);
  }
  return netShipping;
}

/** The refunds' amounts added up. */
function refundTotalsOf(refunds: RefundRow[]) {
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
  return refundTotals;
}

export const mapOrder = mapper(orderSchema, (o): OrderRow => {
  const { refunds, refundLines, refundedByLine } = mapRefunds(o);
  const { lineItems, grossSales, discounts } = mapLineItems(o, refundedByLine);
  const netShipping = netShippingOf(o);
  const refundTotals = refundTotalsOf(refunds);
  return {
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
  };
});

// The contact address is the order's personal data: erased with its customer by customers/redact.
const personalData = ["email"] as const;

const orderColumns: TableSpecOf<OrderRow>["columns"] = [
  ["id", "id", "bigint"],
  ["name", "name", "text"],
  ["order_number", "orderNumber", "int"],
  ["customer_id", "customerId", "bigint"],
  ["email", "email", "text"],
  ["currency", "currency", "text"],
  ["total_price", "totalPrice", "numeric"],
  ["subtotal_price", "subtotalPrice", "numeric"],
  ["total_tax", "totalTax", "numeric"],
  ["total_discounts", "totalDiscounts", "numeric"],
  ["total_shipping", "totalShipping", "numeric"],
  ["total_refunded", "totalRefunded", "numeric"],
  ["gross_sales", "grossSales", "numeric"],
  ["discounts", "discounts", "numeric"],
  ["net_shipping", "netShipping", "numeric"],
  ["refunded_returns", "refundedReturns", "numeric"],
  ["refunded_shipping", "refundedShipping", "numeric"],
  ["refunded_taxes", "refundedTaxes", "numeric"],
  ["financial_status", "financialStatus", "text"],
  ["fulfillment_status", "fulfillmentStatus", "text"],
  ["cancelled_at", "cancelledAt", "timestamptz"],
  ["cancel_reason", "cancelReason", "text"],
  ["closed_at", "closedAt", "timestamptz"],
  ["test", "test", "boolean"],
  ["source_name", "sourceName", "text"],
  ["tags", "tags", "text"],
  ["processed_at", "processedAt", "timestamptz"],
  ["shopify_created_at", "createdAt", "timestamptz"],
  ["shopify_updated_at", "updatedAt", "timestamptz"],
];

export const orderTable: TableSpecOf<OrderRow> = {
  table: '"order"',
  columns: orderColumns,
  // The contact address of a redacted customer's orders stays erased.
  onUpdate: Object.fromEntries(
    columnsOf(orderColumns, personalData).map((column) => [
      column,
      `CASE WHEN EXISTS (SELECT 1 FROM customer c WHERE c.shop_id = $1 AND c.id = EXCLUDED.customer_id
                              AND c.redacted_at IS NOT NULL) THEN NULL ELSE EXCLUDED.${column} END`,
    ]),
  ),
};

export const lineItemTable: TableSpecOf<LineItemRow> = {
  table: "order_line_item",
  columns: [
    ["id", "id", "bigint"],
    ["order_id", "orderId", "bigint"],
    ["product_id", "productId", "bigint"],
    ["variant_id", "variantId", "bigint"],
    ["title", "title", "text"],
    ["variant_title", "variantTitle", "text"],
    ["sku", "sku", "text"],
    ["vendor", "vendor", "text"],
    ["quantity", "quantity", "int"],
    ["price", "price", "numeric"],
    ["total_discount", "totalDiscount", "numeric"],
    ["gift_card", "giftCard", "boolean"],
    ["refunded_quantity", "refundedQuantity", "int"],
    ["refunded_subtotal", "refundedSubtotal", "numeric"],
  ],
};

export const refundTable: TableSpecOf<RefundRow> = {
  table: "refund",
  columns: [
    ["id", "id", "bigint"],
    ["order_id", "orderId", "bigint"],
    ["customer_id", "customerId", "bigint"],
    ["test", "test", "boolean"],
    ["amount", "amount", "numeric"],
    ["note", "note", "text"],
    ["created_at", "createdAt", "timestamptz"],
    ["processed_at", "processedAt", "timestamptz"],
    ["returns", "returns", "numeric"],
    ["shipping", "shipping", "numeric"],
    ["taxes", "taxes", "numeric"],
  ],
};

export const refundLineTable: TableSpecOf<RefundLineRow> = {
  table: "refund_line_item",
  columns: [
    ["id", "id", "bigint"],
    ["order_id", "orderId", "bigint"],
    ["refund_id", "refundId", "bigint"],
    ["line_item_id", "lineItemId", "bigint"],
    ["product_id", "productId", "bigint"],
    ["variant_id", "variantId", "bigint"],
    ["gift_card", "giftCard", "boolean"],
    ["quantity", "quantity", "int"],
    ["subtotal", "subtotal", "numeric"],
    ["total_tax", "totalTax", "numeric"],
  ],
};

export const orders = defineResource({
  name: "orders",
  path: "orders.json",
  bodyKey: "orders",
  payload: orderSchema,
  query: { status: "any" },
  map: mapOrder,
  eventSubject: "Order",
  webhookTopics: {
    upsert: ["orders/create", "orders/updated", "orders/cancelled"],
    delete: ["orders/delete"],
  },
  table: orderTable,
  children: [
    { spec: lineItemTable, key: "lineItems", parentColumn: "order_id" },
    { spec: refundTable, key: "refunds", parentColumn: "order_id" },
    { spec: refundLineTable, key: "refundLines", parentColumn: "order_id" },
  ],
  personalData,
});
