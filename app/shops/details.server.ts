import type { AdminRestClient, RestPage } from "../ingest/rest-client.ts";
import { mapShop, type ShopJson } from "../ingest/mappers.ts";

/** What the app keeps of Shopify's shop resource: name, email, currency, timezone, plan, locale. */
export type ShopDetails = ReturnType<typeof mapShop>;

/**
 * The shop's details as Shopify reports them (`shop.json`), read at install and by every sync. The
 * page is returned whole: a sync takes Shopify's clock from its Date header.
 */
export async function fetchShopDetails(client: AdminRestClient): Promise<RestPage<ShopDetails>> {
  const page = await client.get<{ shop: ShopJson }>("shop.json");
  return { ...page, body: mapShop(page.body.shop) };
}
