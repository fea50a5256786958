import type { SyncRun } from "@prisma/client";
import prisma from "../db.server.ts";
import { resolveShop } from "../shops/resolve.server.ts";
import { findShop, shopInfo } from "./shop.server.ts";
import { resources } from "../ingest/resources/index.ts";
import type {
  SyncHistoryReport,
  SyncResourceView,
  SyncRunStatus,
  SyncRunView,
  SyncStatusReport,
  SyncTriggerName,
} from "./types.ts";

// The shop's syncs as the merchant sees them: the last successful one, the run queued or running now
// with its progress per resource, and the history of runs. Read from sync_run, which the sync engine
// keeps current while it runs (app/ingest/sync-run.server.ts).

/** Runs the history page lists. */
export const HISTORY_RUNS = 50;

interface StoredResource {
  status?: SyncResourceView["status"];
  mode?: "full" | "incremental";
  total?: number | null;
  pages?: number;
  fetched?: number;
  written?: number;
  unchanged?: number;
  /** `unchanged` as runs stored it before the name changed. */
  stale?: number;
  skipped?: number;
  deleted?: number;
}

/**
 * A failed run's error in a merchant's words. The technical message (Shopify's status, request id,
 * the path) stays available behind it.
 */
export function explainSyncError(message: string): { summary: string; detail: string } {
  const status = /Shopify answered (\d{3})/.exec(message)?.[1] ?? (/\((\d{3})\)/.exec(message)?.[1] || null);
  let summary: string;
  if (/worker running this sync stopped|stopped from the command line/i.test(message)) {
    summary = "The sync stopped before it finished. The next sync continues from where it stopped.";
  } else if (/^No offline access token is stored/.test(message)) {
    summary =
      "The app had no access to the store. Opening the app from Shopify admin renews it, as this visit did: Sync now syncs again.";
  } else if (/^The stored access token of .* cannot be opened/.test(message)) {
    summary =
      "The app could not read its saved access to the store. Opening the app from Shopify admin renews it, as this visit did: Sync now syncs again.";
  } else if (/database connection .*was lost/i.test(message)) {
    summary = "The app lost its database connection during the sync. The next sync continues from where it stopped.";
  } else if (status === "401" || /access token/i.test(message)) {
    summary = "Shopify no longer accepts the app's access. Open the app from Shopify admin to renew it.";
  } else if (status === "402") {
    summary = "Shopify reports the store's plan is frozen or unpaid, so its data cannot be read.";
  } else if (status === "403") {
    summary = "Shopify refused access to some data: the app may need an approved scope.";
  } else if (status === "404") {
    summary = "Shopify could not find the store. It may have been closed or renamed.";
  } else if (status !== null && status.startsWith("5")) {
    summary = "Shopify had a temporary problem and the sync gave up after several tries. Try again later.";
  } else if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|timed out|network|socket|fetch failed/i.test(message)) {
    summary = "Shopify could not be reached. The sync will be tried again.";
  } else {
    summary = "The sync did not finish because of an unexpected error. The next sync tries again.";
  }
  return { summary, detail: message };
}

function resourceView(name: SyncResourceView["name"], stored: StoredResource | undefined): SyncResourceView {
  return {
    name,
    status: stored?.status ?? "pending",
    mode: stored?.mode ?? null,
    pages: stored?.pages ?? 0,
    fetched: stored?.fetched ?? 0,
    written: stored?.written ?? 0,
    unchanged: stored?.unchanged ?? stored?.stale ?? 0,
    skipped: stored?.skipped ?? 0,
    deleted: stored?.deleted ?? 0,
    total: stored?.total ?? null,
  };
}

export function runView(run: SyncRun, now: Date = new Date()): SyncRunView {
  const stored = (run.resources ?? {}) as Record<string, StoredResource | undefined>;
  const start = run.startedAt ?? null;
  const end = run.finishedAt ?? (run.status === "running" ? now : null);
  return {
    id: run.id,
    trigger: run.trigger as SyncTriggerName,
    full: run.full,
    status: run.status as SyncRunStatus,
    queuedAt: run.queuedAt.toISOString(),
    startedAt: start?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    seconds: start && end ? Math.max(0, (end.getTime() - start.getTime()) / 1000) : null,
    resources: resources.map(({ name }) => resourceView(name, stored[name])),
    apiCalls: run.apiCalls,
    throttled: run.throttled,
    retries: run.retries,
    warnings: Array.isArray(run.warnings) ? (run.warnings as string[]) : [],
    error: run.status === "failed" && run.error ? explainSyncError(run.error) : null,
  };
}

/** The card's figures: last success, the run now, the latest that ended. */
export async function syncStatus(shopDomain: string, now: Date = new Date()): Promise<SyncStatusReport> {
  const shop = await resolveShop(prisma, shopDomain, { includeUninstalled: true });
  if (!shop) return { lastSuccessAt: null, current: null, latest: null, warnings: [] };
  const [success, current, latest] = await Promise.all([
    prisma.syncRun.findFirst({
      where: { shopId: shop.id, status: { in: ["succeeded", "partial"] } },
      orderBy: { queuedAt: "desc" },
      select: { finishedAt: true },
    }),
    prisma.syncRun.findFirst({
      where: { shopId: shop.id, status: { in: ["queued", "running"] } },
      orderBy: { queuedAt: "desc" },
    }),
    prisma.syncRun.findFirst({
      where: { shopId: shop.id, status: { in: ["succeeded", "partial", "failed"] } },
      orderBy: { queuedAt: "desc" },
    }),
  ]);
  const latestView = latest ? runView(latest, now) : null;
  return {
    lastSuccessAt: success?.finishedAt?.toISOString() ?? null,
    current: current ? runView(current, now) : null,
    latest: latestView,
    warnings: latestView?.warnings ?? [],
  };
}

/** The history page: the last HISTORY_RUNS runs, newest first. */
export async function syncHistory(shopDomain: string, now: Date = new Date()): Promise<SyncHistoryReport> {
  const shop = await findShop(shopDomain);
  const [status, runs] = await Promise.all([
    syncStatus(shopDomain, now),
    prisma.syncRun.findMany({ where: { shopId: shop.id }, orderBy: { queuedAt: "desc" }, take: HISTORY_RUNS }),
  ]);
  return { shop: shopInfo(shop), status, runs: runs.map((run) => runView(run, now)) };
}
