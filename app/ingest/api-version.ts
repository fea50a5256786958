// The Admin API version every request uses; kept in step with shopify.server.ts and shopify.app.toml.
export const apiVersion = "2026-10";
