import type { ReactNode } from "react";
import { BlockStack, Card, EmptyState, IndexTable, Page, Text, type IndexTableProps } from "@shopify/polaris";
import type { ShopInfo, SyncStatusReport } from "../insights/types.ts";
import { SyncStatusLine } from "./SyncCard.tsx";
import { useCursorPaging } from "./useCursorPaging.ts";

/** What a list page's component takes from its route. */
export interface ListPageProps<Report> {
  report: Report;
  /** The shop's syncs, for the status line under the title. */
  sync?: SyncStatusReport;
  /** True while another search, filter, sort or page loads. */
  loading?: boolean;
}

/**
 * A list page: the sync status line, an optional banner, the filters, then the rows in a table
 * with keyset pages, or an empty state when there are none.
 */
export function ListPage({
  title,
  shop,
  sync,
  banner,
  filters,
  empty,
  table,
  cursors,
  loading,
  children,
}: {
  title: string;
  shop: ShopInfo;
  sync?: SyncStatusReport;
  banner?: ReactNode;
  filters: ReactNode;
  /** Shown instead of the rows when there are none. */
  empty: { heading: string; body: string } | null;
  /** The table's rows are named as `resourceName`, under `headings`; `itemCount` rows on this page. */
  table: Pick<IndexTableProps, "resourceName" | "headings" | "itemCount">;
  /** The page's cursors, for the table's previous and next buttons. */
  cursors: { previousCursor: string | null; nextCursor: string | null };
  loading: boolean;
  /** The rows (IndexTable.Row). */
  children: ReactNode;
}) {
  const paging = useCursorPaging(cursors);
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
            <IndexTable {...table} selectable={false} loading={loading} pagination={paging}>
              {children}
            </IndexTable>
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}
