// The shop's own record (shop.json), read on install and at each sync. The records a sync imports
// are declared with their mappers in resources/.

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
