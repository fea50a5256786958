// Shopify's published definitions of the figures the app shows, in Shopify's words (README
// "Definitions"). Shown as help text beside each figure and in the Definitions card.

export type FigureKey =
  | "grossSales"
  | "discounts"
  | "returns"
  | "netSales"
  | "shipping"
  | "taxes"
  | "totalSales"
  | "orders"
  | "averageOrderValue"
  | "returningCustomerRate"
  | "newCustomers";

export const FIGURES: Record<FigureKey, { label: string; definition: string }> = {
  grossSales: {
    label: "Gross sales",
    definition:
      "Product price × quantity of every line item, before discounts, returns, shipping and taxes, booked on the day the order was processed.",
  },
  discounts: {
    label: "Discounts",
    definition: "Discounts allocated to line items (order and line-item discounts), shown as a negative amount.",
  },
  returns: {
    label: "Returns",
    definition:
      "Value of goods returned, booked on the day of the return rather than the day of the order. Cancelling an order returns whatever was not already returned.",
  },
  netSales: { label: "Net sales", definition: "Gross sales − discounts − returns." },
  shipping: { label: "Shipping", definition: "Shipping charges, net of shipping discounts and shipping refunds." },
  taxes: { label: "Taxes", definition: "Taxes charged, net of refunded taxes." },
  totalSales: { label: "Total sales", definition: "Net sales + shipping + taxes." },
  orders: { label: "Orders", definition: "Orders placed in the period, including orders later cancelled." },
  averageOrderValue: {
    label: "Average order value",
    definition: "(Gross sales − discounts) of the orders placed in the period ÷ the number of those orders.",
  },
  returningCustomerRate: {
    label: "Returning customer rate",
    definition:
      "Of the customers who placed an order in the period, the share who have placed more than one order ever.",
  },
  newCustomers: {
    label: "New customers",
    definition: "Customers whose first order ever was placed in the period.",
  },
};

export const FIGURES_FOOTNOTE =
  "Test orders and deleted orders never count. Gift card sales are not sales: they count when the card is spent. Days are in the store's timezone.";

export const INVENTORY_DEFINITIONS = {
  onHand: "Units on hand across all locations.",
  value: "Units on hand × unit cost where Shopify has a cost for the variant, otherwise × its price (retail).",
  unitsSold: "Units ordered minus units returned over the last 30 days, today included.",
  daysOfCover: "How long the stock on hand lasts at the last 30 days' rate of sale; none when nothing sold.",
};
