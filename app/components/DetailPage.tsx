import type { ReactNode } from "react";
import { BlockStack, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import type { ShopInfo, SyncStatusReport } from "../insights/types.ts";
import { HeadedCard } from "./HeadedCard.tsx";
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

/** A card in a record page's side column: its heading, what it shows, and the record's tags last. */
export function SideCard({ title, tags, children }: { title: string; tags?: string | null; children: ReactNode }) {
  return (
    <HeadedCard title={title}>
      {children}
      {tags ? (
        <Text as="p" tone="subdued">
          Tags: {tags}
        </Text>
      ) : null}
    </HeadedCard>
  );
}

/** A record's figures side by side, each under its label. */
export function FiguresCard({
  figures,
  size,
}: {
  figures: [label: string, value: string][];
  size: "headingMd" | "headingLg";
}) {
  return (
    <Card>
      <InlineStack gap="800" wrap>
        {figures.map(([label, value]) => (
          <BlockStack gap="100" key={label}>
            <Text as="span" tone="subdued">
              {label}
            </Text>
            <Text as="span" variant={size}>
              {value}
            </Text>
          </BlockStack>
        ))}
      </InlineStack>
    </Card>
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
