-- Webhook signing secrets sealed with the data encryption key (AES-256-GCM), the key's id beside
-- each. The plain columns stay for the previous release while it still runs; a migration cannot
-- know the key, so the app seals what they hold at its start (or `npm run admin -- webhook:reseal`)
-- and empties them (docs/operations.md#the-data-encryption-key).
-- AlterTable
ALTER TABLE "de_webhook_endpoint" ADD COLUMN     "previous_key_id" VARCHAR(16),
ADD COLUMN     "sealed_previous_secret" VARCHAR(255),
ADD COLUMN     "sealed_secret" VARCHAR(255),
ADD COLUMN     "secret_key_id" VARCHAR(16),
ALTER COLUMN "signing_secret" DROP NOT NULL;
