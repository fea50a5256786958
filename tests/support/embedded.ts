import { Session } from "@shopify/shopify-api";
import prisma from "../../app/db.server.ts";
import { SealedSessionStorage } from "../../app/lib/sealed-session-storage.server.ts";
import { runSync } from "../../app/ingest/sync.server.ts";
import type { ShopSpec } from "../../simulator/index.ts";
import type { PgBoss } from "pg-boss";
import { browserHeaders, type AppServer } from "./app-server.ts";
import { apiKey, apiSecret, type Harness } from "./ingest-harness.ts";
import { signSessionToken } from "./session-token.ts";
import { accessScopes } from "../../app/lib/access-scopes.ts";

// The app as Shopify admin opens it: the shop's offline session stored (as the install leaves it),
// pages requested as admin frames them (embedded, host, a fresh session token), and App Bridge's
// fetches with the token in the Authorization header.

/** The offline session an install leaves: an expiring token, with its refresh token when given. */
export function offlineSession(shop: string, accessToken: string, refreshToken?: string): Session {
  return new Session({
    id: `offline_${shop}`,
    shop,
    state: "installed",
    isOnline: false,
    scope: accessScopes.join(","),
    accessToken,
    expires: new Date(Date.now() + 3600_000),
    ...(refreshToken ? { refreshToken, refreshTokenExpires: new Date(Date.now() + 90 * 86400_000) } : {}),
  });
}

/** Stores the offline session the install would have left for a shop the harness installed. */
export async function storeOfflineSession(h: Harness, shop: string): Promise<void> {
  await new SealedSessionStorage(prisma).storeSession(offlineSession(shop, h.tokens.get(shop)!));
}

/** A document request for `path`, as Shopify admin loads the app's iframe. */
export function embeddedPage(appUrl: string, shop: string, path: string, query: Record<string, string> = {}) {
  const params = new URLSearchParams({
    embedded: "1",
    shop,
    host: Buffer.from(`admin.shopify.com/store/${shop.split(".")[0]}`).toString("base64url"),
    id_token: signSessionToken(shop, { apiKey, secret: apiSecret }),
    ...query,
  });
  return fetch(`${appUrl}${path}?${params}`, { headers: browserHeaders, redirect: "manual" });
}

/** Headers of a fetch from the embedded app (App Bridge adds the session token). */
export const bearerHeaders = (shop: string) => ({
  ...browserHeaders,
  accept: "application/json",
  authorization: `Bearer ${signSessionToken(shop, { apiKey, secret: apiSecret })}`,
});

/** Installs a shop in the harness's simulator, imports it and stores its session: a shop ready to open. */
export async function installSynced(h: Harness, spec: ShopSpec): Promise<string> {
  const shop = await h.install(spec);
  const result = await runSync(h.deps(shop), { shop, trigger: "manual" });
  if (result.status !== "succeeded") throw new Error(`the import of ${shop} ended ${result.status}: ${result.error}`);
  await storeOfflineSession(h, shop);
  return shop;
}

/**
 * Every row of a list page from the first page on, following its "next" cursors; `between` runs
 * after each page (to change the store while paging).
 */
export async function walkPages<Row>(
  list: (query: Record<string, string>) => Promise<{ rows: Row[]; nextCursor: string | null }>,
  query: Record<string, string> = {},
  between?: () => Promise<void>,
): Promise<Row[]> {
  const seen: Row[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const page: { rows: Row[]; nextCursor: string | null } = await list(cursor ? { ...query, after: cursor } : query);
    seen.push(...page.rows);
    cursor = page.nextCursor;
    if (between) await between();
    if (!cursor) return seen;
  }
  throw new Error("more than 1000 pages");
}

/**
 * Ends what a test file of the built app started: its job queue connection (opened by the first
 * sync it queued, app/ingest/background.server.ts), the harness, the server and the database client.
 */
export async function closeAppTest(h: Harness | undefined, app: AppServer | undefined): Promise<void> {
  const queue = (globalThis as { queueGlobal?: Promise<PgBoss> }).queueGlobal;
  if (queue) await (await queue).stop({ graceful: false });
  await h?.close();
  await app?.close();
  await prisma.$disconnect();
}
