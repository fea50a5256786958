// Session tokens: HS256 JWTs signed with the app's secret, as App Bridge hands them to an app.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

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

/** A session token for `apiKey` on the shop at `domain`, valid from now for expiresInSec (60 s). */
export function mintSessionToken(
  domain: string,
  apiKey: string,
  secret: string,
  opts: { sub?: string; expiresInSec?: number } = {},
): string {
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
    secret,
  );
}
