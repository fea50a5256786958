/**
 * Deterministic store generation. Products are generated eagerly (they are few); orders and
 * customers are described by compact typed arrays plus a pure function that rebuilds any record
 * from (seed, index) on demand.
 * The parts live in ./generator/: ids and parameters, products, the order timeline, the order core
 * and the shape of an order the core, the pricing and the records share (common.ts).
 */
export type { StoreParams } from "./generator/ids.ts";
export {
  DAY,
  ID_BASE,
  S_CUSTOMER,
  S_IDS,
  S_ORDER,
  S_ORDER_CUST,
  S_ORDER_TIME,
  S_PRODUCT,
  S_SHOP,
  idAt,
  shopIdentity,
  startOfPeriod,
} from "./generator/ids.ts";
export type { GenProduct, GenVariant } from "./generator/products.ts";
export { generateProducts } from "./generator/products.ts";
export { assignCustomers, generateOrderTimes } from "./generator/timeline.ts";
export type { CoreLine, CoreRefund, CoreRefundLine, CoreShipping, OrderCore } from "./generator/common.ts";
export { orderCore } from "./generator/orders.ts";
