-- When Shopify last saw the stored version of a record (a webhook's X-Shopify-Triggered-At, a sync
-- page's Date): two versions with the same one-second updated_at are ordered by it.
ALTER TABLE "product" ADD COLUMN "shopify_seen_at" TIMESTAMPTZ(6);
ALTER TABLE "customer" ADD COLUMN "shopify_seen_at" TIMESTAMPTZ(6);
ALTER TABLE "order" ADD COLUMN "shopify_seen_at" TIMESTAMPTZ(6);
