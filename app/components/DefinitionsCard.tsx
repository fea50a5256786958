import { BlockStack, Card, DescriptionList, Text } from "@shopify/polaris";

export interface DefinitionsCardProps {
  items: { label: string; definition: string }[];
  footnote?: string;
}

/** What each figure means, in Shopify's words. */
export function DefinitionsCard({ items, footnote }: DefinitionsCardProps) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Definitions
        </Text>
        <DescriptionList
          gap="tight"
          items={items.map((item) => ({ term: item.label, description: item.definition }))}
        />
        {footnote ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {footnote}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
