/** The largest webhook body the app reads (README "Webhooks"): Shopify's largest, orders with hundreds of lines, stay well below it. */
export const WEBHOOK_BODY_LIMIT = 5 * 1024 * 1024;
