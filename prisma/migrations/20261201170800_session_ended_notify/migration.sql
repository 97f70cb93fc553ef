-- A session that stops being live (its live slot freed: a login elsewhere, a logout,
-- an admin revoke, a disabled user, a timeout found) announces it on the channel
-- fc_session_ended, which every app instance LISTENs on to end the open pages'
-- event streams of that session (docs/architecture.md#live-sign-out). Being a
-- trigger, it covers every path that ends a session, the admin commands and other
-- instances included, whatever client made the change.
--
-- A deferred constraint trigger runs at commit: by then a login that replaced the
-- session has inserted its own row, whose device and start time the notice shows.
-- NOTIFY itself is delivered only if the transaction commits.
CREATE FUNCTION fc_notify_session_ended() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  by_device varchar(255);
  by_at timestamptz;
BEGIN
  IF NEW.replaced_by IS NOT NULL THEN
    SELECT s.device, s.gmt_create INTO by_device, by_at
      FROM de_session s WHERE s.tnt_inst_id = NEW.tnt_inst_id AND s.session_id = NEW.replaced_by;
  END IF;
  PERFORM pg_notify('fc_session_ended', json_build_object(
    'tenant', NEW.tnt_inst_id,
    'session', NEW.session_id,
    'reason', NEW.end_reason,
    'at', COALESCE(by_at, NEW.ended_at, now()),
    'device', by_device)::text);
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER de_session_ended_notify
  AFTER UPDATE OF live_user_id ON de_session
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW
  WHEN (OLD.live_user_id IS NOT NULL AND NEW.live_user_id IS NULL)
  EXECUTE FUNCTION fc_notify_session_ended();
