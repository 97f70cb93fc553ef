-- AlterTable
ALTER TABLE "de_user_ar_event" ADD COLUMN     "actor_id" VARCHAR(32),
ADD COLUMN     "actor_type" VARCHAR(16) NOT NULL DEFAULT 'USER',
ADD COLUMN     "reason" VARCHAR(255),
ADD COLUMN     "tx_id" BIGINT NOT NULL DEFAULT ((pg_current_xact_id())::text)::bigint;

-- CreateTable
CREATE TABLE "de_merchant" (
    "tnt_inst_id" VARCHAR(8) NOT NULL,
    "merchant_id" VARCHAR(32) NOT NULL,
    "merchant_name" VARCHAR(255) NOT NULL,
    "merchant_status" VARCHAR(8) NOT NULL DEFAULT '1',
    "gmt_create" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "gmt_modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "de_merchant_pkey" PRIMARY KEY ("tnt_inst_id","merchant_id")
);

-- CreateTable
CREATE TABLE "de_merchant_prod" (
    "tnt_inst_id" VARCHAR(8) NOT NULL,
    "pd_code" VARCHAR(32) NOT NULL,
    "merchant_id" VARCHAR(32) NOT NULL,
    "gmt_create" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "de_merchant_prod_pkey" PRIMARY KEY ("tnt_inst_id","pd_code")
);

-- CreateTable
CREATE TABLE "de_merchant_credential" (
    "tnt_inst_id" VARCHAR(8) NOT NULL,
    "key_id" VARCHAR(32) NOT NULL,
    "merchant_id" VARCHAR(32) NOT NULL,
    "secret_hash" VARCHAR(64) NOT NULL,
    "expires_at" TIMESTAMPTZ(6),
    "revoked_at" TIMESTAMPTZ(6),
    "gmt_create" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "de_merchant_credential_pkey" PRIMARY KEY ("tnt_inst_id","key_id")
);

-- CreateTable
CREATE TABLE "de_webhook_endpoint" (
    "tnt_inst_id" VARCHAR(8) NOT NULL,
    "merchant_id" VARCHAR(32) NOT NULL,
    "url" VARCHAR(2048) NOT NULL,
    "signing_secret" VARCHAR(128) NOT NULL,
    "previous_secret" VARCHAR(128),
    "previous_until" TIMESTAMPTZ(6),
    "gmt_create" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "gmt_modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "de_webhook_endpoint_pkey" PRIMARY KEY ("tnt_inst_id","merchant_id")
);

-- CreateTable
CREATE TABLE "de_webhook_outbox" (
    "tnt_inst_id" VARCHAR(8) NOT NULL,
    "outbox_id" BIGSERIAL NOT NULL,
    "event_id" BIGINT NOT NULL,
    "merchant_id" VARCHAR(32) NOT NULL,
    "user_id" VARCHAR(32) NOT NULL,
    "pd_code" VARCHAR(32) NOT NULL,
    "ar_no" VARCHAR(32) NOT NULL,
    "status" VARCHAR(16) NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" VARCHAR(255),
    "retry_until" TIMESTAMPTZ(6),
    "delivered_at" TIMESTAMPTZ(6),
    "gmt_create" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "de_webhook_outbox_pkey" PRIMARY KEY ("tnt_inst_id","outbox_id")
);

-- CreateTable
CREATE TABLE "de_webhook_attempt" (
    "tnt_inst_id" VARCHAR(8) NOT NULL,
    "attempt_id" BIGSERIAL NOT NULL,
    "outbox_id" BIGINT NOT NULL,
    "http_status" INTEGER,
    "error" VARCHAR(255),
    "duration_ms" INTEGER NOT NULL,
    "gmt_create" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "de_webhook_attempt_pkey" PRIMARY KEY ("tnt_inst_id","attempt_id")
);

-- CreateIndex
CREATE INDEX "de_merchant_prod_tnt_inst_id_merchant_id_idx" ON "de_merchant_prod"("tnt_inst_id", "merchant_id");

-- CreateIndex
CREATE INDEX "de_merchant_credential_tnt_inst_id_merchant_id_idx" ON "de_merchant_credential"("tnt_inst_id", "merchant_id");

-- CreateIndex
CREATE INDEX "de_webhook_outbox_tnt_inst_id_status_next_attempt_at_idx" ON "de_webhook_outbox"("tnt_inst_id", "status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "idx_de_webhook_outbox_agreement" ON "de_webhook_outbox"("tnt_inst_id", "merchant_id", "user_id", "pd_code", "ar_no", "outbox_id");

-- CreateIndex
CREATE INDEX "de_webhook_attempt_tnt_inst_id_outbox_id_idx" ON "de_webhook_attempt"("tnt_inst_id", "outbox_id");

-- CreateIndex
CREATE INDEX "idx_de_user_ar_event_feed" ON "de_user_ar_event"("tnt_inst_id", "pd_code", "tx_id", "event_id");

-- The outbox (docs/merchants.md#notifications): every history row, whoever writes
-- it (the user's open or close, a merchant's close, an administrator, a change of
-- terms), gets its delivery row in the same transaction, so no writer can forget
-- it and no event is delivered for a change that rolled back. Only products with a
-- merchant that has registered an endpoint get one.
CREATE FUNCTION "de_user_ar_event_to_outbox"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "de_webhook_outbox" ("tnt_inst_id", "event_id", "merchant_id", "user_id", "pd_code", "ar_no", "status", "attempts", "next_attempt_at", "gmt_create")
  SELECT NEW."tnt_inst_id", NEW."event_id", mp."merchant_id", NEW."user_id", NEW."pd_code", NEW."ar_no", 'PENDING', 0, now(), now()
  FROM "de_merchant_prod" mp
  JOIN "de_webhook_endpoint" w ON w."tnt_inst_id" = mp."tnt_inst_id" AND w."merchant_id" = mp."merchant_id"
  WHERE mp."tnt_inst_id" = NEW."tnt_inst_id" AND mp."pd_code" = NEW."pd_code";
  RETURN NULL;
END
$$;

CREATE TRIGGER "de_user_ar_event_outbox" AFTER INSERT ON "de_user_ar_event"
  FOR EACH ROW EXECUTE FUNCTION "de_user_ar_event_to_outbox"();
