// The shop's own record (shop.json), read at install and by every sync.
import type { AdminRestClient, RestPage } from "./rest-client.ts";

export interface ShopJson {
  id: number;
  name: string;
  email?: string | null;
  myshopify_domain: string;
  currency: string;
  iana_timezone: string;
  plan_name?: string | null;
  primary_locale?: string | null;
}

export function mapShop(shop: ShopJson) {
  return {
    name: shop.name,
    email: shop.email ?? null,
    currency: shop.currency,
    timezone: shop.iana_timezone,
    plan: shop.plan_name ?? null,
    locale: shop.primary_locale ?? null,
  };
}

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
