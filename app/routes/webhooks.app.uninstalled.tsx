import type { ActionFunctionArgs } from "@remix-run/node";
import { appUninstalledPayload } from "../lib/webhook-body.ts";
import { receiveWebhook } from "../lib/webhook-request.server.ts";
import { recordUninstall } from "../shops/lifecycle.server.ts";

export const action = async ({ request }: ActionFunctionArgs) => {
  const delivery = await receiveWebhook(request, { "app/uninstalled": appUninstalledPayload });
  await recordUninstall(delivery);
  return new Response();
};
