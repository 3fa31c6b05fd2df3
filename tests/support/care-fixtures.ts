// Households, caretakers and consent for the care-net tests (ADR 19).
import { sql } from "drizzle-orm";
import type { Db } from "../../models/db";
import { householdConsents } from "../../models/db/schema";

/** The household agrees that its caretaker acts for it (written directly, as a fixture). */
export async function giveConsent(db: Db, stationId: number, householdId: number, caretakerId: number) {
  await db.insert(householdConsents).values({ stationId, householdId, caretakerId, method: "in_person" });
}

/** Every household of the station with a caretaker agrees to that caretaker (those that had not yet). */
export async function consentAll(db: Db, stationId: number) {
  await db.execute(sql`
    INSERT INTO household_consents (station_id, household_id, caretaker_id, method)
    SELECT h.station_id, h.id, h.caretaker_id, 'in_person' FROM households h
    WHERE h.station_id = ${stationId} AND h.caretaker_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM household_consents c WHERE c.household_id = h.id AND c.withdrawn_at IS NULL)`);
}
