import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook, refuse } from "../web/webhook-request.server.ts";
import { receiveRecordWebhook } from "../ingest/background.server.ts";

// orders/*, products/* and customers/* (see shopify.app.toml): the same upsert path as the sync.
export const action = async ({ request }: ActionFunctionArgs) => {
  const delivery = await receiveWebhook(request);
  const outcome = await receiveRecordWebhook(delivery);
  if (outcome === "unknown-shop") return refuse(404, "This shop has not installed the app.");
  if (outcome === "skipped-invalid") return refuse(422, "The record does not have the fields and types Shopify sends.");
  if (outcome === "unstorable") return refuse(422, "The record has a value out of the range the app stores.");
  return new Response();
};
