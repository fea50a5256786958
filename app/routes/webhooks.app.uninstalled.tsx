import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server.ts";
import { recordUninstall } from "../shops/lifecycle.server.ts";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticate.webhook(request);
  await recordUninstall(shop);
  return new Response();
};
