// Offline Shopify simulator: REST Admin API, OAuth, rate limits, webhooks and faults over
// generated, deterministic stores. Library entry point.
import { SimulatorServer } from "./server.ts";
import type { Simulator, SimulatorOptions } from "./types.ts";

export type {
  AppSpec,
  DayTruth,
  DeliveryAttempt,
  DeliveryRecord,
  FaultInfo,
  FaultSpec,
  GroundTruth,
  InstallResult,
  JsonObject,
  PlanName,
  SalesDay,
  SalesFigures,
  SalesHour,
  SalesMoney,
  SalesTruth,
  SalesTruthRange,
  ShopInfo,
  ShopSpec,
  ShopStats,
  Simulator,
  SimulatorControl,
  SimulatorOptions,
  SimulatorStats,
  StateInfo,
  WebhookRetryOptions,
  WebhookSubscription,
} from "./types.ts";
export { REVENUE_DEFINITION } from "./truth.ts";
export { DEFAULT_NOW } from "./store.ts";
export { StateFileError } from "./state.ts";

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = new SimulatorServer(options);
  try {
    await sim.listen();
  } catch (e) {
    await sim.close().catch(() => undefined);
    throw e;
  }
  return sim;
}
