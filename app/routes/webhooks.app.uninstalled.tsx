import type { ActionFunctionArgs } from "@remix-run/node";
import { appUninstalledPayload } from "../lib/webhook-body.ts";
import { receiveWebhook } from "../web/webhook-request.server.ts";
import { recordUninstall } from "../lifecycle/installation.server.ts";

export const action = async ({ request }: ActionFunctionArgs) => {
  const delivery = await receiveWebhook(request, { "app/uninstalled": appUninstalledPayload });
  await recordUninstall(delivery);
  return new Response();
};
