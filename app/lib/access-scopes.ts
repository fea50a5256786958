// The access scopes the app asks for, granted on install (Shopify-managed installation): the default
// of SCOPES (env.server.ts), the offline stack's app, the tests. tests/app-config.test.ts holds
// shopify.app.toml's [access_scopes] to this list.
export const accessScopes = ["read_products", "read_orders", "read_customers", "read_inventory"] as const;
