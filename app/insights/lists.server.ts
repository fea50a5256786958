import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { env } from "../lib/env.server.ts";
import { parseCalendarDay, single } from "./range.ts";
import { InsightsInputError } from "./errors.ts";

// What the list pages (orders, customers, products) share: their query parsing, keyset cursors
// signed for the shop and the sort they belong to (a tampered or foreign cursor is refused, and a
// signed one is read only if its position has the sort's shape), the page's cursors, and ids.

const MAX_SEARCH = 100;

/** A search box's text: bounded, and no control characters (PostgreSQL refuses NUL). */
export const searchText = z
  .string()
  .max(MAX_SEARCH, `at most ${MAX_SEARCH} characters`)
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  .regex(/^[^\u0000-\u001f\u007f]*$/, "no control characters");

/**
 * The longest cursor: one after a product whose title is as long as Shopify allows (255
 * characters), each character as long as JSON and base64 can make it, fits.
 */
const MAX_CURSOR = 4000;

/** Either cursor parameter of a list page. */
export const cursorParams = {
  after: z.string().max(MAX_CURSOR).optional(),
  before: z.string().max(MAX_CURSOR).optional(),
};

/** A day parameter (`from`, `to`), read by range.ts's parseCalendarDay as every page reads one. */
export const calendarDay = (name: string) =>
  z.string().superRefine((value, ctx) => {
    const day = parseCalendarDay(name, value);
    if (!day.ok) ctx.addIssue({ code: "custom", message: day.message, params: { sentence: true } });
  });

/**
 * A list page's parameters through its schema; the first problem as an InsightsInputError naming
 * the parameter. Unknown parameters (Shopify admin adds shop, host, id_token… to every page) and
 * empty ones are ignored; one of the schema's given twice is refused, as range.ts refuses one.
 */
export function parseListQuery<T extends { after?: string; before?: string }>(
  schema: z.ZodType<T> & { shape: Record<string, unknown> },
  params: URLSearchParams,
): T {
  const raw: Record<string, string> = {};
  for (const name of Object.keys(schema.shape)) {
    const value = single(params, name);
    if (!value.ok) throw new InsightsInputError(value.field, value.message);
    if (value.value !== null && value.value !== "") raw[name] = value.value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue.path[0] ?? "query");
    const sentence = issue.code === "custom" && issue.params?.sentence === true;
    throw new InsightsInputError(field, sentence ? issue.message : `Invalid ${field}: ${issue.message}.`);
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

export interface Cursor<V = string | number | null> {
  /** The row's sort key (an ISO instant, a number, a decimal string), null where it has none. */
  value: V;
  id: string;
}

/** The largest bigint: an id past it is no record's, and PostgreSQL refuses to compare with it. */
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** True for a record id as the database holds one: 1 to 19 ASCII digits, within bigint. */
export function isRecordId(text: string): boolean {
  return /^\d{1,19}$/.test(text) && BigInt(text) <= MAX_BIGINT;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The sort values a cursor may carry, each as encodeCursor writes it for its sort, so a cursor
 * signed with the app's secret but written by hand still reaches SQL only as a value of the
 * column's type.
 */
export const cursorValue = {
  /** An instant as toISOString writes it, and a real one (2026-02-30T… is not). */
  instant: z
    .string()
    .regex(ISO_INSTANT)
    .refine((text) => !Number.isNaN(Date.parse(text)) && new Date(text).toISOString() === text),
  /** An integer column's value (PostgreSQL's int), null for a row without one. */
  int: z.number().int().min(-2_147_483_648).max(2_147_483_647).nullable(),
  /** A decimal column's value as PostgreSQL writes it (a read-model sum: numeric(28,4)). */
  decimal: z.string().regex(/^-?\d{1,24}(\.\d{1,4})?$/),
  /** Text as PostgreSQL stores it: anything but NUL. */
  text: z.string().regex(/^[^\0]*$/),
  /** No value: the id alone is the position. */
  none: z.null(),
} satisfies Record<string, z.ZodType<string | number | null>>;

function signature(shop: string, payload: string): Buffer {
  return createHmac("sha256", env().SHOPIFY_API_SECRET).update(`${shop}\n${payload}`).digest().subarray(0, 16);
}

/** A row's position as an opaque cursor, signed for the shop and the sort it belongs to. */
export function encodeCursor(shop: string, sort: string, cursor: Cursor): string {
  const payload = Buffer.from(JSON.stringify([sort, cursor.value, cursor.id])).toString("base64url");
  return `${payload}.${signature(shop, payload).toString("base64url")}`;
}

/**
 * A cursor back to its position; an InsightsInputError for `field` if it is not one of ours for
 * this sort, or its position is not `value`'s shape and a record id.
 */
export function decodeCursor<V extends string | number | null>(
  shop: string,
  sort: string,
  value: z.ZodType<V>,
  text: string,
  field: string,
): Cursor<V> {
  const refuse = () =>
    new InsightsInputError(field, "This page link is not valid any more: start again from the first page.");
  const [payload, mac, extra] = text.split(".");
  if (!payload || !mac || extra !== undefined) throw refuse();
  const expected = signature(shop, payload);
  const given = Buffer.from(mac, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refuse();
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    throw refuse();
  }
  const parsed = z.tuple([z.literal(sort), value, z.string().refine(isRecordId)]).safeParse(json);
  if (!parsed.success) throw refuse();
  return { value: parsed.data[1], id: parsed.data[2] };
}
