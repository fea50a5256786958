import type { ResourceName } from "./tables.ts";
import { fieldsRead, mapCustomer, mapOrder, mapProduct } from "./mappers.ts";
import type { CustomerRow, MapResult, OrderRow, ProductRow } from "./mappers.ts";

// Each resource the sync reads, declared once: where Shopify lists it, how a record maps to rows and
// which tables they go to (tables.ts, by name). The engine in sync.server.ts knows nothing
// resource-specific beyond this. Pure: page decoding runs it off the main thread.

export interface ResourceDefinition<Row = unknown> {
  name: ResourceName;
  /** REST list endpoint and the key holding the records in its body. */
  path: string;
  bodyKey: string;
  /**
   * Parameters always sent: only the fields the mapper reads (a full order is about 10 KB of JSON),
   * and for orders every status (Shopify lists only `open` ones by default).
   */
  baseQuery: Record<string, string>;
  /** Subject type in events.json, when Shopify records deletions of this resource there. */
  eventSubject?: string;
  /** A 403 here is Shopify refusing protected customer data, not a failure of the run. */
  protectedCustomerData?: boolean;
  map(record: unknown): MapResult<Row>;
  /** Warnings about a mapped row (e.g. data the REST endpoint cannot return in full). */
  inspect?(row: Row): string | undefined;
}

// Shopify's REST products endpoint returns at most 100 variants per product.
export const REST_VARIANT_LIMIT = 100;

function defineResource<Row>(definition: ResourceDefinition<Row>): ResourceDefinition {
  return definition as unknown as ResourceDefinition;
}

export const resources: ResourceDefinition[] = [
  defineResource<ProductRow>({
    name: "products",
    path: "products.json",
    bodyKey: "products",
    baseQuery: { fields: fieldsRead.products.join(",") },
    eventSubject: "Product",
    map: mapProduct,
    inspect: (row) =>
      row.variants.length >= REST_VARIANT_LIMIT
        ? `Product ${row.id} lists ${row.variants.length} variants, the most Shopify's REST products endpoint returns; further variants need the GraphQL Admin API.`
        : undefined,
  }),
  defineResource<CustomerRow>({
    name: "customers",
    path: "customers.json",
    bodyKey: "customers",
    baseQuery: { fields: fieldsRead.customers.join(",") },
    protectedCustomerData: true,
    map: mapCustomer,
  }),
  defineResource<OrderRow>({
    name: "orders",
    path: "orders.json",
    bodyKey: "orders",
    baseQuery: { status: "any", fields: fieldsRead.orders.join(",") },
    eventSubject: "Order",
    map: mapOrder,
  }),
];

export function resourceNamed(name: ResourceName): ResourceDefinition {
  const found = resources.find((r) => r.name === name);
  if (!found) throw new Error(`Unknown resource ${name}`);
  return found;
}
