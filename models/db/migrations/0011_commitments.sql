CREATE TYPE "public"."commitment_kind" AS ENUM('attending', 'shift');--> statement-breakpoint
CREATE TABLE "commitments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" integer NOT NULL,
	"person_id" integer NOT NULL,
	"kind" "commitment_kind" NOT NULL,
	"during" "tstzrange" NOT NULL,
	"signup_id" integer,
	"assignment_id" integer,
	CONSTRAINT "commitments_signup_id" UNIQUE("signup_id"),
	CONSTRAINT "commitments_assignment_id" UNIQUE("assignment_id"),
	CONSTRAINT "commitments_source" CHECK (("commitments"."kind" = 'attending' and "commitments"."signup_id" is not null and "commitments"."assignment_id" is null) or ("commitments"."kind" = 'shift' and "commitments"."assignment_id" is not null and "commitments"."signup_id" is null)),
	CONSTRAINT "commitments_not_empty" CHECK (not isempty("commitments"."during"))
);
--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_signup_id_signups_id_fk" FOREIGN KEY ("signup_id") REFERENCES "public"."signups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- The ledger's rule (docs/decisions/0015-commitments-ledger.md): no person holds two overlapping
-- commitments, whatever their kinds. btree_gist gives gist its "=" on person_id.
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
ALTER TABLE "commitments" ADD CONSTRAINT "commitments_no_overlap" EXCLUDE USING gist ("person_id" WITH =, "during" WITH &&);--> statement-breakpoint
-- A confirmed signup of a scheduled session holds its session's time; anything else holds none.
-- A waitlisted place holds no time (two waitlists at one hour are allowed), but is not taken
-- on top of time the person already holds. Runs in the statement that wrote the signup.
CREATE FUNCTION signup_commitment() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  s record;
BEGIN
  SELECT starts_at, ends_at, status INTO s FROM sessions WHERE id = NEW.session_id;
  IF NEW.status = 'confirmed' AND s.status = 'scheduled' THEN
    INSERT INTO commitments (station_id, person_id, kind, during, signup_id)
    VALUES (NEW.station_id, NEW.person_id, 'attending', tstzrange(s.starts_at, s.ends_at, '[)'), NEW.id)
    ON CONFLICT (signup_id) DO UPDATE SET person_id = EXCLUDED.person_id, during = EXCLUDED.during
      WHERE (commitments.person_id, commitments.during) IS DISTINCT FROM (EXCLUDED.person_id, EXCLUDED.during);
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM commitments WHERE signup_id = NEW.id;
  END IF;
  IF TG_OP = 'INSERT' AND NEW.status = 'waitlisted' AND s.status = 'scheduled' AND EXISTS (
    SELECT 1 FROM commitments c
    WHERE c.person_id = NEW.person_id AND c.during && tstzrange(s.starts_at, s.ends_at, '[)')
  ) THEN
    RAISE EXCEPTION 'person % already holds a commitment at that time', NEW.person_id
      USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'commitments_no_overlap', TABLE = 'commitments';
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER signup_commitment AFTER INSERT OR UPDATE OF status, session_id, person_id ON signups
  FOR EACH ROW EXECUTE FUNCTION signup_commitment();--> statement-breakpoint
-- A session moved or restored takes its confirmed people's time with it (a clash fails the
-- whole update with 23P01); a cancelled one frees it.
CREATE FUNCTION session_commitments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status <> 'scheduled' THEN
    DELETE FROM commitments c USING signups sg WHERE c.signup_id = sg.id AND sg.session_id = NEW.id;
  ELSIF OLD.status <> 'scheduled' OR NEW.starts_at <> OLD.starts_at OR NEW.ends_at <> OLD.ends_at THEN
    INSERT INTO commitments (station_id, person_id, kind, during, signup_id)
    SELECT sg.station_id, sg.person_id, 'attending', tstzrange(NEW.starts_at, NEW.ends_at, '[)'), sg.id
    FROM signups sg WHERE sg.session_id = NEW.id AND sg.status = 'confirmed'
    ORDER BY sg.id
    ON CONFLICT (signup_id) DO UPDATE SET during = EXCLUDED.during;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER session_commitments AFTER UPDATE OF starts_at, ends_at, status ON sessions
  FOR EACH ROW EXECUTE FUNCTION session_commitments();--> statement-breakpoint
-- A proposed or confirmed shift holds its time (set-up and clear-up included: `during` is the
-- shift's span, re-timed by moves and by changes of the need's minutes); declined or cancelled, none.
CREATE FUNCTION assignment_commitment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IN ('proposed', 'confirmed') THEN
    INSERT INTO commitments (station_id, person_id, kind, during, assignment_id)
    VALUES (NEW.station_id, NEW.person_id, 'shift', NEW.during, NEW.id)
    ON CONFLICT (assignment_id) DO UPDATE SET person_id = EXCLUDED.person_id, during = EXCLUDED.during
      WHERE (commitments.person_id, commitments.during) IS DISTINCT FROM (EXCLUDED.person_id, EXCLUDED.during);
  ELSIF TG_OP = 'UPDATE' THEN
    DELETE FROM commitments WHERE assignment_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER assignment_commitment AFTER INSERT OR UPDATE OF status, during, person_id ON assignments
  FOR EACH ROW EXECUTE FUNCTION assignment_commitment();--> statement-breakpoint
-- Existing data: shifts first, then confirmed signups of scheduled sessions, earliest first. A
-- commitment that overlaps one already entered (a double booking from before the ledger) is
-- left out rather than failing the upgrade; the next change to it meets the rule.
INSERT INTO commitments (station_id, person_id, kind, during, assignment_id)
SELECT station_id, person_id, 'shift', during, id FROM assignments
WHERE status IN ('proposed', 'confirmed') AND NOT isempty(during)
ORDER BY lower(during), id
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO commitments (station_id, person_id, kind, during, signup_id)
SELECT sg.station_id, sg.person_id, 'attending', tstzrange(s.starts_at, s.ends_at, '[)'), sg.id
FROM signups sg JOIN sessions s ON s.id = sg.session_id
WHERE sg.status = 'confirmed' AND s.status = 'scheduled'
ORDER BY s.starts_at, sg.id
ON CONFLICT DO NOTHING;
