import {
  BlockStack,
  Card,
  InlineGrid,
  Layout,
  SkeletonBodyText,
  SkeletonDisplayText,
  SkeletonPage,
} from "@shopify/polaris";

/** Placeholder for a report page while its data loads. */
export function InsightsSkeletonPage({ title, cards = 4 }: { title?: string; cards?: number }) {
  return (
    <SkeletonPage title={title} primaryAction={false}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <InlineGrid columns={{ xs: 1, sm: 2, md: Math.min(cards, 4) }} gap="400">
              {Array.from({ length: cards }, (_, i) => (
                <SkeletonFigureCard key={i} />
              ))}
            </InlineGrid>
            <Card>
              <BlockStack gap="400">
                <SkeletonDisplayText size="small" />
                <SkeletonBodyText lines={8} />
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </SkeletonPage>
  );
}

/** A card-sized placeholder for one figure. */
export function SkeletonFigureCard() {
  return (
    <Card>
      <BlockStack gap="300">
        <SkeletonBodyText lines={1} />
        <SkeletonDisplayText size="medium" />
      </BlockStack>
    </Card>
  );
}
