import prisma from "../db.server.ts";
import { recordCustomerDataRequest, redactCustomer, type CustomerPayload } from "../ingest/compliance.server.ts";
import { normaliseTopic } from "../ingest/webhooks.server.ts";
import { recordUninstall } from "./lifecycle.server.ts";
import { shopQueue } from "./queue.server.ts";
import { resolveShop } from "./resolve.server.ts";
import { log } from "../lib/log.server.ts";

// Shopify's mandatory compliance webhooks: customers/data_request, customers/redact, shop/redact.

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

/** shop/redact: the shop is gone for good; its data is purged by a job (it may be large). */
async function requestShopRedaction(domain: string): Promise<void> {
  await recordUninstall(domain);
  await prisma.complianceRequest.create({ data: { shop: domain, topic: "shop/redact" } });
  await shopQueue().queuePurge({ shop: domain, redact: true });
  log.info("shop redaction requested; purge queued", { shop: domain, topic: "shop/redact" });
}

/** A compliance request for the shop; "nothing-held" when the app holds nothing for it (no row written). */
export async function handleComplianceRequest(
  domain: string,
  topic: string,
  payload: CustomerPayload,
): Promise<"handled" | "nothing-held"> {
  if (!(await holdsShop(domain))) return "nothing-held";
  switch (normaliseTopic(topic)) {
    case "customers/data_request":
      await recordCustomerDataRequest(prisma, domain, payload);
      break;
    case "customers/redact":
      await redactCustomer(prisma, domain, payload);
      break;
    case "shop/redact":
      await requestShopRedaction(domain);
      break;
  }
  return "handled";
}
