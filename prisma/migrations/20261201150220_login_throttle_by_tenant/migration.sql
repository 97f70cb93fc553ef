-- The old counters (one string key with the tenant inside) cannot be carried over;
-- they count for LOGIN_BLOCK_SECONDS at most, so starting from none is safe.
DELETE FROM "de_rate_limit";

-- AlterTable
ALTER TABLE "de_rate_limit" DROP CONSTRAINT "de_rate_limit_pkey",
DROP COLUMN "expire",
DROP COLUMN "key",
DROP COLUMN "points",
ADD COLUMN     "failures" INTEGER NOT NULL,
ADD COLUMN     "in_flight" INTEGER NOT NULL,
ADD COLUMN     "scope" VARCHAR(16) NOT NULL,
ADD COLUMN     "throttle_key" VARCHAR(255) NOT NULL,
ADD COLUMN     "tnt_inst_id" VARCHAR(8) NOT NULL,
ADD COLUMN     "window_ends_at" TIMESTAMPTZ(6) NOT NULL,
ADD CONSTRAINT "de_rate_limit_pkey" PRIMARY KEY ("tnt_inst_id", "scope", "throttle_key");
