import type { BadgeProps } from "@shopify/polaris";

// Shopify admin's words for an order's payment and fulfillment status.

export const FINANCIAL_LABELS: Record<string, { label: string; tone: BadgeProps["tone"] }> = {
  pending: { label: "Payment pending", tone: "warning" },
  authorized: { label: "Authorized", tone: "warning" },
  partially_paid: { label: "Partially paid", tone: "warning" },
  paid: { label: "Paid", tone: undefined },
  partially_refunded: { label: "Partially refunded", tone: undefined },
  refunded: { label: "Refunded", tone: undefined },
  voided: { label: "Voided", tone: undefined },
};

export const FULFILLMENT_LABELS: Record<string, { label: string; tone: BadgeProps["tone"] }> = {
  fulfilled: { label: "Fulfilled", tone: undefined },
  partial: { label: "Partially fulfilled", tone: "warning" },
  unfulfilled: { label: "Unfulfilled", tone: "attention" },
  restocked: { label: "Restocked", tone: undefined },
};

export const financialLabel = (status: string | null) =>
  status ? (FINANCIAL_LABELS[status] ?? { label: status, tone: undefined }) : null;
export const fulfillmentLabel = (status: string | null) =>
  FULFILLMENT_LABELS[status ?? "unfulfilled"] ?? { label: status ?? "", tone: undefined };
