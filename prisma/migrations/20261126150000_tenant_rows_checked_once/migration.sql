-- The high-volume rows of a shop are checked against the shop once per transaction, not per row.
-- Each row referencing shop(id) cost PostgreSQL a check per insert (about 9 microseconds): a first
-- import of 100,000 orders checked 200,000 line items one by one, and the build of the read model
-- checked each of its 156,000 daily product rows again. These tables are written only inside a
-- transaction that first takes the KEY SHARE lock of the shop row (app/ingest/shop-lock.server.ts),
-- which a purge (FOR UPDATE) waits for and which finds no row once the shop is purged. The purge
-- deletes their rows itself (app/shops/purge.server.ts). Shops, products, customers, orders and the
-- tables of the sync keep their foreign key.
-- (No semicolon in these comments: the migration runner splits statements on every one.)
ALTER TABLE "product_variant" DROP CONSTRAINT "product_variant_shop_id_fkey";
ALTER TABLE "order_line_item" DROP CONSTRAINT "order_line_item_shop_id_fkey";
ALTER TABLE "refund" DROP CONSTRAINT "refund_shop_id_fkey";
ALTER TABLE "refund_line_item" DROP CONSTRAINT "refund_line_item_shop_id_fkey";
ALTER TABLE "sales_day" DROP CONSTRAINT "sales_day_shop_id_fkey";
ALTER TABLE "product_sales_day" DROP CONSTRAINT "product_sales_day_shop_id_fkey";
ALTER TABLE "product_sales_month" DROP CONSTRAINT "product_sales_month_shop_id_fkey";
ALTER TABLE "customer_stats" DROP CONSTRAINT "customer_stats_shop_id_fkey";
