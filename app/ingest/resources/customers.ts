import { z } from "zod";
import { columnsOf, type TableSpecOf } from "./tables.ts";
import { id, int, mapper, optionalMoney, optionalTimestamp, text, timestamp } from "./payload.ts";
import { defineResource } from "./resource.ts";

// Customers: personal data, read only with Shopify's protected customer data approval.

const addressSchema = z.object({ city: text, province: text, country_code: text }).nullish();

const customerSchema = z.object({
  id,
  email: text,
  first_name: text,
  last_name: text,
  phone: text,
  state: text,
  tags: text,
  accepts_marketing: z.boolean().nullish(),
  email_marketing_consent: z.object({ state: text }).nullish(),
  orders_count: int,
  total_spent: optionalMoney,
  currency: text,
  default_address: addressSchema,
  created_at: optionalTimestamp,
  updated_at: timestamp,
});

export interface CustomerRow {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  city: string | null;
  province: string | null;
  countryCode: string | null;
  state: string | null;
  tags: string | null;
  acceptsMarketing: boolean | null;
  ordersCount: number | null;
  totalSpent: string | null;
  currency: string | null;
  createdAt: string | null;
  updatedAt: string;
}

export const mapCustomer = mapper(customerSchema, (c): CustomerRow => {
  const consent = c.email_marketing_consent?.state;
  return {
    id: c.id,
    email: c.email,
    firstName: c.first_name,
    lastName: c.last_name,
    phone: c.phone,
    city: c.default_address?.city ?? null,
    province: c.default_address?.province ?? null,
    countryCode: c.default_address?.country_code ?? null,
    state: c.state,
    tags: c.tags,
    acceptsMarketing: consent ? consent === "subscribed" : (c.accepts_marketing ?? null),
    ordersCount: c.orders_count,
    totalSpent: c.total_spent,
    currency: c.currency,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  };
});

const personalData = ["email", "firstName", "lastName", "phone", "city", "province", "countryCode"] as const;

const customerColumns: TableSpecOf<CustomerRow>["columns"] = [
  ["id", "id", "bigint"],
  ["email", "email", "text"],
  ["first_name", "firstName", "text"],
  ["last_name", "lastName", "text"],
  ["phone", "phone", "text"],
  ["city", "city", "text"],
  ["province", "province", "text"],
  ["country_code", "countryCode", "text"],
  ["state", "state", "text"],
  ["tags", "tags", "text"],
  ["accepts_marketing", "acceptsMarketing", "boolean"],
  ["orders_count", "ordersCount", "int"],
  ["total_spent", "totalSpent", "numeric"],
  ["currency", "currency", "text"],
  ["shopify_created_at", "createdAt", "timestamptz"],
  ["shopify_updated_at", "updatedAt", "timestamptz"],
];

export const customerTable: TableSpecOf<CustomerRow> = {
  table: "customer",
  columns: customerColumns,
  // A customer whose data was redacted (customers/redact) keeps its personal columns empty.
  onUpdate: Object.fromEntries(
    columnsOf(customerColumns, personalData).map((column) => [
      column,
      `CASE WHEN customer.redacted_at IS NULL THEN EXCLUDED.${column} END`,
    ]),
  ),
};

export const customers = defineResource({
  name: "customers",
  path: "customers.json",
  bodyKey: "customers",
  payload: customerSchema,
  map: mapCustomer,
  // Shopify records no customer events: deletions arrive by webhook or a full pass's reconciliation.
  webhookTopics: { upsert: ["customers/create", "customers/update"], delete: ["customers/delete"] },
  protectedCustomerData: true,
  table: customerTable,
  children: [],
  personalData,
});
