import { describe, expect, it } from "vitest";
import { readStoredResources } from "./sync-progress.ts";

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
