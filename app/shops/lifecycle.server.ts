import type { Session } from "@shopify/shopify-api";
import prisma from "../db.server.ts";
import { AdminRestClient } from "../ingest/rest-client.ts";
import { apiVersion } from "../ingest/api-version.ts";
import { fetchShopDetails } from "./details.server.ts";
import { shopQueue } from "./queue.server.ts";
import { log } from "../lib/log.server.ts";

/** After Shopify's auth: the shop is (re)installed; record it and read its name, currency and timezone. */
export async function recordInstall(session: Session): Promise<void> {
  const shop = await prisma.shop.upsert({
    where: { domain: session.shop },
    create: { domain: session.shop, scopes: session.scope ?? null },
    update: { scopes: session.scope ?? null, uninstalledAt: null, installedAt: new Date() },
  });
  try {
    const client = new AdminRestClient({
      shop: session.shop,
      apiVersion,
      token: { get: async () => session.accessToken ?? "" },
      maxRetries: 2,
      timeoutMs: 10_000,
    });
    const { body: details } = await fetchShopDetails(client);
    await prisma.shop.update({ where: { id: shop.id }, data: details });
  } catch (error) {
    // The install itself succeeded; the shop's details are read again by every sync.
    log.warn("shop details not read at install; the first sync reads them", { shop: session.shop, error });
  }
  log.info("app installed", { shop: session.shop, scopes: session.scope ?? null });
  // The first import starts at once (an existing run is reused on a reinstall or a new session).
  await shopQueue().queueSync(session.shop, "install");
}

/** app/uninstalled: the shop's tokens are dead; its data is kept until the purge after the grace period. */
export async function recordUninstall(domain: string): Promise<void> {
  await prisma.$transaction([
    prisma.session.deleteMany({ where: { shop: domain } }),
    prisma.shop.updateMany({ where: { domain }, data: { uninstalledAt: new Date() } }),
  ]);
  log.info("app uninstalled; sessions removed", { shop: domain });
}

/** app/scopes_update: keep the granted scopes on the shop and on its stored sessions. */
export async function recordScopes(domain: string, scopes: string[]): Promise<void> {
  const scope = scopes.join(",");
  await prisma.$transaction([
    prisma.session.updateMany({ where: { shop: domain }, data: { scope } }),
    prisma.shop.updateMany({ where: { domain }, data: { scopes: scope } }),
  ]);
  log.info("access scopes updated", { shop: domain, scopes: scope });
}
