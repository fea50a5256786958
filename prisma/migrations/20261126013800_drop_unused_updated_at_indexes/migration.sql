-- Nothing reads records by Shopify's updated_at: syncs ask Shopify for changes and keep their
-- watermark in sync_state. Every index is paid for on each imported row.
DROP INDEX "product_shop_id_shopify_updated_at_idx";
DROP INDEX "customer_shop_id_shopify_updated_at_idx";
DROP INDEX "order_shop_id_shopify_updated_at_idx";
