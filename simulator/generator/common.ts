// What an order is made of, the shape the order core, the pricing and the record builders share:
// its lines, shipping, refund and statuses. Kept apart from ./orders.ts so that ../pricing.ts, which
// ./orders.ts uses, can name these types without importing back through ../generator.ts.
import type { GenVariant } from "./products.ts";

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
