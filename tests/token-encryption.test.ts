import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Session } from "@shopify/shopify-api";
import prisma from "../app/db.server.ts";
import { offlineAccessToken } from "../app/access-token.server.ts";
import { apiVersion } from "../app/lib/api-version.ts";
import { AdminRestClient } from "../app/ingest/rest-client.ts";
import { runSync } from "../app/ingest/sync.server.ts";
import { configuredKeyring, SealedSessionStorage } from "../app/lib/sealed-session-storage.server.ts";
import { sealToken, tokenKeyring } from "../app/lib/token-encryption.server.ts";
import { startAppServer, type AppServer } from "./support/app-server.ts";
import { closeAppTest, embeddedPage } from "./support/embedded.ts";
import { printed, printedLogLines, watchPrinted } from "./support/printed.ts";
import { apiSecret, scopes, startHarness, storedTotals, truthTotals, type Harness } from "./support/ingest-harness.ts";

// Tokens at rest: what the install through token exchange leaves in the Session table, and how the
// app treats rows it cannot open (another key, altered, copied) and rows from before sealing.

let app: AppServer;
let h: Harness;
const storage = new SealedSessionStorage(prisma, { warn: () => {} });

beforeAll(async () => {
  app = await startAppServer();
  h = await startHarness(prisma, [], { rateLimits: false });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});
afterAll(() => closeAppTest(h, app));

/** Nothing printed holds a token, the app's secret or the key. */
function expectNoSecretsPrinted(...tokens: string[]) {
  const lines = printed();
  for (const secret of [...tokens, apiSecret, process.env.TOKEN_ENCRYPTION_KEY!]) {
    for (const line of lines) expect(line).not.toContain(secret);
  }
}

const sessionId = (shop: string) => `offline_${shop}`;
const rawRow = (shop: string) => prisma.session.findUniqueOrThrow({ where: { id: sessionId(shop) } });

async function storedTokens(shop: string) {
  const session = await storage.loadSession(sessionId(shop));
  return { accessToken: session?.accessToken, refreshToken: session?.refreshToken };
}

/** A shop installed in the simulator and the app, with its session row as it was before sealing: plain. */
async function installedShop(name: string): Promise<{ shop: string; token: string }> {
  const shop = await h.install({ name, seed: 11, products: 2, customers: 3, orders: 5 });
  const token = h.tokens.get(shop)!;
  await prisma.session.create({
    data: { id: sessionId(shop), shop, state: "installed", scope: scopes.join(","), accessToken: token },
  });
  return { shop, token };
}

describe("the install through token exchange", () => {
  it("stores sealed tokens only, and the app keeps working with them", async () => {
    watchPrinted();
    const { domain: shop } = await h.sim.addShop({
      name: "sealed-install",
      seed: 7,
      products: 4,
      customers: 6,
      orders: 30,
    });
    const page = await embeddedPage(app.url, shop, "/app");
    expect(page.status).toBe(200);

    const row = await rawRow(shop);
    const { accessToken, refreshToken } = await storedTokens(shop);
    expect(accessToken).toMatch(/^shpat_/);
    expect(refreshToken).toMatch(/^shprt_/);
    const keyId = configuredKeyring().current.id;
    expect(row.accessToken).toMatch(new RegExp(`^v1\\.${keyId}\\.`));
    expect(row.refreshToken).toMatch(new RegExp(`^v1\\.${keyId}\\.`));
    const wholeRow = JSON.stringify(row, (_key, value) => (typeof value === "bigint" ? String(value) : value));
    expect(wholeRow).not.toContain(accessToken);
    expect(wholeRow).not.toContain(refreshToken);

    // The opened token is Shopify's: the Admin API takes it.
    const client = new AdminRestClient({ shop, apiVersion, token: { get: async () => accessToken! } });
    expect((await client.get<{ shop: { myshopify_domain: string } }>("shop.json")).body.shop.myshopify_domain).toBe(
      shop,
    );
    // A sync reads the token the way the worker does (through Shopify's library and the sealed storage).
    const result = await runSync({ ...h.deps(shop), token: offlineAccessToken(shop) }, { shop, trigger: "manual" });
    expect(result.status).toBe("succeeded");
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
    expect((await embeddedPage(app.url, shop, "/app/orders")).status).toBe(200);
    expectNoSecretsPrinted(accessToken!, refreshToken!);
  });

  it("refreshes an expired token with the sealed refresh token and seals the new pair", async () => {
    const shop = (await h.sim.addShop({ name: "sealed-refresh", seed: 8, products: 2, customers: 2, orders: 3 }))
      .domain;
    expect((await embeddedPage(app.url, shop, "/app")).status).toBe(200);
    const before = await storedTokens(shop);
    await prisma.session.update({ where: { id: sessionId(shop) }, data: { expires: new Date(Date.now() - 60_000) } });

    // Shopify's library refreshes with the refresh token it reads; the simulator takes only the real one.
    const token = await offlineAccessToken(shop).get();
    const after = await storedTokens(shop);
    expect(token).toBe(after.accessToken);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    const row = await rawRow(shop);
    expect(row.accessToken).toMatch(/^v1\./);
    expect(row.refreshToken).toMatch(/^v1\./);
    expect(row.expires!.getTime()).toBeGreaterThan(Date.now());
  });
});

describe("a row from before tokens were sealed", () => {
  it("is read as it is, and sealed when read", async () => {
    const { shop, token } = await installedShop("legacy-plain");
    expect((await rawRow(shop)).accessToken).toBe(token);
    expect((await embeddedPage(app.url, shop, "/app")).status).toBe(200);
    // The same token (no token exchange was needed), now sealed.
    expect((await rawRow(shop)).accessToken).toMatch(/^v1\./);
    expect((await storedTokens(shop)).accessToken).toBe(token);
  });

  it("is sealed when saved", async () => {
    const { shop, token } = await installedShop("legacy-save");
    const raw = new SealedSessionStorage(prisma, { keys: configuredKeyring() });
    await raw.storeSession(
      new Session({ id: sessionId(shop), shop, state: "saved", isOnline: false, accessToken: token }),
    );
    expect((await rawRow(shop)).accessToken).toMatch(/^v1\./);
    expect((await storedTokens(shop)).accessToken).toBe(token);
  });
});

describe("a row whose tokens cannot be opened", () => {
  const otherKey = tokenKeyring(randomBytes(32).toString("base64"));

  it.each([
    [
      "sealed with a key that is not configured",
      (token: string, id: string) => sealToken(token, id, "accessToken", otherKey),
      /not configured/,
    ],
    [
      "altered",
      (token: string, id: string) => {
        const sealed = sealToken(token, id, "accessToken", configuredKeyring());
        return `${sealed.slice(0, -3)}${sealed.endsWith("AAA") ? "BBB" : "AAA"}`;
      },
      /failed authentication/,
    ],
  ])("is no session when %s: the app gets new tokens through token exchange", async (label, seal, reason) => {
    const name = `unopenable-${label.split(" ")[0]}`;
    const shop = await h.install({ name, seed: 12, products: 2, customers: 2, orders: 3 });
    const token = h.tokens.get(shop)!;
    await prisma.session.create({
      data: { id: sessionId(shop), shop, state: "installed", accessToken: seal(token, sessionId(shop)) },
    });
    watchPrinted();

    expect((await embeddedPage(app.url, shop, "/app")).status).toBe(200);
    const warnings = printedLogLines().filter(
      (line) => line.msg === "session tokens cannot be opened; the session is treated as absent",
    );
    // One JSON log line per load (the page's loaders each load the session), naming the session and the reason.
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    for (const line of warnings) {
      expect(line).toMatchObject({ level: "warn", sessionId: sessionId(shop), reason: expect.stringMatching(reason) });
    }
    expectNoSecretsPrinted(token);

    const renewed = await storedTokens(shop);
    expect(renewed.accessToken).toMatch(/^shpat_/);
    expect(renewed.accessToken).not.toBe(token);
    expect((await rawRow(shop)).accessToken).toMatch(/^v1\./);
  });

  it("is no session when its sealed token was copied from another session", async () => {
    const { shop: first } = await installedShop("copy-from");
    const { shop: second } = await installedShop("copy-to");
    expect((await storage.loadSession(sessionId(first)))?.accessToken).toMatch(/^shpat_/);
    const copied = (await rawRow(first)).accessToken;
    await prisma.session.update({ where: { id: sessionId(second) }, data: { accessToken: copied } });

    const warnings: unknown[] = [];
    const watched = new SealedSessionStorage(prisma, { warn: (msg, fields) => warnings.push({ msg, ...fields }) });
    expect(await watched.loadSession(sessionId(second))).toBeUndefined();
    expect(await watched.findSessionsByShop(second)).toEqual([]);
    const unopened = {
      msg: "session tokens cannot be opened; the session is treated as absent",
      sessionId: "offline_copy-to.myshopify.com",
      reason: expect.stringMatching(/^accessToken failed authentication/),
    };
    expect(warnings).toEqual([unopened, unopened]);
    // The row is left for the next token exchange to replace.
    expect((await rawRow(second)).accessToken).toBe(copied);
    expect((await watched.loadSession(sessionId(first)))?.accessToken).toBe(h.tokens.get(first));
  });
});
