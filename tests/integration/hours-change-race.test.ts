// Races only show on real PostgreSQL (PGlite is one connection): these run when
// TEST_DATABASE_URL is set, and CI always sets it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { ZONE, makeActor } from "../support/signup-fixtures";
import { giveWeeklyHours, makeProvider, makeService } from "../support/consultation-fixtures";
import { untilWaitingOnLock } from "../support/lock-waits";
import type { ConsultationService } from "../../models/consultations/services";
import { changeProviderDay } from "../../models/consultations/hours";
import { bookConsultation } from "../../models/consultations/bookings";
import { consultations, providerHoursChanges } from "../../models/db/schema";
import type { Db } from "../../models/db";
import type { Actor } from "../../models/permissions";

const postgres = backends.find((b) => b.name === "postgres");

/**
 * A day off committed while a booking for that day is on its way (docs/decisions/0027): the
 * booking read the slots before the day off, so only the engine can stop it landing on a day the
 * provider is away. Run as migrated, and (the negative control) with the booking trigger's check
 * for its day of hours taken out, to show the same test sees the booking land.
 */
function races(withCheck: boolean) {
  return () => {
    const t = useBackend(postgres!, { beforeAll, afterAll }, { poolSize: 8 });
    let stationId = 0;
    let coordinator: Actor;
    let lawyer: Actor;
    let resident: Actor;
    let service: ConsultationService;
    const day = DateTime.now().setZone(ZONE).plus({ days: 4 }).startOf("day");
    const date = day.toISODate()!;

    beforeAll(async () => {
      if (!withCheck)
        // 0012's trigger body with the provider's side of the layer (0018), without the check.
        await t.db.execute(
          sql.raw(`CREATE OR REPLACE FUNCTION consultation_commitments() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NEW.status = 'booked' THEN
              INSERT INTO commitments (station_id, person_id, kind, during, consultation_id, layer)
              VALUES (NEW.station_id, NEW.person_id, 'consultation', tstzrange(NEW.starts_at, NEW.ends_at, '[)'), NEW.id, '[0,2)'),
                     (NEW.station_id, NEW.provider_person_id, 'consulting', tstzrange(NEW.starts_at, NEW.ends_at, '[)'), NEW.id, '[1,2)')
              ON CONFLICT (consultation_id, kind) DO NOTHING;
            ELSIF TG_OP = 'UPDATE' THEN
              DELETE FROM commitments WHERE consultation_id = NEW.id;
            END IF;
            RETURN NULL;
          END $$`),
        );
      stationId = (await ensureStation(t.db)).id;
      const admin = await makeActor(t.db, stationId, ["admin"]);
      coordinator = await makeActor(t.db, stationId, ["coordinator"]);
      const made = await makeProvider(t.db, stationId, "李律师", { confirmed: true });
      lawyer = made.provider;
      resident = await makeActor(t.db, stationId, ["resident"], "王德福");
      service = await makeService(t.db, stationId, admin, made.skillId);
      await giveWeeklyHours(t.db, stationId, coordinator, {
        service,
        provider: lawyer,
        day,
        from: "14:00",
        to: "15:00",
        location: "法律服务室",
        fromDate: date,
        untilDate: date,
      });
    });

    it(`a booking arriving while a day off is being written ${withCheck ? "waits for it and is refused" : "lands on the day off"}`, async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let applied!: () => void;
      const dayOffWritten = new Promise<void>((resolve) => (applied = resolve));
      // The day off applied and found no booking to cancel, not yet committed. (The model runs its
      // transaction as a savepoint of this one, so that the test can hold it open.)
      const dayOff = t.db.transaction(async (tx) => {
        await changeProviderDay(
          tx as unknown as Db,
          { stationId, actor: coordinator },
          {
            serviceId: service.id,
            providerPersonId: lawyer.personId,
            localDate: date,
            kind: "off",
          },
        );
        applied();
        await gate;
      });
      await dayOffWritten;
      const startsAt = DateTime.fromISO(`${date}T14:30`, { zone: ZONE }).toJSDate();
      const booking = bookConsultation(t.db, { stationId, actor: coordinator }, { serviceId: service.id, startsAt, personId: resident.personId });
      booking.catch(() => undefined);
      await untilWaitingOnLock(t.db, booking);
      release();
      await dayOff;
      expect(await t.db.select().from(providerHoursChanges).where(eq(providerHoursChanges.localDate, date))).toHaveLength(1);
      const onTheDayOff = () =>
        t.db
          .select()
          .from(consultations)
          .where(and(eq(consultations.providerPersonId, lawyer.personId), eq(consultations.status, "booked")));
      if (withCheck) {
        await expect(booking).rejects.toMatchObject({ code: "consultation_slot_unavailable" });
        expect(await onTheDayOff()).toHaveLength(0);
      } else {
        await booking;
        expect(await onTheDayOff()).toHaveLength(1);
      }
    });
  };
}

describe.runIf(postgres)("a change of hours racing a booking on PostgreSQL", races(true));
describe.runIf(postgres)("negative control: the same race without the booking's check for its day of hours", races(false));
