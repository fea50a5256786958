-- The Customers page's search: any part of a name or email, any case, read from a trigram index
-- instead of every customer of the shop (pg_trgm is a trusted extension: a database owner can add it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "customer_search_idx" ON "customer" USING gin (
  (lower(coalesce("first_name", '') || ' ' || coalesce("last_name", '') || ' ' || coalesce("email", ''))) gin_trgm_ops
);
