import type { ReactNode } from "react";
import { BlockStack, Box, Card, Text } from "@shopify/polaris";

/** A card with a heading over what it shows. */
export function HeadedCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}

/** A card whose table runs to its edges, its heading padded as a card's. */
export function TableCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card padding="0">
      <BlockStack gap="200">
        <Box paddingBlockStart="400" paddingInline="400">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
        </Box>
        {children}
      </BlockStack>
    </Card>
  );
}
