import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server.ts";
import { recordScopes } from "../shops/lifecycle.server.ts";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { payload, shop } = await authenticate.webhook(request);
  const current = (payload as { current?: unknown }).current;
  await recordScopes(shop, Array.isArray(current) ? current.map(String) : []);
  return new Response();
};
