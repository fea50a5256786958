import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  decodeTokenKey,
  openToken,
  sealToken,
  tokenKey,
  tokenKeyring,
  TokenOpenError,
  type TokenKeyring,
} from "./token-encryption.server.ts";

const newKey = () => randomBytes(32).toString("base64");
const [keyA, keyB, keyC] = [newKey(), newKey(), newKey()];
const onlyA = tokenKeyring(keyA);
const bWithA = tokenKeyring(keyB, [keyA]);
const id = "offline_acme.myshopify.com";
const token = "shpat_0123456789abcdef0123456789abcdef";

function openError(stored: string, keys: TokenKeyring, sessionId = id, field = "accessToken" as const): string {
  try {
    openToken(stored, sessionId, field, keys);
  } catch (error) {
    expect(error).toBeInstanceOf(TokenOpenError);
    const message = (error as Error).message;
    expect(message).not.toContain(token);
    for (const key of [keyA, keyB, keyC]) expect(message).not.toContain(key);
    return message;
  }
  throw new Error("expected the token not to open");
}

describe("sealing a token", () => {
  it("gives a versioned value naming its key, without the token in it, that opens to the token", () => {
    const sealed = sealToken(token, id, "accessToken", onlyA);
    expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed.split(".")[1]).toBe(onlyA.current.id);
    expect(sealed).not.toContain(token);
    expect(sealed).not.toContain(Buffer.from(token).toString("base64url").slice(0, 12));
    expect(openToken(sealed, id, "accessToken", onlyA)).toEqual({ value: token, stale: false });
  });

  it("uses a fresh IV each time", () => {
    const seals = new Set(Array.from({ length: 20 }, () => sealToken(token, id, "accessToken", onlyA)));
    expect(seals.size).toBe(20);
    expect(new Set([...seals].map((s) => s.split(".")[2])).size).toBe(20);
  });

  it("names a key by the first 8 hex digits of its SHA-256", () => {
    expect(tokenKey(Buffer.alloc(32)).id).toBe("66687aad");
  });
});

describe("opening a token", () => {
  it("opens a token sealed with a previous key and marks it stale", () => {
    const sealedWithA = sealToken(token, id, "refreshToken", onlyA);
    expect(openToken(sealedWithA, id, "refreshToken", bWithA)).toEqual({ value: token, stale: true });
    expect(openToken(sealToken(token, id, "refreshToken", bWithA), id, "refreshToken", bWithA).stale).toBe(false);
  });

  it("takes a value that is not sealed as a token from before sealing, and marks it stale", () => {
    expect(openToken(token, id, "accessToken", onlyA)).toEqual({ value: token, stale: true });
  });

  it("refuses a token sealed with a key that is not configured, naming only the key's id", () => {
    const sealedWithC = sealToken(token, id, "accessToken", tokenKeyring(keyC));
    const message = openError(sealedWithC, bWithA);
    expect(message).toContain(tokenKeyring(keyC).current.id);
    expect(message).toMatch(/not configured/);
  });

  it("refuses a token copied to another session or to the other column", () => {
    const sealed = sealToken(token, id, "accessToken", onlyA);
    expect(openError(sealed, onlyA, "offline_other.myshopify.com")).toMatch(/failed authentication/);
    expect(() => openToken(sealed, id, "refreshToken", onlyA)).toThrow(TokenOpenError);
  });

  it("refuses an altered ciphertext, IV, tag or truncation", () => {
    const sealed = sealToken(token, id, "accessToken", onlyA);
    const [version, keyId, iv, body] = sealed.split(".");
    const flip = (text: string, at: number) => {
      const bytes = Buffer.from(text, "base64url");
      bytes[at] ^= 1;
      return bytes.toString("base64url");
    };
    const bodyBytes = Buffer.from(body, "base64url").length;
    for (const altered of [
      [version, keyId, iv, flip(body, 0)],
      [version, keyId, iv, flip(body, bodyBytes - 1)],
      [version, keyId, flip(iv, 3), body],
      [version, keyId, iv, Buffer.from(body, "base64url").subarray(0, 16).toString("base64url")],
      [version, keyId, iv, ""],
      ["v2", keyId, iv, body],
    ]) {
      openError(altered.join("."), onlyA);
    }
  });
});

describe("keys", () => {
  it("are 32 bytes of base64, standard or URL-safe, padded or not", () => {
    const bytes = randomBytes(32);
    for (const text of [
      bytes.toString("base64"),
      bytes.toString("base64url"),
      bytes.toString("base64").replace(/=$/, ""),
      ` ${bytes.toString("base64")}\n`,
    ]) {
      expect(decodeTokenKey(text)?.equals(bytes)).toBe(true);
    }
    for (const text of [
      "",
      bytes.toString("hex"),
      randomBytes(31).toString("base64"),
      randomBytes(33).toString("base64"),
      `${bytes.toString("base64").slice(0, 40)}!!!=`,
    ]) {
      expect(decodeTokenKey(text)).toBeUndefined();
    }
  });

  it("make a keyring whose previous keys exclude the current one and repeats", () => {
    const keys = tokenKeyring(keyB, [keyA, keyB, keyA]);
    expect(keys.previous.map((k) => k.id)).toEqual([tokenKeyring(keyA).current.id]);
    expect(() => tokenKeyring("not a key")).toThrow(/not 32 bytes of base64/);
  });
});
