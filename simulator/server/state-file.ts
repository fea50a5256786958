// The state file of a running simulator (`state` option): read when it starts, its shops generated
// and its entries replayed on start, then appended to with every change while it runs.
import type { AuthRegistry } from "../auth.ts";
import { StateJournal, loadState, specDifferences, storedApp } from "../state.ts";
import type { LoadedState, NewStateEntry, StateEntry, StateHeader, StoreOp } from "../state.ts";
import type { Store } from "../store.ts";
import type { AppSpec, ShopInfo, ShopSpec, SimulatorOptions, StateInfo } from "../types.ts";
import { applyStoreOp } from "./store-ops.ts";

/** What a restore fills: the server's shops and apps, and its way of adding a shop unrecorded. */
export interface RestoreTarget {
  shops: Map<string, Store>;
  auth: AuthRegistry;
  addShop(spec: ShopSpec): ShopInfo;
}

export class StateFile {
  /** The file as read at construction; null without the `state` option. */
  private loaded: LoadedState | null = null;
  private journal: StateJournal | null = null;
  /** While the file is replayed: no webhooks, no journal lines. */
  replaying = false;
  private readonly options: SimulatorOptions;

  /** Reads the file at once, so that an unusable one fails before anything is started. */
  constructor(options: SimulatorOptions) {
    this.options = options;
    if (options.state) this.loaded = loadState(options.state);
  }

  /** The apps to start with: the file's when it has a header, with this run's webhook subscriptions. */
  apps(given: AppSpec[]): AppSpec[] {
    const header = this.loaded?.header;
    if (!header) return given;
    // the stored apps, with this run's webhook subscriptions (those are not part of the state)
    const byKey = new Map(given.map((a) => [a.apiKey, a]));
    return header.apps.map((a) => ({ ...a, webhooks: byKey.get(a.apiKey)?.webhooks ?? [] }));
  }

  /** True when the shops come from the file rather than from the options. */
  get active(): boolean {
    return this.loaded !== null;
  }

  /**
   * Generates the shops of the file's header, replays its entries in order (each store mutation at
   * its recorded shop time, no webhooks) and opens it for appending; without a header the file is
   * started with this run's shops and apps. Synchronous, so no request sees a store half restored.
   */
  restore(target: RestoreTarget): StateInfo {
    const file = this.options.state!;
    const loaded = this.loaded!;
    const warnings = [...loaded.warnings];
    const header = loaded.header;
    const givenShops = this.options.shops ?? [];
    const givenApps = this.options.apps ?? [];
    const shops = header ? header.shops : givenShops;
    for (const spec of shops) target.addShop(spec);
    if (header && (givenShops.length > 0 || givenApps.length > 0)) {
      const diff = specDifferences(header, givenShops, givenApps);
      if (diff.length)
        warnings.push(
          `state file ${file}: using the shops and apps it was started with, not this run's (${diff.join("; ")})`,
        );
    }
    let lastN = 0;
    const lastAt = new Map<Store, number>();
    this.replaying = true;
    try {
      for (const entry of loaded.entries) {
        lastN = Math.max(lastN, entry.n);
        const problem = this.replay(target, entry, lastAt);
        if (problem) warnings.push(`state file ${file}: entry ${entry.n} (${entry.op}) ${problem}`);
      }
    } finally {
      this.replaying = false;
    }
    for (const [store, at] of lastAt) store.resumeClock(at);
    const fresh: StateHeader | null = header
      ? null
      : {
          format: "shopify-simulator-state",
          version: 1,
          createdAt: new Date().toISOString(),
          shops: givenShops,
          apps: givenApps.map(storedApp),
        };
    this.journal = new StateJournal(file, fresh, lastN);
    target.auth.onFact = (fact) => this.record({ op: "auth", fact });
    return {
      file,
      restored: header !== null,
      changes: loaded.entries.length,
      shops: [...target.shops.values()].map((st) => st.spec),
      apps: [...target.auth.apps.values()].map((a) => storedApp(a)),
      warnings,
    };
  }

  /** Applies one entry; returns what went differently from the recorded run, if anything. */
  private replay(target: RestoreTarget, entry: StateEntry, lastAt: Map<Store, number>): string | null {
    switch (entry.op) {
      case "auth":
      case "addShop":
      case "addApp":
        try {
          if (entry.op === "auth") target.auth.applyFact(entry.fact);
          else if (entry.op === "addShop") target.addShop(entry.spec);
          else target.auth.addApp(entry.spec);
        } catch (e) {
          return `failed on replay: ${(e as Error).message}`;
        }
        return null;
      default: {
        const store = target.shops.get(entry.shop);
        if (!store) return `names unknown shop ${entry.shop}; skipped`;
        lastAt.set(store, Math.max(lastAt.get(store) ?? 0, entry.at));
        let failed = false;
        try {
          store.atTime(entry.at, () => applyStoreOp(store, entry.op, entry.args));
        } catch {
          failed = true;
        }
        if (failed === (entry.failed === true)) return null;
        return failed ? "failed on replay but had succeeded" : "succeeded on replay but had failed";
      }
    }
  }

  record(entry: NewStateEntry): void {
    if (this.journal && !this.replaying) this.journal.append(entry);
  }

  /**
   * A store mutation. With a state file it runs with the shop clock pinned to one instant and on a
   * JSON copy of its arguments, exactly as a replay will run it, and its journal line is written
   * before anything (a webhook, the answer) leaves the process.
   */
  mutate(store: Store, op: StoreOp, args: unknown[]): unknown {
    if (!this.journal) return applyStoreOp(store, op, args);
    const recorded = JSON.parse(JSON.stringify(args)) as unknown[];
    const live = JSON.parse(JSON.stringify(args)) as unknown[];
    const at = store.nowSec();
    let failed = false;
    try {
      return store.atTime(at, () => applyStoreOp(store, op, live));
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      this.record({ op, shop: store.name, at, args: recorded, ...(failed ? { failed: true as const } : {}) });
    }
  }

  close(): void {
    if (this.journal) {
      this.journal.close();
      this.journal = null;
    }
  }
}
