import { Banner, Text } from "@shopify/polaris";

export interface InsightsError {
  field: string;
  message: string;
}

export interface InsightsErrorBannerProps {
  error: InsightsError;
  /** Where the action goes: the same page with its default parameters. */
  resetUrl: string;
  resetLabel: string;
}

/** A request the page cannot answer (a malformed date range, an unknown view): what and how to recover. */
export function InsightsErrorBanner({ error, resetUrl, resetLabel }: InsightsErrorBannerProps) {
  return (
    <Banner
      tone="critical"
      title="This report can't be shown for this address"
      action={{ content: resetLabel, url: resetUrl }}
    >
      <Text as="p">{error.message}</Text>
    </Banner>
  );
}
