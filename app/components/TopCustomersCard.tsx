import { Box, DataTable, SkeletonBodyText, Text } from "@shopify/polaris";
import type { CustomerRank, ShopInfo } from "../insights/types.ts";
import { TableCard } from "./HeadedCard.tsx";
import { formatCount, formatMoney } from "./format.ts";

export interface TopCustomersCardProps {
  shop: ShopInfo;
  /** Null when Shopify has not granted protected customer data: the list is hidden, with why. */
  customers: CustomerRank[] | null;
  loading?: boolean;
}

/** How a customer is named: their name, else their email; "Redacted customer" after a redaction request. */
export function customerLabel(customer: CustomerRank): string {
  if (customer.redacted) return "Redacted customer";
  return customer.name ?? customer.email ?? `Customer ${customer.customerId}`;
}

/** The period's customers with the highest net sales. */
export function TopCustomersCard({ shop, customers, loading }: TopCustomersCardProps) {
  let body;
  if (customers === null) {
    body = (
      <Box padding="400">
        <Text as="p" tone="subdued">
          Top customers can't be shown: Shopify has not approved this app's access to protected customer data.
        </Text>
      </Box>
    );
  } else if (loading) {
    body = (
      <Box padding="400">
        <SkeletonBodyText lines={6} />
      </Box>
    );
  } else if (customers.length === 0) {
    body = (
      <Box padding="400">
        <Text as="p" tone="subdued">
          No customers placed an order in this period.
        </Text>
      </Box>
    );
  } else {
    body = (
      <DataTable
        columnContentTypes={["text", "numeric", "numeric"]}
        headings={["Customer", "Orders", "Net sales"]}
        rows={customers.map((c) => [
          c.redacted ? (
            <Text as="span" tone="subdued">
              {customerLabel(c)}
            </Text>
          ) : (
            customerLabel(c)
          ),
          formatCount(c.orders, shop.locale),
          formatMoney(c.netSales, shop),
        ])}
        increasedTableDensity
        truncate
      />
    );
  }
  return <TableCard title="Top customers">{body}</TableCard>;
}
