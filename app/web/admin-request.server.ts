import { HttpResponseError, InvalidJwtError, InvalidShopError } from "@shopify/shopify-api";
import { authenticate, sessionStorage } from "../shopify.server.ts";

// authenticate.admin for the app's pages and data routes, with a 401 (not an error page) for a
// request the app cannot tie to an installed shop: a session token whose shop or destination is not a
// Shopify shop, or one Shopify refuses to exchange (the shop never installed the app).

const unauthorized = () =>
  new Response("This request is not from a shop that has installed the app.", {
    status: 401,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });

/** The shop a request's session token names (read, not verified: it only picks the refusal's status). */
function tokenShop(request: Request): string | null {
  const bearer = request.headers.get("authorization")?.match(/^Bearer (.+)$/)?.[1];
  const token = bearer ?? new URL(request.url).searchParams.get("id_token");
  const payload = token?.split(".")[1];
  if (!payload) return null;
  try {
    const dest = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { dest?: unknown }).dest;
    return typeof dest === "string" ? new URL(dest).hostname : null;
  } catch {
    return null;
  }
}

// A page load runs its layout's and its page's loaders at once, each authenticating the same session
// token. For a shop this process has not yet seen authenticated (the first visit, when the token is
// exchanged for an access token), the first request authenticates alone and the others wait for it,
// so the token is exchanged once and the others find the stored session.
const authenticated = new Set<string>();
const firstAuthentication = new Map<string, Promise<unknown>>();

async function authenticateOnce(request: Request) {
  const shop = tokenShop(request);
  if (!shop || authenticated.has(shop)) return authenticate.admin(request);
  const inFlight = firstAuthentication.get(shop);
  if (inFlight) {
    await inFlight.catch(() => undefined);
    return authenticate.admin(request);
  }
  const attempt = authenticate.admin(request);
  firstAuthentication.set(shop, attempt);
  try {
    const context = await attempt;
    authenticated.add(shop);
    return context;
  } finally {
    firstAuthentication.delete(shop);
  }
}

export async function authenticateAdmin(request: Request) {
  try {
    return await authenticateOnce(request);
  } catch (error) {
    if (error instanceof Response) {
      // Shopify's library answers a token exchange Shopify refused with a bare 500; for a shop the
      // app holds no session of (it never installed) that is a request to refuse, not a fault.
      if (error.status === 500) {
        const shop = tokenShop(request);
        if (shop && (await sessionStorage.findSessionsByShop(shop)).length === 0) throw unauthorized();
      }
      throw error;
    }
    if (error instanceof InvalidShopError || error instanceof InvalidJwtError) throw unauthorized();
    if (error instanceof HttpResponseError && error.response.code >= 400 && error.response.code < 500) {
      throw unauthorized();
    }
    throw error;
  }
}
