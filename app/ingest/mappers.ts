// Pure functions from Shopify REST JSON to rows. No I/O here.

export interface ShopJson {
  id: number;
  name: string;
  email?: string | null;
  domain?: string;
  myshopify_domain: string;
  currency: string;
  iana_timezone: string;
  plan_name?: string | null;
}

export function mapShop(shop: ShopJson) {
  return {
    name: shop.name,
    email: shop.email ?? null,
    currency: shop.currency,
    timezone: shop.iana_timezone,
    plan: shop.plan_name ?? null,
  };
}
