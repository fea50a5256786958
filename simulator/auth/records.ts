// What the auth registry keeps: apps, installations, tokens and codes, and the facts a state file holds.
import type { WebhookSubscription } from "../types.ts";

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

export interface CodeRecord {
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
