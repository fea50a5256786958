import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

// Shopify tokens at rest: AES-256-GCM under a key from the environment. A sealed value reads
// `v1.<keyId>.<iv>.<ciphertext+tag>` (base64url), so a row says which key sealed it and rotation can
// keep old rows readable. The session id and the column are authenticated data: a sealed token opens
// only in the row and column it was sealed for.

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEALED = /^v1\.([0-9a-f]{8})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]+)$/;
// Anything shaped like a version prefix is ours; a Shopify token (shpat_…, shprt_…) never is.
const VERSIONED = /^v\d+\./;

export type TokenField = "accessToken" | "refreshToken";

export interface TokenKey {
  /** First 8 hex digits of the key's SHA-256: names the key in sealed values without revealing it. */
  id: string;
  secret: Buffer;
}

/** The current key seals; every key (current first) opens. */
export interface TokenKeyring {
  current: TokenKey;
  previous: TokenKey[];
}

/**
 * A key as configured: 32 bytes in base64 (standard or URL-safe, padding optional), e.g. from
 * `openssl rand -base64 32`. Undefined for anything else.
 */
export function decodeTokenKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) return undefined;
  const bytes = Buffer.from(trimmed.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  return bytes.length === 32 ? bytes : undefined;
}

export function tokenKey(secret: Buffer): TokenKey {
  return { id: createHash("sha256").update(secret).digest("hex").slice(0, 8), secret };
}

/** A keyring from configured values; throws (without the values) when one is not a key. */
export function tokenKeyring(current: string, previous: string[] = []): TokenKeyring {
  const decode = (text: string) => {
    const secret = decodeTokenKey(text);
    if (!secret) throw new Error("a token encryption key is not 32 bytes of base64");
    return tokenKey(secret);
  };
  const key = decode(current);
  const others = previous
    .map(decode)
    .filter((k, i, all) => !k.secret.equals(key.secret) && all.findIndex((o) => o.secret.equals(k.secret)) === i);
  return { current: key, previous: others };
}

/** Why a stored token cannot be used. Its message never holds the token or a key. */
export class TokenOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TokenOpenError";
  }
}

function aad(sessionId: string, field: TokenField): Buffer {
  return Buffer.from(`${VERSION}:${field}:${sessionId}`, "utf8");
}

export function sealToken(value: string, sessionId: string, field: TokenField, keyring: TokenKeyring): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyring.current.secret, iv);
  cipher.setAAD(aad(sessionId, field));
  const sealed = Buffer.concat([cipher.update(value, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${keyring.current.id}.${iv.toString("base64url")}.${sealed.toString("base64url")}`;
}

export function isSealed(stored: string): boolean {
  return VERSIONED.test(stored);
}

/**
 * The token a stored value holds. `stale` when it should be sealed again: sealed with a previous
 * key, or still plain text from before tokens were sealed.
 */
export function openToken(
  stored: string,
  sessionId: string,
  field: TokenField,
  keyring: TokenKeyring,
): { value: string; stale: boolean } {
  if (!isSealed(stored)) return { value: stored, stale: true };
  const parts = SEALED.exec(stored);
  if (!parts) throw new TokenOpenError(`${field} is not in a format this version can open`);
  const [, keyId, iv, body] = parts;
  const data = Buffer.from(body, "base64url");
  if (data.length <= TAG_BYTES) throw new TokenOpenError(`${field} is truncated`);
  const candidates = [keyring.current, ...keyring.previous].filter((key) => key.id === keyId);
  if (candidates.length === 0) {
    throw new TokenOpenError(`${field} was sealed with key ${keyId}, which is not configured`);
  }
  for (const key of candidates) {
    try {
      const decipher = createDecipheriv("aes-256-gcm", key.secret, Buffer.from(iv, "base64url"));
      decipher.setAAD(aad(sessionId, field));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const value = Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]);
      return { value: value.toString("utf8"), stale: key !== keyring.current };
    } catch {
      // Authentication failed with this key; another configured key may share its id.
    }
  }
  throw new TokenOpenError(
    `${field} failed authentication with key ${keyId} (altered, or not sealed for this session)`,
  );
}
