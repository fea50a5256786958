import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import prisma from "../db.server";
import { recordCustomerDataRequest, redactCustomer } from "../ingest/compliance.server";
import { requestShopRedaction } from "../ingest/install.server";
import { normaliseTopic } from "../ingest/webhooks.server";

// Shopify's mandatory compliance topics.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic, payload } = await authenticate.webhook(request);
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
