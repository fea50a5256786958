import { createHmac, randomUUID } from "node:crypto";

// A session token as Shopify admin issues it to an embedded app: an HS256 JWT signed with the app secret.
export function signSessionToken(
  shop: string,
  options: { apiKey: string; secret: string; expiresInSec?: number; audience?: string; sub?: string },
): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: options.audience ?? options.apiKey,
    sub: options.sub ?? "42",
    exp: now + (options.expiresInSec ?? 60),
    nbf: now - 5,
    iat: now - 5,
    jti: randomUUID(),
    sid: randomUUID(),
  };
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(payload)}`;
  const signature = createHmac("sha256", options.secret).update(unsigned).digest("base64url");
  return `${unsigned}.${signature}`;
}
