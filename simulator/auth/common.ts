// What the OAuth grants under ./auth/ need from the registry of apps, installations and tokens.
// ../auth.ts's AuthRegistry is the one implementation; the grants name this interface, never the
// class, so that nothing under ./auth/ imports back through ../auth.ts.
import type { AppRecord, CodeRecord, Installation, RefreshRecord } from "./records.ts";

/**
 * The answer to an offline token request: a refresh token with it when the token expires. A type
 * rather than an interface so that it stays assignable to the grants' Record<string, unknown>.
 */
export type OfflineTokenAnswer = {
  access_token: string;
  scope: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
};

/** The registry as the grants see it. */
export interface GrantRegistry {
  apps: Map<string, AppRecord>;
  refresh: Map<string, RefreshRecord>;
  codes: Map<string, CodeRecord>;
  installation(shop: string, apiKey: string): Installation | undefined;
  install(shop: string, apiKey: string, scopes?: string[]): Installation;
  issueOffline(shop: string, apiKey: string, expiring: boolean): OfflineTokenAnswer;
  issueOnline(shop: string, apiKey: string, userId: number): Record<string, unknown>;
  /** Spends a refresh token: it cannot be used again, here or after a restore. */
  spendRefresh(rt: RefreshRecord): void;
}
