// Households, caretakers and consent for the care-net tests (ADR 19).
import type { Db } from "../../models/db";
import { householdConsents } from "../../models/db/schema";

/** The household agrees that its caretaker acts for it (written directly, as a fixture). */
export async function giveConsent(db: Db, stationId: number, householdId: number, caretakerId: number) {
  await db.insert(householdConsents).values({ stationId, householdId, caretakerId, method: "in_person" });
}
