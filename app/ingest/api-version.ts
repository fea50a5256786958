import type { ApiVersion } from "@shopify/shopify-api";

// The Admin API version of every REST request (rest-client.ts URLs) and of the app's webhooks
// (shopify.server.ts hands it to shopifyApp()). Typed as the library's enum, which a test checks it
// belongs to; tests/app-config.test.ts holds shopify.app.toml's [webhooks] api_version to it.
export const apiVersion = "2026-10" as ApiVersion;
