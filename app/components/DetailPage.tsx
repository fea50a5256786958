import type { ReactNode } from "react";
import { Card, Layout, Page, Text } from "@shopify/polaris";
import type { ShopInfo, SyncStatusReport } from "../insights/types.ts";
import { SyncStatusLine } from "./SyncCard.tsx";

/** One record's page: back to its list, the sync status line, the record, and a side column. */
export function DetailPage({
  title,
  back,
  shop,
  sync,
  side,
  children,
}: {
  title: string;
  back: { label: string; url: string };
  shop: ShopInfo;
  sync?: SyncStatusReport;
  side: ReactNode;
  children: ReactNode;
}) {
  return (
    <Page backAction={{ content: back.label, url: back.url }} title={title}>
      <Layout>
        {sync ? (
          <Layout.Section>
            <SyncStatusLine status={sync} locale={shop.locale} timezone={shop.timezone} />
          </Layout.Section>
        ) : null}
        <Layout.Section>{children}</Layout.Section>
        <Layout.Section variant="oneThird">{side}</Layout.Section>
      </Layout>
    </Page>
  );
}

/** A record the shop does not have. */
export function NotFoundPage({ what, backUrl, backLabel }: { what: string; backUrl: string; backLabel: string }) {
  return (
    <Page backAction={{ content: backLabel, url: backUrl }} title={`${what} not found`}>
      <Card>
        <Text as="p">
          This {what.toLowerCase()} does not exist in this store's imported data. It may have been deleted in Shopify,
          or the address is wrong.
        </Text>
      </Card>
    </Page>
  );
}
