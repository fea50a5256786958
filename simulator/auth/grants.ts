// The OAuth grants of POST /admin/oauth/access_token: token exchange, refresh token and authorization code.
import { SimError } from "../store.ts";
import type { GrantRegistry } from "./common.ts";
import { verifyJwt } from "./jwt.ts";

export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";
export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";

function oauthError(status: number, error: string, description: string): SimError {
  return new SimError(status, { error, error_description: description });
}

/** Handles POST /admin/oauth/access_token for every supported grant. */
export function accessTokenGrant(
  registry: GrantRegistry,
  shop: string,
  domain: string,
  body: Record<string, unknown>,
): Record<string, unknown> {
  const clientId = String(body.client_id ?? "");
  const app = registry.apps.get(clientId);
  if (!app) throw oauthError(400, "invalid_client", "Client credentials are invalid");
  if (String(body.client_secret ?? "") !== app.apiSecret)
    throw oauthError(400, "invalid_client", "Client credentials are invalid");
  const expiring = body.expiring === "1" || body.expiring === 1 || body.expiring === true || body.expiring === "true";
  const grant = String(body.grant_type ?? (body.code ? "authorization_code" : ""));
  if (grant === TOKEN_EXCHANGE_GRANT) {
    const subject = String(body.subject_token ?? "");
    if (body.subject_token_type !== undefined && body.subject_token_type !== ID_TOKEN_TYPE) {
      throw oauthError(400, "invalid_request", "subject_token_type must be urn:ietf:params:oauth:token-type:id_token");
    }
    const v = verifyJwt(subject, app.apiSecret, Math.floor(Date.now() / 1000));
    if (!v.ok) throw oauthError(400, "invalid_subject_token", `Session token is invalid: ${v.reason}`);
    if (v.payload.aud !== clientId)
      throw oauthError(400, "invalid_subject_token", "Session token audience does not match client_id");
    const dest = String(v.payload.dest ?? "");
    if (dest.replace(/^https:\/\//, "") !== domain)
      throw oauthError(400, "invalid_subject_token", "Session token destination does not match shop");
    const type = String(body.requested_token_type ?? OFFLINE_TOKEN_TYPE);
    if (!registry.installation(shop, clientId)) registry.install(shop, clientId);
    if (type === ONLINE_TOKEN_TYPE) {
      const sub = Number(v.payload.sub ?? 1);
      return registry.issueOnline(shop, clientId, Number.isFinite(sub) ? sub : 1);
    }
    if (type !== OFFLINE_TOKEN_TYPE) throw oauthError(400, "invalid_request", "Unsupported requested_token_type");
    return registry.issueOffline(shop, clientId, expiring);
  }
  if (grant === "refresh_token") {
    const rt = registry.refresh.get(String(body.refresh_token ?? ""));
    if (!rt || rt.used || rt.apiKey !== clientId || rt.shop !== shop || Date.now() >= rt.expiresAt) {
      throw oauthError(400, "invalid_grant", "Refresh token is invalid or expired");
    }
    registry.spendRefresh(rt);
    return registry.issueOffline(shop, clientId, true);
  }
  if (grant === "authorization_code") {
    const code = registry.codes.get(String(body.code ?? ""));
    if (!code || code.used || code.apiKey !== clientId || code.shop !== shop || Date.now() >= code.expiresAt) {
      throw oauthError(400, "invalid_request", "The authorization code was not found or was already used");
    }
    code.used = true;
    registry.install(shop, clientId, code.scopes);
    if (code.online) return registry.issueOnline(shop, clientId, 1);
    return registry.issueOffline(shop, clientId, expiring);
  }
  throw oauthError(400, "unsupported_grant_type", `Unsupported grant_type ${grant}`);
}
