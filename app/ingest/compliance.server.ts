import type { Prisma } from "@prisma/client";
import { resolveShop } from "../shops/resolve.server.ts";
import { log } from "../lib/log.server.ts";
import { personalData } from "./resources/index.ts";

// Shopify's mandatory compliance webhooks about one customer: what the app holds on them, gathered
// or erased. The requests arrive through app/lifecycle/compliance.server.ts, checked against Shopify's
// documented payloads (app/lib/webhook-body.ts), and run inside the transaction that records the
// delivery.

export interface CustomerPayload {
  customer?: { id?: number | string; email?: string | null; phone?: string | null };
  orders_requested?: (number | string)[];
  orders_to_redact?: (number | string)[];
}

const customerIdOf = (payload: CustomerPayload) =>
  payload.customer?.id != null && /^\d+$/.test(String(payload.customer.id)) ? BigInt(payload.customer.id) : null;

async function recordRequest(
  db: Prisma.TransactionClient,
  shop: string,
  topic: string,
  customerId: bigint | null,
  report: Prisma.InputJsonValue,
  completed: boolean,
) {
  const request = await db.complianceRequest.create({
    data: { shop, topic, customerId, completedAt: completed ? new Date() : null, report },
  });
  // The request's id points at the record; nothing about the customer goes to the log.
  const fields = { shop, topic, complianceRequestId: request.id };
  if (completed) log.info("compliance request handled", fields);
  else log.warn("compliance request recorded, not completed", fields);
  return request;
}

/** The personal-data fields of a resource (its declaration's row keys, Prisma's field names), emptied. */
const emptied = (fields: readonly string[]) => Object.fromEntries(fields.map((field) => [field, null]));

const ids = (values: (number | string)[] | undefined) => (values ?? []).map(String).filter((v) => /^\d+$/.test(v));

/** customers/data_request: gathers what the app holds on the customer, for the merchant to hand over. */
export async function recordCustomerDataRequest(
  db: Prisma.TransactionClient,
  shopDomain: string,
  payload: CustomerPayload,
) {
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
  return recordRequest(db, shopDomain, "customers/data_request", customerId, report, true);
}

/**
 * customers/redact: erases the customer's personal data and the contact details on their orders
 * (theirs, and those Shopify names in orders_to_redact). Run it in a transaction: its two updates
 * belong together. A redact that erases nothing is recorded with the reason and left open
 * (completedAt null): the app cannot show that it erased anything.
 */
export async function redactCustomer(db: Prisma.TransactionClient, shopDomain: string, payload: CustomerPayload) {
  const customerId = customerIdOf(payload);
  const shop = await resolveShop(db, shopDomain, { includeUninstalled: true });
  const orderIds = ids(payload.orders_to_redact).map(BigInt);
  let erased = { customers: 0, orders: 0 };
  if (shop && (customerId !== null || orderIds.length > 0)) {
    const customers =
      customerId === null
        ? { count: 0 }
        : await db.customer.updateMany({
            where: { shopId: shop.id, id: customerId },
            data: { ...emptied(personalData.customers), redactedAt: new Date() },
          });
    const orders = await db.order.updateMany({
      where: {
        shopId: shop.id,
        OR: [...(customerId === null ? [] : [{ customerId }]), { id: { in: orderIds } }],
      },
      data: emptied(personalData.orders),
    });
    erased = { customers: customers.count, orders: orders.count };
  }
  const reason = !shop
    ? "The app holds no data for this shop."
    : customerId === null && orderIds.length === 0
      ? "The request names no customer id and no orders."
      : erased.customers + erased.orders === 0
        ? "The app holds no record of this customer or of the orders named."
        : null;
  const report = reason === null ? erased : { ...erased, reason };
  return recordRequest(db, shopDomain, "customers/redact", customerId, report, reason === null);
}
