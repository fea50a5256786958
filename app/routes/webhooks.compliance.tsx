import type { ActionFunctionArgs } from "@remix-run/node";
import { compliancePayloads } from "../lib/webhook-body.ts";
import { receiveWebhook } from "../web/webhook-request.server.ts";
import { handleComplianceRequest } from "../lifecycle/compliance.server.ts";

// Shopify's mandatory compliance topics. A valid request is acknowledged with a 200 whatever the app
// holds (Shopify expects one); a payload without Shopify's fields was refused (422) at the edge.
export const action = async ({ request }: ActionFunctionArgs) => {
  const delivery = await receiveWebhook(request, compliancePayloads);
  switch (await handleComplianceRequest(delivery)) {
    case "nothing-held":
      return new Response("Nothing is held for this shop.");
    case "not-completed":
      return new Response("Recorded; nothing held on this customer was erased.");
    default:
      return new Response();
  }
};
