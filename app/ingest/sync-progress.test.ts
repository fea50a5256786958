import { describe, expect, it } from "vitest";
import { readStoredResources, noteSkippedRecord, SKIPPED_RECORDS_LISTED, type SyncProgress } from "./sync-progress.ts";

const entry = { status: "done", mode: "full", resumed: false, total: 3, pages: 1, fetched: 3, written: 1 };

describe("stored progress", () => {
  it("reads the count of records not written from runs stored before and after it was named unchanged", () => {
    const resources = readStoredResources({
      orders: { ...entry, stale: 2, skipped: 0, deleted: 0 },
      products: { ...entry, unchanged: 2, skipped: 0, deleted: 0 },
    });
    expect(resources.orders).toEqual({ ...entry, unchanged: 2, skipped: 0, deleted: 0 });
    expect(resources.products).toEqual(resources.orders);
  });

  it("reads a run that stored no resources yet", () => {
    expect(readStoredResources({})).toEqual({});
    expect(readStoredResources(null)).toEqual({});
  });
});

describe("noteSkippedRecord", () => {
  it("lists the first records by resource, id and reason, then counts the rest in one line", () => {
    const progress = { warnings: ["an earlier warning"] } as SyncProgress;
    noteSkippedRecord(progress, "orders", "450789469", "total_price: 100000000000000000000 is beyond …");
    expect(progress.warnings[1]).toBe(
      "Order 450789469 was not imported: total_price: 100000000000000000000 is beyond ….",
    );
    for (let i = 1; i < SKIPPED_RECORDS_LISTED + 25; i++) noteSkippedRecord(progress, "customers", String(i), "x");
    progress.warnings.push("a later warning");
    noteSkippedRecord(progress, "products", null, "x");
    expect(progress.warnings).toHaveLength(1 + SKIPPED_RECORDS_LISTED + 1 + 1);
    expect(progress.warnings[SKIPPED_RECORDS_LISTED]).toBe("Customer 19 was not imported: x.");
    expect(progress.warnings[SKIPPED_RECORDS_LISTED + 1]).toBe(
      "…and 26 more records were not imported (the sync's log lists each).",
    );
  });
});
