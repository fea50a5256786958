import type { Prisma, PrismaClient } from "@prisma/client";
import { resolveShop } from "../shops/resolve.server.ts";
import { log } from "../lib/log.server.ts";
import { personalData } from "./resources/index.ts";

// Shopify's mandatory compliance webhooks about one customer: what the app holds on them, gathered
// or erased. The requests arrive through app/shops/compliance.server.ts.

export interface CustomerPayload {
  customer?: { id?: number | string; email?: string; phone?: string };
  orders_requested?: (number | string)[];
  orders_to_redact?: (number | string)[];
}

const customerIdOf = (payload: CustomerPayload) =>
  payload.customer?.id != null && /^\d+$/.test(String(payload.customer.id)) ? BigInt(payload.customer.id) : null;

async function recordRequest(
  db: PrismaClient,
  shop: string,
  topic: string,
  customerId: bigint | null,
  report: Prisma.InputJsonValue,
) {
  const request = await db.complianceRequest.create({
    data: { shop, topic, customerId, completedAt: new Date(), report },
  });
  // The request's id points at the record; nothing about the customer goes to the log.
  log.info("compliance request handled", { shop, topic, complianceRequestId: request.id });
  return request;
}

/** The personal-data fields of a resource (its declaration's row keys, Prisma's field names), emptied. */
const emptied = (fields: readonly string[]) => Object.fromEntries(fields.map((field) => [field, null]));

const ids = (values: (number | string)[] | undefined) => (values ?? []).map(String).filter((v) => /^\d+$/.test(v));

/** customers/data_request: gathers what the app holds on the customer, for the merchant to hand over. */
export async function recordCustomerDataRequest(db: PrismaClient, shopDomain: string, payload: CustomerPayload) {
  const customerId = customerIdOf(payload);
  const shop = await resolveShop(db, shopDomain, { includeUninstalled: true });
  let report: Prisma.InputJsonValue = { customer: null, orders: [] };
  if (shop && customerId) {
    const customer = await db.customer.findUnique({
      where: { shopId_id: { shopId: shop.id, id: customerId } },
    });
    const orders = await db.order.findMany({
      where: {
        shopId: shop.id,
        OR: [{ customerId }, { id: { in: ids(payload.orders_requested).map(BigInt) } }],
      },
      select: { id: true, name: true, email: true, processedAt: true, totalPrice: true, currency: true },
    });
    report = JSON.parse(
      JSON.stringify({ customer, orders }, (_key, value) => (typeof value === "bigint" ? value.toString() : value)),
    );
  }
  return recordRequest(db, shopDomain, "customers/data_request", customerId, report);
}

/** customers/redact: erases the customer's personal data and the contact details on their orders. */
export async function redactCustomer(db: PrismaClient, shopDomain: string, payload: CustomerPayload) {
  const customerId = customerIdOf(payload);
  const shop = await resolveShop(db, shopDomain, { includeUninstalled: true });
  let erased = { customers: 0, orders: 0 };
  if (shop && customerId) {
    const id = customerId;
    const [customers, orders] = await db.$transaction([
      db.customer.updateMany({
        where: { shopId: shop.id, id },
        data: { ...emptied(personalData.customers), redactedAt: new Date() },
      }),
      db.order.updateMany({
        where: { shopId: shop.id, OR: [{ customerId: id }, { id: { in: ids(payload.orders_to_redact).map(BigInt) } }] },
        data: emptied(personalData.orders),
      }),
    ]);
    erased = { customers: customers.count, orders: orders.count };
  }
  return recordRequest(db, shopDomain, "customers/redact", customerId, erased);
}
