import type { BadgeProps } from "@shopify/polaris";
import type { SyncResourceView, SyncRunStatus, SyncTriggerName } from "../insights/types.ts";

// The words the sync card and history use for runs, their triggers and resources.

export const RESOURCE_LABELS: Record<SyncResourceView["name"], string> = {
  products: "Products",
  customers: "Customers",
  orders: "Orders",
};

export const STATUS_BADGES: Record<SyncRunStatus, { label: string; tone: BadgeProps["tone"] }> = {
  queued: { label: "Queued", tone: "info" },
  running: { label: "Running", tone: "attention" },
  succeeded: { label: "Succeeded", tone: "success" },
  partial: { label: "Partly done", tone: "warning" },
  failed: { label: "Failed", tone: "critical" },
};

export const TRIGGER_LABELS: Record<SyncTriggerName, string> = {
  install: "Install",
  manual: "Sync button",
  schedule: "Schedule",
  cli: "Command line",
  webhook: "Webhook backlog",
};
