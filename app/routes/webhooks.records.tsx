import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook, refuse } from "../lib/webhook-request.server.ts";
import { receiveRecordWebhook } from "../ingest/background.server.ts";

// orders/*, products/* and customers/* (see shopify.app.toml): the same upsert path as the sync.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic, webhookId, triggeredAt, payload } = await authenticateWebhook(request);
  const outcome = await receiveRecordWebhook({ shop, topic, webhookId, triggeredAt, payload });
  if (outcome === "unknown-shop") return refuse(404, "This shop has not installed the app.");
  if (outcome === "skipped-invalid") return refuse(422, "The record does not have the fields and types Shopify sends.");
  return new Response();
};
