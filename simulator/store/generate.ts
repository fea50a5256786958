// Indexes a freshly generated shop: every order's economic facts are rebuilt once from its core
// to fill the order index and the customers' aggregates; records themselves are built on demand.
import type { GenProduct, GenVariant, StoreParams } from "../generator.ts";
import {
  DAY,
  ID_BASE,
  S_CUSTOMER,
  assignCustomers,
  generateOrderTimes,
  idAt,
  orderCore,
  startOfPeriod,
} from "../generator.ts";
import { rngFor } from "../rng.ts";
import {
  CustomerIndex,
  F_CANCELLED,
  F_CLOSED,
  F_TEST,
  OrderIndex,
  RecordIndex,
  financialCode,
  fulfillmentCode,
} from "./indexes.ts";

export interface CatalogIndex {
  productIndex: RecordIndex;
  variantById: Map<number, { product: number; variant: GenVariant }>;
}

export function indexCatalog(products: GenProduct[]): CatalogIndex {
  const productIndex = new RecordIndex(products.length + 16);
  const variantById = new Map<number, { product: number; variant: GenVariant }>();
  for (const product of products) {
    productIndex.push(product.id, product.createdAt, product.updatedAt, 0);
    for (const v of product.variants) variantById.set(v.id, { product: product.index, variant: v });
  }
  return { productIndex, variantById };
}

export function indexOrdersAndCustomers(
  p: StoreParams,
  products: GenProduct[],
): { orders: OrderIndex; customers: CustomerIndex } {
  const times = generateOrderTimes(p);
  const { assignment } = assignCustomers(p);
  const orders = new OrderIndex(p.orders + 16);
  const customers = new CustomerIndex(p.customers + 16);
  const firstOrder = new Int32Array(p.customers).fill(-1);
  for (let i = 0; i < p.orders; i++) {
    const core = orderCore(p, products, i, times[i], assignment[i]);
    let flags = 0;
    if (core.cancelledAt !== null) flags |= F_CANCELLED;
    if (core.closedAt !== null) flags |= F_CLOSED;
    if (core.test) flags |= F_TEST;
    orders.push(core.id, core.createdAt, core.updatedAt, flags);
    orders.processed[i] = core.processedAt;
    orders.customer[i] = core.customerIndex;
    orders.total[i] = core.totalCents;
    orders.refunded[i] = core.refund ? core.refund.amountCents : 0;
    orders.financial[i] = financialCode(core.financialStatus);
    orders.fulfillment[i] = fulfillmentCode(core.fulfillmentStatus);
    const customerIndex = core.customerIndex;
    if (customerIndex >= 0) {
      if (firstOrder[customerIndex] < 0) firstOrder[customerIndex] = i;
      customers.ordersCount[customerIndex]++;
      if (!core.test && core.cancelledAt === null)
        customers.spent[customerIndex] += core.totalCents - orders.refunded[i];
      customers.lastOrder[customerIndex] = i;
    }
  }
  const start = startOfPeriod(p);
  for (let k = 0; k < p.customers; k++) {
    const rng = rngFor(p.seed, S_CUSTOMER, k, 1);
    const first = firstOrder[k];
    const created =
      first >= 0
        ? orders.created[first] - rng.int(60, 3 * DAY)
        : start + rng.int(0, Math.max(1, p.nowSec - start - 120));
    const last = customers.lastOrder[k];
    const updated = Math.max(created, last >= 0 ? orders.created[last] : 0);
    customers.push(idAt(p.seed, S_CUSTOMER, ID_BASE.customer, k), created, updated, 0);
  }
  return { orders, customers };
}
