/**
 * REST-shaped records (orders, customers, products) built from generated facts, and the facts of
 * an order read back from a record. The builders live in ./records/.
 */
export type { RecordContext } from "./records/common.ts";
export { gid, moneySet } from "./records/common.ts";
export type { CustomerBase, OrderParty } from "./records/customers.ts";
export {
  buildCustomer,
  customerBase,
  customerForOrder,
  partyForCustomer,
  partyForGuest,
  withAggregates,
} from "./records/customers.ts";
export { buildProduct, variantJson } from "./records/products.ts";
export { buildOrder } from "./records/orders.ts";
export type { OrderFacts } from "./records/facts.ts";
export { factsFromCore, factsFromObject, parseIsoSec, recomputeOrderTotals } from "./records/facts.ts";
