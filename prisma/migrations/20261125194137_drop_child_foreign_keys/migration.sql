-- DropForeignKey
ALTER TABLE "order_line_item" DROP CONSTRAINT "order_line_item_shop_id_order_id_fkey";

-- DropForeignKey
ALTER TABLE "product_variant" DROP CONSTRAINT "product_variant_shop_id_product_id_fkey";

-- DropForeignKey
ALTER TABLE "refund" DROP CONSTRAINT "refund_shop_id_order_id_fkey";
