import { HttpResponseError, InvalidJwtError, InvalidShopError } from "@shopify/shopify-api";
import { authenticate } from "../shopify.server";

// authenticate.admin for the app's pages and data routes, with a 401 (not an error page) for a
// request the app cannot tie to an installed shop: a session token whose shop or destination is not a
// Shopify shop, or one Shopify refuses to exchange (the shop never installed the app).

const unauthorized = () =>
  new Response("This request is not from a shop that has installed the app.", {
    status: 401,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });

export async function authenticateAdmin(request: Request) {
  try {
    return await authenticate.admin(request);
  } catch (error) {
    if (error instanceof Response) throw error;
    if (error instanceof InvalidShopError || error instanceof InvalidJwtError) throw unauthorized();
    if (error instanceof HttpResponseError && error.response.code >= 400 && error.response.code < 500) {
      throw unauthorized();
    }
    throw error;
  }
}
