// Customers through the control surface.
import { ID_BASE } from "../generator.ts";
import type { CustomerBase } from "../records.ts";
import { buildCustomer } from "../records.ts";
import type { JsonObject } from "../types.ts";
import type { StoreState } from "./common.ts";
import { SimError } from "./errors.ts";
import { F_DELETED } from "./indexes.ts";

export function createCustomer(store: StoreState, input: JsonObject = {}): JsonObject {
  const now = store.nowSec();
  const rng = store.createRng;
  const id = Math.max(store.customers.lastId(), ID_BASE.customer + store.baseCustomers * 1000) + 1000 + rng.int(0, 999);
  const first = String(input.first_name ?? "New");
  const last = String(input.last_name ?? "Customer");
  const email =
    input.email === undefined
      ? `${first}.${last}.${id % 100000}@example.com`.toLowerCase()
      : (input.email as string | null);
  const phone = (input.phone as string | undefined) ?? null;
  const addresses: JsonObject[] = ((input.addresses as JsonObject[] | undefined) ?? []).map((a, k) => ({
    id: ++store.counters.address,
    customer_id: id,
    first_name: a.first_name ?? first,
    last_name: a.last_name ?? last,
    company: a.company ?? null,
    address1: a.address1 ?? "",
    address2: a.address2 ?? "",
    city: a.city ?? "",
    province: a.province ?? "",
    country: a.country ?? "United States",
    zip: a.zip ?? "",
    phone: a.phone ?? phone,
    name: `${a.first_name ?? first} ${a.last_name ?? last}`,
    province_code: a.province_code ?? null,
    country_code: a.country_code ?? "US",
    country_name: a.country ?? "United States",
    default: k === 0,
  }));
  const base: CustomerBase = {
    index: -1,
    id,
    firstName: first,
    lastName: last,
    email: email ?? "",
    phone,
    acceptsMarketing: input.accepts_marketing === true,
    tags: Array.isArray(input.tags) ? (input.tags as string[]).join(", ") : String(input.tags ?? ""),
    state: "enabled",
    note: (input.note as string | undefined) ?? null,
    verifiedEmail: true,
    taxExempt: false,
    addresses,
  };
  const raw = buildCustomer(store, base, now, now);
  if (email === null) raw.email = null;
  const k = store.customers.push(id, now, now, 0);
  store.customerOverlay.set(k, raw);
  store.announce("Customer", id, "create", `Customer ${first} ${last} was created.`, "customers/create", () =>
    store.customerJson(k),
  );
  return store.customerJson(k);
}

/** Customer fields the control surface sets as given. */
const SIMPLE_CUSTOMER_FIELDS = [
  "first_name",
  "last_name",
  "email",
  "phone",
  "note",
  "state",
  "tax_exempt",
  "verified_email",
];

export function updateCustomer(store: StoreState, id: number | string, patch: JsonObject): JsonObject {
  const k = store.requireCustomer(id);
  const now = store.nowSec();
  const raw = store.customerOverlay.get(k) ?? structuredClone(store.customerRaw(k));
  for (const key of Object.keys(patch)) {
    const v = patch[key];
    if (SIMPLE_CUSTOMER_FIELDS.includes(key)) raw[key] = v;
    else if (key === "tags") raw.tags = Array.isArray(v) ? (v as string[]).join(", ") : v;
    else if (key === "accepts_marketing") {
      raw.accepts_marketing = v === true;
      raw.accepts_marketing_updated_at = store.iso(now);
      raw.email_marketing_consent = {
        state: v ? "subscribed" : "unsubscribed",
        opt_in_level: "single_opt_in",
        consent_updated_at: store.iso(now),
      };
    } else if (key !== "id")
      throw new SimError(422, { errors: { [key]: ["cannot be updated through the simulator"] } });
  }
  raw.updated_at = store.iso(now);
  store.customerOverlay.set(k, raw);
  store.customers.updated[k] = now;
  store.announce(
    "Customer",
    raw.id,
    "update",
    `Customer ${raw.first_name} ${raw.last_name} was updated.`,
    "customers/update",
    () => store.customerJson(k),
  );
  return store.customerJson(k);
}

export function deleteCustomer(store: StoreState, id: number | string): void {
  const k = store.requireCustomer(id);
  if (store.customers.ordersCount[k] > 0) {
    throw new SimError(422, { errors: { base: ["Error deleting customer: customer has orders"] } });
  }
  const customerId = store.customers.ids[k];
  store.customers.flags[k] |= F_DELETED;
  store.customerOverlay.delete(k);
  store.announce("Customer", customerId, "destroy", `Customer was deleted.`, "customers/delete", () => ({
    id: customerId,
  }));
}

/** Ids of the customer's live orders (for compliance payloads). */
export function customerOrders(store: StoreState, customerIndex: number): number[] {
  const out: number[] = [];
  const o = store.orders;
  for (let k = 0; k < o.n; k++) if (o.customer[k] === customerIndex && !(o.flags[k] & F_DELETED)) out.push(o.ids[k]);
  return out;
}
