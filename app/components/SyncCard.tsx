import { useEffect, useRef, useState } from "react";
import { useFetcher, useRevalidator } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  InlineStack,
  Link,
  Modal,
  ProgressBar,
  Spinner,
  Text,
  Tooltip,
} from "@shopify/polaris";
import type { SyncResourceView, SyncRunView, SyncStatusReport } from "../insights/types.ts";
import { formatCount, formatInstant, formatRelative } from "./format.ts";
import { RESOURCE_LABELS, STATUS_BADGES } from "./sync-labels.ts";

/** The resource route the card polls and posts to (app/routes/app.sync.tsx). */
export const SYNC_ROUTE = "/app/sync";
const POLL_MS = 1500;

type ActionData =
  { ok: true; created: boolean; run: SyncRunView } | { ok: false; error: { field: string; message: string } };

export interface SyncCardProps {
  status: SyncStatusReport;
  locale: string;
  timezone: string;
}

/** An instant as "5 minutes ago" (after hydration; the exact time before it and on hover). */
export function RelativeTime({ iso, locale, timezone }: { iso: string; locale: string; timezone: string }) {
  const exact = formatInstant(iso, locale, timezone);
  const [relative, setRelative] = useState<string | null>(null);
  useEffect(() => {
    setRelative(formatRelative(iso, locale));
    const timer = setInterval(() => setRelative(formatRelative(iso, locale)), 30_000);
    return () => clearInterval(timer);
  }, [iso, locale]);
  return (
    <Tooltip content={exact}>
      <time dateTime={iso}>{relative ?? exact}</time>
    </Tooltip>
  );
}

/** "Last synced 5 minutes ago", or "Not synced yet". */
function LastSynced({ status, locale, timezone }: SyncCardProps) {
  return status.lastSuccessAt ? (
    <>
      Last synced <RelativeTime iso={status.lastSuccessAt} locale={locale} timezone={timezone} />
    </>
  ) : (
    <>Not synced yet</>
  );
}

/** Sync now, full resync, the run in flight with its progress, and when data was last brought in. */
export function SyncCard({ status: initial, locale, timezone }: SyncCardProps) {
  const poll = useFetcher<SyncStatusReport>({ key: "sync-status" });
  const action = useFetcher<ActionData>({ key: "sync-action" });
  const { revalidate } = useRevalidator();
  const shopify = useAppBridge();
  const [confirmFull, setConfirmFull] = useState(false);
  const announced = useRef<ActionData | undefined>(undefined);
  const wasActive = useRef(initial.current !== null);

  const status = poll.data ?? initial;
  const result = action.state === "idle" ? action.data : undefined;
  // The run the last click queued (or found queued) counts as in flight until a poll says otherwise.
  const clicked = result?.ok && poll.data === undefined ? result.run : null;
  const current = status.current ?? clicked;
  const active = current !== null;
  const submitting = action.state !== "idle";

  useEffect(() => {
    if (result && result !== announced.current) {
      announced.current = result;
      if (result.ok) {
        shopify.toast.show(
          result.created
            ? result.run.full
              ? "Full resync queued"
              : "Sync queued"
            : "A sync is already queued or running",
        );
        poll.load(SYNC_ROUTE);
      }
    }
  }, [result, shopify, poll]);

  // Poll while a run is queued or running; when it ends, the page's figures are read again.
  useEffect(() => {
    if (active) {
      wasActive.current = true;
      if (poll.state !== "idle") return;
      const timer = setTimeout(() => poll.load(SYNC_ROUTE), POLL_MS);
      return () => clearTimeout(timer);
    }
    if (wasActive.current) {
      wasActive.current = false;
      revalidate();
    }
  }, [active, poll, revalidate, status]);

  const error = result && !result.ok ? result.error : null;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200" wrap>
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Data from Shopify
            </Text>
            <Text as="p" tone="subdued">
              <LastSynced status={status} locale={locale} timezone={timezone} />
            </Text>
          </BlockStack>
          <InlineStack gap="200">
            <Button onClick={() => setConfirmFull(true)} disabled={active || submitting}>
              Full resync
            </Button>
            <action.Form method="post" action={SYNC_ROUTE}>
              <input type="hidden" name="intent" value="sync" />
              <Button submit variant="primary" loading={submitting} disabled={active}>
                Sync now
              </Button>
            </action.Form>
          </InlineStack>
        </InlineStack>
        {error ? (
          <Banner tone="critical" title="The sync was not started">
            <Text as="p">{error.message}</Text>
          </Banner>
        ) : null}
        {current ? <RunProgress run={current} locale={locale} /> : null}
        {!current && status.latest?.status === "failed" && status.latest.error ? (
          <Banner tone="critical" title="The last sync failed">
            <Text as="p">{status.latest.error.summary}</Text>
          </Banner>
        ) : null}
        {status.warnings.length > 0 ? <Warnings warnings={status.warnings} /> : null}
      </BlockStack>
      <Modal
        open={confirmFull}
        onClose={() => setConfirmFull(false)}
        title="Run a full resync?"
        primaryAction={{
          content: "Run full resync",
          onAction: () => {
            setConfirmFull(false);
            action.submit({ intent: "full" }, { method: "post", action: SYNC_ROUTE });
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirmFull(false) }]}
      >
        <Modal.Section>
          <Text as="p">
            A full resync reads every product, customer and order from Shopify again, removes what Shopify no longer has
            and rebuilds the figures from what it read. On a large store it takes much longer than a sync of recent
            changes; the figures stay available while it runs.
          </Text>
        </Modal.Section>
      </Modal>
    </Card>
  );
}

/** A run in flight: its state, then per resource the records written, with a bar where Shopify's count is known. */
export function RunProgress({ run, locale }: { run: SyncRunView; locale: string }) {
  const badge = STATUS_BADGES[run.status];
  return (
    <BlockStack gap="200">
      <InlineStack gap="200" blockAlign="center">
        <Badge tone={badge.tone}>{badge.label}</Badge>
        <Text as="span" tone="subdued">
          {run.full ? "Full resync" : "Sync of recent changes"}
        </Text>
      </InlineStack>
      {run.status === "running"
        ? run.resources.map((resource) => <ResourceProgress key={resource.name} resource={resource} locale={locale} />)
        : null}
    </BlockStack>
  );
}

function ResourceProgress({ resource, locale }: { resource: SyncResourceView; locale: string }) {
  const label = RESOURCE_LABELS[resource.name];
  const done = resource.status === "done";
  const percent = done ? 100 : resource.total ? Math.min(100, (resource.fetched / resource.total) * 100) : null;
  const pages = `${formatCount(resource.pages, locale)} ${resource.pages === 1 ? "page" : "pages"}`;
  const text =
    resource.status === "forbidden"
      ? "Not available (protected customer data)"
      : resource.status === "pending"
        ? "Waiting"
        : resource.total !== null && !done
          ? `${formatCount(resource.fetched, locale)} of ${formatCount(resource.total, locale)} read · ${formatCount(resource.written, locale)} written · ${pages}`
          : `${formatCount(resource.written, locale)} written · ${pages}${done ? " · done" : ""}`;
  return (
    <BlockStack gap="100">
      <InlineStack align="space-between" blockAlign="center" gap="200">
        <Text as="span" fontWeight="semibold">
          {label}
        </Text>
        <InlineStack gap="200" blockAlign="center">
          {percent === null && resource.status === "running" ? (
            <Spinner size="small" accessibilityLabel={`Syncing ${label.toLowerCase()}`} />
          ) : null}
          <Text as="span" tone="subdued">
            {text}
          </Text>
        </InlineStack>
      </InlineStack>
      {percent === null ? null : <ProgressBar progress={percent} size="small" tone={done ? "success" : "highlight"} />}
    </BlockStack>
  );
}

/** One line for a page's header: when data was last synced, a run in flight, and the way to Syncs. */
export function SyncStatusLine({ status, locale, timezone }: SyncCardProps) {
  const run = status.current;
  return (
    <InlineStack gap="200" blockAlign="center" wrap>
      <Text as="span" tone="subdued">
        <LastSynced status={status} locale={locale} timezone={timezone} />
      </Text>
      {run ? (
        <Badge tone={STATUS_BADGES[run.status].tone}>{`Sync ${STATUS_BADGES[run.status].label.toLowerCase()}`}</Badge>
      ) : null}
      {!run && status.latest?.status === "failed" ? <Badge tone="critical">Last sync failed</Badge> : null}
      {status.warnings.length > 0 ? (
        <Tooltip content={status.warnings.join(" ")}>
          <Badge tone="warning">Some data missing</Badge>
        </Tooltip>
      ) : null}
      <Link url="/app/syncs" removeUnderline>
        Syncs
      </Link>
    </InlineStack>
  );
}

/** Warnings shown on the card: a few, then where the rest are (a run may list twenty records it skipped). */
const CARD_WARNINGS = 2;

function Warnings({ warnings }: { warnings: string[] }) {
  const shown = warnings.length > CARD_WARNINGS + 1 ? warnings.slice(0, CARD_WARNINGS) : warnings;
  const more = warnings.length - shown.length;
  return (
    <Banner tone="warning">
      <BlockStack gap="100">
        {shown.map((warning) => (
          <Text as="p" key={warning}>
            {warning}
          </Text>
        ))}
        {more > 0 ? (
          <Text as="p">
            {more} more {more === 1 ? "warning" : "warnings"} on <Link url="/app/syncs">the Syncs page</Link>.
          </Text>
        ) : null}
      </BlockStack>
    </Banner>
  );
}
