import { Banner, BlockStack, Box, Card, EmptyState, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import type { OverviewReport, SyncStatusReport } from "../insights/types.ts";
import { COMPARISON_LABELS } from "../insights/range.ts";
import { DateRangePicker } from "./DateRangePicker.tsx";
import { DefinitionsCard } from "./DefinitionsCard.tsx";
import { FIGURES, FIGURES_FOOTNOTE } from "./definitions.ts";
import { formatCount, formatDateRange, formatMoney } from "./format.ts";
import { ImportProgressCard } from "./ImportProgressCard.tsx";
import { KpiCards } from "./KpiCards.tsx";
import { SalesBreakdownCard } from "./SalesBreakdownCard.tsx";
import { SeriesChart } from "./SeriesChart.tsx";
import { SyncCard } from "./SyncCard.tsx";
import { TopCustomersCard } from "./TopCustomersCard.tsx";
import { TopProductsCard } from "./TopProductsCard.tsx";

export interface OverviewPageProps {
  report: OverviewReport;
  /** The shop's syncs: the card to start one (not while the first import shows its own progress). */
  sync?: SyncStatusReport;
  /** True while a new range is loading: figures turn to skeletons, charts dim. */
  loading?: boolean;
}

/** Shopify's protected customer data has not been granted: customer figures are missing, not zero. */
export function CustomerDataBanner() {
  return (
    <Banner tone="warning" title="Customer figures are missing">
      <Text as="p">
        Shopify has not approved this app's access to protected customer data, so returning customer rate, new customers
        and top customers can't be shown. They are missing, not zero: sales and orders are complete.
      </Text>
    </Banner>
  );
}

/** The overview as the merchant sees it; the route supplies the report (App Bridge's TitleBar sits in the route). */
export function OverviewPage({ report, sync, loading = false }: OverviewPageProps) {
  const { shop } = report;
  return (
    <Page>
      <Text as="h1" variant="headingLg" visuallyHidden>
        Overview
      </Text>
      {sync && report.state !== "importing" ? (
        <Box paddingBlockEnd="400">
          <SyncCard status={sync} locale={shop.locale} timezone={shop.timezone} />
        </Box>
      ) : null}
      {report.state === "empty" ? (
        <Card>
          <EmptyState heading="Your store's data will appear here" image="">
            <p>
              Sales, orders and customers show up once the first import from Shopify has run. It starts when the app is
              installed; nothing has been imported yet.
            </p>
          </EmptyState>
        </Card>
      ) : report.state === "importing" ? (
        <ImportProgressCard progress={report.importProgress} locale={shop.locale} timezone={shop.timezone} />
      ) : (
        <OverviewFigures report={report} loading={loading} />
      )}
    </Page>
  );
}

function OverviewFigures({ report, loading }: { report: OverviewReport; loading: boolean }) {
  const { shop, range, current } = report;
  const rangeLabel = formatDateRange(range.range, shop.locale);
  const compareLabel = range.compareRange ? formatDateRange(range.compareRange, shop.locale) : null;
  // What both charts show: the period's series against the comparison's, over the same buckets.
  const chart = {
    series: report.series,
    previousSeries: report.previousSeries,
    granularity: range.granularity,
    shop,
    rangeLabel,
    compareLabel,
    loading,
  };

  return (
    <BlockStack gap="400">
      {/* Cards run edge to edge on a phone; the controls above them keep a margin. */}
      <Box paddingInline={{ xs: "400", sm: "0" }}>
        <BlockStack gap="200">
          <DateRangePicker range={range} timezone={shop.timezone} locale={shop.locale} />
          <Text as="p" tone="subdued">
            {rangeLabel}
            {compareLabel
              ? ` compared with ${compareLabel} (${COMPARISON_LABELS[range.comparison].toLowerCase()})`
              : ""}
          </Text>
        </BlockStack>
      </Box>
      {report.customerDataAvailable ? null : <CustomerDataBanner />}
      <KpiCards report={report} loading={loading} />
      <InlineGrid columns={{ xs: 1, lg: 2 }} gap="400">
        <SeriesChart
          {...chart}
          title="Total sales over time"
          metric="totalSales"
          headline={formatMoney(current.totalSales, shop)}
        />
        <SeriesChart
          {...chart}
          title="Orders over time"
          metric="orders"
          headline={formatCount(current.orders, shop.locale)}
        />
      </InlineGrid>
      <Layout>
        <Layout.Section variant="oneHalf">
          <SalesBreakdownCard
            shop={shop}
            current={current}
            previous={report.previous}
            rangeLabel={rangeLabel}
            compareLabel={compareLabel}
            loading={loading}
          />
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <BlockStack gap="400">
            <TopProductsCard
              shop={shop}
              byNetSales={report.topProducts.byNetSales}
              byUnits={report.topProducts.byUnits}
              loading={loading}
            />
            <TopCustomersCard shop={shop} customers={report.topCustomers} loading={loading} />
          </BlockStack>
        </Layout.Section>
      </Layout>
      <DefinitionsCard items={Object.values(FIGURES)} footnote={FIGURES_FOOTNOTE} />
    </BlockStack>
  );
}
