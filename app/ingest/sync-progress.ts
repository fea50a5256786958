// What a sync reports while it runs and keeps in sync_run: the shapes every module of the engine, the
// CLI and the insights pages share, and a stored run read back in that shape. No server code, so
// terminal formatting can import it too.
import type { SyncRun } from "@prisma/client";
import type { ResourceName } from "./upsert.server.ts";

export type SyncTrigger = "install" | "manual" | "schedule" | "cli" | "webhook";
export type SyncStatus = "queued" | "running" | "succeeded" | "partial" | "failed";

export const PROTECTED_DATA_WARNING =
  "Customer data needs Shopify's protected customer data approval: customers were not imported; orders keep their customer ids.";

export interface ResourceProgress {
  status: "pending" | "running" | "done" | "forbidden" | "failed";
  mode: "full" | "incremental";
  resumed: boolean;
  /** Shopify's count for a full pass; null when not known (incremental passes). */
  total: number | null;
  pages: number;
  fetched: number;
  written: number;
  /** Records not written: the stored version was as new or newer, or the record was deleted. */
  unchanged: number;
  skipped: number;
  deleted: number;
}

export interface SyncProgress {
  runId: number;
  shop: string;
  status: SyncStatus;
  resources: Partial<Record<ResourceName, ResourceProgress>>;
  apiCalls: number;
  throttled: number;
  retries: number;
  warnings: string[];
  error: string | null;
  /** Seconds spent building the insights read model from the rows (first import, full resync). */
  readModelSeconds: number;
  startedAt: Date;
  finishedAt: Date | null;
}

/** Runs `work`, a build of the insights read model, adding its time to the run's. */
export async function timeReadModel(progress: SyncProgress, work: () => Promise<void>): Promise<void> {
  const started = performance.now();
  try {
    await work();
  } finally {
    progress.readModelSeconds += (performance.now() - started) / 1000;
  }
}

/** A resource's entry as sync_run.resources holds it, from any version of the app. */
export type StoredResourceProgress = Partial<ResourceProgress> & {
  /** What runs recorded before `unchanged` had its name; never written now. */
  stale?: number;
};

/**
 * sync_run.resources read back as progress. Runs stored before the rename carry `stale` where newer
 * ones carry `unchanged`; both read as `unchanged`, so old rows need no migration.
 */
export function readStoredResources(stored: unknown): SyncProgress["resources"] {
  const resources: SyncProgress["resources"] = {};
  for (const [name, entry] of Object.entries((stored ?? {}) as Record<string, StoredResourceProgress | undefined>)) {
    if (!entry) continue;
    const { stale, ...rest } = entry;
    resources[name as ResourceName] = { ...rest, unchanged: rest.unchanged ?? stale ?? 0 } as ResourceProgress;
  }
  return resources;
}

/** A stored SyncRun in the shape of the engine's progress report. */
export function progressOfRun(run: SyncRun, shop: string): SyncProgress {
  return {
    runId: run.id,
    shop,
    status: run.status as SyncProgress["status"],
    resources: readStoredResources(run.resources),
    apiCalls: run.apiCalls,
    throttled: run.throttled,
    retries: run.retries,
    warnings: run.warnings as string[],
    error: run.error,
    readModelSeconds: 0, // not stored
    startedAt: run.startedAt ?? run.queuedAt,
    finishedAt: run.finishedAt,
  };
}
