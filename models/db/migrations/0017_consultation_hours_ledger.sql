ALTER TYPE "public"."commitment_kind" ADD VALUE 'hours';--> statement-breakpoint
ALTER TABLE "commitments" DROP CONSTRAINT "commitments_source";--> statement-breakpoint
ALTER TABLE "commitments" ADD COLUMN "provider_hours_id" integer;--> statement-breakpoint
ALTER TABLE "commitments" ADD COLUMN "local_date" date;--> statement-breakpoint
ALTER TABLE "commitments" ADD COLUMN "hours_change_id" integer;--> statement-breakpoint
ALTER TABLE "commitments" ADD COLUMN "layer" "int4range" DEFAULT '[0,2)'::int4range NOT NULL;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_provider_hours_id_provider_hours_id_fk" FOREIGN KEY ("provider_hours_id") REFERENCES "public"."provider_hours"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_hours_change_id_provider_hours_changes_id_fk" FOREIGN KEY ("hours_change_id") REFERENCES "public"."provider_hours_changes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "commitments_hours_day" ON "commitments" USING btree ("provider_hours_id","local_date");--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_hours_change_id" UNIQUE("hours_change_id");--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_layer" CHECK ("commitments"."layer" in ('[0,1)', '[1,2)', '[0,2)') and (("commitments"."provider_hours_id" is not null or "commitments"."hours_change_id" is not null) = ("commitments"."layer" = '[0,1)')));--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_source" CHECK (("commitments"."kind" = 'attending' and "commitments"."signup_id" is not null and "commitments"."assignment_id" is null and "commitments"."consultation_id" is null and "commitments"."provider_hours_id" is null and "commitments"."hours_change_id" is null) or ("commitments"."kind" = 'shift' and "commitments"."assignment_id" is not null and "commitments"."signup_id" is null and "commitments"."consultation_id" is null and "commitments"."provider_hours_id" is null and "commitments"."hours_change_id" is null) or ("commitments"."kind" not in ('attending', 'shift') and "commitments"."consultation_id" is not null and "commitments"."signup_id" is null and "commitments"."assignment_id" is null and "commitments"."provider_hours_id" is null and "commitments"."hours_change_id" is null) or ("commitments"."kind" not in ('attending', 'shift') and "commitments"."signup_id" is null and "commitments"."assignment_id" is null and "commitments"."consultation_id" is null and (("commitments"."provider_hours_id" is not null and "commitments"."local_date" is not null and "commitments"."hours_change_id" is null) or ("commitments"."hours_change_id" is not null and "commitments"."provider_hours_id" is null))));--> statement-breakpoint
-- Hand-written from here (ADR 27): consultation hours hold the provider's time in the ledger.
-- The rule gains a third term: two rows of a person clash where their times and their layers
-- overlap. Hours are [0,1), a consultation the provider gives is [1,2), everything else [0,2):
-- so every pair of kinds is refused (hours with hours, consulting with consulting included)
-- except a provider's consultation inside their own hours, which is what hours are for.
-- (Neither the CHECKs nor this may name 'consultation', 'consulting' or 'hours': on a fresh
-- database they were added to the enum in the same transaction. Rows are told by their sources.)
UPDATE commitments c SET layer = '[1,2)' FROM consultations k
WHERE c.consultation_id = k.id AND c.person_id = k.provider_person_id;--> statement-breakpoint
ALTER TABLE "commitments" DROP CONSTRAINT "commitments_no_overlap";--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_no_overlap" EXCLUDE USING gist ("person_id" WITH =, "during" WITH &&, "layer" WITH &&);--> statement-breakpoint
-- As in 0012, and the provider's row is of the consulting layer. A new booking must lie inside a
-- day of the provider's hours in the ledger, and takes a share lock on it: a change of hours that
-- removes that day waits for the booking and then sees it (and lists it for confirmation), and a
-- booking after the change committed finds no day and is refused (consultations_within_hours).
CREATE OR REPLACE FUNCTION consultation_commitments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Checked when a booking appears: inserted, moved, or a held slot accepted (ADR 26).
  IF NEW.status = 'booked' AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status
       OR (NEW.starts_at, NEW.ends_at, NEW.provider_person_id) IS DISTINCT FROM (OLD.starts_at, OLD.ends_at, OLD.provider_person_id)) THEN
    PERFORM 1 FROM commitments h
    WHERE h.person_id = NEW.provider_person_id AND h.layer = '[0,1)' AND h.during @> tstzrange(NEW.starts_at, NEW.ends_at, '[)')
    FOR SHARE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'consultation % is outside its provider''s hours', NEW.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'consultations_within_hours', TABLE = 'consultations';
    END IF;
  END IF;
  IF NEW.status = 'booked' THEN
    INSERT INTO commitments (station_id, person_id, kind, during, consultation_id, layer)
    VALUES (NEW.station_id, NEW.person_id, 'consultation', tstzrange(NEW.starts_at, NEW.ends_at, '[)'), NEW.id, '[0,2)'),
           (NEW.station_id, NEW.provider_person_id, 'consulting', tstzrange(NEW.starts_at, NEW.ends_at, '[)'), NEW.id, '[1,2)')
    ON CONFLICT (consultation_id, kind) DO UPDATE SET person_id = EXCLUDED.person_id, during = EXCLUDED.during
      WHERE (commitments.person_id, commitments.during) IS DISTINCT FROM (EXCLUDED.person_id, EXCLUDED.during);
  ELSIF TG_OP = 'UPDATE' THEN
    DELETE FROM commitments WHERE consultation_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
-- The weekly hours' local days in [p_from, p_to] (clamped to the hours' own dates), less the
-- provider's days off for that service, as ledger rows. Strict (adding hours): a clash fails the
-- statement with 23P01. Not strict (the horizon rolling on, possibly on two workers at once): a
-- day already there, or one that clashes with what older data holds, is left out.
CREATE FUNCTION materialise_provider_hours(p_hours_id integer, p_from date, p_to date, p_strict boolean) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  added integer;
BEGIN
  IF p_strict THEN
    INSERT INTO commitments (station_id, person_id, kind, during, provider_hours_id, local_date, layer)
    SELECT h.station_id, h.provider_person_id, 'hours',
           tstzrange((d::date + h.start_time::time) AT TIME ZONE st.time_zone, (d::date + h.end_time::time) AT TIME ZONE st.time_zone, '[)'),
           h.id, d::date, '[0,1)'
    FROM provider_hours h
    JOIN stations st ON st.id = h.station_id
    CROSS JOIN generate_series(greatest(h.from_date, p_from)::timestamp, least(coalesce(h.until_date, p_to), p_to)::timestamp, interval '1 day') AS d
    WHERE h.id = p_hours_id AND extract(isodow FROM d) = h.weekday
      AND NOT EXISTS (SELECT 1 FROM provider_hours_changes c WHERE c.kind = 'off' AND c.service_id = h.service_id
                        AND c.provider_person_id = h.provider_person_id AND c.local_date = d::date)
    ORDER BY d
    ON CONFLICT (provider_hours_id, local_date) DO NOTHING;
  ELSE
    INSERT INTO commitments (station_id, person_id, kind, during, provider_hours_id, local_date, layer)
    SELECT h.station_id, h.provider_person_id, 'hours',
           tstzrange((d::date + h.start_time::time) AT TIME ZONE st.time_zone, (d::date + h.end_time::time) AT TIME ZONE st.time_zone, '[)'),
           h.id, d::date, '[0,1)'
    FROM provider_hours h
    JOIN stations st ON st.id = h.station_id
    CROSS JOIN generate_series(greatest(h.from_date, p_from)::timestamp, least(coalesce(h.until_date, p_to), p_to)::timestamp, interval '1 day') AS d
    WHERE h.id = p_hours_id AND extract(isodow FROM d) = h.weekday
      AND NOT EXISTS (SELECT 1 FROM provider_hours_changes c WHERE c.kind = 'off' AND c.service_id = h.service_id
                        AND c.provider_person_id = h.provider_person_id AND c.local_date = d::date)
    ORDER BY d
    ON CONFLICT DO NOTHING;
  END IF;
  GET DIAGNOSTICS added = ROW_COUNT;
  RETURN added;
END $$;--> statement-breakpoint
-- Hours ended, or begun later, give back the days they no longer cover, in the same statement.
CREATE FUNCTION provider_hours_commitments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM commitments
  WHERE provider_hours_id = NEW.id AND (local_date < NEW.from_date OR local_date > coalesce(NEW.until_date, 'infinity'::date));
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER provider_hours_commitments AFTER UPDATE OF from_date, until_date ON provider_hours
  FOR EACH ROW EXECUTE FUNCTION provider_hours_commitments();--> statement-breakpoint
-- A day off gives back that day of the provider's weekly hours of the service; an extra stretch
-- holds its time (a clash fails the insert with 23P01). Written in the statement adding the change.
CREATE FUNCTION hours_change_commitments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kind = 'off' THEN
    DELETE FROM commitments c USING provider_hours h
    WHERE c.provider_hours_id = h.id AND h.service_id = NEW.service_id AND h.provider_person_id = NEW.provider_person_id
      AND c.local_date = NEW.local_date;
  ELSE
    INSERT INTO commitments (station_id, person_id, kind, during, hours_change_id, layer)
    SELECT NEW.station_id, NEW.provider_person_id, 'hours',
           tstzrange((NEW.local_date + NEW.start_time::time) AT TIME ZONE st.time_zone, (NEW.local_date + NEW.end_time::time) AT TIME ZONE st.time_zone, '[)'),
           NEW.id, '[0,1)'
    FROM stations st WHERE st.id = NEW.station_id;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER hours_change_commitments AFTER INSERT ON provider_hours_changes
  FOR EACH ROW EXECUTE FUNCTION hours_change_commitments();
