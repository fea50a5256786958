import { useState } from "react";
import { Badge, IndexTable, InlineStack, Link, Select, Text, TextField } from "@shopify/polaris";
import type { OrderListReport, OrderListRow, ShopInfo } from "../insights/types.ts";
import { formatInstant, formatMoney } from "./format.ts";
import { FilterField, ListFilterCard } from "./ListFilterCard.tsx";
import { ListPage, type ListPageProps } from "./ListPage.tsx";
import { FINANCIAL_LABELS, FULFILLMENT_LABELS, financialLabel, fulfillmentLabel } from "./order-labels.ts";

const SORT_OPTIONS = [
  { label: "Date, newest first", value: "date:desc" },
  { label: "Date, oldest first", value: "date:asc" },
  { label: "Order number, highest first", value: "number:desc" },
  { label: "Order number, lowest first", value: "number:asc" },
];

/** The shop's orders: search, filters, sort and pages of 50 (the route supplies the report). */
export function OrdersPage({ report, sync, loading = false }: ListPageProps<OrderListReport>) {
  const { shop, query, rows } = report;
  const [financial, setFinancial] = useState(query.financialStatus ?? "");
  const [fulfillment, setFulfillment] = useState(query.fulfillmentStatus ?? "");
  const [from, setFrom] = useState(query.from ?? "");
  const [to, setTo] = useState(query.to ?? "");
  const [sort, setSort] = useState(`${query.sort}:${query.direction}`);
  const [sortKey, direction] = sort.split(":");
  const filtered = Boolean(query.q || query.financialStatus || query.fulfillmentStatus || query.from || query.to);

  return (
    <ListPage
      title="Orders"
      shop={shop}
      sync={sync}
      filters={
        <ListFilterCard
          search={query.q}
          placeholder="Order name or number, e.g. #1001"
          clearUrl="/app/orders"
          filtered={filtered}
          loading={loading}
        >
          <FilterField basis="10rem">
            <Select
              label="Payment"
              name="financial_status"
              options={[
                { label: "Any", value: "" },
                ...Object.entries(FINANCIAL_LABELS).map(([value, { label }]) => ({ label, value })),
              ]}
              value={financial}
              onChange={setFinancial}
            />
          </FilterField>
          <FilterField basis="10rem">
            <Select
              label="Fulfillment"
              name="fulfillment_status"
              options={[
                { label: "Any", value: "" },
                ...Object.entries(FULFILLMENT_LABELS).map(([value, { label }]) => ({ label, value })),
              ]}
              value={fulfillment}
              onChange={setFulfillment}
            />
          </FilterField>
          <FilterField>
            <TextField label="From" name="from" type="date" value={from} onChange={setFrom} autoComplete="off" />
          </FilterField>
          <FilterField>
            <TextField label="To" name="to" type="date" value={to} onChange={setTo} autoComplete="off" />
          </FilterField>
          <FilterField basis="12rem">
            <Select label="Sort" options={SORT_OPTIONS} value={sort} onChange={setSort} />
            <input type="hidden" name="sort" value={sortKey} />
            <input type="hidden" name="direction" value={direction} />
          </FilterField>
        </ListFilterCard>
      }
      empty={
        rows.length === 0
          ? {
              heading: filtered ? "No orders match" : "No orders yet",
              body: filtered
                ? "Try another search or fewer filters."
                : "Orders appear here once they have been imported from Shopify.",
            }
          : null
      }
      table={{
        resourceName: { singular: "order", plural: "orders" },
        itemCount: rows.length,
        headings: [
          { title: "Order" },
          { title: "Date" },
          { title: "Customer" },
          { title: "Payment" },
          { title: "Fulfillment" },
          { title: "Total", alignment: "end" },
        ],
      }}
      cursors={report}
      loading={loading}
    >
      {rows.map((row, index) => (
        <OrderListItem key={row.id} row={row} index={index} shop={shop} />
      ))}
    </ListPage>
  );
}

/** One order in the list: name and flags, date, customer, statuses and total. */
function OrderListItem({ row, index, shop }: { row: OrderListRow; index: number; shop: ShopInfo }) {
  const payment = financialLabel(row.financialStatus);
  const fulfilled = fulfillmentLabel(row.fulfillmentStatus);
  return (
    <IndexTable.Row id={row.id} position={index}>
      <IndexTable.Cell>
        <InlineStack gap="100" blockAlign="center" wrap={false}>
          <Link url={`/app/orders/${row.id}`} removeUnderline monochrome>
            <Text as="span" fontWeight="semibold">
              {row.name}
            </Text>
          </Link>
          {row.cancelled ? <Badge>Cancelled</Badge> : null}
          {row.test ? <Badge tone="info">Test</Badge> : null}
        </InlineStack>
      </IndexTable.Cell>
      <IndexTable.Cell>{formatInstant(row.processedAt, shop.locale, shop.timezone)}</IndexTable.Cell>
      <IndexTable.Cell>
        {row.customerRedacted ? (
          <Text as="span" tone="subdued">
            Redacted
          </Text>
        ) : (
          (row.customerName ?? (
            <Text as="span" tone="subdued">
              No customer
            </Text>
          ))
        )}
      </IndexTable.Cell>
      <IndexTable.Cell>{payment ? <Badge tone={payment.tone}>{payment.label}</Badge> : null}</IndexTable.Cell>
      <IndexTable.Cell>
        <Badge tone={fulfilled.tone}>{fulfilled.label}</Badge>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {formatMoney(row.totalPrice, { locale: shop.locale, currency: row.currency })}
        </Text>
      </IndexTable.Cell>
    </IndexTable.Row>
  );
}
