import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma from "../../app/db.server.ts";
import { browserHeaders } from "./app-server.ts";
import { apiKey, apiSecret, type Harness } from "./ingest-harness.ts";
import { signSessionToken } from "./session-token.ts";

// The app as Shopify admin opens it: the shop's offline session stored (as the install leaves it),
// pages requested as admin frames them (embedded, host, a fresh session token), and App Bridge's
// fetches with the token in the Authorization header.

/** Stores the offline session the install would have left for a shop the harness installed. */
export async function storeOfflineSession(h: Harness, shop: string): Promise<void> {
  await new PrismaSessionStorage(prisma).storeSession(
    new Session({
      id: `offline_${shop}`,
      shop,
      state: "installed",
      isOnline: false,
      scope: "read_products,read_orders,read_customers,read_inventory",
      accessToken: h.tokens.get(shop)!,
      expires: new Date(Date.now() + 3600_000),
    }),
  );
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
