import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../lib/webhook-request.server";
import prisma from "../db.server";
import { holdsShop, recordCustomerDataRequest, redactCustomer } from "../ingest/compliance.server";
import { requestShopRedaction } from "../shops/lifecycle.server";
import { normaliseTopic } from "../ingest/webhooks.server";

// Shopify's mandatory compliance topics.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic, payload } = await authenticateWebhook(request);
  // Acknowledged (Shopify expects a 200 for a valid compliance request), nothing written.
  if (!(await holdsShop(prisma, shop))) return new Response("Nothing is held for this shop.");
  switch (normaliseTopic(topic)) {
    case "customers/data_request":
      await recordCustomerDataRequest(prisma, shop, payload);
      break;
    case "customers/redact":
      await redactCustomer(prisma, shop, payload);
      break;
    case "shop/redact":
      await requestShopRedaction(shop);
      break;
  }
  return new Response();
};
