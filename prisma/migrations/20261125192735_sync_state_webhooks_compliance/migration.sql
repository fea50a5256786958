-- AlterTable
ALTER TABLE "sync_run" ADD COLUMN     "heartbeat_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "sync_state" (
    "shop_id" INTEGER NOT NULL,
    "resource" TEXT NOT NULL,
    "watermark" TIMESTAMPTZ(3),
    "events_since" TIMESTAMPTZ(3),
    "pass_full" BOOLEAN,
    "pass_since" TIMESTAMPTZ(3),
    "pass_started_at" TIMESTAMPTZ(3),
    "cursor" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sync_state_pkey" PRIMARY KEY ("shop_id","resource")
);

-- CreateTable
CREATE TABLE "deleted_record" (
    "shop_id" INTEGER NOT NULL,
    "resource" TEXT NOT NULL,
    "id" BIGINT NOT NULL,
    "deleted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deleted_record_pkey" PRIMARY KEY ("shop_id","resource","id")
);

-- CreateTable
CREATE TABLE "webhook_delivery" (
    "webhook_id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_delivery_pkey" PRIMARY KEY ("webhook_id")
);

-- CreateTable
CREATE TABLE "compliance_request" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "customer_id" BIGINT,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "report" JSONB,

    CONSTRAINT "compliance_request_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "webhook_delivery_shop_idx" ON "webhook_delivery"("shop");

-- CreateIndex
CREATE INDEX "webhook_delivery_received_at_idx" ON "webhook_delivery"("received_at");

-- CreateIndex
CREATE INDEX "compliance_request_shop_idx" ON "compliance_request"("shop");

-- AddForeignKey
ALTER TABLE "sync_state" ADD CONSTRAINT "sync_state_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deleted_record" ADD CONSTRAINT "deleted_record_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
