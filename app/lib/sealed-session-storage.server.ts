import type { PrismaClient } from "@prisma/client";
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage, type PrismaSessionStorageInterface } from "@shopify/shopify-app-session-storage-prisma";
import { env } from "./env.server.ts";
import { log } from "./log.server.ts";
import {
  openToken,
  sealToken,
  TokenOpenError,
  tokenKeyring,
  type TokenField,
  type TokenKeyring,
} from "./token-encryption.server.ts";

// Shopify's Prisma session storage with the tokens sealed (app/lib/token-encryption.server.ts): rows
// hold sealed access and refresh tokens; sessions handed to the app hold them open. Lookup columns
// (id, shop, expires) stay plain so the library queries them as before.

const FIELDS: TokenField[] = ["accessToken", "refreshToken"];

/** The raw token columns of a row; undefined for an empty or null column. */
interface TokenColumns {
  accessToken?: string;
  refreshToken?: string;
}

export function configuredKeyring(): TokenKeyring {
  const config = env();
  return tokenKeyring(config.TOKEN_ENCRYPTION_KEY, config.TOKEN_ENCRYPTION_KEY_PREVIOUS);
}

/** The row's tokens opened; `stale` when one should be sealed again with the current key. */
function openColumns(id: string, stored: TokenColumns, keys: TokenKeyring): { open: TokenColumns; stale: boolean } {
  const open: TokenColumns = {};
  let stale = false;
  for (const field of FIELDS) {
    const value = stored[field];
    if (!value) continue;
    const opened = openToken(value, id, field, keys);
    open[field] = opened.value;
    stale ||= opened.stale;
  }
  return { open, stale };
}

function sealColumns(id: string, open: TokenColumns, keys: TokenKeyring): TokenColumns {
  const sealed: TokenColumns = {};
  for (const field of FIELDS) {
    const value = open[field];
    if (value) sealed[field] = sealToken(value, id, field, keys);
  }
  return sealed;
}

/**
 * Writes `after` only where the row still holds `before`: a token refreshed (and saved) meanwhile is
 * never overwritten by the older one it replaced.
 */
async function replaceIfUnchanged(
  prisma: PrismaClient,
  id: string,
  before: TokenColumns,
  after: TokenColumns,
): Promise<boolean> {
  const { count } = await prisma.session.updateMany({
    where: {
      id,
      accessToken: before.accessToken ?? "",
      ...(before.refreshToken
        ? { refreshToken: before.refreshToken }
        : { OR: [{ refreshToken: null }, { refreshToken: "" }] }),
    },
    data: { accessToken: after.accessToken ?? "", refreshToken: after.refreshToken ?? null },
  });
  return count === 1;
}

export interface SealedSessionStorageOptions {
  /** Defaults to the configured keys (TOKEN_ENCRYPTION_KEY, TOKEN_ENCRYPTION_KEY_PREVIOUS). */
  keys?: TokenKeyring;
  /** Where a session that cannot be opened is reported; the process's JSON log unless given. */
  warn?: (message: string, fields: Record<string, unknown>) => void;
}

export class SealedSessionStorage implements PrismaSessionStorageInterface {
  readonly #prisma: PrismaClient;
  readonly #rows: PrismaSessionStorage<PrismaClient>;
  readonly #keys: TokenKeyring;
  readonly #warn: (message: string, fields: Record<string, unknown>) => void;

  constructor(prisma: PrismaClient, options: SealedSessionStorageOptions = {}) {
    this.#prisma = prisma;
    this.#rows = new PrismaSessionStorage(prisma);
    this.#keys = options.keys ?? configuredKeyring();
    this.#warn = options.warn ?? ((message, fields) => log.warn(message, fields));
  }

  storeSession(session: Session): Promise<boolean> {
    // A copy: the library keeps using the session it passed, with its tokens open.
    const sealed = new Session({ ...session.toObject(), ...sealColumns(session.id, session, this.#keys) });
    return this.#rows.storeSession(sealed);
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const stored = await this.#rows.loadSession(id);
    return stored && this.#open(stored);
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    const stored = await this.#rows.findSessionsByShop(shop);
    const opened = await Promise.all(stored.map((session) => this.#open(session)));
    return opened.filter((session) => session !== undefined);
  }

  deleteSession(id: string): Promise<boolean> {
    return this.#rows.deleteSession(id);
  }

  deleteSessions(ids: string[]): Promise<boolean> {
    return this.#rows.deleteSessions(ids);
  }

  isReady(): Promise<boolean> {
    return this.#rows.isReady();
  }

  /** The session with its tokens open, or undefined (and one log line) when they cannot be opened. */
  async #open(stored: Session): Promise<Session | undefined> {
    const raw: TokenColumns = { accessToken: stored.accessToken, refreshToken: stored.refreshToken };
    let opened: ReturnType<typeof openColumns>;
    try {
      opened = openColumns(stored.id, raw, this.#keys);
    } catch (error) {
      if (!(error instanceof TokenOpenError)) throw error;
      // Treated as absent: an admin request then gets new tokens through token exchange.
      this.#warn("session tokens cannot be opened; the session is treated as absent", {
        sessionId: stored.id,
        reason: error.message,
      });
      return undefined;
    }
    stored.accessToken = opened.open.accessToken;
    stored.refreshToken = opened.open.refreshToken;
    if (opened.stale) {
      // Plain text or a previous key: sealed with the current key now rather than at the next save.
      await replaceIfUnchanged(this.#prisma, stored.id, raw, sealColumns(stored.id, opened.open, this.#keys)).catch(
        () =>
          this.#warn("session tokens not sealed again now; they will be on the next save", { sessionId: stored.id }),
      );
    }
    return stored;
  }
}

/**
 * Why the shop has no usable offline session: none is stored (never installed, uninstalled, removed),
 * or the stored one cannot be opened, with the reason (a key that is not configured, an altered row).
 * Null when one is stored and opens.
 */
export async function offlineSessionProblem(
  prisma: PrismaClient,
  shop: string,
  keys: TokenKeyring = configuredKeyring(),
): Promise<{ kind: "missing" } | { kind: "unreadable"; reason: string } | null> {
  const row = await prisma.session.findFirst({
    where: { shop, isOnline: false },
    select: { id: true, accessToken: true, refreshToken: true },
  });
  if (!row?.accessToken) return { kind: "missing" };
  try {
    openColumns(row.id, { accessToken: row.accessToken, refreshToken: row.refreshToken || undefined }, keys);
    return null;
  } catch (error) {
    if (!(error instanceof TokenOpenError)) throw error;
    return { kind: "unreadable", reason: error.message };
  }
}

export interface SealReport {
  /** Rows sealed now: plain text, or sealed with a previous key. */
  sealed: number;
  /** Rows already sealed with the current key. */
  current: number;
  /** Rows saved or deleted by the app while this ran: left as they are. */
  changed: number;
  /** Ids of rows whose tokens cannot be opened (unknown key, altered); their shops authenticate again. */
  unreadable: string[];
}

/** Seals every row that is plain text or sealed with a previous key (`npm run seal-tokens`). */
export async function sealStoredSessions(prisma: PrismaClient, keys: TokenKeyring): Promise<SealReport> {
  const report: SealReport = { sealed: 0, current: 0, changed: 0, unreadable: [] };
  let after: string | undefined;
  for (;;) {
    const rows = await prisma.session.findMany({
      select: { id: true, accessToken: true, refreshToken: true },
      where: after === undefined ? {} : { id: { gt: after } },
      orderBy: { id: "asc" },
      take: 500,
    });
    if (rows.length === 0) return report;
    for (const row of rows) {
      const raw: TokenColumns = {
        accessToken: row.accessToken || undefined,
        refreshToken: row.refreshToken || undefined,
      };
      try {
        const { open, stale } = openColumns(row.id, raw, keys);
        if (!stale) report.current++;
        else if (await replaceIfUnchanged(prisma, row.id, raw, sealColumns(row.id, open, keys))) report.sealed++;
        else report.changed++;
      } catch (error) {
        if (!(error instanceof TokenOpenError)) throw error;
        report.unreadable.push(row.id);
      }
    }
    after = rows[rows.length - 1].id;
  }
}
