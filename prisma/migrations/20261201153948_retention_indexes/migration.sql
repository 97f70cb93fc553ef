-- CreateIndex
CREATE INDEX "de_login_attempt_tnt_inst_id_gmt_create_idx" ON "de_login_attempt"("tnt_inst_id", "gmt_create");

-- CreateIndex
CREATE INDEX "de_refresh_token_tnt_inst_id_expires_at_idx" ON "de_refresh_token"("tnt_inst_id", "expires_at");

-- CreateIndex
CREATE INDEX "de_session_tnt_inst_id_absolute_expires_at_idx" ON "de_session"("tnt_inst_id", "absolute_expires_at");
