-- CreateIndex
CREATE INDEX "de_idempotency_gmt_create_idx" ON "de_idempotency"("gmt_create");
