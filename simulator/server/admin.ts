// The Admin REST resources a shop serves (GET only), as a table: resource name → its access check,
// count, single record and list page. The caller has authenticated and rate-limited the request.
import { hasScope } from "../auth.ts";
import {
  ERR_NOT_FOUND,
  ERR_PROTECTED,
  eventJson,
  eventMatcher,
  eventQuery,
  linkHeader,
  orderQuery,
  pageEvents,
  parseFields,
  parseListRequest,
  pickFields,
  scopeError,
  simpleQuery,
} from "../rest.ts";
import type { ListRequest, ListResource } from "../rest.ts";
import { SimError } from "../store.ts";
import type { PageResult, Store } from "../store.ts";
import type { JsonObject } from "../types.ts";

export interface AdminAnswer {
  status: number;
  body: string;
  link?: string;
}

interface ListPage {
  records: JsonObject[];
  firstId: number | null;
  lastId: number | null;
  hasPrev: boolean;
  hasNext: boolean;
}

interface AdminResource {
  /** The key of a single record's answer. */
  singular: string;
  /** Throws a 403 when the token may not read the resource. */
  authorize(store: Store, scopes: string[]): void;
  count(store: Store, params: URLSearchParams, scopes: string[]): number;
  get(store: Store, id: number, scopes: string[]): JsonObject | null;
  list(store: Store, list: ListRequest, scopes: string[]): ListPage;
}

function requireScope(scopes: string[], scope: string): void {
  if (!hasScope(scopes, scope)) throw new SimError(403, scopeError(scope));
}

/** Event subjects the token may read: those of its read scopes. */
function eventTypes(scopes: string[]): Set<string> {
  const types = new Set<string>();
  if (hasScope(scopes, "read_orders")) types.add("Order");
  if (hasScope(scopes, "read_products")) types.add("Product");
  if (hasScope(scopes, "read_customers")) types.add("Customer");
  return types;
}

/** A list page of an indexed resource, records built only for the page. */
function indexedPage(page: PageResult, ids: Float64Array, build: (i: number) => JsonObject): ListPage {
  const n = page.indices.length;
  return {
    records: page.indices.map(build),
    firstId: n ? ids[page.indices[0]] : null,
    lastId: n ? ids[page.indices[n - 1]] : null,
    hasPrev: page.hasPrev,
    hasNext: page.hasNext,
  };
}

const RESOURCES: Record<ListResource, AdminResource> = {
  orders: {
    singular: "order",
    authorize: (_store, scopes) => requireScope(scopes, "read_orders"),
    count: (store, params) => store.countOrders(orderQuery(store, params)),
    get: (store, id) => {
      const k = store.orderIndexById(id);
      return k >= 0 ? store.orderJson(k) : null;
    },
    list: (store, list) =>
      indexedPage(store.pageOrders(orderQuery(store, list.filters), list.limit, list.cursor), store.orders.ids, (i) =>
        store.orderJson(i),
      ),
  },
  products: {
    singular: "product",
    authorize: (_store, scopes) => requireScope(scopes, "read_products"),
    count: (store, params) => store.countProducts(simpleQuery(store, params, true)),
    get: (store, id) => {
      const k = store.productIndexById(id);
      return k >= 0 ? store.productJson(k) : null;
    },
    list: (store, list) =>
      indexedPage(
        store.pageProducts(simpleQuery(store, list.filters, true), list.limit, list.cursor),
        store.productIndex.ids,
        (i) => store.productJson(i),
      ),
  },
  customers: {
    singular: "customer",
    authorize: (store, scopes) => {
      requireScope(scopes, "read_customers");
      if (!store.protectedCustomerData) throw new SimError(403, ERR_PROTECTED);
    },
    count: (store, params) => store.countCustomers(simpleQuery(store, params, false)),
    get: (store, id) => {
      const k = store.customerIndexById(id);
      return k >= 0 ? store.customerJson(k) : null;
    },
    list: (store, list) =>
      indexedPage(
        store.pageCustomers(simpleQuery(store, list.filters, false), list.limit, list.cursor),
        store.customers.ids,
        (i) => store.customerJson(i),
      ),
  },
  events: {
    singular: "event",
    // events.json needs no scope of its own: it shows only the subjects the token may read
    authorize: () => undefined,
    count: (store, params, scopes) =>
      store.events.filter(eventMatcher(eventQuery(store, params), eventTypes(scopes))).length,
    get: (store, id, scopes) => {
      const types = eventTypes(scopes);
      const e = store.events.find((x) => x.id === id && types.has(x.subject_type));
      return e ? eventJson(store, e) : null;
    },
    list: (store, list, scopes) => {
      const match = eventMatcher(eventQuery(store, list.filters), eventTypes(scopes));
      const page = pageEvents(store.events, match, list.limit, list.cursor);
      const n = page.items.length;
      return {
        records: page.items.map((e) => eventJson(store, e)),
        firstId: n ? page.items[0].id : null,
        lastId: n ? page.items[n - 1].id : null,
        hasPrev: page.hasPrev,
        hasNext: page.hasNext,
      };
    },
  },
};

const notFound = (): AdminAnswer => ({ status: 404, body: JSON.stringify(ERR_NOT_FOUND) });

/**
 * Answers GET `{apiBase}/{path}.json`: shop, a resource's count, one record, or a list page with
 * its Link header. Access errors are thrown as SimError.
 */
export function adminAnswer(
  store: Store,
  scopes: string[],
  path: string,
  params: URLSearchParams,
  apiBase: string,
): AdminAnswer {
  if (path === "shop") return { status: 200, body: JSON.stringify({ shop: store.shopJson() }) };
  const parts = path.split("/");
  const name = parts[0];
  const resource = Object.hasOwn(RESOURCES, name) ? RESOURCES[name as ListResource] : null;
  if (!resource) return notFound();
  resource.authorize(store, scopes);
  if (parts.length === 2 && parts[1] === "count")
    return { status: 200, body: JSON.stringify({ count: resource.count(store, params, scopes) }) };
  if (parts.length === 2 && /^\d+$/.test(parts[1])) {
    const fields = parseFields(params.get("fields"));
    const record = resource.get(store, Number(parts[1]), scopes);
    if (!record) return notFound();
    return { status: 200, body: `{"${resource.singular}":${JSON.stringify(pickFields(record, fields))}}` };
  }
  if (parts.length !== 1) return notFound();
  const list = parseListRequest(params, name as ListResource);
  const page = resource.list(store, list, scopes);
  const items = page.records.map((record) => JSON.stringify(pickFields(record, list.fields)));
  const link = linkHeader(
    `${apiBase}/${name}.json`,
    name as ListResource,
    list,
    page.firstId,
    page.lastId,
    page.hasPrev,
    page.hasNext,
  );
  return { status: 200, body: `{"${name}":[${items.join(",")}]}`, ...(link ? { link } : {}) };
}
