import type { Sql } from "./sql.ts";

/** A write for a shop that no longer exists (purged while it ran): nothing was written. */
export class ShopGone extends Error {
  constructor(shopId: number) {
    super(`Shop ${shopId} no longer exists; nothing was written.`);
    this.name = "ShopGone";
  }
}

/**
 * Taken first by every transaction writing a shop's rows: the shop row's KEY SHARE lock. Tables
 * without a foreign key to the shop (child rows, the read model) rely on it: a purge (FOR UPDATE)
 * waits for the writers holding it, and a writer that comes after a purge finds no shop.
 */
export async function lockShop(db: Sql, shopId: number): Promise<void> {
  const { rowCount } = await db.query("SELECT 1 FROM shop WHERE id = $1 FOR KEY SHARE", [shopId]);
  if (!rowCount) throw new ShopGone(shopId);
}
