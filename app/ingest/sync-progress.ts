// What a sync reports while it runs and keeps in sync_run: the shapes every module of the engine, the
// CLI and the insights pages share, and a stored run read back in that shape. No server code, so
// terminal formatting can import it too.
import type { SyncRun } from "@prisma/client";
import type { ResourceName } from "./resources/names.ts";

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

/** Records not imported that a run lists by id in its warnings; the rest are counted in one line. */
export const SKIPPED_RECORDS_LISTED = 20;

/** What a merchant reads for a record the app could not store, e.g. "Order 450789469 was not imported: …". */
export function skippedRecordWarning(resource: ResourceName, id: string | null, reason: string): string {
  const noun = resource.charAt(0).toUpperCase() + resource.slice(1).replace(/s$/, "");
  return `${noun} ${id ?? "without an id"} was not imported: ${reason}.`;
}

/** The line standing for the records past SKIPPED_RECORDS_LISTED. */
export function moreSkippedWarning(more: number): string {
  return `…and ${more} more ${more === 1 ? "record was" : "records were"} not imported (the sync's log lists each).`;
}

/** Per run: how many skipped records its warnings list, and where the line counting the rest is. */
const skippedListed = new WeakMap<SyncProgress, { listed: number; more: number; line: number }>();

/**
 * A record the run could not store, into its warnings (shown on the Syncs page): the first
 * SKIPPED_RECORDS_LISTED by resource, id and reason, then one line counting the rest, so a store full
 * of bad records cannot bloat the run's row.
 */
export function noteSkippedRecord(
  progress: SyncProgress,
  resource: ResourceName,
  id: string | null,
  reason: string,
): void {
  let state = skippedListed.get(progress);
  if (!state) skippedListed.set(progress, (state = { listed: 0, more: 0, line: -1 }));
  if (state.listed < SKIPPED_RECORDS_LISTED) {
    state.listed++;
    progress.warnings.push(skippedRecordWarning(resource, id, reason));
    return;
  }
  state.more++;
  if (state.line < 0) state.line = progress.warnings.push(moreSkippedWarning(state.more)) - 1;
  else progress.warnings[state.line] = moreSkippedWarning(state.more);
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
