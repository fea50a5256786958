import type { ReactNode } from "react";
import { BlockStack, Card, EmptyState, Page, Text } from "@shopify/polaris";
import type { ShopInfo, SyncStatusReport } from "../insights/types.ts";
import { SyncStatusLine } from "./SyncCard.tsx";

/** What a list page's component takes from its route. */
export interface ListPageProps<Report> {
  report: Report;
  /** The shop's syncs, for the status line under the title. */
  sync?: SyncStatusReport;
  /** True while another search, filter, sort or page loads. */
  loading?: boolean;
}

/**
 * A list page: the sync status line, an optional banner, the filters, then the rows, or an empty
 * state when there are none.
 */
export function ListPage({
  title,
  shop,
  sync,
  banner,
  filters,
  empty,
  children,
}: {
  title: string;
  shop: ShopInfo;
  sync?: SyncStatusReport;
  banner?: ReactNode;
  filters: ReactNode;
  /** Shown instead of the rows when there are none. */
  empty: { heading: string; body: string } | null;
  children: ReactNode;
}) {
  return (
    <Page>
      <Text as="h1" variant="headingLg" visuallyHidden>
        {title}
      </Text>
      <BlockStack gap="400">
        {sync ? <SyncStatusLine status={sync} locale={shop.locale} timezone={shop.timezone} /> : null}
        {banner}
        {filters}
        <Card padding="0">
          {empty ? (
            <EmptyState heading={empty.heading} image="">
              <p>{empty.body}</p>
            </EmptyState>
          ) : (
            children
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}
