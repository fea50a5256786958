import type { PrismaClient } from "@prisma/client";

/**
 * A shop's tables whose shop_id has no foreign key (prisma/schema.prisma says why): their writers lock
 * the shop row (FOR KEY SHARE) in the transaction that writes them, and the purge deletes them itself.
 * tests/ingest/webhooks.test.ts checks that every table with a shop_id is this list or cascades.
 */
export const TABLES_PURGED_BY_NAME = [
  "product_variant",
  "order_line_item",
  "refund",
  "refund_line_item",
  "sales_day",
  "product_sales_day",
  "product_sales_month",
  "customer_stats",
] as const;

/** A purge, as queued (after the grace period, or by shop/redact) and run by the purge job. */
export interface PurgeJob {
  shop: string;
  /** shop/redact: purge whatever the shop's state. */
  redact?: boolean;
}

/** Removes everything the app holds for a shop: its rows, sessions and webhook log, in one transaction. */
export async function purgeShop(db: PrismaClient, domain: string): Promise<void> {
  await db.$transaction(
    async (tx) => {
      // The shop row first: this waits for every transaction writing the shop's rows (they hold its
      // KEY SHARE lock), and any that starts later finds no shop and writes nothing.
      const shops = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM shop WHERE domain = ${domain} FOR UPDATE`;
      for (const { id } of shops) {
        for (const table of TABLES_PURGED_BY_NAME)
          await tx.$executeRawUnsafe(`DELETE FROM ${table} WHERE shop_id = $1`, id);
      }
      await tx.session.deleteMany({ where: { shop: domain } });
      await tx.webhookDelivery.deleteMany({ where: { shop: domain } });
      // Products, customers, orders and the sync's rows cascade from the shop.
      await tx.shop.deleteMany({ where: { domain } });
      await tx.complianceRequest.updateMany({
        where: { shop: domain, topic: "shop/redact", completedAt: null },
        data: { completedAt: new Date() },
      });
    },
    // A store of a million orders has millions of rows to delete.
    { maxWait: 60_000, timeout: 30 * 60_000 },
  );
}
