import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { Session } from "@shopify/shopify-api";
import type { PrismaClient } from "@prisma/client";
import { createDatabase, databaseUrl, dropDatabases } from "../scripts/lib/database.ts";
import { runPrisma } from "../scripts/lib/prisma.ts";
import { createPrismaClient } from "../app/db.server.ts";
import { SealedSessionStorage } from "../app/lib/sealed-session-storage.server.ts";

// The suite's server (embedded unless DATABASE_URL is set) always; a second server when
// TEST_EXTERNAL_DATABASE_URL names one (CI points it at the machine's PostgreSQL on 127.0.0.1:5432).
// Without it, one line says those tests are not run.
const servers: [string, string][] = [["the suite's PostgreSQL", inject("databaseAdminUrl")]];
if (process.env.TEST_EXTERNAL_DATABASE_URL) {
  servers.push(["the external PostgreSQL", databaseUrl(process.env.TEST_EXTERNAL_DATABASE_URL, "postgres")]);
} else {
  console.warn(
    "database tests on an external PostgreSQL skipped: TEST_EXTERNAL_DATABASE_URL is not set (.ci/run sets it when PostgreSQL listens on 127.0.0.1:5432)",
  );
}

const created: [string, string][] = [];
afterAll(async () => {
  for (const [adminUrl, name] of created) await dropDatabases(adminUrl, [name]);
});

describe.each(servers)("on %s", (_label, adminUrl) => {
  const name = `${inject("databasePrefix")}migrate_${randomBytes(3).toString("hex")}`;
  const url = databaseUrl(adminUrl, name);
  let prisma: PrismaClient;

  it("applies every migration to an empty database and leaves `migrate status` clean", async () => {
    await createDatabase(adminUrl, name);
    created.push([adminUrl, name]);
    await runPrisma(["migrate", "deploy"], url, { quiet: true });
    const status = await runPrisma(["migrate", "status"], url, { quiet: true });
    expect(status).toContain("Database schema is up to date!");
  });

  it("stores, loads, lists and deletes offline and online sessions through Shopify's Prisma session storage, tokens sealed", async () => {
    prisma = createPrismaClient(url);
    const storage = new SealedSessionStorage(prisma);
    const offline = new Session({
      id: "offline_acme.myshopify.com",
      shop: "acme.myshopify.com",
      state: "state",
      isOnline: false,
      scope: "read_orders",
      accessToken: "shpat_offline",
      expires: new Date(Date.UTC(2030, 0, 1)),
      refreshToken: "shprt_refresh",
      refreshTokenExpires: new Date(Date.UTC(2030, 3, 1)),
    });
    const online = new Session({
      id: "acme.myshopify.com_902541635",
      shop: "acme.myshopify.com",
      state: "state",
      isOnline: true,
      scope: "read_orders",
      accessToken: "shpua_online",
      expires: new Date(Date.UTC(2030, 0, 1)),
      onlineAccessInfo: {
        expires_in: 86399,
        associated_user_scope: "read_orders",
        associated_user: {
          id: 902541635,
          first_name: "Ada",
          last_name: "Lovelace",
          email: "ada@example.com",
          email_verified: true,
          account_owner: true,
          locale: "en",
          collaborator: false,
        },
      } as Session["onlineAccessInfo"],
    });
    expect(await storage.storeSession(offline)).toBe(true);
    expect(await storage.storeSession(online)).toBe(true);
    const row = await prisma.session.findUniqueOrThrow({ where: { id: offline.id } });
    expect([row.accessToken, row.refreshToken]).toEqual([
      expect.stringMatching(/^v1\./),
      expect.stringMatching(/^v1\./),
    ]);

    const loadedOffline = await storage.loadSession(offline.id);
    expect(loadedOffline?.accessToken).toBe("shpat_offline");
    expect(loadedOffline?.refreshToken).toBe("shprt_refresh");
    expect(loadedOffline?.isOnline).toBe(false);
    const loadedOnline = await storage.loadSession(online.id);
    expect(loadedOnline?.isOnline).toBe(true);
    expect(loadedOnline?.onlineAccessInfo?.associated_user.email).toBe("ada@example.com");

    expect((await storage.findSessionsByShop("acme.myshopify.com")).map((s) => s.id).sort()).toEqual(
      [online.id, offline.id].sort(),
    );
    expect(await storage.deleteSession(offline.id)).toBe(true);
    expect(await storage.loadSession(offline.id)).toBeUndefined();
    expect(await storage.deleteSessions([online.id])).toBe(true);
    expect(await storage.findSessionsByShop("acme.myshopify.com")).toEqual([]);
    await prisma.$disconnect();
  });
});
