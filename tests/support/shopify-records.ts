import type { JsonObject, Simulator } from "../../simulator/index.ts";
import type { SimulatorServer } from "../../simulator/server.ts";

// A shop's records in the simulator's store, each as Shopify's REST API sends it (deleted ones left
// out): what list, filter and sort tests expect, rather than the rows the app stored.

const storeOf = (sim: Simulator, shop: string) => (sim as SimulatorServer).shop(shop);

/** Every order of the shop, as Shopify sends it. */
export function shopifyOrders(sim: Simulator, shop: string): JsonObject[] {
  const store = storeOf(sim, shop);
  const orders: JsonObject[] = [];
  for (let i = 0; i < store.orders.n; i++) if (!store.isOrderDeleted(i)) orders.push(store.orderJson(i));
  return orders;
}

/** Every customer of the shop, as Shopify sends it. */
export function shopifyCustomers(sim: Simulator, shop: string): JsonObject[] {
  const store = storeOf(sim, shop);
  const customers: JsonObject[] = [];
  for (let i = 0; i < store.customers.n; i++) {
    if (store.customerIndexById(store.customers.ids[i]) === i) customers.push(store.customerJson(i));
  }
  return customers;
}

/** Every product of the shop with its variants, as Shopify sends it. */
export function shopifyProducts(sim: Simulator, shop: string): JsonObject[] {
  const store = storeOf(sim, shop);
  const products: JsonObject[] = [];
  for (let i = 0; i < store.productIndex.n; i++) {
    if (store.productIndexById(store.productIndex.ids[i]) === i) products.push(store.productJson(i));
  }
  return products;
}

/** Newest first, as Shopify's order lists: processed_at, then id, descending. */
export function newestFirst(orders: JsonObject[]): JsonObject[] {
  return [...orders].sort(
    (a, b) => Date.parse(b.processed_at) - Date.parse(a.processed_at) || Number(b.id) - Number(a.id),
  );
}
