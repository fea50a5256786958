import { BlockStack, Card, InlineGrid, InlineStack, SkeletonDisplayText, Text, Tooltip } from "@shopify/polaris";
import type { OverviewReport } from "../insights/types.ts";
import { FIGURES, type FigureKey } from "./definitions.ts";
import { formatChange, formatCount, formatMoney, formatRate, NO_VALUE, type ChangeDisplay } from "./format.ts";

export interface KpiCardProps {
  title: string;
  /** Shopify's definition, shown on hover/focus of the title. */
  definition: string;
  value: string;
  /** Null when the page has no comparison period. */
  change: ChangeDisplay | null;
  /** Shown under the value instead of a change, e.g. why the figure is missing. */
  note?: string;
  loading?: boolean;
}

/** One headline figure: its name (with its definition), value, and change against the comparison period. */
export function KpiCard({ title, definition, value, change, note, loading }: KpiCardProps) {
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack>
          <Tooltip content={definition} hasUnderline width="wide">
            <Text as="h3" variant="headingSm">
              {title}
            </Text>
          </Tooltip>
        </InlineStack>
        {loading ? (
          <SkeletonDisplayText size="medium" />
        ) : (
          <InlineStack gap="200" blockAlign="baseline" wrap>
            <Text as="p" variant="headingLg">
              {value}
            </Text>
            {change ? (
              <Text as="span" variant="bodySm" tone={change.tone} fontWeight="medium">
                <span aria-hidden="true">{change.text}</span>
                <Text as="span" visuallyHidden>
                  {change.accessibilityLabel}
                </Text>
              </Text>
            ) : null}
          </InlineStack>
        )}
        {note ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {note}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export interface KpiCardsProps {
  report: Pick<
    OverviewReport,
    "shop" | "current" | "previous" | "customers" | "previousCustomers" | "customerDataAvailable"
  >;
  loading?: boolean;
}

/** The overview's six headline figures: one column on a phone, two on a tablet, three on a desktop. */
export function KpiCards({ report, loading }: KpiCardsProps) {
  const { shop, current, previous, customers, previousCustomers, customerDataAvailable } = report;
  const locale = shop.locale;
  const compare = previous !== null;
  const change = (now: string | number | null, before: string | number | null | undefined) =>
    compare ? formatChange(now, before ?? null, locale) : null;
  const missing = "Needs protected customer data access";

  const cards: (Omit<KpiCardProps, "title" | "definition"> & { key: FigureKey })[] = [
    {
      key: "totalSales",
      value: formatMoney(current.totalSales, shop),
      change: change(current.totalSales, previous?.totalSales),
    },
    {
      key: "netSales",
      value: formatMoney(current.netSales, shop),
      change: change(current.netSales, previous?.netSales),
    },
    { key: "orders", value: formatCount(current.orders, locale), change: change(current.orders, previous?.orders) },
    {
      key: "averageOrderValue",
      value: current.averageOrderValue === null ? NO_VALUE : formatMoney(current.averageOrderValue, shop),
      change: change(current.averageOrderValue, previous?.averageOrderValue),
    },
    customerDataAvailable && customers
      ? {
          key: "returningCustomerRate",
          value: formatRate(customers.returningCustomerRate, locale),
          change: change(customers.returningCustomerRate, previousCustomers?.returningCustomerRate),
        }
      : { key: "returningCustomerRate", value: NO_VALUE, change: null, note: missing },
    customerDataAvailable && customers
      ? {
          key: "newCustomers",
          value: formatCount(customers.newCustomers, locale),
          change: change(customers.newCustomers, previousCustomers?.newCustomers),
        }
      : { key: "newCustomers", value: NO_VALUE, change: null, note: missing },
  ];

  return (
    <InlineGrid columns={{ xs: 1, sm: 2, lg: 3 }} gap="400">
      {cards.map(({ key, ...card }) => (
        <KpiCard
          key={key}
          title={FIGURES[key].label}
          definition={FIGURES[key].definition}
          loading={loading}
          {...card}
        />
      ))}
    </InlineGrid>
  );
}
