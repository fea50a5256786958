// The state file behind `--state FILE`: JSON lines, a header naming the shops and apps the stores
// were generated from, then one line per change in the order it happened. Generation is seeded, so
// the header plus the changes replayed in order give back the same stores, and the auth facts give
// back the same installations and tokens.
import { closeSync, existsSync, openSync, readFileSync, truncateSync, writeSync } from "node:fs";
import type { AuthFact } from "./auth.ts";
import type { AppSpec, ShopSpec } from "./types.ts";

export const STATE_FORMAT = "shopify-simulator-state";
export const STATE_VERSION = 1;

export interface StateHeader {
  format: typeof STATE_FORMAT;
  version: number;
  createdAt: string;
  shops: ShopSpec[];
  apps: AppSpec[];
}

/** Mutations of one shop's store, as named in the journal. */
export const STORE_OPS = [
  "createOrder",
  "updateOrder",
  "deleteOrder",
  "refundOrder",
  "cancelOrder",
  "createProduct",
  "updateProduct",
  "deleteProduct",
  "createCustomer",
  "updateCustomer",
  "deleteCustomer",
  "setPlan",
  "setProtectedCustomerData",
] as const;
export type StoreOp = (typeof STORE_OPS)[number];

/**
 * `at` is the shop clock (epoch seconds) the mutation ran at; `failed` marks one that answered an
 * error, which is replayed too because some fail after changing part of the store.
 */
export interface StoreEntry {
  n: number;
  op: StoreOp;
  shop: string;
  at: number;
  args: unknown[];
  failed?: true;
}

export type StateEntry =
  | StoreEntry
  | { n: number; op: "auth"; fact: AuthFact }
  | { n: number; op: "addShop"; spec: ShopSpec }
  | { n: number; op: "addApp"; spec: AppSpec };

/** Distributes Omit over the union so each entry keeps its own fields. */
export type NewStateEntry = StateEntry extends infer E ? (E extends StateEntry ? Omit<E, "n"> : never) : never;

/** A state file that cannot be used; the message is one line meant for the person running it. */
export class StateFileError extends Error {}

/** header null: nothing to restore. */
export interface LoadedState {
  header: StateHeader | null;
  entries: StateEntry[];
  warnings: string[];
}

function isStoreOp(op: unknown): op is StoreOp {
  return (STORE_OPS as readonly unknown[]).includes(op);
}

function validEntry(v: unknown): v is StateEntry {
  if (!v || typeof v !== "object") return false;
  const e = v as Record<string, unknown>;
  if (typeof e.n !== "number") return false;
  if (e.op === "auth") return !!e.fact && typeof e.fact === "object";
  if (e.op === "addShop" || e.op === "addApp") return !!e.spec && typeof e.spec === "object";
  return isStoreOp(e.op) && typeof e.shop === "string" && typeof e.at === "number" && Array.isArray(e.args);
}

/**
 * Reads a state file. Returns null when there is nothing to restore (no file, an empty one, or only a
 * header cut short). A last line cut short by a crash (no newline, or not JSON) is dropped with a
 * warning and cut off the file, so that the next append starts on a line of its own; anything else
 * unreadable is a StateFileError.
 */
export function loadState(file: string): LoadedState {
  const warnings: string[] = [];
  if (!existsSync(file)) return { header: null, entries: [], warnings };
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new StateFileError(`cannot read state file ${file}: ${(e as Error).message}`);
  }
  const lines: { text: string; end: number; terminated: boolean }[] = [];
  let start = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, start);
    const end = nl < 0 ? buf.length : nl + 1;
    lines.push({ text: buf.toString("utf8", start, nl < 0 ? buf.length : nl), end, terminated: nl >= 0 });
    start = end;
  }
  let goodBytes = 0;
  let header: StateHeader | null = null;
  const entries: StateEntry[] = [];
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    const last = k === lines.length - 1;
    let value: unknown;
    let ok = line.terminated;
    if (ok) {
      try {
        value = JSON.parse(line.text);
      } catch {
        ok = false;
      }
    }
    if (k === 0) {
      const h = value as Partial<StateHeader> | undefined;
      if (ok && (!h || h.format !== STATE_FORMAT))
        throw new StateFileError(`${file} is not a simulator state file (its first line is not a state header)`);
      if (ok && h!.version !== STATE_VERSION)
        throw new StateFileError(
          `${file} is a state file of version ${h!.version}; this simulator reads ${STATE_VERSION}`,
        );
      if (!ok && !last)
        throw new StateFileError(`${file} is not a simulator state file (its first line is not a state header)`);
    } else if (ok && !validEntry(value)) {
      if (!last) throw new StateFileError(`${file}: line ${k + 1} is not a state entry`);
      ok = false;
    } else if (!ok && !last) {
      throw new StateFileError(`${file}: line ${k + 1} is not valid JSON`);
    }
    if (!ok) {
      warnings.push(
        k === 0
          ? `state file ${file}: its header was cut short; starting afresh`
          : `state file ${file}: ignoring its last line, cut short (${line.text.length} characters): ${line.text.slice(0, 60)}`,
      );
      break;
    }
    if (k === 0) header = value as StateHeader;
    else entries.push(value as StateEntry);
    goodBytes = line.end;
  }
  if (goodBytes < buf.length) truncateSync(file, goodBytes);
  return { header, entries: header ? entries : [], warnings };
}

/** Appends entries, one write per line: a process killed mid-mutation loses at most that line. */
export class StateJournal {
  readonly file: string;
  private fd: number;
  private next: number;

  /** With a header the file is started afresh; without one it is appended to after entry lastN. */
  constructor(file: string, header: StateHeader | null, lastN: number) {
    this.file = file;
    this.next = lastN + 1;
    this.fd = openSync(file, header ? "w" : "a");
    if (header) writeSync(this.fd, JSON.stringify(header) + "\n");
  }

  append(entry: NewStateEntry): void {
    writeSync(this.fd, JSON.stringify({ n: this.next++, ...entry }) + "\n");
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** JSON with object keys sorted, for comparing specs regardless of how they were written. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/** What of an app is kept: its identity and grants. Webhook subscriptions belong to each run. */
export function storedApp(app: AppSpec): AppSpec {
  const out: AppSpec = { apiKey: app.apiKey, apiSecret: app.apiSecret, scopes: [...app.scopes] };
  if (app.apiVersion !== undefined) out.apiVersion = app.apiVersion;
  return out;
}

/**
 * Differences between the specs a state file was written with and this run's, as short phrases
 * ("shop demo: now 2026-01-01T00:00:00Z, given 2026-02-01T00:00:00Z"); empty when they agree.
 */
export function specDifferences(stored: StateHeader, shops: ShopSpec[], apps: AppSpec[]): string[] {
  const out: string[] = [];
  const byName = <T>(list: T[], key: (x: T) => string) => new Map(list.map((x) => [key(x), x]));
  const compare = (label: string, a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined) => {
    if (!a) return void out.push(`${label} is not in the state file`);
    if (!b) return void out.push(`${label} is in the state file only`);
    const show = (v: unknown) => (v === undefined ? "unset" : canonical(v));
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      if (show(a[k]) === show(b[k])) continue;
      // a secret is named, never printed
      if (k === "apiSecret") out.push(`${label}: another apiSecret given`);
      else out.push(`${label}: ${k} ${show(a[k])} in the file, ${show(b[k])} given`);
    }
  };
  const storedShops = byName(stored.shops, (s) => s.name);
  const givenShops = byName(shops, (s) => s.name);
  for (const name of new Set([...storedShops.keys(), ...givenShops.keys()]))
    compare(
      `shop ${name}`,
      storedShops.get(name) as Record<string, unknown> | undefined,
      givenShops.get(name) as Record<string, unknown> | undefined,
    );
  const storedApps = byName(stored.apps.map(storedApp), (a) => a.apiKey);
  const givenApps = byName(apps.map(storedApp), (a) => a.apiKey);
  for (const key of new Set([...storedApps.keys(), ...givenApps.keys()]))
    compare(
      `app ${key}`,
      storedApps.get(key) as Record<string, unknown> | undefined,
      givenApps.get(key) as Record<string, unknown> | undefined,
    );
  return out;
}
