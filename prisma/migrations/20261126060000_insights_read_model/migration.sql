-- AlterTable
ALTER TABLE "shop" ADD COLUMN     "locale" TEXT,
ADD COLUMN     "low_stock_threshold" INTEGER NOT NULL DEFAULT 5;

-- AlterTable
ALTER TABLE "product_variant" ADD COLUMN     "cost" DECIMAL(19,4);

-- AlterTable
ALTER TABLE "order" ADD COLUMN     "discounts" DECIMAL(19,4) NOT NULL DEFAULT 0,
ADD COLUMN     "gross_sales" DECIMAL(19,4) NOT NULL DEFAULT 0,
ADD COLUMN     "net_shipping" DECIMAL(19,4) NOT NULL DEFAULT 0,
ADD COLUMN     "refunded_returns" DECIMAL(19,4) NOT NULL DEFAULT 0,
ADD COLUMN     "refunded_shipping" DECIMAL(19,4) NOT NULL DEFAULT 0,
ADD COLUMN     "refunded_taxes" DECIMAL(19,4) NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "order_line_item" ADD COLUMN     "gift_card" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "refunded_quantity" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "refunded_subtotal" DECIMAL(19,4) NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "refund" ADD COLUMN     "customer_id" BIGINT,
ADD COLUMN     "test" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "returns" DECIMAL(19,4) NOT NULL DEFAULT 0,
ADD COLUMN     "shipping" DECIMAL(19,4) NOT NULL DEFAULT 0,
ADD COLUMN     "taxes" DECIMAL(19,4) NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "refund_line_item" (
    "shop_id" INTEGER NOT NULL,
    "id" BIGINT NOT NULL,
    "order_id" BIGINT NOT NULL,
    "refund_id" BIGINT NOT NULL,
    "line_item_id" BIGINT NOT NULL,
    "product_id" BIGINT,
    "variant_id" BIGINT,
    "gift_card" BOOLEAN NOT NULL DEFAULT false,
    "quantity" INTEGER NOT NULL,
    "subtotal" DECIMAL(19,4) NOT NULL,
    "total_tax" DECIMAL(19,4) NOT NULL DEFAULT 0,

    CONSTRAINT "refund_line_item_pkey" PRIMARY KEY ("shop_id","id")
);

-- CreateTable
CREATE TABLE "sales_day" (
    "shop_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "orders" INTEGER NOT NULL DEFAULT 0,
    "gross" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "discounts" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "returns" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "shipping" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "taxes" DECIMAL(19,4) NOT NULL DEFAULT 0,

    CONSTRAINT "sales_day_pkey" PRIMARY KEY ("shop_id","day")
);

-- CreateTable
CREATE TABLE "product_sales_day" (
    "shop_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "product_id" BIGINT NOT NULL,
    "variant_id" BIGINT NOT NULL,
    "net_sales" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "net_units" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "product_sales_day_pkey" PRIMARY KEY ("shop_id","day","product_id","variant_id")
);

-- CreateTable
CREATE TABLE "product_sales_month" (
    "shop_id" INTEGER NOT NULL,
    "month" DATE NOT NULL,
    "product_id" BIGINT NOT NULL,
    "net_sales" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "net_units" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "product_sales_month_pkey" PRIMARY KEY ("shop_id","month","product_id")
);

-- CreateTable
CREATE TABLE "customer_stats" (
    "shop_id" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "orders" INTEGER NOT NULL,
    "first_day" DATE NOT NULL,
    "last_day" DATE NOT NULL,
    "net_sales" DECIMAL(19,4) NOT NULL,
    "placed_sales" DECIMAL(19,4) NOT NULL,

    CONSTRAINT "customer_stats_pkey" PRIMARY KEY ("shop_id","customer_id")
);

-- CreateIndex
CREATE INDEX "refund_line_item_shop_id_order_id_idx" ON "refund_line_item"("shop_id", "order_id");

-- CreateIndex
CREATE INDEX "customer_stats_shop_id_first_day_idx" ON "customer_stats"("shop_id", "first_day") INCLUDE ("orders");

-- CreateIndex
CREATE INDEX "customer_stats_shop_id_last_day_idx" ON "customer_stats"("shop_id", "last_day");

-- CreateIndex
CREATE INDEX "customer_stats_shop_id_placed_sales_idx" ON "customer_stats"("shop_id", "placed_sales" DESC);

-- CreateIndex
CREATE INDEX "order_shop_id_cancelled_at_idx" ON "order"("shop_id", "cancelled_at");

-- CreateIndex
CREATE INDEX "refund_shop_id_created_at_idx" ON "refund"("shop_id", "created_at");

-- AddForeignKey
ALTER TABLE "refund_line_item" ADD CONSTRAINT "refund_line_item_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sales_day" ADD CONSTRAINT "sales_day_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "product_sales_day" ADD CONSTRAINT "product_sales_day_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "product_sales_month" ADD CONSTRAINT "product_sales_month_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer_stats" ADD CONSTRAINT "customer_stats_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The sales ledger: every dated event of Shopify's sales report, derived from the stored orders,
-- refunds and line items (README "Definitions"). Test orders never appear, and deleted orders are gone
-- with their rows. Amounts are signed as the report adds them: returns positive (they are
-- subtracted from net sales), refunded shipping and taxes negative.
CREATE VIEW "sales_event" AS
SELECT o.shop_id, o.id AS order_id, o.customer_id, 'order'::text AS kind, o.processed_at AS at,
       1 AS orders, o.gross_sales AS gross, o.discounts, 0::numeric AS returns,
       o.net_shipping AS shipping, o.total_tax AS taxes
  FROM "order" o
 WHERE NOT o.test
UNION ALL
SELECT r.shop_id, r.order_id, r.customer_id, 'refund', r.created_at,
       0, 0, 0, r.returns, -r.shipping, -r.taxes
  FROM "refund" r
 WHERE NOT r.test
UNION ALL
-- A cancellation returns whatever its refunds did not: so the order nets to zero over all time.
SELECT o.shop_id, o.id, o.customer_id, 'cancel', o.cancelled_at,
       0, 0, 0, o.gross_sales - o.discounts - o.refunded_returns,
       -(o.net_shipping - o.refunded_shipping), -(o.total_tax - o.refunded_taxes)
  FROM "order" o
 WHERE NOT o.test AND o.cancelled_at IS NOT NULL;

-- The same ledger per product and variant: net sales (price × quantity − discounts, less returns)
-- and net units, for lines with a product that are not gift cards.
CREATE VIEW "product_sales_event" AS
SELECT li.shop_id, li.order_id, o.processed_at AS at, li.product_id, coalesce(li.variant_id, 0) AS variant_id,
       li.price * li.quantity - li.total_discount AS net_sales, li.quantity AS net_units
  FROM "order_line_item" li
  JOIN "order" o ON o.shop_id = li.shop_id AND o.id = li.order_id
 WHERE NOT o.test AND NOT li.gift_card AND li.product_id IS NOT NULL
UNION ALL
SELECT rl.shop_id, rl.order_id, r.created_at, rl.product_id, coalesce(rl.variant_id, 0),
       -rl.subtotal, -rl.quantity
  FROM "refund_line_item" rl
  JOIN "refund" r ON r.shop_id = rl.shop_id AND r.id = rl.refund_id
  JOIN "order" o ON o.shop_id = rl.shop_id AND o.id = rl.order_id
 WHERE NOT o.test AND NOT rl.gift_card AND rl.product_id IS NOT NULL
UNION ALL
SELECT li.shop_id, li.order_id, o.cancelled_at, li.product_id, coalesce(li.variant_id, 0),
       -(li.price * li.quantity - li.total_discount - li.refunded_subtotal), -(li.quantity - li.refunded_quantity)
  FROM "order_line_item" li
  JOIN "order" o ON o.shop_id = li.shop_id AND o.id = li.order_id
 WHERE NOT o.test AND o.cancelled_at IS NOT NULL AND NOT li.gift_card AND li.product_id IS NOT NULL;

-- Orders by customer, then by day: a customer's orders in a range are one index range.
DROP INDEX "order_shop_id_customer_id_idx";
CREATE INDEX "order_shop_id_customer_id_processed_at_idx" ON "order"("shop_id", "customer_id", "processed_at");

-- Set while a first import writes orders without the rollups, cleared when they are built.
ALTER TABLE "shop" ADD COLUMN "read_model_stale" BOOLEAN NOT NULL DEFAULT false;

-- Orders imported before this migration lack the sales-report amounts: their next sync reads every
-- order again (a full pass, as a first import does) and builds the read model at its end.
UPDATE "shop" SET "read_model_stale" = true WHERE EXISTS (SELECT 1 FROM "order" o WHERE o.shop_id = "shop".id);
UPDATE "sync_state" SET "watermark" = NULL, "cursor" = NULL, "pass_full" = NULL, "pass_since" = NULL, "pass_started_at" = NULL
 WHERE "resource" = 'orders';
