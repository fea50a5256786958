// The money of an order, one computation for generated orders and for orders created through the
// control surface, so both price a cart the same way.
import type { CoreLine, CoreShipping, OrderCore } from "./generator/common.ts";

export interface DiscountCode {
  code: string;
  type: "percentage" | "fixed_amount";
  /** Percent for "percentage", cents for "fixed_amount". */
  value: number;
}

/** An order's money, as OrderCore holds it. */
export type OrderMoney = Pick<
  OrderCore,
  "discount" | "lineItemsCents" | "discountCents" | "subtotalCents" | "taxCents" | "shippingCents" | "totalCents"
>;

/** Allocates `amount` over `weights` proportionally; remainder on the largest share. Exact integers. */
export function allocate(amount: number, weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) return weights.map(() => 0);
  const out = weights.map((w) => Math.floor((amount * w) / total));
  let rest = amount - out.reduce((a, b) => a + b, 0);
  let k = 0;
  while (rest > 0) {
    out[k % out.length]++;
    rest--;
    k++;
  }
  return out;
}

/** Tax on `cents` at `bp` basis points, rounded half up. */
export function taxOf(cents: number, bp: number): number {
  return Math.floor((cents * bp + 5000) / 10000);
}

/**
 * Prices an order: the discount code spread over the lines it applies to (every line but gift
 * cards, which are neither discounted nor taxed), each such line taxed on its discounted price,
 * and, with `taxShipping`, each shipping line taxed on its discounted price. Writes the lines'
 * `discountCents` and `taxCents` (and the shipping lines' `taxCents` when `taxShipping`) and
 * returns the order's totals.
 */
export function priceOrder(
  lines: CoreLine[],
  code: DiscountCode | null,
  shipping: CoreShipping[],
  taxBp: number,
  taxShipping = false,
): OrderMoney {
  const lineItemsCents = lines.reduce((a, l) => a + l.priceCents * l.quantity, 0);
  const discountable = lines.filter((l) => !l.giftCard);
  const discountableCents = discountable.reduce((a, l) => a + l.priceCents * l.quantity, 0);
  let discount: OrderCore["discount"] = null;
  if (code) {
    const amountCents =
      code.type === "percentage"
        ? Math.floor((discountableCents * code.value) / 100)
        : Math.min(code.value, discountableCents);
    discount = { ...code, amountCents };
    const shares = allocate(
      amountCents,
      discountable.map((l) => l.priceCents * l.quantity),
    );
    discountable.forEach((l, k) => (l.discountCents = shares[k]));
  }
  for (const l of discountable) l.taxCents = taxOf(l.priceCents * l.quantity - l.discountCents, taxBp);
  if (taxShipping) for (const line of shipping) line.taxCents = taxOf(line.cents - (line.discountCents ?? 0), taxBp);
  const discountCents = discount ? discount.amountCents : 0;
  const subtotalCents = lineItemsCents - discountCents;
  const taxCents =
    lines.reduce((a, l) => a + l.taxCents, 0) + shipping.reduce((a, line) => a + (line.taxCents ?? 0), 0);
  const shippingCents = shipping.reduce((a, line) => a + line.cents, 0);
  const shippingNetCents = shipping.reduce((a, line) => a + line.cents - (line.discountCents ?? 0), 0);
  const totalCents = subtotalCents + shippingNetCents + taxCents;
  return { discount, lineItemsCents, discountCents, subtotalCents, taxCents, shippingCents, totalCents };
}
