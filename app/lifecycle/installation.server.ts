// The installation's lifecycle, as Shopify reports it: an install (after Shopify's auth), the
// app/uninstalled and app/scopes_update webhooks, each delivery handled once.
import type { Prisma } from "@prisma/client";
import type { Session } from "@shopify/shopify-api";
import prisma from "../db.server.ts";
import { AdminRestClient } from "../ingest/rest-client.ts";
import { apiVersion } from "../lib/api-version.ts";
import { fetchShopDetails } from "../ingest/shop-details.server.ts";
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

/** The identity of a delivery, as webhook_delivery records it. */
export interface DeliveryKey {
  webhookId: string;
  shop: string;
  topic: string;
}

/**
 * Records the delivery in the transaction `tx` that also carries its effect: false when it was
 * recorded before (a redelivery, to acknowledge and skip). A concurrent copy waits on the row until
 * this transaction ends, then finds it, or, after a rollback, takes its place. Record webhooks make
 * the same insert on their own connection's transaction (app/ingest/webhooks.server.ts).
 */
export async function claimDelivery(tx: Pick<Prisma.TransactionClient, "$executeRaw">, delivery: DeliveryKey) {
  const inserted = await tx.$executeRaw`
    INSERT INTO webhook_delivery (webhook_id, shop, topic)
    VALUES (${delivery.webhookId}, ${delivery.shop}, ${delivery.topic}) ON CONFLICT DO NOTHING`;
  return inserted === 1;
}

/** The shop's tokens are dead: its sessions go, and it is marked uninstalled (its data stays until the purge). */
export async function markUninstalled(tx: Prisma.TransactionClient, domain: string): Promise<void> {
  await tx.session.deleteMany({ where: { shop: domain } });
  await tx.shop.updateMany({ where: { domain }, data: { uninstalledAt: new Date() } });
}

/**
 * app/uninstalled, once per delivery: a redelivery (the same X-Shopify-Webhook-Id) changes nothing,
 * so a late copy can neither move the grace period nor uninstall a shop that has reinstalled since.
 */
export async function recordUninstall(delivery: DeliveryKey): Promise<"handled" | "duplicate"> {
  const outcome = await prisma.$transaction(async (tx) => {
    if (!(await claimDelivery(tx, delivery))) return "duplicate" as const;
    await markUninstalled(tx, delivery.shop);
    return "handled" as const;
  });
  log.info(outcome === "handled" ? "app uninstalled; sessions removed" : "app/uninstalled already handled", {
    shop: delivery.shop,
    webhookId: delivery.webhookId,
  });
  return outcome;
}

/** app/scopes_update, once per delivery: keep the granted scopes on the shop and on its stored sessions. */
export async function recordScopes(delivery: DeliveryKey, scopes: string[]): Promise<"handled" | "duplicate"> {
  const scope = scopes.join(",");
  const outcome = await prisma.$transaction(async (tx) => {
    if (!(await claimDelivery(tx, delivery))) return "duplicate" as const;
    await tx.session.updateMany({ where: { shop: delivery.shop }, data: { scope } });
    await tx.shop.updateMany({ where: { domain: delivery.shop }, data: { scopes: scope } });
    return "handled" as const;
  });
  log.info(outcome === "handled" ? "access scopes updated" : "app/scopes_update already handled", {
    shop: delivery.shop,
    scopes: scope,
    webhookId: delivery.webhookId,
  });
  return outcome;
}
