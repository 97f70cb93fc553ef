-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "de_prod" (
    "tnt_inst_id" VARCHAR(8) NOT NULL,
    "pd_code" VARCHAR(32) NOT NULL,
    "pd_name" VARCHAR(255) NOT NULL,
    "pd_desc" VARCHAR(2048) NOT NULL,
    "pd_org_name" VARCHAR(2048) NOT NULL,
    "gmt_create" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "gmt_modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "memo" VARCHAR(255),

    CONSTRAINT "de_prod_pkey" PRIMARY KEY ("tnt_inst_id","pd_code")
);

-- CreateTable
CREATE TABLE "de_ar" (
    "tnt_inst_id" VARCHAR(8) NOT NULL,
    "ar_number" VARCHAR(32) NOT NULL,
    "ar_name" VARCHAR(255) NOT NULL,
    "ar_version" VARCHAR(32) NOT NULL,
    "ar_type" VARCHAR(32) NOT NULL,
    "ar_status" VARCHAR(8) NOT NULL,
    "properties" VARCHAR(2048),
    "gmt_create" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "gmt_modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "memo" VARCHAR(255),

    CONSTRAINT "de_ar_pkey" PRIMARY KEY ("tnt_inst_id","ar_number")
);

-- CreateTable
CREATE TABLE "de_user" (
    "tnt_inst_id" VARCHAR(8) NOT NULL,
    "user_id" VARCHAR(32) NOT NULL,
    "user_name" VARCHAR(255) NOT NULL,
    "user_type" VARCHAR(32) NOT NULL,
    "user_status" VARCHAR(8) NOT NULL DEFAULT '1',
    "gmt_create" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "gmt_modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "de_user_pkey" PRIMARY KEY ("tnt_inst_id","user_id")
);

-- CreateTable
CREATE TABLE "de_user_credential" (
    "tnt_inst_id" VARCHAR(8) NOT NULL,
    "login_key" VARCHAR(255) NOT NULL,
    "user_id" VARCHAR(32) NOT NULL,
    "password_hash" VARCHAR(255) NOT NULL,
    "gmt_create" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "gmt_modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "de_user_credential_pkey" PRIMARY KEY ("tnt_inst_id","login_key")
);

-- CreateTable
CREATE TABLE "de_user_ar_rel" (
    "tnt_inst_id" VARCHAR(8) NOT NULL,
    "rel_id" VARCHAR(32) NOT NULL,
    "user_id" VARCHAR(32) NOT NULL,
    "pd_code" VARCHAR(32) NOT NULL,
    "pd_name" VARCHAR(255) NOT NULL,
    "ar_name" VARCHAR(255) NOT NULL,
    "ar_no" VARCHAR(32) NOT NULL,
    "property_values" VARCHAR(2048),
    "gmt_create" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "gmt_modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "memo" VARCHAR(255),

    CONSTRAINT "de_user_ar_rel_pkey" PRIMARY KEY ("tnt_inst_id","rel_id")
);

-- CreateTable
CREATE TABLE "de_user_ar_event" (
    "tnt_inst_id" VARCHAR(8) NOT NULL,
    "event_id" BIGSERIAL NOT NULL,
    "user_id" VARCHAR(32) NOT NULL,
    "pd_code" VARCHAR(32) NOT NULL,
    "ar_no" VARCHAR(32) NOT NULL,
    "action" VARCHAR(16) NOT NULL,
    "outcome_code" VARCHAR(2) NOT NULL,
    "session_id" VARCHAR(36),
    "device" VARCHAR(255),
    "gmt_create" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "de_user_ar_event_pkey" PRIMARY KEY ("tnt_inst_id","event_id")
);

-- CreateTable
CREATE TABLE "de_session" (
    "tnt_inst_id" VARCHAR(8) NOT NULL,
    "session_id" VARCHAR(36) NOT NULL,
    "user_id" VARCHAR(32) NOT NULL,
    "live_user_id" VARCHAR(32),
    "channel" VARCHAR(8) NOT NULL,
    "device" VARCHAR(255) NOT NULL,
    "ip_address" VARCHAR(64),
    "token_hash" VARCHAR(64),
    "token_expires_at" TIMESTAMPTZ(6),
    "gmt_create" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "idle_expires_at" TIMESTAMPTZ(6) NOT NULL,
    "absolute_expires_at" TIMESTAMPTZ(6) NOT NULL,
    "status" VARCHAR(16) NOT NULL DEFAULT 'ACTIVE',
    "end_reason" VARCHAR(32),
    "ended_at" TIMESTAMPTZ(6),
    "replaced_by" VARCHAR(36),

    CONSTRAINT "de_session_pkey" PRIMARY KEY ("tnt_inst_id","session_id")
);

-- CreateTable
CREATE TABLE "de_refresh_token" (
    "tnt_inst_id" VARCHAR(8) NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL,
    "session_id" VARCHAR(36) NOT NULL,
    "expires_at" TIMESTAMPTZ(6) NOT NULL,
    "spent_at" TIMESTAMPTZ(6),
    "gmt_create" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "de_refresh_token_pkey" PRIMARY KEY ("tnt_inst_id","token_hash")
);

-- CreateTable
CREATE TABLE "de_login_attempt" (
    "tnt_inst_id" VARCHAR(8) NOT NULL,
    "attempt_id" BIGSERIAL NOT NULL,
    "user_id" VARCHAR(32),
    "session_id" VARCHAR(36),
    "channel" VARCHAR(8) NOT NULL,
    "outcome" VARCHAR(16) NOT NULL,
    "device" VARCHAR(255) NOT NULL,
    "ip_address" VARCHAR(64),
    "gmt_create" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "de_login_attempt_pkey" PRIMARY KEY ("tnt_inst_id","attempt_id")
);

-- CreateTable
CREATE TABLE "de_idempotency" (
    "tnt_inst_id" VARCHAR(8) NOT NULL,
    "user_id" VARCHAR(32) NOT NULL,
    "idem_key" VARCHAR(255) NOT NULL,
    "request_hash" VARCHAR(64) NOT NULL,
    "response" TEXT,
    "gmt_create" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "de_idempotency_pkey" PRIMARY KEY ("tnt_inst_id","user_id","idem_key")
);

-- CreateTable
CREATE TABLE "de_rate_limit" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL,
    "expire" TIMESTAMPTZ(6),

    CONSTRAINT "de_rate_limit_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "de_ar_tnt_inst_id_ar_type_ar_status_idx" ON "de_ar"("tnt_inst_id", "ar_type", "ar_status");

-- CreateIndex
CREATE INDEX "de_user_credential_tnt_inst_id_user_id_idx" ON "de_user_credential"("tnt_inst_id", "user_id");

-- CreateIndex
CREATE INDEX "idx_de_user_ar_rel_list" ON "de_user_ar_rel"("tnt_inst_id", "user_id", "ar_no", "rel_id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "uk_de_user_ar_rel" ON "de_user_ar_rel"("tnt_inst_id", "user_id", "pd_code", "ar_no");

-- CreateIndex
CREATE INDEX "de_user_ar_event_tnt_inst_id_user_id_pd_code_ar_no_event_id_idx" ON "de_user_ar_event"("tnt_inst_id", "user_id", "pd_code", "ar_no", "event_id");

-- CreateIndex
CREATE UNIQUE INDEX "de_session_token_hash_key" ON "de_session"("token_hash");

-- CreateIndex
CREATE INDEX "de_session_tnt_inst_id_user_id_gmt_create_idx" ON "de_session"("tnt_inst_id", "user_id", "gmt_create" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "uk_de_session_live_user" ON "de_session"("tnt_inst_id", "live_user_id");

-- CreateIndex
CREATE INDEX "de_refresh_token_tnt_inst_id_session_id_idx" ON "de_refresh_token"("tnt_inst_id", "session_id");

-- CreateIndex
CREATE INDEX "de_login_attempt_tnt_inst_id_user_id_attempt_id_idx" ON "de_login_attempt"("tnt_inst_id", "user_id", "attempt_id" DESC);
