import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, shopifyApp, type LogSeverity } from "@shopify/shopify-app-remix/server";
import prisma from "./db.server.ts";
import { env } from "./lib/env.server.ts";
import { SealedSessionStorage } from "./lib/sealed-session-storage.server.ts";
import { recordInstall } from "./lifecycle/installation.server.ts";
import { log } from "./lib/log.server.ts";
import { apiVersion } from "./lib/api-version.ts";

/** The Admin API version of the app's requests and webhooks (app/lib/api-version.ts). */
export { apiVersion };

const config = env();

/** A domain transformation that accepts `{name}.{domain}` and leaves it unchanged. */
function sameDomain(domain: string) {
  const escaped = domain.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return { match: new RegExp(`^([a-zA-Z0-9][a-zA-Z0-9-_]*)\\.${escaped}$`), transform: `$1.${domain.toLowerCase()}` };
}

// Both distributions expose the same API (login, sessions); the cast only keeps one static type.
const distribution = (
  config.SHOPIFY_DISTRIBUTION === "single_merchant" ? AppDistribution.SingleMerchant : AppDistribution.AppStore
) as AppDistribution.AppStore;

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion,
  scopes: config.SCOPES,
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  // Tokens are sealed at rest (TOKEN_ENCRYPTION_KEY); see README, "Token encryption".
  sessionStorage: new SealedSessionStorage(prisma),
  distribution,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session }) => {
      await recordInstall(session);
    },
  },
  // The library's own lines, as the app's JSON log lines (redacted like every other).
  logger: {
    log: (severity: LogSeverity, message: string) => {
      const level = (["error", "warn", "info", "debug"] as const)[severity] ?? "debug"; // LogSeverity's order
      log[level](message, { component: "shopify-api" });
    },
  },
  // Shops on SHOP_CUSTOM_DOMAIN ({name}.{domain}) are shops to the library too (the webhook edge,
  // app/lib/webhook-body.ts, accepts the same): the library takes another domain only as a
  // transformation, here one that leaves the domain as it is.
  ...(config.SHOP_CUSTOM_DOMAIN ? { domainTransformations: [sameDomain(config.SHOP_CUSTOM_DOMAIN)] } : {}),
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
