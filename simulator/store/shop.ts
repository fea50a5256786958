// The shop itself: its name, the generation parameters taken from its spec, and shop.json.
import { DAY, startOfPeriod } from "../generator.ts";
import type { StoreParams } from "../generator.ts";
import { offsetMinutes } from "../time.ts";
import type { JsonObject, ShopSpec } from "../types.ts";
import type { StoreState } from "./common.ts";
import { SimError } from "./errors.ts";

export const DEFAULT_NOW = "2026-11-01T00:00:00Z";

/** Plan name → [shop.json plan_name, plan_display_name]. */
const PLAN_DISPLAY: Record<string, [string, string]> = {
  basic: ["basic", "Basic"],
  shopify: ["professional", "Shopify"],
  standard: ["basic", "Basic"],
  advanced: ["advanced", "Advanced"],
  shopify_plus: ["shopify_plus", "Shopify Plus"],
  plus: ["shopify_plus", "Shopify Plus"],
  unlimited: ["unlimited", "Development (unlimited API)"],
};

export function normalizeShopName(shop: string): string {
  let s = shop.trim().toLowerCase();
  s = s.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
  if (s.endsWith(".myshopify.com")) s = s.slice(0, -".myshopify.com".length);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(s)) throw new SimError(422, { errors: { shop: [`invalid shop name: ${shop}`] } });
  return s;
}

/** Generation parameters of a spec, defaults filled in; rejects an invalid `now` or timezone. */
export function storeParams(spec: ShopSpec): StoreParams {
  const name = normalizeShopName(spec.name);
  const nowMs = Date.parse(spec.now ?? DEFAULT_NOW);
  if (Number.isNaN(nowMs)) throw new SimError(422, { errors: { now: "is not a valid ISO timestamp" } });
  const timezone = spec.timezone ?? "America/New_York";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
  } catch {
    throw new SimError(422, { errors: { timezone: "is not a valid IANA timezone" } });
  }
  const params: StoreParams = {
    name,
    seed: (spec.seed ?? 1) >>> 0,
    products: Math.max(0, Math.floor(spec.products ?? 40)),
    customers: Math.max(0, Math.floor(spec.customers ?? 150)),
    orders: Math.max(0, Math.floor(spec.orders ?? 500)),
    days: Math.max(1, Math.floor(spec.days ?? 180)),
    nowSec: Math.floor(nowMs / 1000),
    currency: (spec.currency ?? "USD").toUpperCase(),
    timezone,
    bigVariantProducts: Math.max(0, Math.floor(spec.bigVariantProducts ?? 0)),
  };
  if (params.bigVariantProducts > params.products) params.products = params.bigVariantProducts;
  return params;
}

export function shopJson(
  shop: Pick<StoreState, "params" | "name" | "domain" | "shopId" | "locationId" | "plan" | "iso">,
): JsonObject {
  const p = shop.params;
  const now = p.nowSec;
  const offset = offsetMinutes(p.timezone, p.nowSec);
  const sign = offset < 0 ? "-" : "+";
  const a = Math.abs(offset);
  const tzLabel = `(GMT${sign}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}) ${p.timezone}`;
  const [planName, planDisplay] = PLAN_DISPLAY[shop.plan] ?? ["basic", "Basic"];
  const title = shop.name
    .split(/[-_]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
  const symbol = p.currency === "EUR" ? "€" : p.currency === "GBP" ? "£" : p.currency === "JPY" ? "¥" : "$";
  return {
    id: shop.shopId,
    name: title,
    email: `owner@${shop.name}.example.com`,
    domain: shop.domain,
    province: "New York",
    country: "US",
    address1: "1 Commerce Way",
    zip: "10001",
    city: "New York",
    source: null,
    phone: "+12125550100",
    latitude: 40.7505,
    longitude: -73.9934,
    primary_locale: "en",
    address2: "",
    created_at: shop.iso(startOfPeriod(p) - 60 * DAY),
    updated_at: shop.iso(now - DAY),
    country_code: "US",
    country_name: "United States",
    currency: p.currency,
    customer_email: `support@${shop.name}.example.com`,
    timezone: tzLabel,
    iana_timezone: p.timezone,
    shop_owner: "Store Owner",
    money_format: `${symbol}{{amount}}`,
    money_with_currency_format: `${symbol}{{amount}} ${p.currency}`,
    weight_unit: "kg",
    province_code: "NY",
    taxes_included: false,
    auto_configure_tax_inclusivity: null,
    tax_shipping: null,
    county_taxes: true,
    plan_display_name: planDisplay,
    plan_name: planName,
    has_discounts: true,
    has_gift_cards: false,
    myshopify_domain: shop.domain,
    google_apps_domain: null,
    google_apps_login_enabled: null,
    money_in_emails_format: `${symbol}{{amount}}`,
    money_with_currency_in_emails_format: `${symbol}{{amount}} ${p.currency}`,
    eligible_for_payments: true,
    requires_extra_payments_agreement: false,
    password_enabled: false,
    has_storefront: true,
    finances: true,
    primary_location_id: shop.locationId,
    checkout_api_supported: true,
    multi_location_enabled: true,
    setup_required: false,
    pre_launch_enabled: false,
    enabled_presentment_currencies: [p.currency],
    transactional_sms_disabled: false,
    marketing_sms_consent_enabled_at_checkout: false,
  };
}
