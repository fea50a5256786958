import type { PrismaClient } from "@prisma/client";

/** Removes everything the app holds for a shop: its rows (cascading from the shop), sessions and webhook log. */
export async function purgeShop(db: PrismaClient, domain: string): Promise<void> {
  await db.$transaction([
    db.session.deleteMany({ where: { shop: domain } }),
    db.webhookDelivery.deleteMany({ where: { shop: domain } }),
    db.shop.deleteMany({ where: { domain } }),
    db.complianceRequest.updateMany({
      where: { shop: domain, topic: "shop/redact", completedAt: null },
      data: { completedAt: new Date() },
    }),
  ]);
}
