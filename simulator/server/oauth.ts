// OAuth endpoints of a shop: the access-token grants (token exchange, code, refresh) and authorize.
import { createHmac } from "node:crypto";
import { accessTokenGrant, normalizeScopes } from "../auth.ts";
import { SimError } from "../store.ts";
import type { ServerContext } from "./common.ts";
import type { RequestContext } from "./http.ts";
import { parseBody, readBody } from "./http.ts";
import { ERR_NOT_FOUND } from "../rest.ts";

/** Query string HMAC the way Shopify signs OAuth redirects (hex, keys sorted). */
export function queryHmac(secret: string, params: Record<string, string>): string {
  const qp = new URLSearchParams();
  for (const k of Object.keys(params).sort((a, b) => a.localeCompare(b))) qp.append(k, params[k]);
  return createHmac("sha256", secret).update(qp.toString().replace(/\+/g, "%20")).digest("hex");
}

/** POST /admin/oauth/access_token. */
export async function handleAccessToken(server: ServerContext, ctx: RequestContext): Promise<void> {
  const store = ctx.store!;
  if (ctx.req.method !== "POST") return server.send(ctx, 404, JSON.stringify(ERR_NOT_FOUND));
  const body = parseBody(await readBody(ctx.req), ctx.req.headers["content-type"]);
  server.shopStats(store.name).accessTokenRequests++;
  try {
    const result = accessTokenGrant(server.auth, store.name, store.domain, body);
    return server.send(ctx, 200, JSON.stringify(result));
  } catch (e) {
    if (e instanceof SimError) return server.send(ctx, e.status, JSON.stringify(e.body));
    throw e;
  }
}

/** GET /admin/oauth/authorize: grants at once and redirects with a signed authorization code. */
export function handleAuthorize(server: ServerContext, ctx: RequestContext, url: URL): void {
  const store = ctx.store!;
  const p = url.searchParams;
  const app = server.auth.apps.get(p.get("client_id") ?? "");
  const redirect = p.get("redirect_uri");
  if (!app || !redirect)
    return server.send(
      ctx,
      400,
      JSON.stringify({ errors: "Oauth error invalid_request: The client_id or redirect_uri is missing or invalid" }),
    );
  const scopes = normalizeScopes(p.get("scope") ?? app.scopes.join(","));
  const online = p.getAll("grant_options[]").includes("per-user");
  const code = server.auth.authorizeCode(store.name, app.apiKey, scopes, online);
  const params: Record<string, string> = {
    code,
    host: Buffer.from(`admin.shopify.com/store/${store.name}`).toString("base64").replace(/=+$/, ""),
    shop: store.domain,
    timestamp: String(Math.floor(Date.now() / 1000)),
  };
  const state = p.get("state");
  if (state !== null) params.state = state;
  params.hmac = queryHmac(app.apiSecret, params);
  const target = new URL(redirect);
  for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
  server.count(ctx, 302);
  ctx.res.writeHead(302, { location: target.toString(), "x-request-id": ctx.requestId, "content-length": "0" });
  ctx.res.end();
}
