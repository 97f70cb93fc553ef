-- AlterTable
ALTER TABLE "de_webhook_outbox" ADD COLUMN     "sign_request_id" VARCHAR(32),
ALTER COLUMN "event_id" DROP NOT NULL;

-- CreateTable
CREATE TABLE "de_merchant_return_origin" (
    "tnt_inst_id" VARCHAR(8) NOT NULL,
    "merchant_id" VARCHAR(32) NOT NULL,
    "origin" VARCHAR(255) NOT NULL,
    "gmt_create" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "de_merchant_return_origin_pkey" PRIMARY KEY ("tnt_inst_id","merchant_id","origin")
);

-- CreateTable
CREATE TABLE "de_sign_request" (
    "tnt_inst_id" VARCHAR(8) NOT NULL,
    "sign_request_id" VARCHAR(32) NOT NULL,
    "merchant_id" VARCHAR(32) NOT NULL,
    "merchant_reference" VARCHAR(64) NOT NULL,
    "pd_code" VARCHAR(32) NOT NULL,
    "ar_no" VARCHAR(32) NOT NULL,
    "property_values" VARCHAR(2048),
    "return_url" VARCHAR(2048) NOT NULL,
    "expires_in_seconds" INTEGER NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL,
    "status" VARCHAR(16) NOT NULL DEFAULT 'PENDING',
    "gmt_create" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expire_at" TIMESTAMPTZ(6) NOT NULL,
    "finished_at" TIMESTAMPTZ(6),
    "user_id" VARCHAR(32),
    "rel_id" VARCHAR(32),

    CONSTRAINT "de_sign_request_pkey" PRIMARY KEY ("tnt_inst_id","sign_request_id")
);

-- CreateIndex
CREATE INDEX "de_sign_request_tnt_inst_id_status_expire_at_idx" ON "de_sign_request"("tnt_inst_id", "status", "expire_at");

-- CreateIndex
CREATE INDEX "de_sign_request_tnt_inst_id_finished_at_idx" ON "de_sign_request"("tnt_inst_id", "finished_at");

-- CreateIndex
CREATE UNIQUE INDEX "uk_de_sign_request_reference" ON "de_sign_request"("tnt_inst_id", "merchant_id", "merchant_reference");

-- CreateIndex
CREATE UNIQUE INDEX "uk_de_sign_request_token" ON "de_sign_request"("tnt_inst_id", "token_hash");

-- A sign request's outcome goes to its merchant through the same outbox as the
-- agreements' events (docs/merchants.md#merchant-initiated-signing): the row is
-- written by the statement that ends the request, in its transaction, keyed like
-- the agreement it opened (merchant, user, product, arrangement) so that
-- sign_request.signed is delivered after that agreement's agreement.opened. A
-- request that ends without a user (expired, cancelled) has user_id ''.
CREATE FUNCTION "de_sign_request_to_outbox"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "de_webhook_outbox" ("tnt_inst_id", "sign_request_id", "merchant_id", "user_id", "pd_code", "ar_no", "status", "attempts", "gmt_create")
  SELECT NEW."tnt_inst_id", NEW."sign_request_id", NEW."merchant_id", COALESCE(NEW."user_id", ''), NEW."pd_code", NEW."ar_no", 'PENDING', 0, now()
  FROM "de_webhook_endpoint" w
  WHERE w."tnt_inst_id" = NEW."tnt_inst_id" AND w."merchant_id" = NEW."merchant_id";
  RETURN NULL;
END
$$;

CREATE TRIGGER "de_sign_request_outbox" AFTER UPDATE OF "status" ON "de_sign_request"
  FOR EACH ROW WHEN (OLD."status" = 'PENDING' AND NEW."status" <> 'PENDING')
  EXECUTE FUNCTION "de_sign_request_to_outbox"();
