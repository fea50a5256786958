import type { ApiVersion } from "@shopify/shopify-api";

// The app's Admin API version: app/shopify.server.ts hands it to shopifyApp() and exports it, as
// Shopify's template does; it lives here so that the sync engine (its REST requests, the install's
// shop.json read) takes the same version without loading app/shopify.server.ts. Typed as the
// library's enum, which a test checks it belongs to; tests/app-config.test.ts holds
// shopify.app.toml's [webhooks] api_version to it.
export const apiVersion = "2026-10" as ApiVersion;
