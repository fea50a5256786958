import { Badge, BlockStack, Card, DataTable, InlineStack, Link, Text } from "@shopify/polaris";
import type { OrderDetail, SyncStatusReport } from "../insights/types.ts";
import { DetailPage, SideCard } from "./DetailPage.tsx";
import { HeadedCard } from "./HeadedCard.tsx";
import { formatInstant, formatMoney } from "./format.ts";
import { financialLabel, fulfillmentLabel } from "./order-labels.ts";

/** One order: its lines, refunds and totals, as stored from Shopify. */
export function OrderDetailPage({ order, sync }: { order: OrderDetail; sync?: SyncStatusReport }) {
  const { shop } = order;
  const money = (amount: string) => formatMoney(amount, { locale: shop.locale, currency: order.currency });
  const payment = financialLabel(order.financialStatus);
  const fulfilled = fulfillmentLabel(order.fulfillmentStatus);
  return (
    <DetailPage
      title={order.name}
      back={{ label: "Orders", url: "/app/orders" }}
      shop={shop}
      sync={sync}
      side={
        <SideCard title="Customer" tags={order.tags}>
          {order.customerRedacted ? (
            <Text as="p" tone="subdued">
              Redacted at the customer's request
            </Text>
          ) : order.customerId ? (
            <BlockStack gap="100">
              <Text as="p">{order.customerName ?? "Customer not imported"}</Text>
              {order.customerEmail ? (
                <Link url={`mailto:${order.customerEmail}`} removeUnderline>
                  {order.customerEmail}
                </Link>
              ) : null}
            </BlockStack>
          ) : (
            <Text as="p" tone="subdued">
              No customer
            </Text>
          )}
        </SideCard>
      }
    >
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="200">
            <InlineStack gap="200" wrap>
              {payment ? <Badge tone={payment.tone}>{payment.label}</Badge> : null}
              <Badge tone={fulfilled.tone}>{fulfilled.label}</Badge>
              {order.cancelledAt ? <Badge>Cancelled</Badge> : null}
              {order.test ? <Badge tone="info">Test order</Badge> : null}
            </InlineStack>
            <Text as="p" tone="subdued">
              Placed {formatInstant(order.processedAt, shop.locale, shop.timezone)}
              {order.cancelledAt
                ? ` · cancelled ${formatInstant(order.cancelledAt, shop.locale, shop.timezone)}${order.cancelReason ? ` (${order.cancelReason})` : ""}`
                : ""}
            </Text>
          </BlockStack>
        </Card>
        <Card padding="0">
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
            headings={["Item", "Price", "Quantity", "Discount", "Total"]}
            rows={order.lines.map((line) => [
              <BlockStack gap="050" key={line.id}>
                <Text as="span" fontWeight="semibold">
                  {line.title}
                </Text>
                <Text as="span" tone="subdued">
                  {[line.variantTitle, line.sku ? `SKU ${line.sku}` : null, line.giftCard ? "Gift card" : null]
                    .filter(Boolean)
                    .join(" · ")}
                </Text>
              </BlockStack>,
              money(line.price),
              line.refundedQuantity > 0
                ? `${line.quantity} (${line.refundedQuantity} refunded)`
                : String(line.quantity),
              money(line.discount),
              money(line.total),
            ])}
          />
        </Card>
        <HeadedCard title="Totals">
          <DataTable
            columnContentTypes={["text", "numeric"]}
            headings={["", ""]}
            rows={[
              ["Subtotal", money(order.subtotal)],
              ["Discounts", money(order.discounts)],
              ["Shipping", money(order.shipping)],
              ["Taxes", money(order.taxes)],
              ["Total", money(order.total)],
              ["Refunded", money(order.refunded)],
              ["Net payment", money(order.netPayment)],
            ]}
          />
        </HeadedCard>
        {order.refunds.length > 0 ? (
          <Card padding="0">
            <DataTable
              columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "text"]}
              headings={["Refund", "Amount", "Returns", "Shipping", "Taxes", "Note"]}
              rows={order.refunds.map((refund) => [
                formatInstant(refund.createdAt, shop.locale, shop.timezone),
                money(refund.amount),
                money(refund.returns),
                money(refund.shipping),
                money(refund.taxes),
                refund.note ?? "",
              ])}
            />
          </Card>
        ) : null}
      </BlockStack>
    </DetailPage>
  );
}
