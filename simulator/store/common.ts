// What the jobs under ./store/ work on: one shop's state, its clock, its record views and the way a
// change is announced. ../store.ts's Store is the one implementation; the jobs name this interface,
// never the class, so that nothing under ./store/ imports back through ../store.ts.
import type { GenProduct, GenVariant, StoreParams } from "../generator.ts";
import type { OrderFacts, RecordContext } from "../records.ts";
import type { Rng } from "../rng.ts";
import type { JsonObject, PlanName } from "../types.ts";
import type { EventRecord } from "./events.ts";
import type { CustomerIndex, OrderIndex, RecordIndex } from "./indexes.ts";

/** What a refund through the control surface asks for. */
export interface RefundInput {
  amount?: string;
  lineItems?: { lineItemId: number; quantity: number }[];
  shipping?: boolean;
  note?: string;
}

/** Next ids of records the control surface creates (ranges clear of the generated ones). */
export interface StoreCounters {
  refund: number;
  refundLine: number;
  transaction: number;
  lineItem: number;
  fulfillment: number;
  address: number;
  shippingLine: number;
  variant: number;
  event: number;
  number: number;
}

/** A shop as the jobs see it. */
export interface StoreState extends RecordContext {
  params: StoreParams;
  name: string;
  shopId: number;
  locationId: number;
  plan: PlanName;
  /** Base catalogue first (immutable), created products appended. */
  products: GenProduct[];
  productIndex: RecordIndex;
  productOverlay: Map<number, JsonObject>;
  variantById: Map<number, { product: number; variant: GenVariant }>;
  customers: CustomerIndex;
  customerOverlay: Map<number, JsonObject>;
  orders: OrderIndex;
  orderOverlay: Map<number, JsonObject>;
  readonly counters: StoreCounters;
  /** Randomness of created records (ids, tokens), seeded so that replays make the same ones. */
  readonly createRng: Rng;
  readonly baseOrders: number;
  readonly baseCustomers: number;

  iso(sec: number): string;
  /** Shop clock (epoch seconds): never before the generated data, never going backwards. */
  nowSec(): number;

  bump(): void;
  emit(topic: string, payload: () => JsonObject, subject: { type: string; id: number }): void;
  /** A change of one record: its event in events.json, a new data version, and its webhook. */
  announce(
    type: EventRecord["subject_type"],
    id: number,
    verb: string,
    message: string,
    topic: string,
    payload: () => JsonObject,
  ): void;
  recordEvent(type: EventRecord["subject_type"], id: number, verb: string, message: string, args?: unknown[]): void;

  customerRaw(i: number): JsonObject;
  customerJson(i: number): JsonObject;
  orderName(i: number): string;
  /** The order object without the embedded customer. Do not mutate the result of base orders. */
  orderRaw(i: number): JsonObject;
  orderJson(i: number): JsonObject;
  productJson(i: number): JsonObject;
  orderFacts(i: number): OrderFacts;

  customerIndexById(id: number): number;
  requireOrder(id: number | string): number;
  requireCustomer(id: number | string): number;
  requireProduct(id: number | string): number;

  createCustomer(input?: JsonObject): JsonObject;
  refundOrder(id: number | string, input?: RefundInput): JsonObject;
}
