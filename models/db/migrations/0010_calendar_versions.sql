CREATE TABLE "calendar_versions" (
	"station_id" integer PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- Bumped by the database in the writing transaction itself, so no code path can forget it and
-- every server instance sees the new version exactly when it sees the new rows.
CREATE FUNCTION bump_calendar_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO calendar_versions AS v (station_id, version) VALUES (OLD.station_id, 1)
      ON CONFLICT (station_id) DO UPDATE SET version = v.version + 1;
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.station_id IS DISTINCT FROM OLD.station_id) THEN
    INSERT INTO calendar_versions AS v (station_id, version) VALUES (NEW.station_id, 1)
      ON CONFLICT (station_id) DO UPDATE SET version = v.version + 1;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sessions_calendar_version_ins_del AFTER INSERT OR DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION bump_calendar_version();
--> statement-breakpoint
-- Only what the pages and feeds show (a feed shows updated_at as LAST-MODIFIED, and SEQUENCE):
-- a waitlisted signup (arrival number, waitlist count) bumps nothing.
CREATE TRIGGER sessions_calendar_version_upd AFTER UPDATE ON sessions
  FOR EACH ROW WHEN (
    (OLD.station_id, OLD.activity_id, OLD.starts_at, OLD.ends_at, OLD.moved, OLD.capacity, OLD.capacity_overridden, OLD.taken, OLD.location, OLD.status, OLD.sequence, OLD.updated_at)
    IS DISTINCT FROM
    (NEW.station_id, NEW.activity_id, NEW.starts_at, NEW.ends_at, NEW.moved, NEW.capacity, NEW.capacity_overridden, NEW.taken, NEW.location, NEW.status, NEW.sequence, NEW.updated_at)
  ) EXECUTE FUNCTION bump_calendar_version();
--> statement-breakpoint
CREATE TRIGGER activities_calendar_version AFTER INSERT OR UPDATE OR DELETE ON activities
  FOR EACH ROW EXECUTE FUNCTION bump_calendar_version();
--> statement-breakpoint
CREATE TRIGGER categories_calendar_version AFTER INSERT OR UPDATE OR DELETE ON categories
  FOR EACH ROW EXECUTE FUNCTION bump_calendar_version();
