import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../lib/webhook-request.server.ts";
import { handleComplianceRequest } from "../shops/compliance.server.ts";

// Shopify's mandatory compliance topics.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic, payload } = await authenticateWebhook(request);
  // Acknowledged (Shopify expects a 200 for a valid compliance request), nothing written.
  if ((await handleComplianceRequest(shop, topic, payload)) === "nothing-held") {
    return new Response("Nothing is held for this shop.");
  }
  return new Response();
};
