// REST Admin API: query parsing, cursor pagination and resource endpoints.
import type { EventRecord, OrderQuery, SimpleQuery, Store } from "./store.ts";
import { SimError } from "./store.ts";
import type { JsonObject } from "./types.ts";
import { parseTimestamp } from "./time.ts";

export const MAX_LIMIT = 250;
export const DEFAULT_LIMIT = 50;

export type ListResource = "orders" | "products" | "customers" | "events";

export const ERR_NOT_FOUND = { errors: "Not Found" };
export const ERR_UNAUTHORIZED = {
  errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
};
export const ERR_PROTECTED = {
  errors:
    "[API] This app is not approved to access REST endpoints with protected customer data. See https://shopify.dev/docs/apps/launch/protected-customer-data for more details.",
};
export function scopeError(scope: string): JsonObject {
  return { errors: `[API] This action requires merchant approval for ${scope} scope.` };
}

function bad(param: string, message = "Invalid value."): SimError {
  return new SimError(400, { errors: { [param]: message } });
}

const FILTER_KEYS: Record<ListResource, string[]> = {
  orders: [
    "ids",
    "since_id",
    "created_at_min",
    "created_at_max",
    "updated_at_min",
    "updated_at_max",
    "processed_at_min",
    "processed_at_max",
    "status",
    "financial_status",
    "fulfillment_status",
  ],
  customers: ["ids", "since_id", "created_at_min", "created_at_max", "updated_at_min", "updated_at_max"],
  products: [
    "ids",
    "since_id",
    "created_at_min",
    "created_at_max",
    "updated_at_min",
    "updated_at_max",
    "status",
    "vendor",
    "product_type",
    "handle",
    "title",
  ],
  events: ["since_id", "created_at_min", "created_at_max", "filter", "verb"],
};

interface Cursor {
  dir: "next" | "prev";
  id: number;
}

interface PageToken {
  r: ListResource;
  d: "next" | "prev";
  id: number;
  q: string;
}

export function encodePageInfo(t: PageToken): string {
  return Buffer.from(JSON.stringify(t)).toString("base64url");
}

function decodePageInfo(s: string, resource: ListResource): PageToken | null {
  try {
    const t = JSON.parse(Buffer.from(s, "base64url").toString("utf8")) as PageToken;
    if (t.r !== resource || (t.d !== "next" && t.d !== "prev") || typeof t.id !== "number" || typeof t.q !== "string")
      return null;
    return t;
  } catch {
    return null;
  }
}

export interface ListRequest {
  limit: number;
  fields: string[] | null;
  fieldsRaw: string | null;
  filters: URLSearchParams;
  cursor: Cursor | null;
}

/** Validates limit / fields / page_info the way the REST Admin API does. */
export function parseListRequest(params: URLSearchParams, resource: ListResource): ListRequest {
  const limitRaw = params.get("limit");
  let limit = DEFAULT_LIMIT;
  if (limitRaw !== null) {
    const n = Number(limitRaw);
    if (limitRaw.trim() === "" || !Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
      throw bad("limit", `limit must be an integer between 1 and ${MAX_LIMIT}`);
    }
    limit = n;
  }
  const fieldsRaw = params.get("fields");
  const fields = parseFields(fieldsRaw);
  const pageInfo = params.get("page_info");
  if (pageInfo !== null) {
    for (const key of params.keys()) {
      if (key !== "page_info" && key !== "limit" && key !== "fields") {
        throw bad(key, `${key} cannot be passed when page_info is present.`);
      }
    }
    const t = decodePageInfo(pageInfo, resource);
    if (!t) throw bad("page_info");
    return { limit, fields, fieldsRaw, filters: new URLSearchParams(t.q), cursor: { dir: t.d, id: t.id } };
  }
  const filters = new URLSearchParams();
  const keys = FILTER_KEYS[resource];
  for (const [k, v] of params) if (keys.includes(k)) filters.append(k, v);
  filters.sort();
  return { limit, fields, fieldsRaw, filters, cursor: null };
}

function ts(store: Store, p: URLSearchParams, key: string): number | undefined {
  const v = p.get(key);
  if (v === null || v === "") return undefined;
  const t = parseTimestamp(v, store.params.timezone);
  if (t === null) throw bad(key);
  return t;
}

function idList(p: URLSearchParams): number[] | undefined {
  const v = p.get("ids");
  if (v === null) return undefined;
  const ids = v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (ids.some((n) => !Number.isSafeInteger(n) || n < 0)) throw bad("ids");
  return [...new Set(ids)].sort((a, b) => a - b);
}

function sinceId(p: URLSearchParams): number | undefined {
  const v = p.get("since_id");
  if (v === null || v === "") return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw bad("since_id");
  return n;
}

const ORDER_STATUS = ["open", "closed", "cancelled", "any"];
const FIN = [
  "authorized",
  "pending",
  "paid",
  "partially_paid",
  "refunded",
  "voided",
  "partially_refunded",
  "any",
  "unpaid",
];
const FUL = ["shipped", "partial", "unshipped", "any", "unfulfilled"];

export function orderQuery(store: Store, p: URLSearchParams): OrderQuery {
  const status = p.get("status") ?? "open";
  if (!ORDER_STATUS.includes(status)) throw bad("status");
  const fin = p.get("financial_status") ?? undefined;
  if (fin !== undefined && !FIN.includes(fin)) throw bad("financial_status");
  const ful = p.get("fulfillment_status") ?? undefined;
  if (ful !== undefined && !FUL.includes(ful)) throw bad("fulfillment_status");
  return {
    ids: idList(p),
    sinceId: sinceId(p),
    createdMin: ts(store, p, "created_at_min"),
    createdMax: ts(store, p, "created_at_max"),
    updatedMin: ts(store, p, "updated_at_min"),
    updatedMax: ts(store, p, "updated_at_max"),
    processedMin: ts(store, p, "processed_at_min"),
    processedMax: ts(store, p, "processed_at_max"),
    status: status as OrderQuery["status"],
    financialStatus: fin,
    fulfillmentStatus: ful,
  };
}

export function simpleQuery(store: Store, p: URLSearchParams, products: boolean): SimpleQuery {
  const q: SimpleQuery = {
    ids: idList(p),
    sinceId: sinceId(p),
    createdMin: ts(store, p, "created_at_min"),
    createdMax: ts(store, p, "created_at_max"),
    updatedMin: ts(store, p, "updated_at_min"),
    updatedMax: ts(store, p, "updated_at_max"),
  };
  if (products) {
    const st = p.get("status");
    if (st) {
      const list = st.split(",").map((s) => s.trim());
      if (list.some((s) => !["active", "archived", "draft"].includes(s))) throw bad("status");
      q.productStatus = list;
    }
    q.vendor = p.get("vendor") ?? undefined;
    q.productType = p.get("product_type") ?? undefined;
    q.handle =
      p
        .get("handle")
        ?.split(",")
        .map((s) => s.trim()) ?? undefined;
    q.title = p.get("title") ?? undefined;
  }
  return q;
}

export function pickFields(obj: JsonObject, fields: string[] | null): JsonObject {
  if (!fields) return obj;
  const out: JsonObject = {};
  for (const f of fields) if (f in obj) out[f] = obj[f];
  return out;
}

export function eventJson(store: Store, e: EventRecord): JsonObject {
  return { ...e, created_at: store.iso(e.created_at) };
}

export interface EventQuery {
  sinceId?: number;
  createdMin?: number;
  createdMax?: number;
  types?: string[];
  verb?: string;
}

export function eventQuery(store: Store, p: URLSearchParams): EventQuery {
  const filter = p.get("filter");
  return {
    sinceId: sinceId(p),
    createdMin: ts(store, p, "created_at_min"),
    createdMax: ts(store, p, "created_at_max"),
    types: filter
      ? filter
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined,
    verb: p.get("verb") ?? undefined,
  };
}

export function eventMatcher(q: EventQuery, allowedTypes: Set<string>): (e: EventRecord) => boolean {
  return (e) => {
    if (!allowedTypes.has(e.subject_type)) return false;
    if (q.sinceId !== undefined && e.id <= q.sinceId) return false;
    if (q.createdMin !== undefined && e.created_at < q.createdMin) return false;
    if (q.createdMax !== undefined && e.created_at > q.createdMax) return false;
    if (q.types && !q.types.includes(e.subject_type)) return false;
    if (q.verb && e.verb !== q.verb) return false;
    return true;
  };
}

/** Cursor page over the (id-ordered) event log. */
export function pageEvents(
  events: EventRecord[],
  match: (e: EventRecord) => boolean,
  limit: number,
  cursor: Cursor | null,
): { items: EventRecord[]; hasNext: boolean; hasPrev: boolean } {
  const items: EventRecord[] = [];
  if (!cursor || cursor.dir === "next") {
    let k = 0;
    if (cursor) while (k < events.length && events[k].id <= cursor.id) k++;
    const start = k;
    let hasNext = false;
    for (; k < events.length; k++) {
      if (!match(events[k])) continue;
      if (items.length === limit) {
        hasNext = true;
        break;
      }
      items.push(events[k]);
    }
    let hasPrev = false;
    if (cursor) for (let j = start - 1; j >= 0 && !hasPrev; j--) if (match(events[j])) hasPrev = true;
    return { items, hasNext, hasPrev };
  }
  let k = events.length - 1;
  while (k >= 0 && events[k].id >= cursor.id) k--;
  const end = k;
  let hasPrev = false;
  for (; k >= 0; k--) {
    if (!match(events[k])) continue;
    if (items.length === limit) {
      hasPrev = true;
      break;
    }
    items.push(events[k]);
  }
  items.reverse();
  let hasNext = false;
  for (let j = end + 1; j < events.length && !hasNext; j++) if (match(events[j])) hasNext = true;
  return { items, hasNext, hasPrev };
}

/** Link header for a page; `base` is the absolute endpoint URL without query. */
export function linkHeader(
  base: string,
  resource: ListResource,
  req: ListRequest,
  firstId: number | null,
  lastId: number | null,
  hasPrev: boolean,
  hasNext: boolean,
): string | null {
  const q = req.filters.toString();
  const fields = req.fieldsRaw ? `&fields=${encodeURIComponent(req.fieldsRaw).replace(/%2C/gi, ",")}` : "";
  const parts: string[] = [];
  if (hasPrev && firstId !== null) {
    parts.push(
      `<${base}?page_info=${encodePageInfo({ r: resource, d: "prev", id: firstId, q })}&limit=${req.limit}${fields}>; rel="previous"`,
    );
  }
  if (hasNext && lastId !== null) {
    parts.push(
      `<${base}?page_info=${encodePageInfo({ r: resource, d: "next", id: lastId, q })}&limit=${req.limit}${fields}>; rel="next"`,
    );
  }
  return parts.length ? parts.join(", ") : null;
}

/** The `fields` parameter as a list of top-level field names (null: every field). */
export function parseFields(raw: string | null): string[] | null {
  return raw
    ? raw
        .split(",")
        .map((f) => f.trim())
        .filter(Boolean)
    : null;
}
