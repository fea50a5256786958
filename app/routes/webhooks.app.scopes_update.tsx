import type { ActionFunctionArgs } from "@remix-run/node";
import { appScopesUpdatePayload } from "../lib/webhook-body.ts";
import { receiveWebhook } from "../web/webhook-request.server.ts";
import { recordScopes } from "../lifecycle/installation.server.ts";

export const action = async ({ request }: ActionFunctionArgs) => {
  const delivery = await receiveWebhook(request, { "app/scopes_update": appScopesUpdatePayload });
  await recordScopes(delivery, delivery.payload.current);
  return new Response();
};
