// What the routes under ./server/ (control surface, OAuth, faults) need from the server: its shops,
// apps, faults, webhooks and stats, and the way an answer is sent and counted. ../server.ts's
// SimulatorServer is the one implementation; the routes name this interface, never the class, so
// that nothing under ./server/ imports back through ../server.ts.
import type http from "node:http";
import type { AuthRegistry } from "../auth.ts";
import type { FaultRegistry } from "../faults.ts";
import type { NewStateEntry, StoreOp } from "../state.ts";
import type { Store } from "../store.ts";
import type { DeliveryRecord, JsonObject, ShopStats, Simulator, SimulatorStats } from "../types.ts";
import type { WebhookDeliverer } from "../webhooks.ts";
import type { RequestContext } from "./http.ts";

/** The server as its routes see it. */
export interface ServerContext extends Simulator {
  shops: Map<string, Store>;
  auth: AuthRegistry;
  faults: FaultRegistry;
  webhooks: WebhookDeliverer;
  statsData: SimulatorStats;
  /** Answers a timeout fault holds open until close. */
  hanging: Set<http.ServerResponse>;
  /** The store of a shop by name or domain, or a 404. */
  shop(shop: string): Store;
  /** A mutation made through the control surface, journaled when there is a state file. */
  mutate(shop: string, op: StoreOp, args: unknown[]): unknown;
  record(entry: NewStateEntry): void;
  deliverToApp(store: Store, apiKey: string, topic: string, payload: JsonObject): DeliveryRecord[];
  shopStats(name: string): ShopStats;
  count(ctx: RequestContext, status: number): void;
  send(ctx: RequestContext, status: number, body: string, headers?: Record<string, string>): void;
}
