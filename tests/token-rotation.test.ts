import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import prisma from "../app/db.server.ts";
import { SealedSessionStorage } from "../app/lib/sealed-session-storage.server.ts";
import { sealToken, tokenKeyring } from "../app/lib/token-encryption.server.ts";
import { startAppServer, type AppServer } from "./support/app-server.ts";
import { closeAppTest, embeddedPage, offlineSession } from "./support/embedded.ts";
import { startHarness, type Harness } from "./support/ingest-harness.ts";

// This file's processes run as the app does after a key rotation: key B current, key A previous.
// Set before any module reads the configuration.
const keys = vi.hoisted(() => {
  const key = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
  const [a, b] = [key(), key()];
  process.env.TOKEN_ENCRYPTION_KEY = b;
  process.env.TOKEN_ENCRYPTION_KEY_PREVIOUS = a;
  return { a, b };
});
const beforeRotation = tokenKeyring(keys.a);
const afterRotation = tokenKeyring(keys.b, [keys.a]);
const onlyB = tokenKeyring(keys.b);

let app: AppServer;
let h: Harness;
beforeAll(async () => {
  app = await startAppServer();
  h = await startHarness(prisma, [], { rateLimits: false });
});
afterAll(() => closeAppTest(h, app));

const quiet = { warn: () => {} };
const keyIdOf = (sealed: string | null) => sealed?.split(".")[1];
const rawRow = (id: string) => prisma.session.findUniqueOrThrow({ where: { id } });
const fakeToken = (prefix: string) => `${prefix}_${randomBytes(16).toString("hex")}`;

describe("after rotating to key B with key A previous", () => {
  it("the app reads a row sealed with A and seals it with B", async () => {
    const shop = await h.install({ name: "rotated", seed: 21, products: 2, customers: 2, orders: 3 });
    const token = h.tokens.get(shop)!;
    await new SealedSessionStorage(prisma, { keys: beforeRotation }).storeSession(offlineSession(shop, token));
    expect(keyIdOf((await rawRow(`offline_${shop}`)).accessToken)).toBe(beforeRotation.current.id);

    expect((await embeddedPage(app.url, shop, "/app")).status).toBe(200);
    const row = await rawRow(`offline_${shop}`);
    expect(keyIdOf(row.accessToken)).toBe(onlyB.current.id);
    // The same token (the app did not need a token exchange), which B alone now opens.
    expect((await new SealedSessionStorage(prisma, { keys: onlyB }).loadSession(row.id))?.accessToken).toBe(token);
  });

  it("a session saved after the restart is sealed with B, its refresh token too", async () => {
    const shop = "saved-after.myshopify.com";
    const [accessToken, refreshToken] = [fakeToken("shpat"), fakeToken("shprt")];
    await new SealedSessionStorage(prisma, { keys: beforeRotation }).storeSession(
      offlineSession(shop, accessToken, refreshToken),
    );
    await new SealedSessionStorage(prisma, quiet).storeSession(offlineSession(shop, accessToken, refreshToken));
    const row = await rawRow(`offline_${shop}`);
    expect([keyIdOf(row.accessToken), keyIdOf(row.refreshToken)]).toEqual([onlyB.current.id, onlyB.current.id]);
    const loaded = await new SealedSessionStorage(prisma, { keys: onlyB }).loadSession(row.id);
    expect([loaded?.accessToken, loaded?.refreshToken]).toEqual([accessToken, refreshToken]);
  });

  it("once A is dropped, a row still sealed with A is no session", async () => {
    const shop = "dropped-key.myshopify.com";
    await new SealedSessionStorage(prisma, { keys: beforeRotation }).storeSession(
      offlineSession(shop, fakeToken("shpat")),
    );
    const warnings: unknown[] = [];
    const storage = new SealedSessionStorage(prisma, {
      keys: onlyB,
      warn: (msg, fields) => warnings.push({ msg, ...fields }),
    });
    expect(await storage.loadSession(`offline_${shop}`)).toBeUndefined();
    expect(warnings).toEqual([
      {
        msg: "session tokens cannot be opened; the session is treated as absent",
        sessionId: `offline_${shop}`,
        reason: `accessToken was sealed with key ${beforeRotation.current.id}, which is not configured`,
      },
    ]);
  });

  it("`npm run seal-tokens` seals plain and A rows with B at once, and names rows it cannot open", async () => {
    const plain = { id: "offline_plain.myshopify.com", token: fakeToken("shpat"), refresh: fakeToken("shprt") };
    const withA = { id: "offline_with-a.myshopify.com", token: fakeToken("shpat") };
    const withB = { id: "offline_with-b.myshopify.com", token: fakeToken("shpat") };
    const unknown = { id: "offline_unknown.myshopify.com", token: fakeToken("shpat") };
    const otherKey = tokenKeyring(randomBytes(32).toString("base64"));
    await prisma.session.deleteMany();
    const row = (id: string, accessToken: string, refreshToken: string | null = null) =>
      prisma.session.create({ data: { id, shop: id.slice("offline_".length), state: "x", accessToken, refreshToken } });
    await row(plain.id, plain.token, plain.refresh);
    await row(withA.id, sealToken(withA.token, withA.id, "accessToken", beforeRotation));
    await row(withB.id, sealToken(withB.token, withB.id, "accessToken", afterRotation));
    const unknownSealed = sealToken(unknown.token, unknown.id, "accessToken", otherKey);
    await row(unknown.id, unknownSealed);

    const root = path.resolve(import.meta.dirname, "..");
    // At LOG_LEVEL=debug (the suite's own is silent), so that the secrets check below sees every log line.
    const run = spawnSync(process.execPath, [path.join(root, "scripts/seal-tokens.ts")], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: "debug" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Sessions sealed with key ${onlyB.current.id}: 2 now, 1 already.`);
    expect(run.stderr).toContain(`1 could not be opened`);
    expect(run.stderr).toContain(unknown.id);
    for (const secret of [plain.token, plain.refresh, withA.token, withB.token, unknown.token, keys.a, keys.b]) {
      expect(run.stdout + run.stderr).not.toContain(secret);
    }

    const rows = await prisma.session.findMany();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of [plain.id, withA.id, withB.id]) expect(keyIdOf(byId.get(id)!.accessToken)).toBe(onlyB.current.id);
    expect(keyIdOf(byId.get(plain.id)!.refreshToken)).toBe(onlyB.current.id);
    expect(byId.get(unknown.id)!.accessToken).toBe(unknownSealed);
    const storage = new SealedSessionStorage(prisma, { keys: onlyB, warn: () => {} });
    const opened = await storage.loadSession(plain.id);
    expect([opened?.accessToken, opened?.refreshToken]).toEqual([plain.token, plain.refresh]);
    expect((await storage.loadSession(withA.id))?.accessToken).toBe(withA.token);
    expect((await storage.loadSession(withB.id))?.accessToken).toBe(withB.token);
  });
});
