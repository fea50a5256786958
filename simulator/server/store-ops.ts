// Store mutations by name, as the control surface makes them and the state file replays them.
import type { StoreOp } from "../state.ts";
import { SimError } from "../store.ts";
import type { Store } from "../store.ts";
import type { JsonObject, PlanName } from "../types.ts";

export const PLANS = ["basic", "shopify", "standard", "advanced", "shopify_plus", "plus", "unlimited"];

/** One store mutation by name: the single path for live calls and replays. */
export function applyStoreOp(store: Store, op: StoreOp, args: unknown[]): unknown {
  const id = args[0] as number | string;
  const input = (args[1] ?? {}) as JsonObject;
  switch (op) {
    case "createOrder":
      return store.createOrder((args[0] ?? {}) as JsonObject);
    case "updateOrder":
      return store.updateOrder(id, input);
    case "deleteOrder":
      return store.deleteOrder(id);
    case "refundOrder":
      return store.refundOrder(id, input);
    case "cancelOrder":
      return store.cancelOrder(id, input);
    case "createProduct":
      return store.createProduct((args[0] ?? {}) as JsonObject);
    case "updateProduct":
      return store.updateProduct(id, input);
    case "deleteProduct":
      return store.deleteProduct(id);
    case "createCustomer":
      return store.createCustomer((args[0] ?? {}) as JsonObject);
    case "updateCustomer":
      return store.updateCustomer(id, input);
    case "deleteCustomer":
      return store.deleteCustomer(id);
    case "setPlan": {
      const plan = args[0] as PlanName;
      if (!PLANS.includes(plan)) throw new SimError(422, { errors: { plan: [`unknown plan ${plan}`] } });
      store.plan = plan;
      return undefined;
    }
    case "setProtectedCustomerData":
      store.protectedCustomerData = args[0] as boolean;
      store.version++;
      return undefined;
  }
}
