import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { env } from "../lib/env.server.ts";
import { InsightsInputError } from "./shop.server.ts";

// What the list pages (orders, customers) share: keyset cursors signed for the shop and the sort
// they belong to, so a tampered or foreign cursor is refused, and the error for a record the shop
// does not have.

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
