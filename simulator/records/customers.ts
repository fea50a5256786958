// Customer records: generated identities and addresses, the REST customer, and order parties.
import { CUSTOMER_TAGS, FIRST_NAMES, LAST_NAMES, PLACES, STREETS } from "../data.ts";
import type { StoreParams } from "../generator.ts";
import { ID_BASE, S_CUSTOMER, idAt } from "../generator.ts";
import { rngFor } from "../rng.ts";
import { money } from "../time.ts";
import type { JsonObject } from "../types.ts";
import type { RecordContext } from "./common.ts";
import { gid } from "./common.ts";

/** Immutable generated facts about customer `i`. */
export interface CustomerBase {
  index: number;
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  acceptsMarketing: boolean;
  tags: string;
  state: "enabled" | "disabled" | "invited";
  note: string | null;
  verifiedEmail: boolean;
  taxExempt: boolean;
  addresses: JsonObject[];
}

function makeAddress(
  rngSeed: number,
  first: string,
  last: string,
  phone: string | null,
  id: number | null,
  customerId: number | null,
  isDefault: boolean,
): JsonObject {
  const rng = rngFor(rngSeed, 77, 0);
  const place = PLACES[rng.int(0, PLACES.length - 1)];
  const a: JsonObject = {};
  if (id !== null) a.id = id;
  if (customerId !== null) a.customer_id = customerId;
  Object.assign(a, {
    first_name: first,
    last_name: last,
    company: rng.chance(0.1) ? `${last} & Co` : null,
    address1: `${rng.int(1, 9999)} ${STREETS[rng.int(0, STREETS.length - 1)]}`,
    address2: rng.chance(0.2) ? `Apt ${rng.int(1, 40)}` : "",
    city: place.city,
    province: place.province,
    country: place.country,
    zip: place.zip,
    phone,
    name: `${first} ${last}`,
    province_code: place.province_code,
    country_code: place.country_code,
    country_name: place.country,
  });
  if (id !== null) a.default = isDefault;
  return a;
}

export function customerBase(p: StoreParams, i: number): CustomerBase {
  const rng = rngFor(p.seed, S_CUSTOMER, i);
  const first = FIRST_NAMES[rng.int(0, FIRST_NAMES.length - 1)];
  const last = LAST_NAMES[rng.int(0, LAST_NAMES.length - 1)];
  const id = idAt(p.seed, S_CUSTOMER, ID_BASE.customer, i);
  const email = `${first}.${last}.${i + 1}@example.com`.toLowerCase();
  const phone = rng.chance(0.6) ? `+1${rng.int(201, 989)}555${String(rng.int(0, 9999)).padStart(4, "0")}` : null;
  const nAddr = rng.chance(0.85) ? (rng.chance(0.2) ? 2 : 1) : 0;
  const addresses: JsonObject[] = [];
  for (let k = 0; k < nAddr; k++) {
    addresses.push(
      makeAddress((p.seed ^ (i * 7 + k)) >>> 0, first, last, phone, ID_BASE.address + i * 4 + k, id, k === 0),
    );
  }
  const tags: string[] = [];
  if (rng.chance(0.3)) tags.push(CUSTOMER_TAGS[rng.int(0, CUSTOMER_TAGS.length - 1)]);
  if (rng.chance(0.1)) {
    const t = CUSTOMER_TAGS[rng.int(0, CUSTOMER_TAGS.length - 1)];
    if (!tags.includes(t)) tags.push(t);
  }
  const stateRoll = rng.next();
  return {
    index: i,
    id,
    firstName: first,
    lastName: last,
    email,
    phone,
    acceptsMarketing: rng.chance(0.45),
    tags: tags.sort().join(", "),
    state: stateRoll < 0.8 ? "enabled" : stateRoll < 0.95 ? "disabled" : "invited",
    note: rng.chance(0.05) ? "Prefers email contact" : null,
    verifiedEmail: rng.chance(0.9),
    taxExempt: rng.chance(0.02),
    addresses,
  };
}

/** Raw customer record (without order aggregates) in REST shape. */
export function buildCustomer(ctx: RecordContext, b: CustomerBase, createdAt: number, updatedAt: number): JsonObject {
  const c = ctx.params.currency;
  const marketingAt = b.acceptsMarketing ? ctx.iso(createdAt) : null;
  const obj: JsonObject = {
    id: b.id,
    email: b.email,
    created_at: ctx.iso(createdAt),
    updated_at: ctx.iso(updatedAt),
    first_name: b.firstName,
    last_name: b.lastName,
    state: b.state,
    note: b.note,
    verified_email: b.verifiedEmail,
    multipass_identifier: null,
    tax_exempt: b.taxExempt,
    tags: b.tags,
    currency: c,
    phone: b.phone,
    addresses: b.addresses,
    accepts_marketing: b.acceptsMarketing,
    accepts_marketing_updated_at: marketingAt,
    marketing_opt_in_level: b.acceptsMarketing ? "single_opt_in" : null,
    tax_exemptions: [],
    email_marketing_consent: {
      state: b.acceptsMarketing ? "subscribed" : "not_subscribed",
      opt_in_level: "single_opt_in",
      consent_updated_at: marketingAt,
    },
    sms_marketing_consent: b.phone
      ? {
          state: "not_subscribed",
          opt_in_level: "single_opt_in",
          consent_updated_at: null,
          consent_collected_from: "OTHER",
        }
      : null,
    admin_graphql_api_id: gid("Customer", b.id),
    default_address: b.addresses[0] ?? null,
  };
  return obj;
}

/** Customer record with aggregates, as served by customers.json. */
export function withAggregates(
  raw: JsonObject,
  ordersCount: number,
  spentCents: number,
  lastOrder: { id: number; name: string } | null,
): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(raw)) {
    out[k] = raw[k];
    if (k === "last_name") {
      out.orders_count = ordersCount;
      out.total_spent = money(spentCents);
      out.last_order_id = lastOrder ? lastOrder.id : null;
      out.last_order_name = lastOrder ? lastOrder.name : null;
    }
  }
  return out;
}

/** The customer object embedded in orders. */
export function customerForOrder(raw: JsonObject, redacted: boolean): JsonObject {
  if (redacted) return { id: raw.id, admin_graphql_api_id: raw.admin_graphql_api_id };
  const out: JsonObject = {};
  for (const k of Object.keys(raw)) if (k !== "addresses") out[k] = raw[k];
  return out;
}

function guestIdentity(seed: number): { first: string; last: string; email: string; phone: string | null } {
  const rng = rngFor(seed, 55, 0);
  const first = FIRST_NAMES[rng.int(0, FIRST_NAMES.length - 1)];
  const last = LAST_NAMES[rng.int(0, LAST_NAMES.length - 1)];
  return {
    first,
    last,
    email: `${first}.${last}.guest${seed % 100000}@example.net`.toLowerCase(),
    phone: rng.chance(0.3) ? `+1${rng.int(201, 989)}555${String(rng.int(0, 9999)).padStart(4, "0")}` : null,
  };
}

export interface OrderParty {
  first: string;
  last: string;
  email: string;
  phone: string | null;
  address: JsonObject | null;
}

export function partyForCustomer(b: CustomerBase): OrderParty {
  return { first: b.firstName, last: b.lastName, email: b.email, phone: b.phone, address: b.addresses[0] ?? null };
}

export function partyForGuest(seed: number): OrderParty {
  const g = guestIdentity(seed);
  return {
    first: g.first,
    last: g.last,
    email: g.email,
    phone: g.phone,
    address: makeAddress(seed, g.first, g.last, g.phone, null, null, false),
  };
}
