// What a resource's next pass reads, decided from where its sync stands, what was asked for and
// Shopify's clock. Pure: the engine reads the checkpoint, plans, then acts on the plan.

/** How far back of the last pass's start an incremental pass looks, for clock skew and late writes. */
export const WATERMARK_OVERLAP_MS = 2 * 60_000;
/** Records a page asks for: the most Shopify's REST Admin API returns. */
export const PAGE_SIZE = 250;

/** Where a resource's sync stands (its sync_state row): the fields planning reads. */
export interface Checkpoint {
  /** The start, on Shopify's clock, of the last pass that completed. */
  watermark: Date | null;
  /** The next page of the pass in flight; null when no pass is in flight. */
  cursor: string | null;
  passFull: boolean | null;
  passSince: Date | null;
  /** The pass in flight's start on Shopify's clock (its first page's Date). */
  passStartedAt: Date | null;
  /** The pass in flight's start on the database's clock; null for one opened before it was kept. */
  passOpenedAt: Date | null;
}

export interface PassRequest {
  /** A full pass was asked for (`--full`, a "full" job). */
  full: boolean;
  /** The run's start on Shopify's clock (shop.json's Date). */
  shopClock: Date;
}

export interface PassPlan {
  mode: "full" | "incremental";
  /** Continues the pass in flight from `cursor` rather than starting one. */
  resumed: boolean;
  cursor: string | null;
  /** Shopify's updated_at_min for the pass; null reads every record. */
  updatedAtMin: Date | null;
  /** A resumed pass's start on Shopify's clock; a new pass takes its first page's Date. */
  startedAt: Date | null;
  /** Where the resource's deletions cursor starts, if it has none yet. */
  eventsSince: Date;
  /** No pass of the resource has completed yet: this one is its first import. */
  firstImport: boolean;
  /** Once complete, the pass may remove the shop's rows it neither wrote nor confirmed. */
  mayReconcile: boolean;
}

export function planPass(checkpoint: Checkpoint | null, request: PassRequest): PassPlan {
  const { watermark = null, cursor = null } = checkpoint ?? {};
  // Continue a pass in flight unless a full pass was asked for and the one in flight is incremental.
  const resumed = cursor !== null && !(request.full && !checkpoint?.passFull);
  const full = resumed ? Boolean(checkpoint?.passFull) : request.full || !watermark;
  const updatedAtMin = resumed
    ? (checkpoint?.passSince ?? null)
    : full
      ? null
      : new Date(watermark!.getTime() - WATERMARK_OVERLAP_MS);
  // A pass in flight may have read pages before this run: deletions since its start still count.
  const passStartedAt = checkpoint?.passStartedAt ?? null;
  const eventsSince = passStartedAt && passStartedAt < request.shopClock ? passStartedAt : request.shopClock;
  return {
    mode: full ? "full" : "incremental",
    resumed,
    cursor: resumed ? cursor : null,
    updatedAtMin,
    startedAt: resumed ? passStartedAt : null,
    eventsSince,
    firstImport: full && !watermark,
    // A resumed pass without its database start cannot tell old rows from ones it confirmed.
    mayReconcile: full && (!resumed || checkpoint?.passOpenedAt != null),
  };
}

/**
 * Where reading deletion events starts: the oldest deletions cursor of the resources with events,
 * less the overlap; null while any of them has none (its first pass has not opened yet).
 */
export function deletionEventsSince(cursors: readonly (Date | null)[], resources: number): Date | null {
  const since = cursors.filter((d): d is Date => d !== null);
  if (since.length !== resources) return null;
  return new Date(Math.min(...since.map((d) => d.getTime())) - WATERMARK_OVERLAP_MS);
}
