/** Apps, installations, access tokens, session tokens (HS256 JWT) and OAuth grants. */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { AppSpec, InstallResult, WebhookSubscription } from "./types.ts";
import { SimError } from "./store.ts";

export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";
export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const EXPIRING_ACCESS_SECONDS = 3600;
export const REFRESH_SECONDS = 90 * 86400;
export const ONLINE_SECONDS = 86399;

export interface AppRecord {
  apiKey: string;
  apiSecret: string;
  scopes: string[];
  webhooks: WebhookSubscription[];
  apiVersion: string;
  duplicates: boolean;
  outOfOrder: boolean;
}

export interface Installation {
  shop: string;
  apiKey: string;
  scopes: string[];
}

export interface TokenRecord {
  token: string;
  apiKey: string;
  shop: string;
  online: boolean;
  /** Epoch ms; null = never expires. */
  expiresAt: number | null;
  revoked: boolean;
  userId: number | null;
}

export interface RefreshRecord {
  token: string;
  apiKey: string;
  shop: string;
  expiresAt: number;
  used: boolean;
}

interface CodeRecord {
  code: string;
  apiKey: string;
  shop: string;
  scopes: string[];
  online: boolean;
  expiresAt: number;
  used: boolean;
}

/**
 * One change of the registry's lasting state (installations and tokens), as kept in a state file:
 * tokens are random and dated by the wall clock, so a restore applies these outcomes instead of
 * re-running the grants that produced them.
 */
export type AuthFact =
  | { kind: "install"; shop: string; apiKey: string; scopes: string[] }
  | { kind: "uninstall"; shop: string; apiKey: string }
  | { kind: "token"; token: TokenRecord }
  | { kind: "refresh"; refresh: RefreshRecord }
  | { kind: "refreshUsed"; token: string }
  | { kind: "revoke"; token: string };

export const DEFAULT_WEBHOOK_API_VERSION = "2026-10";

export function b64url(buf: Buffer | string): string {
  return Buffer.from(buf).toString("base64url");
}

export function signJwt(payload: Record<string, unknown>, secret: string): string {
  const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(payload));
  const sig = createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}

/** Verifies an HS256 JWT; returns its payload or a reason. */
export function verifyJwt(
  token: string,
  secret: string,
  nowSec: number,
): { ok: true; payload: Record<string, unknown> } | { ok: false; reason: string } {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "malformed token" };
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8"));
    payload = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed token" };
  }
  if (header.alg !== "HS256") return { ok: false, reason: "unsupported algorithm" };
  const expect = createHmac("sha256", secret).update(`${parts[0]}.${parts[1]}`).digest();
  const got = Buffer.from(parts[2], "base64url");
  if (got.length !== expect.length || !timingSafeEqual(got, expect))
    return { ok: false, reason: "signature verification failed" };
  const tolerance = 10;
  if (typeof payload.exp === "number" && nowSec > payload.exp + tolerance)
    return { ok: false, reason: "token expired" };
  if (typeof payload.nbf === "number" && nowSec + tolerance < payload.nbf)
    return { ok: false, reason: "token not yet valid" };
  return { ok: true, payload };
}

export function normalizeScopes(scopes: string[] | string): string[] {
  const list = Array.isArray(scopes) ? scopes : scopes.split(",");
  return [...new Set(list.map((s) => s.trim()).filter(Boolean))];
}

/** True when the granted scopes include `required` (a write scope implies its read scope). */
export function hasScope(granted: string[], required: string): boolean {
  if (granted.includes(required)) return true;
  if (required.startsWith("read_")) return granted.includes("write_" + required.slice(5));
  return false;
}

function oauthError(status: number, error: string, description: string): SimError {
  return new SimError(status, { error, error_description: description });
}

export class AuthRegistry {
  apps = new Map<string, AppRecord>();
  installs = new Map<string, Installation>();
  tokens = new Map<string, TokenRecord>();
  refresh = new Map<string, RefreshRecord>();
  codes = new Map<string, CodeRecord>();
  /** Told of every AuthFact as it happens (the state journal). */
  onFact: ((fact: AuthFact) => void) | null = null;

  private emit(fact: AuthFact): void {
    if (this.onFact) this.onFact(structuredClone(fact));
  }

  /** Applies a recorded fact without telling onFact. */
  applyFact(fact: AuthFact): void {
    switch (fact.kind) {
      case "install":
        this.installs.set(`${fact.apiKey}|${fact.shop}`, {
          shop: fact.shop,
          apiKey: fact.apiKey,
          scopes: [...fact.scopes],
        });
        break;
      case "uninstall":
        this.dropInstall(fact.shop, fact.apiKey);
        break;
      case "token":
        this.tokens.set(fact.token.token, { ...fact.token });
        break;
      case "refresh":
        this.refresh.set(fact.refresh.token, { ...fact.refresh });
        break;
      case "refreshUsed":
        this.refresh.delete(fact.token);
        break;
      case "revoke": {
        const t = this.tokens.get(fact.token);
        if (t) t.revoked = true;
        break;
      }
    }
  }

  /** Revokes one access token for good. */
  revoke(token: TokenRecord): void {
    token.revoked = true;
    this.emit({ kind: "revoke", token: token.token });
  }

  addApp(spec: AppSpec): AppRecord {
    const rec: AppRecord = {
      apiKey: spec.apiKey,
      apiSecret: spec.apiSecret,
      scopes: normalizeScopes(spec.scopes),
      webhooks: spec.webhooks ?? [],
      apiVersion: spec.apiVersion ?? DEFAULT_WEBHOOK_API_VERSION,
      duplicates: false,
      outOfOrder: false,
    };
    this.apps.set(spec.apiKey, rec);
    return rec;
  }

  app(apiKey: string): AppRecord {
    const a = this.apps.get(apiKey);
    if (!a) throw new SimError(404, { errors: `Unknown app ${apiKey}` });
    return a;
  }

  installation(shop: string, apiKey: string): Installation | undefined {
    return this.installs.get(`${apiKey}|${shop}`);
  }

  install(shop: string, apiKey: string, scopes?: string[]): Installation {
    const app = this.app(apiKey);
    const key = `${apiKey}|${shop}`;
    let inst = this.installs.get(key);
    if (!inst) {
      inst = { shop, apiKey, scopes: normalizeScopes(scopes ?? app.scopes) };
      this.installs.set(key, inst);
      this.emit({ kind: "install", ...inst });
    } else if (scopes) {
      this.changeScopes(inst, scopes);
    }
    return inst;
  }

  private changeScopes(inst: Installation, scopes: string[]): void {
    const next = normalizeScopes(scopes);
    if (next.join(",") === inst.scopes.join(",")) return;
    inst.scopes = next;
    this.emit({ kind: "install", ...inst });
  }

  private dropInstall(shop: string, apiKey: string): boolean {
    const existed = this.installs.delete(`${apiKey}|${shop}`);
    for (const t of this.tokens.values()) if (t.shop === shop && t.apiKey === apiKey) t.revoked = true;
    for (const [k, r] of this.refresh) if (r.shop === shop && r.apiKey === apiKey) this.refresh.delete(k);
    return existed;
  }

  uninstall(shop: string, apiKey: string): boolean {
    const existed = this.dropInstall(shop, apiKey);
    this.emit({ kind: "uninstall", shop, apiKey });
    return existed;
  }

  setScopes(shop: string, apiKey: string, scopes: string[]): void {
    const inst = this.installation(shop, apiKey) ?? this.install(shop, apiKey, scopes);
    this.changeScopes(inst, scopes);
  }

  private mint(prefix: string): string {
    return `${prefix}_${randomBytes(16).toString("hex")}`;
  }

  issueOffline(
    shop: string,
    apiKey: string,
    expiring: boolean,
  ): {
    access_token: string;
    scope: string;
    expires_in?: number;
    refresh_token?: string;
    refresh_token_expires_in?: number;
  } {
    const inst = this.installation(shop, apiKey) ?? this.install(shop, apiKey);
    const token = this.mint("shpat");
    const now = Date.now();
    const rec: TokenRecord = {
      token,
      apiKey,
      shop,
      online: false,
      expiresAt: expiring ? now + EXPIRING_ACCESS_SECONDS * 1000 : null,
      revoked: false,
      userId: null,
    };
    this.tokens.set(token, rec);
    this.emit({ kind: "token", token: rec });
    const scope = inst.scopes.join(",");
    if (!expiring) return { access_token: token, scope };
    const rt = this.mint("shprt");
    const refresh: RefreshRecord = { token: rt, apiKey, shop, expiresAt: now + REFRESH_SECONDS * 1000, used: false };
    this.refresh.set(rt, refresh);
    this.emit({ kind: "refresh", refresh });
    return {
      access_token: token,
      scope,
      expires_in: EXPIRING_ACCESS_SECONDS,
      refresh_token: rt,
      refresh_token_expires_in: REFRESH_SECONDS,
    };
  }

  issueOnline(shop: string, apiKey: string, userId: number): Record<string, unknown> {
    const inst = this.installation(shop, apiKey) ?? this.install(shop, apiKey);
    const token = this.mint("shpua");
    const rec: TokenRecord = {
      token,
      apiKey,
      shop,
      online: true,
      expiresAt: Date.now() + ONLINE_SECONDS * 1000,
      revoked: false,
      userId,
    };
    this.tokens.set(token, rec);
    this.emit({ kind: "token", token: rec });
    const scope = inst.scopes.join(",");
    return {
      access_token: token,
      scope,
      expires_in: ONLINE_SECONDS,
      associated_user_scope: scope,
      session: randomBytes(16).toString("hex"),
      account_number: 0,
      associated_user: {
        id: userId,
        first_name: "Staff",
        last_name: `Member ${userId}`,
        email: `staff${userId}@example.com`,
        account_owner: userId === 1,
        locale: "en",
        collaborator: false,
        email_verified: true,
      },
    };
  }

  installApp(shop: string, apiKey: string, opts: { scopes?: string[]; expiring?: boolean } = {}): InstallResult {
    this.install(shop, apiKey, opts.scopes);
    const r = this.issueOffline(shop, apiKey, opts.expiring === true);
    return r.refresh_token
      ? { accessToken: r.access_token, refreshToken: r.refresh_token, scope: r.scope }
      : { accessToken: r.access_token, scope: r.scope };
  }

  /**
   * The newest usable offline token of an installation, expiring or not as asked (with the newest
   * live refresh token when it expires), or null when there is none.
   */
  currentOffline(shop: string, apiKey: string, expiring: boolean): InstallResult | null {
    const inst = this.installation(shop, apiKey);
    if (!inst) return null;
    let found: TokenRecord | null = null;
    for (const t of this.tokens.values())
      if (!t.online && t.apiKey === apiKey && (t.expiresAt !== null) === expiring && this.lookup(t.token, shop))
        found = t;
    if (!found) return null;
    const scope = inst.scopes.join(",");
    if (found.expiresAt === null) return { accessToken: found.token, scope };
    let refreshToken: string | undefined;
    for (const r of this.refresh.values())
      if (r.shop === shop && r.apiKey === apiKey && !r.used && Date.now() < r.expiresAt) refreshToken = r.token;
    return refreshToken ? { accessToken: found.token, refreshToken, scope } : { accessToken: found.token, scope };
  }

  /** Looks up a usable access token. */
  lookup(token: string | undefined, shop: string): TokenRecord | null {
    if (!token) return null;
    const t = this.tokens.get(token);
    if (!t || t.revoked || t.shop !== shop) return null;
    if (t.expiresAt !== null && Date.now() >= t.expiresAt) return null;
    if (!this.installation(shop, t.apiKey)) return null;
    return t;
  }

  scopesOf(t: TokenRecord): string[] {
    return this.installation(t.shop, t.apiKey)?.scopes ?? [];
  }

  sessionToken(
    shop: string,
    domain: string,
    apiKey: string,
    opts: { sub?: string; expiresInSec?: number } = {},
  ): string {
    const app = this.app(apiKey);
    const now = Math.floor(Date.now() / 1000);
    return signJwt(
      {
        iss: `https://${domain}/admin`,
        dest: `https://${domain}`,
        aud: apiKey,
        sub: opts.sub ?? "1",
        exp: now + (opts.expiresInSec ?? 60),
        nbf: now,
        iat: now,
        jti: randomUUID(),
        sid: randomBytes(16).toString("hex"),
      },
      app.apiSecret,
    );
  }

  authorizeCode(shop: string, apiKey: string, scopes: string[], online: boolean): string {
    const code = randomBytes(16).toString("hex");
    this.codes.set(code, { code, apiKey, shop, scopes, online, expiresAt: Date.now() + 10 * 60 * 1000, used: false });
    return code;
  }

  /** Handles POST /admin/oauth/access_token for every supported grant. */
  accessTokenGrant(shop: string, domain: string, body: Record<string, unknown>): Record<string, unknown> {
    const clientId = String(body.client_id ?? "");
    const app = this.apps.get(clientId);
    if (!app) throw oauthError(400, "invalid_client", "Client credentials are invalid");
    if (String(body.client_secret ?? "") !== app.apiSecret)
      throw oauthError(400, "invalid_client", "Client credentials are invalid");
    const expiring = body.expiring === "1" || body.expiring === 1 || body.expiring === true || body.expiring === "true";
    const grant = String(body.grant_type ?? (body.code ? "authorization_code" : ""));
    if (grant === TOKEN_EXCHANGE_GRANT) {
      const subject = String(body.subject_token ?? "");
      if (body.subject_token_type !== undefined && body.subject_token_type !== ID_TOKEN_TYPE) {
        throw oauthError(
          400,
          "invalid_request",
          "subject_token_type must be urn:ietf:params:oauth:token-type:id_token",
        );
      }
      const v = verifyJwt(subject, app.apiSecret, Math.floor(Date.now() / 1000));
      if (!v.ok) throw oauthError(400, "invalid_subject_token", `Session token is invalid: ${v.reason}`);
      if (v.payload.aud !== clientId)
        throw oauthError(400, "invalid_subject_token", "Session token audience does not match client_id");
      const dest = String(v.payload.dest ?? "");
      if (dest.replace(/^https:\/\//, "") !== domain)
        throw oauthError(400, "invalid_subject_token", "Session token destination does not match shop");
      const type = String(body.requested_token_type ?? OFFLINE_TOKEN_TYPE);
      if (!this.installation(shop, clientId)) this.install(shop, clientId);
      if (type === ONLINE_TOKEN_TYPE) {
        const sub = Number(v.payload.sub ?? 1);
        return this.issueOnline(shop, clientId, Number.isFinite(sub) ? sub : 1);
      }
      if (type !== OFFLINE_TOKEN_TYPE) throw oauthError(400, "invalid_request", "Unsupported requested_token_type");
      return this.issueOffline(shop, clientId, expiring);
    }
    if (grant === "refresh_token") {
      const rt = this.refresh.get(String(body.refresh_token ?? ""));
      if (!rt || rt.used || rt.apiKey !== clientId || rt.shop !== shop || Date.now() >= rt.expiresAt) {
        throw oauthError(400, "invalid_grant", "Refresh token is invalid or expired");
      }
      rt.used = true;
      this.refresh.delete(rt.token);
      this.emit({ kind: "refreshUsed", token: rt.token });
      return this.issueOffline(shop, clientId, true);
    }
    if (grant === "authorization_code") {
      const code = this.codes.get(String(body.code ?? ""));
      if (!code || code.used || code.apiKey !== clientId || code.shop !== shop || Date.now() >= code.expiresAt) {
        throw oauthError(400, "invalid_request", "The authorization code was not found or was already used");
      }
      code.used = true;
      this.install(shop, clientId, code.scopes);
      if (code.online) return this.issueOnline(shop, clientId, 1);
      return this.issueOffline(shop, clientId, expiring);
    }
    throw oauthError(400, "unsupported_grant_type", `Unsupported grant_type ${grant}`);
  }
}
