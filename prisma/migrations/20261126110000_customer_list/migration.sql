-- The Customers page sorts customers who have ordered by lifetime net sales, a page at a time.
CREATE INDEX "customer_stats_shop_id_net_sales_idx" ON "customer_stats"("shop_id", "net_sales", "customer_id");
