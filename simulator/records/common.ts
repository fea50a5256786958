// What every REST record builder shares: the shop context, ids as GraphQL ids, money sets.
import type { GenProduct, StoreParams } from "../generator.ts";
import { money } from "../time.ts";
import type { JsonObject } from "../types.ts";

/** The shop a record is built for. */
export interface RecordContext {
  params: StoreParams;
  domain: string;
  locationId: number;
  products: GenProduct[];
  iso(sec: number): string;
}

export function gid(type: string, id: number): string {
  return `gid://shopify/${type}/${id}`;
}

export function moneySet(cents: number, currency: string): JsonObject {
  const amount = money(cents);
  return { shop_money: { amount, currency_code: currency }, presentment_money: { amount, currency_code: currency } };
}

/** One tax line at `bp` basis points. */
export function taxLine(cents: number, bp: number, title: string, currency: string): JsonObject {
  return { price: money(cents), rate: bp / 10000, title, price_set: moneySet(cents, currency), channel_liable: false };
}
