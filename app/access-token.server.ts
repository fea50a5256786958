// The shops' offline access tokens, read through app/shopify.server.ts's session storage: the token
// source a process hands the sync engine where it starts it. It sits beside app/shopify.server.ts,
// above every room, because it uses it (`unauthenticated`) and app/shopify.server.ts uses
// app/lifecycle (installs): in app/lifecycle the two would import each other.
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import prisma from "./db.server.ts";
import { unauthenticated } from "./shopify.server.ts";
import { AccessTokenUnavailable, type AccessTokenSource } from "./ingest/rest-client.ts";
import { offlineSessionProblem } from "./lib/sealed-session-storage.server.ts";

const CACHE_MS = 30_000;

/**
 * The shop's offline access token from the session storage: the token source the processes hand
 * the sync engine when they start it (app/entry.server.tsx, scripts/worker.ts, scripts/sync.ts). Shopify's library refreshes an expiring
 * token (with its refresh token) when it is within five minutes of expiry; it is re-read every 30 s.
 * A shop with no usable offline session gets AccessTokenUnavailable, naming the cause and the fix:
 * no retry brings a token back, only the merchant opening the app (token exchange) or the operator
 * configuring the key the row was sealed with.
 */
export function offlineAccessToken(shop: string): AccessTokenSource {
  let cached: { token: string; until: number } | undefined;
  return {
    async get() {
      if (cached && cached.until > Date.now()) return cached.token;
      let token: string | undefined;
      try {
        token = (await unauthenticated.admin(shop)).session.accessToken;
      } catch (error) {
        if (!(error instanceof SessionNotFoundError)) throw error;
      }
      if (!token) throw await unavailable(shop);
      cached = { token, until: Date.now() + CACHE_MS };
      return cached.token;
    },
  };
}

async function unavailable(shop: string): Promise<AccessTokenUnavailable> {
  const problem = await offlineSessionProblem(prisma, shop);
  if (problem?.kind === "unreadable") {
    return new AccessTokenUnavailable(
      "unreadable",
      `The stored access token of ${shop} cannot be opened (${problem.reason}). If the encryption key was ` +
        "changed, add the key it was sealed with to TOKEN_ENCRYPTION_KEY_PREVIOUS and restart; otherwise " +
        "open the app from Shopify admin to get a new token.",
    );
  }
  return new AccessTokenUnavailable(
    "missing",
    `No offline access token is stored for ${shop}: open the app from Shopify admin to install it again.`,
  );
}
