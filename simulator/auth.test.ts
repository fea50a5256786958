/* eslint-disable @typescript-eslint/no-explicit-any -- JSON payloads */
import "@shopify/shopify-api/adapters/node";
import { RequestedTokenType } from "@shopify/shopify-api";
import { setGlobalDispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "./index.ts";
import type { Simulator } from "./index.ts";
import { verifyJwt } from "./auth.ts";
import { admin, call, control, shopifyLibrary } from "../tests/support/simulator-client.ts";

let sim: Simulator;
const KEY = "auth-key";
const SECRET = "auth-secret";

function api() {
  return shopifyLibrary(KEY, SECRET, ["read_orders", "read_products", "read_customers"]);
}

beforeAll(async () => {
  sim = await startSimulator({
    apps: [
      { apiKey: KEY, apiSecret: SECRET, scopes: ["read_orders", "read_products", "read_customers"] },
      { apiKey: "narrow", apiSecret: "narrow-secret", scopes: ["read_products"] },
    ],
    shops: [
      { name: "authshop", orders: 30, customers: 10, plan: "unlimited" },
      { name: "private", orders: 30, customers: 10, plan: "unlimited", protectedCustomerData: false },
    ],
  });
  setGlobalDispatcher(sim.dispatcher());
});
afterAll(() => sim.close());

describe("access tokens", () => {
  it("answers 401 with Shopify's body without or with a wrong token", async () => {
    const body = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" };
    const none = await admin(sim, "authshop", "shop.json", "");
    expect(none.status).toBe(401);
    expect(none.json).toEqual(body);
    const wrong = await admin(sim, "authshop", "orders.json", "shpat_nope");
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual(body);
    // a token of another shop is not valid here
    const t = sim.installApp("private", KEY).accessToken;
    expect((await admin(sim, "authshop", "shop.json", t)).status).toBe(401);
  });

  it("enforces granted scopes with 403", async () => {
    const t = sim.installApp("authshop", "narrow").accessToken;
    const r = await admin(sim, "authshop", "orders.json", t);
    expect(r.status).toBe(403);
    expect(r.json).toEqual({ errors: "[API] This action requires merchant approval for read_orders scope." });
    expect((await admin(sim, "authshop", "products.json", t)).status).toBe(200);
    sim.control.setScopes("authshop", "narrow", ["read_products", "write_orders"]);
    expect((await admin(sim, "authshop", "orders.json", t)).status).toBe(200);
    const c = await admin(sim, "authshop", "customers.json", t);
    expect(c.status).toBe(403);
    expect(c.json.errors).toContain("read_customers");
  });

  it("redacts protected customer data unless approved", async () => {
    const t = sim.installApp("private", KEY).accessToken;
    const c = await admin(sim, "private", "customers.json", t);
    expect(c.status).toBe(403);
    expect(c.json.errors).toContain("This app is not approved to access REST endpoints with protected customer data");
    const count = await admin(sim, "private", "customers/count.json", t);
    expect(count.status).toBe(403);
    const o = await admin(sim, "private", "orders.json?status=any&limit=250", t);
    expect(o.status).toBe(200);
    const withCustomer = o.json.orders.filter((x: any) => x.customer);
    expect(withCustomer.length).toBeGreaterThan(0);
    for (const order of o.json.orders) {
      expect(order.email).toBeNull();
      expect(order.phone).toBeNull();
      expect(order.contact_email).toBeNull();
      expect(order.billing_address).toBeUndefined();
      expect(order.shipping_address).toBeUndefined();
      if (order.customer) expect(Object.keys(order.customer).sort()).toEqual(["admin_graphql_api_id", "id"]);
    }
    sim.control.setProtectedCustomerData("private", true);
    const c2 = await admin(sim, "private", "customers.json", t);
    expect(c2.status).toBe(200);
    const o2 = await admin(sim, "private", "orders.json?status=any&limit=250", t);
    const cust = o2.json.orders.find((x: any) => x.customer).customer;
    expect(cust.email).toMatch(/@example\.com$/);
    expect(cust.first_name).toBeTruthy();
  });

  it("rejects tokens after uninstall", async () => {
    const t = sim.installApp("authshop", KEY).accessToken;
    expect((await admin(sim, "authshop", "shop.json", t)).status).toBe(200);
    sim.control.uninstall("authshop", KEY);
    expect((await admin(sim, "authshop", "shop.json", t)).status).toBe(401);
  });
});

// Over 120 lines as the list of its tests, each of them short: they share the simulator above.
describe("OAuth", () => {
  it("mints session tokens Shopify's library accepts", async () => {
    const shopify = api();
    const st = sim.sessionToken("authshop", KEY, { sub: "42" });
    const payload = await shopify.session.decodeSessionToken(st);
    expect(payload.iss).toBe("https://authshop.myshopify.com/admin");
    expect(payload.dest).toBe("https://authshop.myshopify.com");
    expect(payload.aud).toBe(KEY);
    expect(payload.sub).toBe("42");
    for (const k of ["exp", "nbf", "iat", "jti", "sid"]) expect(payload).toHaveProperty(k);
    const v = verifyJwt(st, SECRET, Math.floor(Date.now() / 1000));
    expect(v.ok).toBe(true);
  });

  it("exchanges a session token for an offline token via auth.tokenExchange", async () => {
    const shopify = api();
    const { session } = await shopify.auth.tokenExchange({
      shop: "authshop.myshopify.com",
      sessionToken: sim.sessionToken("authshop", KEY),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
    });
    expect(session.isOnline).toBe(false);
    expect(session.accessToken).toMatch(/^shpat_/);
    expect(session.scope).toBe("read_orders,read_products,read_customers");
    expect(session.expires).toBeUndefined();
    expect((await admin(sim, "authshop", "orders.json", session.accessToken!)).status).toBe(200);
  });

  it("issues expiring offline tokens and refreshes them", async () => {
    const shopify = api();
    const { session } = await shopify.auth.tokenExchange({
      shop: "authshop.myshopify.com",
      sessionToken: sim.sessionToken("authshop", KEY),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
      expiring: true,
    });
    expect(session.refreshToken).toMatch(/^shprt_/);
    const hour = session.expires!.getTime() - Date.now();
    expect(hour).toBeGreaterThan(3590_000);
    expect(hour).toBeLessThanOrEqual(3600_000);
    const ninety = session.refreshTokenExpires!.getTime() - Date.now();
    expect(ninety).toBeGreaterThan(90 * 86400_000 - 10_000);
    const { session: refreshed } = await shopify.auth.refreshToken({
      shop: "authshop.myshopify.com",
      refreshToken: session.refreshToken!,
    });
    expect(refreshed.accessToken).not.toBe(session.accessToken);
    expect(refreshed.refreshToken).not.toBe(session.refreshToken);
    expect((await admin(sim, "authshop", "shop.json", refreshed.accessToken!)).status).toBe(200);
    // a refresh token can only be used once
    await expect(
      shopify.auth.refreshToken({ shop: "authshop.myshopify.com", refreshToken: session.refreshToken! }),
    ).rejects.toThrow();
  });

  it("issues online tokens with the associated user", async () => {
    const shopify = api();
    const { session } = await shopify.auth.tokenExchange({
      shop: "authshop.myshopify.com",
      sessionToken: sim.sessionToken("authshop", KEY, { sub: "7" }),
      requestedTokenType: RequestedTokenType.OnlineAccessToken,
    });
    expect(session.isOnline).toBe(true);
    expect(session.onlineAccessInfo?.associated_user.id).toBe(7);
    expect(session.onlineAccessInfo?.associated_user_scope).toBe("read_orders,read_products,read_customers");
    expect(session.expires!.getTime()).toBeGreaterThan(Date.now());
  });

  it("rejects bad session tokens and client credentials", async () => {
    const shopify = api();
    const forged = sim.sessionToken("authshop", "narrow");
    const r = await call(sim, "https://authshop.myshopify.com/admin/oauth/access_token", {
      method: "POST",
      body: {
        client_id: KEY,
        client_secret: SECRET,
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: forged,
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      },
    });
    expect(r.status).toBe(400);
    expect(r.json.error).toBe("invalid_subject_token");
    const wrongShop = sim.sessionToken("private", KEY);
    const r2 = await call(sim, "https://authshop.myshopify.com/admin/oauth/access_token", {
      method: "POST",
      body: {
        client_id: KEY,
        client_secret: SECRET,
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: wrongShop,
      },
    });
    expect(r2.status).toBe(400);
    const r3 = await call(sim, "https://authshop.myshopify.com/admin/oauth/access_token", {
      method: "POST",
      body: "client_id=auth-key&client_secret=wrong&grant_type=refresh_token&refresh_token=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(r3.status).toBe(400);
    expect(r3.json.error).toBe("invalid_client");
    const expired = sim.sessionToken("authshop", KEY, { expiresInSec: -60 });
    await expect(
      shopify.auth.tokenExchange({
        shop: "authshop.myshopify.com",
        sessionToken: expired,
        requestedTokenType: RequestedTokenType.OfflineAccessToken,
      }),
    ).rejects.toThrow();
  });

  it("supports the authorization-code grant with a signed redirect", async () => {
    const shopify = api();
    const r = await call(
      sim,
      `https://authshop.myshopify.com/admin/oauth/authorize?client_id=${KEY}&scope=read_orders&redirect_uri=${encodeURIComponent("https://app.example.test/auth/callback")}&state=abc`,
    );
    expect(r.status).toBe(302);
    const loc = new URL(r.headers.location);
    expect(loc.searchParams.get("shop")).toBe("authshop.myshopify.com");
    expect(loc.searchParams.get("state")).toBe("abc");
    const query = Object.fromEntries(loc.searchParams);
    expect(await shopify.utils.validateHmac(query)).toBe(true);
    const form = new URLSearchParams({ client_id: KEY, client_secret: SECRET, code: query.code });
    const tok = await call(sim, "https://authshop.myshopify.com/admin/oauth/access_token", {
      method: "POST",
      body: form.toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(tok.status).toBe(200);
    expect(tok.json.scope).toBe("read_orders");
    expect(tok.json.access_token).toMatch(/^shpat_/);
    expect((await admin(sim, "authshop", "orders.json", tok.json.access_token)).status).toBe(200);
    expect((await admin(sim, "authshop", "products.json", tok.json.access_token)).status).toBe(403);
    const again = await call(sim, "https://authshop.myshopify.com/admin/oauth/access_token", {
      method: "POST",
      body: form.toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(again.status).toBe(400);
  });

  it("exposes install and session tokens through the control surface", async () => {
    const inst = await control(sim, "POST", `shops/authshop/apps/${KEY}/install`, { expiring: true });
    expect(inst.json.accessToken).toMatch(/^shpat_/);
    expect(inst.json.refreshToken).toMatch(/^shprt_/);
    const st = await control(sim, "POST", `shops/authshop/apps/${KEY}/session-token`, {});
    expect(st.json.token.split(".")).toHaveLength(3);
  });
});
