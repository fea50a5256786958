-- The Orders page sorts and finds orders by number: one index range per page or search, a missing
-- number (Shopify always sends one) sorting as the largest.
CREATE INDEX "order_shop_id_order_number_idx" ON "order"("shop_id", (coalesce("order_number", 2147483647)), "id");
