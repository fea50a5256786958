import { DescriptionList, Text } from "@shopify/polaris";
import { HeadedCard } from "./HeadedCard.tsx";

export interface DefinitionsCardProps {
  items: { label: string; definition: string }[];
  footnote?: string;
}

/** What each figure means, in Shopify's words. */
export function DefinitionsCard({ items, footnote }: DefinitionsCardProps) {
  return (
    <HeadedCard title="Definitions">
      <DescriptionList gap="tight" items={items.map((item) => ({ term: item.label, description: item.definition }))} />
      {footnote ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {footnote}
        </Text>
      ) : null}
    </HeadedCard>
  );
}
