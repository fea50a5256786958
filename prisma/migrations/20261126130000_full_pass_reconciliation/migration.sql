-- A full pass remembers when it started on the database's clock, so that once complete it can delete
-- the shop's records it did not see (gone from Shopify without an event or a delivered webhook).
ALTER TABLE "sync_state" ADD COLUMN "pass_opened_at" TIMESTAMPTZ(3);
