-- A slot held for the waitlist (ADR 26, addendum) takes its person's time in the ledger, so
-- nobody holds two overlapping slots (of two services) nor is put anywhere else while it is
-- held. The provider's side is their hours' row (ADR 27), as for a free slot. The client's row
-- is written with the hold, stays the same row when it is accepted (the booking's), and goes
-- when the hold is passed on. (Told by text: 'held' was added to the enum in an earlier
-- migration that a fresh database runs in this same transaction.)
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
  ELSIF NEW.status::text = 'held' THEN
    INSERT INTO commitments (station_id, person_id, kind, during, consultation_id, layer)
    VALUES (NEW.station_id, NEW.person_id, 'consultation', tstzrange(NEW.starts_at, NEW.ends_at, '[)'), NEW.id, '[0,2)')
    ON CONFLICT (consultation_id, kind) DO UPDATE SET person_id = EXCLUDED.person_id, during = EXCLUDED.during
      WHERE (commitments.person_id, commitments.during) IS DISTINCT FROM (EXCLUDED.person_id, EXCLUDED.during);
  ELSIF TG_OP = 'UPDATE' THEN
    DELETE FROM commitments WHERE consultation_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
-- Holds made before this: their person's time, unless it clashes with what they hold already
-- (that hold then stays outside the ledger until it is accepted, declined or runs out). In a
-- block, planned only when there are holds: on a fresh database the kind is new in this transaction.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM consultations WHERE status::text = 'held') THEN
    INSERT INTO commitments (station_id, person_id, kind, during, consultation_id, layer)
    SELECT k.station_id, k.person_id, 'consultation', tstzrange(k.starts_at, k.ends_at, '[)'), k.id, '[0,2)'
    FROM consultations k WHERE k.status::text = 'held'
    ON CONFLICT DO NOTHING;
  END IF;
END $$;
