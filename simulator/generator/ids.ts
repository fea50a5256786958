// Where generation starts from: the store's parameters, its random streams and its record ids.
import { mix } from "../rng.ts";

export const DAY = 86400;

/** Random streams. */
export const S_PRODUCT = 1,
  S_CUSTOMER = 2,
  S_ORDER = 3,
  S_ORDER_TIME = 4,
  S_ORDER_CUST = 5,
  S_IDS = 6,
  S_SHOP = 7;

// Where each kind of record's ids start: near the magnitudes real Shopify ids have today (13 to 14
// digits, beyond 2^32 so a client storing them in 32-bit integers fails here as it would on
// Shopify), and far enough apart (ids advance by at most 1,000 a record) that two kinds never share
// an id, even for a store of millions of records.
export const ID_BASE = {
  product: 7_100_000_000_000,
  variant: 44_000_000_000_000,
  inventoryItem: 46_000_000_000_000,
  image: 33_000_000_000_000,
  option: 9_800_000_000_000,
  customer: 7_300_000_000_000,
  address: 9_100_000_000_000,
  order: 5_600_000_000_000,
  lineItem: 14_000_000_000_000,
  refund: 900_000_000_000,
  refundLine: 600_000_000_000,
  transaction: 6_500_000_000_000,
  fulfillment: 5_100_000_000_000,
  shippingLine: 4_700_000_000_000,
  event: 98_000_000_000_000,
  location: 71_000_000_000,
  checkout: 36_000_000_000_000,
};

/** Id of the record at `index` in a base space: strictly increasing with the index. */
export function idAt(seed: number, stream: number, base: number, index: number, step = 1000): number {
  return base + index * step + (mix(seed, S_IDS, stream, index) % step);
}

export interface StoreParams {
  name: string;
  seed: number;
  products: number;
  customers: number;
  orders: number;
  days: number;
  nowSec: number;
  currency: string;
  timezone: string;
  bigVariantProducts: number;
}

export function startOfPeriod(p: StoreParams): number {
  return p.nowSec - p.days * DAY;
}

/** Shop-level identity derived from the seed and name. */
export function shopIdentity(seed: number, name: string): { id: number; locationId: number } {
  let h = 0;
  for (let k = 0; k < name.length; k++) h = Math.imul(h ^ name.charCodeAt(k), 16777619) >>> 0;
  return {
    id: 60_000_000_000 + (mix(seed, S_SHOP, h) % 900_000_000),
    locationId: ID_BASE.location + (mix(seed, S_SHOP, h, 1) % 900_000_000),
  };
}
