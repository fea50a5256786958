import { useState } from "react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  Collapsible,
  DataTable,
  EmptyState,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import type { SyncHistoryReport, SyncRunView } from "../insights/types.ts";
import { formatCount, formatDuration, formatInstant } from "./format.ts";
import { RESOURCE_LABELS, STATUS_BADGES, TRIGGER_LABELS } from "./sync-labels.ts";
import { SyncCard } from "./SyncCard.tsx";

/** The shop's syncs: the card to start one, then the last runs with what each did. */
export function SyncHistoryPage({ report }: { report: SyncHistoryReport }) {
  const { shop, status, runs } = report;
  const failures = runs.filter((run) => run.error || run.warnings.length > 0);
  return (
    <Page>
      <Text as="h1" variant="headingLg" visuallyHidden>
        Syncs
      </Text>
      <Layout>
        <Layout.Section>
          <SyncCard status={status} locale={shop.locale} timezone={shop.timezone} />
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            {runs.length === 0 ? (
              <EmptyState heading="No syncs yet" image="">
                <p>The first import starts when the app is installed; its run will be listed here.</p>
              </EmptyState>
            ) : (
              <DataTable
                columnContentTypes={[
                  "text",
                  "text",
                  "text",
                  "numeric",
                  "numeric",
                  "numeric",
                  "numeric",
                  "numeric",
                  "numeric",
                  "numeric",
                ]}
                headings={[
                  "Started",
                  "Trigger",
                  "Status",
                  "Duration",
                  RESOURCE_LABELS.products,
                  RESOURCE_LABELS.customers,
                  RESOURCE_LABELS.orders,
                  "API calls",
                  "429s",
                  "Retries",
                ]}
                rows={runs.map((run) => [
                  formatInstant(run.startedAt ?? run.queuedAt, shop.locale, shop.timezone),
                  `${TRIGGER_LABELS[run.trigger] ?? run.trigger}${run.full ? " · full" : ""}`,
                  <Badge key="status" tone={STATUS_BADGES[run.status].tone}>
                    {STATUS_BADGES[run.status].label}
                  </Badge>,
                  formatDuration(run.seconds),
                  ...run.resources.map((resource) =>
                    resource.status === "forbidden" ? "Refused" : formatCount(resource.written, shop.locale),
                  ),
                  formatCount(run.apiCalls, shop.locale),
                  formatCount(run.throttled, shop.locale),
                  formatCount(run.retries, shop.locale),
                ])}
                footerContent="Records written per resource: new or changed in Shopify since the run before (all of them in a full resync)."
              />
            )}
          </Card>
        </Layout.Section>
        {failures.length > 0 ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="400">
                <Text as="h2" variant="headingMd">
                  Errors and warnings
                </Text>
                {failures.map((run) => (
                  <RunProblem key={run.id} run={run} locale={shop.locale} timezone={shop.timezone} />
                ))}
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}

/** A failed run's error in words a merchant understands, the technical detail behind a disclosure. */
function RunProblem({ run, locale, timezone }: { run: SyncRunView; locale: string; timezone: string }) {
  const [open, setOpen] = useState(false);
  const id = `sync-run-${run.id}-detail`;
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {formatInstant(run.startedAt ?? run.queuedAt, locale, timezone)} · {STATUS_BADGES[run.status].label}
      </Text>
      {run.error ? <Text as="p">{run.error.summary}</Text> : null}
      {run.warnings.map((warning) => (
        <Text as="p" key={warning} tone="caution">
          {warning}
        </Text>
      ))}
      {run.error ? (
        <>
          <div>
            <Button variant="plain" onClick={() => setOpen(!open)} ariaExpanded={open} ariaControls={id}>
              {open ? "Hide technical detail" : "Show technical detail"}
            </Button>
          </div>
          <Collapsible open={open} id={id}>
            <Text as="p" tone="subdued" breakWord>
              <code>{run.error.detail}</code>
            </Text>
          </Collapsible>
        </>
      ) : null}
    </BlockStack>
  );
}
