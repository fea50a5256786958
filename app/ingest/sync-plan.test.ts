import { describe, expect, it } from "vitest";
import { deletionEventsSince, planPass, WATERMARK_OVERLAP_MS, type Checkpoint } from "./sync-plan.ts";

const shopClock = new Date("2026-11-20T12:00:00Z");
const watermark = new Date("2026-11-19T08:00:00Z");
const passStartedAt = new Date("2026-11-20T09:00:00Z");
const passOpenedAt = new Date("2026-11-20T09:00:01Z");

/** A resource whose last pass completed at `watermark`, with no pass in flight. */
const completed: Checkpoint = {
  watermark,
  cursor: null,
  passFull: null,
  passSince: null,
  passStartedAt: null,
  passOpenedAt: null,
};
const inFlight = (full: boolean, overrides: Partial<Checkpoint> = {}): Checkpoint => ({
  ...completed,
  cursor: "page-7",
  passFull: full,
  passSince: full ? null : new Date(watermark.getTime() - WATERMARK_OVERLAP_MS),
  passStartedAt,
  passOpenedAt,
  ...overrides,
});

describe("planning a pass", () => {
  it("reads everything on a resource's first sync, and may reconcile once it completes", () => {
    expect(planPass(null, { full: false, shopClock })).toEqual({
      mode: "full",
      resumed: false,
      cursor: null,
      updatedAtMin: null,
      startedAt: null,
      eventsSince: shopClock,
      firstImport: true,
      mayReconcile: true,
    });
  });

  it("after a completed pass, reads what changed since its start less the overlap, and removes nothing", () => {
    const plan = planPass(completed, { full: false, shopClock });
    expect(plan).toMatchObject({ mode: "incremental", resumed: false, cursor: null, firstImport: false });
    expect(plan.updatedAtMin).toEqual(new Date(watermark.getTime() - 2 * 60_000));
    expect(plan.mayReconcile).toBe(false);
  });

  it("reads everything again when a full pass is asked for, which is no first import", () => {
    expect(planPass(completed, { full: true, shopClock })).toMatchObject({
      mode: "full",
      resumed: false,
      updatedAtMin: null,
      firstImport: false,
      mayReconcile: true,
    });
  });

  it("resumes a pass in flight from its cursor, with its filter and its start", () => {
    const checkpoint = inFlight(false);
    expect(planPass(checkpoint, { full: false, shopClock })).toMatchObject({
      mode: "incremental",
      resumed: true,
      cursor: "page-7",
      updatedAtMin: checkpoint.passSince,
      startedAt: passStartedAt,
      mayReconcile: false,
    });
  });

  it("resumes a full pass in flight whether or not a full pass is asked for", () => {
    for (const full of [false, true]) {
      expect(planPass(inFlight(true), { full, shopClock })).toMatchObject({
        mode: "full",
        resumed: true,
        cursor: "page-7",
        updatedAtMin: null,
        mayReconcile: true,
      });
    }
  });

  it("drops an incremental pass in flight when a full pass is asked for", () => {
    expect(planPass(inFlight(false), { full: true, shopClock })).toMatchObject({
      mode: "full",
      resumed: false,
      cursor: null,
      updatedAtMin: null,
      startedAt: null,
    });
  });

  it("resumes an interrupted first import as a first import", () => {
    expect(planPass(inFlight(true, { watermark: null }), { full: false, shopClock })).toMatchObject({
      resumed: true,
      firstImport: true,
    });
  });

  it("lets a resumed full pass reconcile only when its start on the database's clock was kept", () => {
    expect(planPass(inFlight(true, { passOpenedAt: null }), { full: false, shopClock }).mayReconcile).toBe(false);
  });

  it("starts the deletions cursor at the pass in flight's start when it is earlier than the run's", () => {
    expect(planPass(inFlight(true), { full: false, shopClock }).eventsSince).toEqual(passStartedAt);
    const later = new Date(shopClock.getTime() + 1000);
    expect(planPass(inFlight(true, { passStartedAt: later }), { full: false, shopClock }).eventsSince).toEqual(
      shopClock,
    );
    expect(planPass(completed, { full: false, shopClock }).eventsSince).toEqual(shopClock);
  });
});

describe("where deletion events are read from", () => {
  it("is the oldest cursor less the overlap", () => {
    const older = new Date("2026-11-18T00:00:00Z");
    expect(deletionEventsSince([watermark, older], 2)).toEqual(new Date(older.getTime() - WATERMARK_OVERLAP_MS));
  });

  it("is nothing while a resource with events has no cursor yet", () => {
    expect(deletionEventsSince([watermark, null], 2)).toBeNull();
    expect(deletionEventsSince([watermark], 2)).toBeNull();
  });
});
