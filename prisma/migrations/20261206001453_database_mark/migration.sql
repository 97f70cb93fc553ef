-- CreateTable
CREATE TABLE "de_database_mark" (
    "id" SMALLINT NOT NULL DEFAULT 1,
    "mark" VARCHAR(16) NOT NULL,
    "gmt_marked" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "marked_by" VARCHAR(255) NOT NULL,

    CONSTRAINT "de_database_mark_pkey" PRIMARY KEY ("id")
);

-- What a database is, once: 'demo' or 'production' (docs/operations.md#the-demo-mark).
-- One row, for the whole database: no tenant key, as the tenants sharing a database
-- share what a demo does to it (public passwords, demo:reset).
ALTER TABLE "de_database_mark" ADD CONSTRAINT "de_database_mark_one_row" CHECK ("id" = 1);
ALTER TABLE "de_database_mark" ADD CONSTRAINT "de_database_mark_mark" CHECK ("mark" IN ('demo', 'production'));

-- The mark goes one way only: demo may become production, production stays, and the
-- row is never removed (an unmarked database could be claimed again). A trigger, so
-- that no client and no hand-written statement can take it back.
CREATE FUNCTION fc_database_mark_one_way() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
    RAISE EXCEPTION 'the database mark is never removed' USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.mark = 'production' AND NEW.mark <> 'production' THEN
    RAISE EXCEPTION 'this database is marked production: it never becomes a demo database' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER de_database_mark_one_way
  BEFORE UPDATE OR DELETE ON de_database_mark
  FOR EACH ROW EXECUTE FUNCTION fc_database_mark_one_way();

CREATE TRIGGER de_database_mark_kept
  BEFORE TRUNCATE ON de_database_mark
  FOR EACH STATEMENT EXECUTE FUNCTION fc_database_mark_one_way();

-- A database that already holds users or merchants was in use before the mark existed:
-- whether it was a demo cannot be known, so it is taken for production. A new
-- database stays unmarked until its first migration, seed or start decides.
INSERT INTO "de_database_mark" ("id", "mark", "marked_by")
SELECT 1, 'production', 'migration 20261206001453_database_mark: the database already held users'
WHERE EXISTS (SELECT 1 FROM "de_user") OR EXISTS (SELECT 1 FROM "de_merchant");
