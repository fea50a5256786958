import { useState } from "react";
import {
  Badge,
  Banner,
  BlockStack,
  Card,
  DataTable,
  EmptyState,
  IndexTable,
  InlineStack,
  Link,
  Select,
  Text,
} from "@shopify/polaris";
import type { CustomerDetail, CustomerListReport, SyncStatusReport } from "../insights/types.ts";
import { DetailPage, FiguresCard, SideCard } from "./DetailPage.tsx";
import { formatCount, formatDateRange, formatInstant, formatMoney } from "./format.ts";
import { FilterField, ListFilterCard } from "./ListFilterCard.tsx";
import { ListPage, type ListPageProps } from "./ListPage.tsx";
import { financialLabel } from "./order-labels.ts";

const SORT_OPTIONS = [
  { label: "Newest first", value: "newest" },
  { label: "Net sales, highest first (customers with orders)", value: "net_sales" },
];

const day = (value: string, locale: string) => formatDateRange({ from: value, to: value }, locale);

/** The shop's customers with the app's own figures (the route supplies the report). */
export function CustomersPage({ report, sync, loading = false }: ListPageProps<CustomerListReport>) {
  const { shop, query, rows } = report;
  const [sort, setSort] = useState<string>(query.sort);
  const money = (amount: string) => formatMoney(amount, shop);

  return (
    <ListPage
      title="Customers"
      shop={shop}
      sync={sync}
      banner={
        !report.customerDataAvailable ? (
          <Banner tone="warning" title="Customers are missing">
            <Text as="p">
              Shopify has not approved this app's access to protected customer data, so customers could not be imported.
              Orders are complete and keep their customer ids.
            </Text>
          </Banner>
        ) : null
      }
      filters={
        <ListFilterCard
          search={query.q}
          placeholder="Name or email"
          clearUrl="/app/customers"
          filtered={Boolean(query.q)}
          loading={loading}
        >
          <FilterField basis="14rem">
            <Select label="Sort" name="sort" options={SORT_OPTIONS} value={sort} onChange={setSort} />
          </FilterField>
        </ListFilterCard>
      }
      empty={
        rows.length === 0
          ? {
              heading: query.q ? "No customers match" : "No customers yet",
              body: query.q
                ? "Try another name or email."
                : "Customers appear here once they have been imported from Shopify.",
            }
          : null
      }
      table={{
        resourceName: { singular: "customer", plural: "customers" },
        itemCount: rows.length,
        headings: [
          { title: "Customer" },
          { title: "Location" },
          { title: "Orders", alignment: "end" },
          { title: "Net sales", alignment: "end" },
          { title: "Last order" },
        ],
      }}
      cursors={report}
      loading={loading}
    >
      {rows.map((row, index) => (
        <IndexTable.Row id={row.id} key={row.id} position={index}>
          <IndexTable.Cell>
            <Link url={`/app/customers/${row.id}`} removeUnderline monochrome>
              <BlockStack gap="050">
                <Text as="span" fontWeight="semibold">
                  {row.redacted ? "Redacted customer" : (row.name ?? row.email ?? "No name")}
                </Text>
                {!row.redacted && row.name && row.email ? (
                  <Text as="span" tone="subdued">
                    {row.email}
                  </Text>
                ) : null}
              </BlockStack>
            </Link>
          </IndexTable.Cell>
          <IndexTable.Cell>{row.location ?? ""}</IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric>
              {formatCount(row.orders, shop.locale)}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric>
              {money(row.netSales)}
            </Text>
          </IndexTable.Cell>
          <IndexTable.Cell>{row.lastOrderDay ? day(row.lastOrderDay, shop.locale) : "—"}</IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </ListPage>
  );
}

/** One customer: the app's figures and their latest orders. */
export function CustomerDetailPage({ customer, sync }: { customer: CustomerDetail; sync?: SyncStatusReport }) {
  const { shop } = customer;
  const money = (amount: string) => formatMoney(amount, shop);
  const title = customer.redacted ? "Redacted customer" : (customer.name ?? customer.email ?? "Customer");
  return (
    <DetailPage
      title={title}
      back={{ label: "Customers", url: "/app/customers" }}
      shop={shop}
      sync={sync}
      side={
        <SideCard title="Contact" tags={customer.tags}>
          {customer.redacted ? (
            <Text as="p" tone="subdued">
              This customer's personal data was erased at their request (customers/redact).
            </Text>
          ) : (
            <>
              {customer.email ? <Text as="p">{customer.email}</Text> : null}
              {customer.phone ? <Text as="p">{customer.phone}</Text> : null}
              {customer.location ? <Text as="p">{customer.location}</Text> : null}
            </>
          )}
        </SideCard>
      }
    >
      <BlockStack gap="400">
        <FiguresCard
          size="headingMd"
          figures={[
            ["Net sales", money(customer.netSales)],
            ["Orders", formatCount(customer.orders, shop.locale)],
            ["Average order value", customer.averageOrderValue ? money(customer.averageOrderValue) : "—"],
            ["First order", customer.firstOrderDay ? day(customer.firstOrderDay, shop.locale) : "—"],
            ["Last order", customer.lastOrderDay ? day(customer.lastOrderDay, shop.locale) : "—"],
          ]}
        />
        <Card padding="0">
          {customer.recentOrders.length === 0 ? (
            <EmptyState heading="No orders" image="">
              <p>This customer has no imported orders.</p>
            </EmptyState>
          ) : (
            <DataTable
              columnContentTypes={["text", "text", "text", "numeric"]}
              headings={["Order", "Date", "Payment", "Total"]}
              rows={customer.recentOrders.map((order) => [
                <InlineStack gap="100" key={order.id} wrap={false}>
                  <Link url={`/app/orders/${order.id}`} removeUnderline>
                    {order.name}
                  </Link>
                  {order.cancelled ? <Badge>Cancelled</Badge> : null}
                  {order.test ? <Badge tone="info">Test</Badge> : null}
                </InlineStack>,
                formatInstant(order.processedAt, shop.locale, shop.timezone),
                financialLabel(order.financialStatus)?.label ?? "",
                formatMoney(order.totalPrice, { locale: shop.locale, currency: order.currency }),
              ])}
              footerContent={
                customer.orders > customer.recentOrders.length
                  ? `The latest ${customer.recentOrders.length} of ${formatCount(customer.orders, shop.locale)} orders`
                  : undefined
              }
            />
          )}
        </Card>
      </BlockStack>
    </DetailPage>
  );
}
