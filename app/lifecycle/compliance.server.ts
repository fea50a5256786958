import prisma from "../db.server.ts";
import { recordCustomerDataRequest, redactCustomer } from "../ingest/compliance.server.ts";
import type { CustomersDataRequestPayload, CustomersRedactPayload } from "../lib/webhook-body.ts";
import { claimDelivery, markUninstalled, type DeliveryKey } from "./installation.server.ts";
import { shopQueue } from "./queue.server.ts";
import { resolveShop } from "../shops/resolve.server.ts";
import { log } from "../lib/log.server.ts";

// Shopify's mandatory compliance webhooks: customers/data_request, customers/redact, shop/redact
// (https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance). Their payloads were checked
// at the edge (app/web/webhook-request.server.ts). Each delivery is handled once: its webhook id is
// recorded in the transaction that records the request, so a redelivery neither reports, erases nor
// purges twice.

/** A compliance delivery, its payload as app/lib/webhook-body.ts parsed it. */
export type ComplianceDelivery = DeliveryKey &
  (
    | { topic: "customers/data_request"; payload: CustomersDataRequestPayload }
    | { topic: "customers/redact"; payload: CustomersRedactPayload }
    | { topic: "shop/redact"; payload: unknown }
  );

/**
 * - "nothing-held": the app holds nothing for the shop; nothing is written;
 * - "duplicate": this delivery was handled before;
 * - "not-completed": a customers/redact recorded with the reason it erased nothing, left open;
 * - "handled": recorded (and for shop/redact, the purge queued).
 */
export type ComplianceOutcome = "handled" | "nothing-held" | "duplicate" | "not-completed";

/**
 * Whether the app holds anything for the shop (its row, installed or not, or a session). Compliance
 * webhooks for any other shop are acknowledged and write nothing: there is nothing to report or erase.
 */
async function holdsShop(domain: string): Promise<boolean> {
  const [shop, session] = await Promise.all([
    resolveShop(prisma, domain, { includeUninstalled: true }),
    prisma.session.findFirst({ where: { shop: domain }, select: { id: true } }),
  ]);
  return shop !== null || session !== null;
}

/**
 * shop/redact: the shop is gone for good; its data is purged by a job (it may be large). The job is
 * queued after the request commits; if queueing fails, the request and its delivery are taken back
 * so that Shopify's retry queues it again (and should that fail too, the shop is marked uninstalled,
 * so the purge after the grace period removes it all the same).
 */
async function requestShopRedaction(delivery: DeliveryKey): Promise<ComplianceOutcome> {
  const domain = delivery.shop;
  const request = await prisma.$transaction(async (tx) => {
    if (!(await claimDelivery(tx, delivery))) return null;
    await markUninstalled(tx, domain);
    return tx.complianceRequest.create({ data: { shop: domain, topic: "shop/redact" } });
  });
  if (!request) return "duplicate";
  try {
    await shopQueue().queuePurge({ shop: domain, redact: true });
  } catch (error) {
    await prisma.$transaction([
      prisma.webhookDelivery.deleteMany({ where: { webhookId: delivery.webhookId } }),
      prisma.complianceRequest.deleteMany({ where: { id: request.id } }),
    ]);
    throw error;
  }
  log.info("shop redaction requested; purge queued", { shop: domain, topic: "shop/redact" });
  return "handled";
}

/** A compliance request for the shop, once per delivery. */
export async function handleComplianceRequest(delivery: ComplianceDelivery): Promise<ComplianceOutcome> {
  if (!(await holdsShop(delivery.shop))) return "nothing-held";
  if (delivery.topic === "shop/redact") return requestShopRedaction(delivery);
  const outcome = await prisma.$transaction(async (tx): Promise<ComplianceOutcome> => {
    if (!(await claimDelivery(tx, delivery))) return "duplicate";
    if (delivery.topic === "customers/data_request") {
      await recordCustomerDataRequest(tx, delivery.shop, delivery.payload);
      return "handled";
    }
    const request = await redactCustomer(tx, delivery.shop, delivery.payload);
    return request.completedAt ? "handled" : "not-completed";
  });
  if (outcome === "duplicate") log.info("compliance request already handled", deliveryFields(delivery));
  return outcome;
}

const deliveryFields = ({ shop, topic, webhookId }: DeliveryKey) => ({ shop, topic, webhookId });
