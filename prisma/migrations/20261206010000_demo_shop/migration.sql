-- The demo shop (docs/merchants.md#the-demo-shop): its sealed merchant key, and the signed
-- events its receiver took in. Written to only on a database marked demo.
-- CreateTable
CREATE TABLE "de_demo_shop" (
    "tnt_inst_id" VARCHAR(8) NOT NULL,
    "merchant_id" VARCHAR(32) NOT NULL,
    "key_id" VARCHAR(32) NOT NULL,
    "sealed_key_secret" VARCHAR(255) NOT NULL,
    "data_key_id" VARCHAR(16) NOT NULL,
    "gmt_create" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "de_demo_shop_pkey" PRIMARY KEY ("tnt_inst_id")
);

-- CreateTable
CREATE TABLE "de_demo_shop_event" (
    "tnt_inst_id" VARCHAR(8) NOT NULL,
    "webhook_id" VARCHAR(64) NOT NULL,
    "event_type" VARCHAR(64) NOT NULL,
    "sign_request_id" VARCHAR(32),
    "merchant_reference" VARCHAR(64),
    "payload" VARCHAR(8192) NOT NULL,
    "gmt_received" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "de_demo_shop_event_pkey" PRIMARY KEY ("tnt_inst_id","webhook_id")
);

-- CreateIndex
CREATE INDEX "de_demo_shop_event_tnt_inst_id_gmt_received_idx" ON "de_demo_shop_event"("tnt_inst_id", "gmt_received");
