import { recordWebhookTopics } from "../../app/ingest/resources/index.ts";

// The app's own webhooks besides the records': handled by app/routes/webhooks.*.
export const appWebhookTopics = { uninstalled: "app/uninstalled", scopesUpdate: "app/scopes_update" } as const;
export const complianceTopics = ["customers/data_request", "customers/redact", "shop/redact"] as const;

/**
 * The app's webhook subscriptions as shopify.app.toml declares them (tests/app-config.test.ts holds
 * the two together), for an app served at `appUrl`.
 */
export function webhookSubscriptions(appUrl: string) {
  return [
    { topics: [...recordWebhookTopics], uri: `${appUrl}/webhooks/records` },
    { topics: [appWebhookTopics.uninstalled], uri: `${appUrl}/webhooks/app/uninstalled` },
    { topics: [appWebhookTopics.scopesUpdate], uri: `${appUrl}/webhooks/app/scopes_update` },
    { topics: [...complianceTopics], uri: `${appUrl}/webhooks/compliance`, compliance: true },
  ];
}
