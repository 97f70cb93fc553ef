-- DropIndex
DROP INDEX "de_webhook_outbox_tnt_inst_id_status_next_attempt_at_idx";

-- AlterTable
ALTER TABLE "de_webhook_outbox" DROP COLUMN "next_attempt_at",
ADD COLUMN     "job_id" UUID,
ADD COLUMN     "queued_at" TIMESTAMPTZ(6);

-- CreateIndex
CREATE INDEX "de_webhook_outbox_tnt_inst_id_status_queued_at_idx" ON "de_webhook_outbox"("tnt_inst_id", "status", "queued_at");

-- The outbox trigger writes the row as before, without the column the job queue
-- now replaces: a new row waits (queued_at NULL) for the relay to hand it to
-- pg-boss (lib/webhooks/outbox-relay.ts), which schedules its attempts.
CREATE OR REPLACE FUNCTION "de_user_ar_event_to_outbox"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "de_webhook_outbox" ("tnt_inst_id", "event_id", "merchant_id", "user_id", "pd_code", "ar_no", "status", "attempts", "gmt_create")
  SELECT NEW."tnt_inst_id", NEW."event_id", mp."merchant_id", NEW."user_id", NEW."pd_code", NEW."ar_no", 'PENDING', 0, now()
  FROM "de_merchant_prod" mp
  JOIN "de_webhook_endpoint" w ON w."tnt_inst_id" = mp."tnt_inst_id" AND w."merchant_id" = mp."merchant_id"
  WHERE mp."tnt_inst_id" = NEW."tnt_inst_id" AND mp."pd_code" = NEW."pd_code";
  RETURN NULL;
END
$$;
