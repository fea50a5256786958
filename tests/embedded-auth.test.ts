import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserHeaders, startAppServer, type AppServer } from "./support/app-server.ts";
import { signSessionToken } from "./support/session-token.ts";
import { offlineSession } from "./support/embedded.ts";
import prisma from "../app/db.server.ts";
import { SealedSessionStorage } from "../app/lib/sealed-session-storage.server.ts";

const shop = "north-wind.myshopify.com";
const apiKey = process.env.SHOPIFY_API_KEY!;
const secret = process.env.SHOPIFY_API_SECRET!;
let app: AppServer;

beforeAll(async () => {
  const storage = new SealedSessionStorage(prisma);
  await storage.storeSession(offlineSession(shop, "shpat_test", "shprt_test"));
  await prisma.shop.create({
    data: { domain: shop, name: "North Wind Outfitters", currency: "USD", timezone: "America/Chicago" },
  });
  app = await startAppServer();
});

afterAll(async () => {
  await app?.close();
  await prisma.$disconnect();
});

function appUrl(idToken: string): string {
  const host = Buffer.from(`admin.shopify.com/store/north-wind`).toString("base64url");
  return `${app.url}/app?embedded=1&shop=${shop}&host=${host}&id_token=${idToken}`;
}

describe("embedded auth on /app", () => {
  it("renders the shop's page for a valid session token and a stored offline session", async () => {
    const response = await fetch(appUrl(signSessionToken(shop, { apiKey, secret })), { headers: browserHeaders });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain("North Wind Outfitters");
    expect(html).toContain("data will appear here");
  });

  it.each([
    ["an expired token", { apiKey, secret, expiresInSec: -120 }],
    ["a token signed with another secret", { apiKey, secret: "not-the-secret" }],
    ["a token for another app", { apiKey, secret, audience: "someone-elses-app" }],
  ])("refuses %s: the bounce page fetches a fresh token and reloads the app", async (_case, options) => {
    const response = await fetch(appUrl(signSessionToken(shop, options)), {
      headers: browserHeaders,
      redirect: "manual",
    });
    const body = await response.text();
    expect(response.status).toBe(302);
    const bounce = new URL(response.headers.get("location")!, app.url);
    expect(bounce.pathname).toBe("/auth/session-token");
    expect(bounce.searchParams.get("shop")).toBe(shop);
    expect(new URL(bounce.searchParams.get("shopify-reload")!).pathname).toBe("/app");
    expect(body).not.toContain("North Wind Outfitters");
  });

  it("sends a request without any session token to the login page", async () => {
    const response = await fetch(`${app.url}/app?shop=${shop}`, { headers: browserHeaders, redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/auth/login");
    expect(await response.text()).not.toContain("North Wind Outfitters");
  });
});
