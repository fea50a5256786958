import { z } from "zod";

// What the app accepts in a webhook before any room sees it: the body's size, the shop's domain,
// and, for the app and compliance topics, the fields of Shopify's documented payloads that the app
// reads (record topics are checked by their resource's mapper). Pure: the edge that applies them is
// app/web/webhook-request.server.ts.

/** The largest webhook body the app reads (README "Webhooks"): Shopify's largest, orders with hundreds of lines, stay well below it. */
export const WEBHOOK_BODY_LIMIT = 5 * 1024 * 1024;

const SHOP_NAME = "[a-z0-9][a-z0-9-]*";

/**
 * Whether `domain` is a Shopify shop's domain: `{name}.myshopify.com`, or `{name}.{customDomain}` when
 * SHOP_CUSTOM_DOMAIN names one (app/shopify.server.ts hands the same domain to Shopify's library).
 */
export function isShopDomain(domain: string, customDomain?: string): boolean {
  const suffixes = ["myshopify.com", ...(customDomain ? [customDomain.toLowerCase()] : [])];
  const name = new RegExp(`^${SHOP_NAME}$`);
  return suffixes.some(
    (suffix) => domain.length <= 255 && domain.endsWith(`.${suffix}`) && name.test(domain.slice(0, -suffix.length - 1)),
  );
}

/** A Shopify id as JSON carries it (a number, or its digits), small enough for a PostgreSQL bigint. */
const shopifyId = z
  .union([z.number().int().positive(), z.string().regex(/^\d{1,19}$/)])
  .transform(String)
  // Checked after the union passed (zod runs a refinement on its input even when the union failed).
  .refine((id) => /^\d+$/.test(id) && BigInt(id) <= 9_223_372_036_854_775_807n, "is not a 64-bit id");

const customer = z.looseObject({
  id: shopifyId,
  email: z.string().nullish(),
  phone: z.string().nullish(),
});

// The payloads as Shopify documents them (https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance,
// "Mandatory compliance webhooks"); unknown fields are kept and ignored.

/** customers/data_request: the customer and the orders the merchant asks about. */
export const customersDataRequestPayload = z.looseObject({
  shop_domain: z.string(),
  customer,
  orders_requested: z.array(shopifyId).default([]),
});

/** customers/redact: the customer to erase and their orders. */
export const customersRedactPayload = z.looseObject({
  shop_domain: z.string(),
  customer,
  orders_to_redact: z.array(shopifyId).default([]),
});

/** shop/redact: the shop, 48 hours after it uninstalled the app. */
export const shopRedactPayload = z.looseObject({ shop_domain: z.string() });

/** app/uninstalled: the shop's REST resource; the app reads none of it (the header names the shop). */
export const appUninstalledPayload = z.looseObject({});

/** app/scopes_update: the access scopes granted before and now. */
export const appScopesUpdatePayload = z.looseObject({
  previous: z.array(z.string()).optional(),
  current: z.array(z.string()),
});

export const compliancePayloads = {
  "customers/data_request": customersDataRequestPayload,
  "customers/redact": customersRedactPayload,
  "shop/redact": shopRedactPayload,
} as const;

export type CustomersDataRequestPayload = z.infer<typeof customersDataRequestPayload>;
export type CustomersRedactPayload = z.infer<typeof customersRedactPayload>;
