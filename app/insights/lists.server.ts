import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { env } from "../lib/env.server.ts";
import { InsightsInputError } from "./shop.server.ts";

// What the list pages (orders, customers) share: their query parsing, keyset cursors signed for the
// shop and the sort they belong to (a tampered or foreign cursor is refused), the page's cursors,
// and the error for a record the shop does not have.

const MAX_SEARCH = 100;

/** A search box's text: bounded, and no control characters (PostgreSQL refuses NUL). */
export const searchText = z
  .string()
  .max(MAX_SEARCH, `at most ${MAX_SEARCH} characters`)
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  .regex(/^[^\u0000-\u001f\u007f]*$/, "no control characters");

/** Either cursor parameter of a list page. */
export const cursorParams = { after: z.string().max(400).optional(), before: z.string().max(400).optional() };

/**
 * A list page's parameters through its schema; the first problem as an InsightsInputError naming
 * the parameter. Unknown parameters (Shopify admin adds shop, host, id_token… to every page) and
 * empty ones are ignored.
 */
export function parseListQuery<T extends { after?: string; before?: string }>(
  schema: z.ZodType<T>,
  params: URLSearchParams,
): T {
  const raw: Record<string, string> = {};
  for (const [key, value] of params) if (value !== "" && !(key in raw)) raw[key] = value;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue.path[0] ?? "query");
    throw new InsightsInputError(field, `Invalid ${field}: ${issue.message}.`);
  }
  if (parsed.data.after && parsed.data.before) {
    throw new InsightsInputError("after", "Send either after or before, not both.");
  }
  return parsed.data;
}

/**
 * A page from the rows read (one more than the page size, in the reading direction): the rows in
 * display order and the cursors of the pages before and after it. `backwards` when the page was
 * read from a "before" cursor; `fromCursor` when any cursor led here.
 */
export function cursorPage<R>(
  rows: R[],
  size: number,
  options: { backwards: boolean; fromCursor: boolean; position: (row: R) => string },
): { rows: R[]; previousCursor: string | null; nextCursor: string | null } {
  const more = rows.length > size;
  const page = rows.slice(0, size);
  if (options.backwards) page.reverse();
  const first = page[0];
  const last = page[page.length - 1];
  const { backwards, fromCursor, position } = options;
  return {
    rows: page,
    previousCursor: first !== undefined && (backwards ? more : fromCursor) ? position(first) : null,
    nextCursor: last !== undefined && (backwards ? fromCursor : more) ? position(last) : null,
  };
}

export interface Cursor {
  /** The row's sort key (an ISO instant, a number, a decimal string), null where it has none. */
  value: string | number | null;
  id: string;
}

function signature(shop: string, payload: string): Buffer {
  return createHmac("sha256", env().SHOPIFY_API_SECRET).update(`${shop}\n${payload}`).digest().subarray(0, 16);
}

/** A row's position as an opaque cursor, signed for the shop and the sort it belongs to. */
export function encodeCursor(shop: string, sort: string, cursor: Cursor): string {
  const payload = Buffer.from(JSON.stringify([sort, cursor.value, cursor.id])).toString("base64url");
  return `${payload}.${signature(shop, payload).toString("base64url")}`;
}

/** A cursor back to its position; an InsightsInputError for `field` if it is not one of ours for this sort. */
export function decodeCursor(shop: string, sort: string, text: string, field: string): Cursor {
  const refuse = () =>
    new InsightsInputError(field, "This page link is not valid any more: start again from the first page.");
  const [payload, mac, extra] = text.split(".");
  if (!payload || !mac || extra !== undefined) throw refuse();
  const expected = signature(shop, payload);
  const given = Buffer.from(mac, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refuse();
  const parsed = z
    .tuple([z.string(), z.union([z.string(), z.number(), z.null()]), z.string().regex(/^\d{1,19}$/)])
    .safeParse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
  if (!parsed.success || parsed.data[0] !== sort) throw refuse();
  return { value: parsed.data[1], id: parsed.data[2] };
}

/** Thrown for a record the shop does not have (unknown, deleted, another shop's, not an id). */
export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} not found`);
    this.name = "NotFoundError";
  }
}
