import { useEffect, useRef, useState } from "react";
import { useFetcher, useSearchParams } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  EmptySearchResult,
  EmptyState,
  IndexTable,
  InlineGrid,
  Layout,
  Page,
  Tabs,
  Text,
  TextField,
  type IndexTableProps,
} from "@shopify/polaris";
import {
  INVENTORY_VIEWS,
  type InventoryReport,
  type InventoryRow,
  type InventorySort,
  type InventoryView,
  type SyncStatusReport,
} from "../insights/types.ts";
import { MAX_LOW_STOCK_THRESHOLD, withInventoryQuery } from "../insights/inventory-query.ts";
import { DefinitionsCard } from "./DefinitionsCard.tsx";
import { INVENTORY_DEFINITIONS } from "./definitions.ts";
import { formatCount, formatDaysOfCover, formatMoney } from "./format.ts";
import type { InsightsError } from "./InsightsErrorBanner.tsx";
import { KpiCard } from "./KpiCards.tsx";
import { SyncStatusLine } from "./SyncCard.tsx";

/** What the inventory route's action answers to the threshold form. */
export type ThresholdActionData = { ok: true; threshold: number } | { ok: false; error: InsightsError };

export interface InventoryPageProps {
  report: InventoryReport;
  /** The shop's syncs, for the status line under the title. */
  sync?: SyncStatusReport;
  /** True while another view, sort or page loads. */
  loading?: boolean;
}

const VALUED_AT_LABELS: Record<InventoryReport["totals"]["valuedAt"], string> = {
  retail: "At retail price",
  cost: "At cost",
  mixed: "At cost where known, else retail price",
};

const TAB_LABELS: Record<InventoryView, string> = { all: "All", low: "Low stock", out: "Out of stock" };

/** Columns in display order, with the `sort` each one sorts by (status does not sort). */
const COLUMNS: { title: string; sort: InventorySort | null; numeric: boolean; help?: string }[] = [
  { title: "Product", sort: "product", numeric: false },
  { title: "Status", sort: null, numeric: false },
  { title: "On hand", sort: "on_hand", numeric: true, help: INVENTORY_DEFINITIONS.onHand },
  { title: "Value", sort: "value", numeric: true, help: INVENTORY_DEFINITIONS.value },
  { title: "Units sold (30 days)", sort: "units_sold", numeric: true, help: INVENTORY_DEFINITIONS.unitsSold },
  { title: "Days of cover", sort: "days_of_cover", numeric: true, help: INVENTORY_DEFINITIONS.daysOfCover },
];

const heading = (column: (typeof COLUMNS)[number]) => ({
  title: column.title,
  alignment: column.numeric ? ("end" as const) : ("start" as const),
  ...(column.help ? { tooltipContent: column.help, tooltipWidth: "wide" as const } : {}),
});
const HEADINGS: IndexTableProps["headings"] = [heading(COLUMNS[0]), ...COLUMNS.slice(1).map(heading)];

export function StockBadge({ status }: { status: InventoryRow["status"] }) {
  if (status === "out") return <Badge tone="critical">Out of stock</Badge>;
  if (status === "low") return <Badge tone="warning">Low stock</Badge>;
  return <Badge>In stock</Badge>;
}

/** Polaris's tab row: 28 px tabs with 8 px above and below. */
const TAB_ROW_HEIGHT = "44px";

/** The inventory page: totals, the view tabs, the sortable table with pages, and the threshold form. */
export function InventoryPage({ report, sync, loading = false }: InventoryPageProps) {
  const { shop, totals } = report;
  const locale = shop.locale;
  const noProducts = totals.products === 0;

  return (
    <Page>
      <Text as="h1" variant="headingLg" visuallyHidden>
        Inventory
      </Text>
      <BlockStack gap="400">
        {sync ? <SyncStatusLine status={sync} locale={locale} timezone={shop.timezone} /> : null}
        {report.state === "importing" ? (
          <Banner tone="info" title="Importing your store…">
            <Text as="p">Products and stock appear as they are imported; these figures are not complete yet.</Text>
          </Banner>
        ) : null}
        {noProducts ? (
          <Card>
            <EmptyState heading="Your products will appear here" image="">
              <p>
                {report.state === "importing"
                  ? "No products have been imported yet."
                  : "This store has no products yet, or they have not been imported from Shopify."}
              </p>
            </EmptyState>
          </Card>
        ) : (
          <>
            <InlineGrid columns={{ xs: 1, sm: 2, lg: 4 }} gap="400">
              <KpiCard
                title="Units on hand"
                definition={INVENTORY_DEFINITIONS.onHand}
                value={formatCount(totals.unitsOnHand, locale)}
                change={null}
                note={`${formatCount(totals.variants, locale)} variants of ${formatCount(totals.products, locale)} products`}
                loading={loading}
              />
              <KpiCard
                title="Inventory value"
                definition={INVENTORY_DEFINITIONS.value}
                value={formatMoney(totals.value, shop)}
                change={null}
                note={VALUED_AT_LABELS[totals.valuedAt]}
                loading={loading}
              />
              <KpiCard
                title="Low stock"
                definition={`Variants in stock with no more than the low-stock threshold (${formatCount(report.lowStockThreshold, locale)} units) on hand.`}
                value={formatCount(totals.lowStock, locale)}
                change={null}
                note={`Threshold: ${formatCount(report.lowStockThreshold, locale)} units`}
                loading={loading}
              />
              <KpiCard
                title="Out of stock"
                definition="Variants with no units on hand."
                value={formatCount(totals.outOfStock, locale)}
                change={null}
                loading={loading}
              />
            </InlineGrid>
            <InventoryTable report={report} loading={loading} />
          </>
        )}
        <Layout>
          <Layout.Section variant="oneHalf">
            <LowStockThresholdForm threshold={report.lowStockThreshold} />
          </Layout.Section>
          <Layout.Section variant="oneHalf">
            <DefinitionsCard
              items={[
                { label: "On hand", definition: INVENTORY_DEFINITIONS.onHand },
                { label: "Value", definition: INVENTORY_DEFINITIONS.value },
                { label: "Units sold (30 days)", definition: INVENTORY_DEFINITIONS.unitsSold },
                { label: "Days of cover", definition: INVENTORY_DEFINITIONS.daysOfCover },
              ]}
            />
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

/** Variants of the current view, sorted and paged through the URL (`view`, `sort`, `direction`, `page`). */
export function InventoryTable({ report, loading }: { report: InventoryReport; loading?: boolean }) {
  const [searchParams, setSearchParams] = useSearchParams();
  const { query, rows, shop, totals } = report;
  const go = (params: URLSearchParams) => setSearchParams(params, { preventScrollReset: true });

  const selectedTab = INVENTORY_VIEWS.indexOf(query.view);
  const tabs = INVENTORY_VIEWS.map((view) => ({
    id: `inventory-tab-${view}`,
    content: TAB_LABELS[view],
    panelID: `inventory-${view}-panel`,
    badge:
      view === "low"
        ? formatCount(totals.lowStock, shop.locale)
        : view === "out"
          ? formatCount(totals.outOfStock, shop.locale)
          : undefined,
  }));

  const sortColumnIndex = COLUMNS.findIndex((c) => c.sort === query.sort);
  const firstRow = (query.page - 1) * query.pageSize + 1;
  const lastRow = Math.min(query.page * query.pageSize, report.matching);
  const hasNext = query.page * query.pageSize < report.matching;
  const hasPrevious = query.page > 1;
  const mixedValuation = totals.valuedAt === "mixed";

  const emptyTitle =
    query.view === "low" ? "No low-stock variants" : query.view === "out" ? "Nothing is out of stock" : "No variants";

  return (
    <Card padding="0">
      {/* Polaris draws the tab row only once it has measured it in the browser; its height is kept
          from the first paint, so the table below does not jump when it appears. */}
      <div style={{ minHeight: TAB_ROW_HEIGHT }}>
        <Tabs
          tabs={tabs}
          selected={selectedTab < 0 ? 0 : selectedTab}
          onSelect={(index) => go(withInventoryQuery(searchParams, { view: INVENTORY_VIEWS[index] }))}
        />
      </div>
      <div id={`inventory-${query.view}-panel`} role="tabpanel" aria-labelledby={`inventory-tab-${query.view}`}>
        <IndexTable
          resourceName={{ singular: "variant", plural: "variants" }}
          itemCount={rows.length}
          selectable={false}
          loading={loading}
          emptyState={
            <EmptySearchResult
              title={emptyTitle}
              description={query.page > 1 ? "There are no more variants on this page." : undefined}
            />
          }
          headings={HEADINGS}
          sortable={COLUMNS.map((c) => c.sort !== null)}
          sortColumnIndex={sortColumnIndex < 0 ? undefined : sortColumnIndex}
          sortDirection={query.direction === "asc" ? "ascending" : "descending"}
          defaultSortDirection="ascending"
          onSort={(index, direction) => {
            const sort = COLUMNS[index]?.sort;
            if (!sort) return;
            go(withInventoryQuery(searchParams, { sort, direction: direction === "ascending" ? "asc" : "desc" }));
          }}
          pagination={{
            hasNext,
            hasPrevious,
            onNext: () => go(withInventoryQuery(searchParams, { page: query.page + 1 })),
            onPrevious: () => go(withInventoryQuery(searchParams, { page: query.page - 1 })),
            label:
              report.matching === 0
                ? "No variants"
                : `${formatCount(firstRow, shop.locale)}–${formatCount(lastRow, shop.locale)} of ${formatCount(report.matching, shop.locale)}`,
          }}
        >
          {rows.map((row, index) => (
            <IndexTable.Row id={row.variantId} key={row.variantId} position={index}>
              <IndexTable.Cell>
                <BlockStack gap="050">
                  <Text as="span" variant="bodyMd" fontWeight="semibold">
                    {row.productTitle}
                  </Text>
                  {row.variantTitle || row.sku ? (
                    <Text as="span" variant="bodySm" tone="subdued">
                      {[row.variantTitle, row.sku ? `SKU ${row.sku}` : null].filter(Boolean).join(" · ")}
                    </Text>
                  ) : null}
                </BlockStack>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <StockBadge status={row.status} />
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="p" alignment="end" numeric>
                  {formatCount(row.onHand, shop.locale)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="p" alignment="end" numeric>
                  {formatMoney(row.value, shop)}
                </Text>
                {mixedValuation ? (
                  <Text as="p" alignment="end" variant="bodySm" tone="subdued">
                    {row.valuedAt === "cost" ? "at cost" : "at retail"}
                  </Text>
                ) : null}
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="p" alignment="end" numeric>
                  {formatCount(row.unitsSold30d, shop.locale)}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="p" alignment="end" numeric tone={row.daysOfCover === null ? "subdued" : undefined}>
                  {formatDaysOfCover(row.daysOfCover, shop.locale)}
                </Text>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </div>
    </Card>
  );
}

/** Sets the shop's low-stock threshold through the route's action; a toast confirms, a banner explains a refusal. */
export function LowStockThresholdForm({ threshold }: { threshold: number }) {
  const fetcher = useFetcher<ThresholdActionData>();
  const shopify = useAppBridge();
  const [value, setValue] = useState(String(threshold));
  const announced = useRef<ThresholdActionData | undefined>(undefined);
  const saving = fetcher.state !== "idle";
  const result = fetcher.state === "idle" ? fetcher.data : undefined;

  useEffect(() => {
    if (result && result !== announced.current) {
      announced.current = result;
      if (result.ok) shopify.toast.show(`Low-stock threshold set to ${result.threshold} units`);
    }
  }, [result, shopify]);

  const error = result && !result.ok ? result.error : null;
  return (
    <Card>
      <fetcher.Form method="post">
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Low-stock threshold
          </Text>
          {error ? (
            <Banner tone="critical" title="The threshold was not saved">
              <Text as="p">{error.message}</Text>
            </Banner>
          ) : null}
          <TextField
            label="Mark a variant as low stock at or below"
            name="threshold"
            type="number"
            inputMode="numeric"
            min={0}
            max={MAX_LOW_STOCK_THRESHOLD}
            step={1}
            suffix="units"
            autoComplete="off"
            value={value}
            onChange={setValue}
            error={Boolean(error)}
            helpText="A whole number of units from 0 to 100,000. Out-of-stock variants are counted separately."
          />
          <Box>
            <Button submit variant="primary" loading={saving}>
              Save threshold
            </Button>
          </Box>
        </BlockStack>
      </fetcher.Form>
    </Card>
  );
}
