import type { Prisma, Shop } from "@prisma/client";

/** The database client or a transaction on it: a shop is resolved inside either. */
export type ShopReader = Pick<Prisma.TransactionClient, "shop">;

export interface ResolveShopOptions {
  /**
   * Also answer with a shop that has uninstalled the app (`uninstalledAt` set): its rows stay until
   * the purge after the grace period. Installed shops only by default.
   */
  includeUninstalled?: boolean;
}

/**
 * The tenant behind a shop domain, or null when the app holds no such shop (or it has uninstalled
 * and `includeUninstalled` is not set). Every room finds its shop here; those that accept an
 * uninstalled one say why:
 * - record webhooks (app/ingest/webhooks.server.ts): an uninstalled shop's deliveries are
 *   acknowledged and ignored, only a shop never installed is refused (404);
 * - compliance requests (app/lifecycle/compliance.server.ts, app/ingest/compliance.server.ts): the
 *   customer's rights cover whatever is still held, grace period included;
 * - the purge job (app/ingest/jobs.server.ts): it exists for uninstalled shops, and a reinstall
 *   within the grace period cancels it;
 * - the sync (app/ingest/sync.server.ts): it refuses an uninstalled shop too, but says so apart from
 *   one never installed;
 * - the insights (app/insights/): they read the signed-in shop's own rows whatever its state.
 * Queueing a sync (findOrQueueRun, app/ingest/sync-run.server.ts) takes installed shops only.
 */
export async function resolveShop(
  db: ShopReader,
  domain: string,
  options: ResolveShopOptions = {},
): Promise<Shop | null> {
  const shop = await db.shop.findUnique({ where: { domain } });
  if (!shop || (shop.uninstalledAt && !options.includeUninstalled)) return null;
  return shop;
}
