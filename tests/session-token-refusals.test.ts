import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHmac, randomUUID } from "node:crypto";
import prisma from "../app/db.server.ts";
import { browserHeaders, startAppServer, type AppServer } from "./support/app-server.ts";
import { apiKey, apiSecret, startHarness, type Harness } from "./support/ingest-harness.ts";

// Session tokens signed with the app's secret (so they pass the signature check) whose destination
// is not a Shopify shop, or a shop that never installed the app (Shopify refuses to exchange them),
// get a 401, never an error page, and nothing is written.

let app: AppServer;
let h: Harness;
beforeAll(async () => {
  app = await startAppServer();
  h = await startHarness(prisma, [], { rateLimits: false });
});
afterAll(async () => {
  await h?.close();
  await app?.close();
  await prisma.$disconnect();
});

function token(shop: string, dest: string) {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: `https://${shop}/admin`,
    dest,
    aud: apiKey,
    sub: "1",
    exp: now + 60,
    nbf: now - 5,
    iat: now - 5,
    jti: randomUUID(),
    sid: randomUUID(),
  };
  const unsigned = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(claims)}`;
  return `${unsigned}.${createHmac("sha256", apiSecret).update(unsigned).digest("base64url")}`;
}

describe("session tokens of no installed shop", () => {
  it.each([
    ["evil.example.com", "nobody-here.myshopify.com", "https://evil.example.com"],
    ["a bare host", "nobody-here.myshopify.com", "https://localhost"],
    ["a shop that never installed", "nobody-here.myshopify.com", "https://nobody-here.myshopify.com"],
  ])("get 401 for a destination of %s, as a page and as data", async (_label, shop, dest) => {
    const id = token(shop, dest);
    const host = Buffer.from("admin.shopify.com/store/nobody-here").toString("base64url");
    const page = await fetch(`${app.url}/app?embedded=1&shop=${shop}&host=${host}&id_token=${id}`, {
      headers: browserHeaders,
      redirect: "manual",
    });
    expect(page.status).toBe(401);
    const data = await fetch(`${app.url}/app/sync`, {
      headers: { ...browserHeaders, authorization: `Bearer ${id}` },
      redirect: "manual",
    });
    expect(data.status).toBe(401);
    expect(await data.text()).toMatch(/not from a shop that has installed/);
    expect(await prisma.shop.count({ where: { domain: shop } })).toBe(0);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
  });
});
