// A sync's progress as a terminal shows it: one line, a bar per resource, the summary at the end.
import type { SyncProgress } from "./sync-progress.ts";

/** One line of progress for a terminal. */
export function formatProgress(progress: SyncProgress): string {
  const parts = Object.entries(progress.resources).map(([name, r]) => {
    const total = r?.total != null ? `/${r.total}` : "";
    return `${name} ${r?.fetched ?? 0}${total}`;
  });
  return `${progress.shop}: ${parts.join(", ")} · ${progress.apiCalls} calls, ${progress.throttled} throttled`;
}

/**
 * A progress bar per resource for a terminal, e.g. `orders     [########------------]  40%  8,000 of 20,000`;
 * a resource whose total Shopify has not counted yet shows its records read so far.
 */
export function formatProgressBars(progress: SyncProgress, width = 20): string {
  return Object.entries(progress.resources)
    .map(([name, r]) => {
      const read = (r?.fetched ?? 0).toLocaleString("en");
      if (r?.total == null) return `${name.padEnd(10)} ${" ".repeat(width + 7)}${read} read`;
      const share = r.total === 0 ? 1 : Math.min(1, (r.fetched ?? 0) / r.total);
      const filled = Math.round(share * width);
      const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
      return `${name.padEnd(10)} ${bar} ${`${Math.floor(share * 100)}%`.padStart(4)}  ${read} of ${r.total.toLocaleString("en")}`;
    })
    .join("\n");
}

/** The run's summary, as the operator CLI prints it. */
export function formatSummary(progress: SyncProgress): string {
  const seconds = ((progress.finishedAt ?? new Date()).getTime() - progress.startedAt.getTime()) / 1000;
  const lines = [`Sync ${progress.runId} of ${progress.shop}: ${progress.status} in ${seconds.toFixed(1)} s`];
  for (const [name, r] of Object.entries(progress.resources)) {
    if (!r) continue;
    lines.push(
      `  ${name.padEnd(10)} ${r.status.padEnd(9)} ${r.mode}${r.resumed ? " (resumed)" : ""}: ${r.pages} pages, ${r.fetched} fetched, ${r.written} written, ${r.unchanged} unchanged, ${r.skipped} skipped, ${r.deleted} deleted`,
    );
  }
  lines.push(`  API calls ${progress.apiCalls}, 429 responses ${progress.throttled}, retries ${progress.retries}`);
  for (const warning of progress.warnings) lines.push(`  warning: ${warning}`);
  if (progress.error) lines.push(`  error: ${progress.error}`);
  return lines.join("\n");
}
