import { RECORD_WEBHOOK_TOPICS } from "../../app/ingest/webhooks.server.ts";

/** The app's webhook subscriptions as shopify.app.toml declares them, for an app served at `appUrl`. */
export function webhookSubscriptions(appUrl: string) {
  return [
    { topics: RECORD_WEBHOOK_TOPICS, uri: `${appUrl}/webhooks/records` },
    { topics: ["app/uninstalled"], uri: `${appUrl}/webhooks/app/uninstalled` },
    { topics: ["app/scopes_update"], uri: `${appUrl}/webhooks/app/scopes_update` },
    { topics: ["customers/data_request", "customers/redact", "shop/redact"], uri: `${appUrl}/webhooks/compliance` },
  ];
}
