-- Customer figures read only index entries: the orders of a range with their customers, each
-- customer's orders, refunds and cancellations of a range with the amounts of net sales.

-- Customers of a range: (shop, processed_at) carrying customer_id and test.
DROP INDEX "order_shop_id_processed_at_idx";
CREATE INDEX "order_shop_id_processed_at_idx" ON "order"("shop_id", "processed_at") INCLUDE ("customer_id", "test");

-- One customer's orders of a range, with what they placed.
DROP INDEX "order_shop_id_customer_id_processed_at_idx";
CREATE INDEX "order_shop_id_customer_id_processed_at_idx" ON "order"("shop_id", "customer_id", "processed_at")
  INCLUDE ("gross_sales", "discounts", "test");

-- Cancellations: only cancelled orders are indexed (most orders never are, and an index entry per
-- order would be written by every import for nothing).
DROP INDEX "order_shop_id_cancelled_at_idx";
CREATE INDEX "order_shop_id_cancelled_at_idx" ON "order"("shop_id", "cancelled_at") WHERE "cancelled_at" IS NOT NULL;
CREATE INDEX "order_shop_id_customer_id_cancelled_at_idx" ON "order"("shop_id", "customer_id", "cancelled_at")
  INCLUDE ("gross_sales", "discounts", "refunded_returns", "test") WHERE "cancelled_at" IS NOT NULL;

-- One customer's refunds of a range.
CREATE INDEX "refund_shop_id_customer_id_created_at_idx" ON "refund"("shop_id", "customer_id", "created_at")
  INCLUDE ("returns", "test");

-- Events that take net sales back up (a refund whose returns are negative, a cancellation whose
-- refunds returned more than was placed): rare, and when a shop has any, top customers are ranked
-- by reading every customer of the range instead of by bounds.
CREATE INDEX "refund_shop_id_negative_returns_idx" ON "refund"("shop_id") WHERE "returns" < 0;
CREATE INDEX "order_shop_id_negative_cancel_idx" ON "order"("shop_id")
  WHERE "cancelled_at" IS NOT NULL AND "gross_sales" - "discounts" - "refunded_returns" < 0;

-- sales_event as the customer figures read it: the same three events (placement, each refund, the
-- cancellation's rest) and their net sales, nothing else, so that a customer's events of a range are
-- read from the indexes above alone. tests/insights check that both views agree.
CREATE VIEW "customer_sales_event" AS
SELECT o.shop_id, o.customer_id, o.processed_at AS at, 1 AS orders, o.gross_sales - o.discounts AS net_sales
  FROM "order" o
 WHERE NOT o.test
UNION ALL
SELECT r.shop_id, r.customer_id, r.created_at, 0, -r.returns
  FROM "refund" r
 WHERE NOT r.test
UNION ALL
SELECT o.shop_id, o.customer_id, o.cancelled_at, 0, -(o.gross_sales - o.discounts - o.refunded_returns)
  FROM "order" o
 WHERE NOT o.test AND o.cancelled_at IS NOT NULL;
