// How a sync ends other than with a status: stopped to be resumed, its lock lost, or refused.

export class SyncInterrupted extends Error {
  constructor() {
    super("The sync was stopped; it resumes from its last checkpoint.");
    this.name = "SyncInterrupted";
  }
}

/** The connection holding the shop's run lock was lost mid-run. */
export class LockLost extends Error {
  constructor(shop: string) {
    super(
      `The database connection holding the sync lock of ${shop} was lost; the sync stopped and resumes on the next run.`,
    );
    this.name = "LockLost";
  }
}

/** Refused: another process runs a sync of the shop right now. */
export class SyncAlreadyRunning extends Error {
  constructor(shop: string) {
    super(`A sync of ${shop} is already running.`);
    this.name = "SyncAlreadyRunning";
  }
}

/** A run stopped in `npm run sync` (Ctrl-C, or npm gone): it ends, and the next sync resumes its passes. */
export const STOPPED_FROM_CLI =
  "The sync was stopped from the command line before it finished; the next sync continues from its checkpoints.";
