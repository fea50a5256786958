import { BlockStack, Card, InlineStack, ProgressBar, Spinner, Text } from "@shopify/polaris";
import type { ImportProgress } from "../insights/types.ts";
import { formatCount, formatInstant } from "./format.ts";

const RESOURCE_LABELS = { products: "Products", customers: "Customers", orders: "Orders" } as const;

export interface ImportProgressCardProps {
  progress: ImportProgress | null;
  locale: string;
  timezone: string;
}

/** The first import in flight: one bar per resource, and no figures until it is complete. */
export function ImportProgressCard({ progress, locale, timezone }: ImportProgressCardProps) {
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Importing your store…
          </Text>
          <Text as="p" tone="subdued">
            Figures appear once your products, customers and orders have been imported from Shopify
            {progress?.startedAt ? ` (started ${formatInstant(progress.startedAt, locale, timezone)})` : ""}. You can
            leave this page; the import continues.
          </Text>
        </BlockStack>
        {(progress?.resources ?? []).map((resource) => {
          const label = RESOURCE_LABELS[resource.name];
          const id = `import-progress-${resource.name}`;
          const percent = resource.done
            ? 100
            : resource.total
              ? Math.min(100, (resource.written / resource.total) * 100)
              : null;
          const status = resource.done
            ? `Done: ${formatCount(resource.written, locale)}`
            : resource.total === null
              ? `${formatCount(resource.written, locale)} so far`
              : `${formatCount(resource.written, locale)} of ${formatCount(resource.total, locale)}`;
          return (
            <BlockStack gap="150" key={resource.name}>
              <InlineStack align="space-between" blockAlign="center" gap="200">
                <Text as="span" variant="bodyMd" fontWeight="semibold" id={id}>
                  {label}
                </Text>
                <InlineStack gap="200" blockAlign="center">
                  {percent === null ? (
                    <Spinner size="small" accessibilityLabel={`Importing ${label.toLowerCase()}`} />
                  ) : null}
                  <Text as="span" tone="subdued">
                    {status}
                  </Text>
                </InlineStack>
              </InlineStack>
              {percent === null ? null : (
                <ProgressBar
                  progress={percent}
                  size="small"
                  tone={resource.done ? "success" : "highlight"}
                  ariaLabelledBy={id}
                />
              )}
            </BlockStack>
          );
        })}
      </BlockStack>
    </Card>
  );
}
