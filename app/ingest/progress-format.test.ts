import { describe, expect, it } from "vitest";
import { formatProgressBars } from "./progress-format.ts";
import type { ResourceProgress, SyncProgress } from "./sync-progress.ts";

const resource = (fetched: number, total: number | null): ResourceProgress => ({
  status: "running",
  mode: "full",
  resumed: false,
  total,
  pages: 0,
  fetched,
  written: fetched,
  unchanged: 0,
  skipped: 0,
  deleted: 0,
});

const progress = (resources: SyncProgress["resources"]): SyncProgress => ({
  runId: 1,
  shop: "demo.myshopify.com",
  status: "running",
  resources,
  apiCalls: 0,
  throttled: 0,
  retries: 0,
  warnings: [],
  error: null,
  readModelSeconds: 0,
  startedAt: new Date(0),
  finishedAt: null,
});

describe("progress bars", () => {
  it("show each resource's share of Shopify's count, or what was read while it is not counted", () => {
    const lines = formatProgressBars(
      progress({ orders: resource(8000, 20000), products: resource(150, 150), customers: resource(250, null) }),
      10,
    ).split("\n");
    expect(lines).toEqual([
      "orders     [####------]  40%  8,000 of 20,000",
      "products   [##########] 100%  150 of 150",
      "customers                   250 read",
    ]);
  });

  it("never run past full, and count an empty resource as done", () => {
    const [over, empty] = formatProgressBars(progress({ orders: resource(30, 20), products: resource(0, 0) }), 4).split(
      "\n",
    );
    expect(over).toBe("orders     [####] 100%  30 of 20");
    expect(empty).toBe("products   [####] 100%  0 of 0");
  });
});
