// Apps, installations and tokens: the registry a simulator keeps of who may call which shop. Session
// tokens (HS256 JWT), the OAuth grants, the record types and what the grants need of the registry
// (common.ts) live in ./auth/.
import { randomBytes } from "node:crypto";
import type { AppSpec, InstallResult } from "./types.ts";
import { SimError } from "./store.ts";
import type { GrantRegistry, OfflineTokenAnswer } from "./auth/common.ts";
import { mintSessionToken } from "./auth/jwt.ts";
import type { AppRecord, AuthFact, CodeRecord, Installation, RefreshRecord, TokenRecord } from "./auth/records.ts";
import {
  DEFAULT_WEBHOOK_API_VERSION,
  EXPIRING_ACCESS_SECONDS,
  ONLINE_SECONDS,
  REFRESH_SECONDS,
} from "./auth/records.ts";

export type { AppRecord, AuthFact, Installation, RefreshRecord, TokenRecord } from "./auth/records.ts";
export {
  DEFAULT_WEBHOOK_API_VERSION,
  EXPIRING_ACCESS_SECONDS,
  ONLINE_SECONDS,
  REFRESH_SECONDS,
} from "./auth/records.ts";
export { b64url, signJwt, verifyJwt } from "./auth/jwt.ts";
export {
  ID_TOKEN_TYPE,
  OFFLINE_TOKEN_TYPE,
  ONLINE_TOKEN_TYPE,
  TOKEN_EXCHANGE_GRANT,
  accessTokenGrant,
} from "./auth/grants.ts";

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

export class AuthRegistry implements GrantRegistry {
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

  issueOffline(shop: string, apiKey: string, expiring: boolean): OfflineTokenAnswer {
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
    return mintSessionToken(domain, apiKey, this.app(apiKey).apiSecret, opts);
  }

  authorizeCode(shop: string, apiKey: string, scopes: string[], online: boolean): string {
    const code = randomBytes(16).toString("hex");
    this.codes.set(code, { code, apiKey, shop, scopes, online, expiresAt: Date.now() + 10 * 60 * 1000, used: false });
    return code;
  }

  /** Spends a refresh token: it cannot be used again, here or after a restore. */
  spendRefresh(rt: RefreshRecord): void {
    rt.used = true;
    this.refresh.delete(rt.token);
    this.emit({ kind: "refreshUsed", token: rt.token });
  }
}
