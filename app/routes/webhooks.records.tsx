import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import prisma, { pool } from "../db.server";
import { handleRecordWebhook } from "../ingest/webhooks.server";

// orders/*, products/* and customers/* (see shopify.app.toml): the same upsert path as the sync.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, topic, webhookId, payload } = await authenticate.webhook(request);
  await handleRecordWebhook(prisma, pool, { shop, topic, webhookId, payload });
  return new Response();
};
