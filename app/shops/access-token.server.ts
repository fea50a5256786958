import { unauthenticated } from "../shopify.server.ts";
import type { AccessTokenSource } from "../ingest/rest-client.ts";

const CACHE_MS = 30_000;

/**
 * The shop's offline access token from the session storage: the token source the processes hand
 * the sync engine when they start it (app/entry.server.tsx, scripts/worker.ts, scripts/sync.ts). Shopify's library refreshes an expiring
 * token (with its refresh token) when it is within five minutes of expiry; it is re-read every 30 s.
 */
export function offlineAccessToken(shop: string): AccessTokenSource {
  let cached: { token: string; until: number } | undefined;
  return {
    async get() {
      if (cached && cached.until > Date.now()) return cached.token;
      const { session } = await unauthenticated.admin(shop);
      if (!session.accessToken) throw new Error(`No offline access token stored for ${shop}`);
      cached = { token: session.accessToken, until: Date.now() + CACHE_MS };
      return cached.token;
    },
  };
}
