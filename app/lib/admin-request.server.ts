import { HttpResponseError, InvalidJwtError, InvalidShopError } from "@shopify/shopify-api";
import { authenticate, sessionStorage } from "../shopify.server";

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

export async function authenticateAdmin(request: Request) {
  try {
    return await authenticate.admin(request);
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
