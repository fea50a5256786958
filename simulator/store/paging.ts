// Filtering, cursor paging and counting over the record indexes, the way the Admin REST list and
// count endpoints behave: ascending ids, `since_id`, `ids`, and next/previous page cursors.
import type { OrderIndex, RecordIndex } from "./indexes.ts";
import { F_CANCELLED, F_CLOSED, F_DELETED, FINANCIAL_STATUSES, FULFILLMENT_STATUSES } from "./indexes.ts";

/** What every list endpoint filters by. */
interface BaseQuery {
  ids?: number[];
  sinceId?: number;
  createdMin?: number;
  createdMax?: number;
  updatedMin?: number;
  updatedMax?: number;
}

export interface OrderQuery extends BaseQuery {
  processedMin?: number;
  processedMax?: number;
  status?: "open" | "closed" | "cancelled" | "any";
  financialStatus?: string;
  fulfillmentStatus?: string;
}

export interface SimpleQuery extends BaseQuery {
  productStatus?: string[];
  vendor?: string;
  productType?: string;
  handle?: string[];
  title?: string;
}

export interface PageResult {
  indices: number[];
  hasNext: boolean;
  hasPrev: boolean;
}

export type PageCursor = { dir: "next" | "prev"; id: number } | null;

export type Matcher = (i: number) => boolean;

export function orderMatcher(orders: OrderIndex, q: OrderQuery): Matcher {
  const o = orders;
  const status = q.status ?? "open";
  const financial = q.financialStatus && q.financialStatus !== "any" ? q.financialStatus : null;
  const fulfillment = q.fulfillmentStatus && q.fulfillmentStatus !== "any" ? q.fulfillmentStatus : null;
  return (i: number) => {
    const f = o.flags[i];
    if (f & F_DELETED) return false;
    if (status === "open" && f & F_CLOSED) return false;
    if (status === "closed" && !(f & F_CLOSED)) return false;
    if (status === "cancelled" && !(f & F_CANCELLED)) return false;
    if (q.createdMin !== undefined && o.created[i] < q.createdMin) return false;
    if (q.createdMax !== undefined && o.created[i] > q.createdMax) return false;
    if (q.updatedMin !== undefined && o.updated[i] < q.updatedMin) return false;
    if (q.updatedMax !== undefined && o.updated[i] > q.updatedMax) return false;
    if (q.processedMin !== undefined && o.processed[i] < q.processedMin) return false;
    if (q.processedMax !== undefined && o.processed[i] > q.processedMax) return false;
    if (financial) {
      const code = FINANCIAL_STATUSES[o.financial[i]];
      if (
        financial === "paid"
          ? !(code === "paid" || code === "partially_refunded")
          : financial === "unpaid"
            ? !(code === "pending" || code === "authorized" || code === "unpaid")
            : code !== financial
      )
        return false;
    }
    if (fulfillment) {
      const code = FULFILLMENT_STATUSES[o.fulfillment[i]];
      if (fulfillment === "shipped" && code !== "fulfilled") return false;
      if (fulfillment === "partial" && code !== "partial") return false;
      if (fulfillment === "unshipped" && code !== null) return false;
      if (fulfillment === "unfulfilled" && code === "fulfilled") return false;
    }
    return true;
  };
}

/** Deletion and created/updated bounds; `extra` adds resource-specific filters. */
export function simpleMatcher(index: RecordIndex, q: SimpleQuery, extra?: Matcher): Matcher {
  return (i: number) => {
    if (index.flags[i] & F_DELETED) return false;
    if (q.createdMin !== undefined && index.created[i] < q.createdMin) return false;
    if (q.createdMax !== undefined && index.created[i] > q.createdMax) return false;
    if (q.updatedMin !== undefined && index.updated[i] < q.updatedMin) return false;
    if (q.updatedMax !== undefined && index.updated[i] > q.updatedMax) return false;
    return extra ? extra(i) : true;
  };
}

export function page(
  index: RecordIndex,
  match: Matcher,
  q: { ids?: number[]; sinceId?: number },
  limit: number,
  cursor: PageCursor,
): PageResult {
  // candidate iteration bounds
  let positions: number[] | null = null;
  if (q.ids) {
    positions = [];
    for (const id of q.ids) {
      const k = index.indexOf(id);
      if (k >= 0) positions.push(k);
    }
    positions.sort((a, b) => a - b);
  }
  const lowerStart = q.sinceId !== undefined ? index.upperBound(q.sinceId) : 0;
  const inRange = (k: number) => k >= lowerStart;
  const out: number[] = [];
  if (!cursor || cursor.dir === "next") {
    const start = cursor ? Math.max(lowerStart, index.upperBound(cursor.id)) : lowerStart;
    let hasNext = false;
    if (positions) {
      for (const k of positions) {
        if (k < start || !match(k)) continue;
        if (out.length === limit) {
          hasNext = true;
          break;
        }
        out.push(k);
      }
    } else {
      for (let k = start; k < index.n; k++) {
        if (!match(k)) continue;
        if (out.length === limit) {
          hasNext = true;
          break;
        }
        out.push(k);
      }
    }
    let hasPrev = false;
    if (cursor) {
      const before = out.length > 0 ? out[0] : start;
      hasPrev = existsBefore(before, match, positions, inRange);
    }
    return { indices: out, hasNext, hasPrev };
  }
  // previous page: the `limit` matching records just before cursor.id
  const end = index.lowerBound(cursor.id); // exclusive
  let hasPrev = false;
  if (positions) {
    for (let n = positions.length - 1; n >= 0; n--) {
      const k = positions[n];
      if (k >= end || !inRange(k) || !match(k)) continue;
      if (out.length === limit) {
        hasPrev = true;
        break;
      }
      out.push(k);
    }
  } else {
    for (let k = end - 1; k >= lowerStart; k--) {
      if (!match(k)) continue;
      if (out.length === limit) {
        hasPrev = true;
        break;
      }
      out.push(k);
    }
  }
  out.reverse();
  const after = out.length > 0 ? out[out.length - 1] : end - 1;
  const hasNext = existsAfter(index, after, match, positions);
  return { indices: out, hasNext, hasPrev };
}

function existsBefore(
  before: number,
  match: Matcher,
  positions: number[] | null,
  inRange: (k: number) => boolean,
): boolean {
  if (positions) return positions.some((k) => k < before && inRange(k) && match(k));
  for (let k = before - 1; k >= 0 && inRange(k); k--) if (match(k)) return true;
  return false;
}

function existsAfter(index: RecordIndex, after: number, match: Matcher, positions: number[] | null): boolean {
  if (positions) return positions.some((k) => k > after && match(k));
  for (let k = after + 1; k < index.n; k++) if (match(k)) return true;
  return false;
}

export function count(index: RecordIndex, match: Matcher, q: { ids?: number[]; sinceId?: number }): number {
  let n = 0;
  if (q.ids) {
    for (const id of new Set(q.ids)) {
      const k = index.indexOf(id);
      if (k >= 0 && (q.sinceId === undefined || id > q.sinceId) && match(k)) n++;
    }
    return n;
  }
  const start = q.sinceId !== undefined ? index.upperBound(q.sinceId) : 0;
  for (let k = start; k < index.n; k++) if (match(k)) n++;
  return n;
}
