-- The read model's sums hold many records' amounts: each record's is under 10^15 (NUMERIC(19,4), as
-- the record tables keep it), but a day's, a month's or a customer's sum of them can pass it. Wider
-- sums (24 integer digits) keep a store whose records each fit from failing its read model. Only the
-- precision grows, so PostgreSQL changes the columns without rewriting their tables.
ALTER TABLE "sales_day"
  ALTER COLUMN "gross" TYPE NUMERIC(28, 4),
  ALTER COLUMN "discounts" TYPE NUMERIC(28, 4),
  ALTER COLUMN "returns" TYPE NUMERIC(28, 4),
  ALTER COLUMN "shipping" TYPE NUMERIC(28, 4),
  ALTER COLUMN "taxes" TYPE NUMERIC(28, 4);
ALTER TABLE "product_sales_day" ALTER COLUMN "net_sales" TYPE NUMERIC(28, 4);
ALTER TABLE "product_sales_month" ALTER COLUMN "net_sales" TYPE NUMERIC(28, 4);
ALTER TABLE "customer_stats"
  ALTER COLUMN "net_sales" TYPE NUMERIC(28, 4),
  ALTER COLUMN "placed_sales" TYPE NUMERIC(28, 4);
