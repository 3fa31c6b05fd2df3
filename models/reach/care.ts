import { sql, type SQL } from "drizzle-orm";
import { households } from "../db/schema";
import { consentInForce } from "../care/consent-sql";

/**
 * Which households a caretaker acts for, in one place: households.caretaker_id names her and
 * the household's consent to her is in force (ADR 19). Every user of it — mail through the
 * caretaker, the call list, the not-reached report — follows a withdrawal or a reassignment at once.
 */
export const caredHouseholds = (stationId: number | SQL): SQL => sql`
  SELECT h.id, h.caretaker_id FROM ${households} h
  WHERE h.station_id = ${stationId} AND h.caretaker_id IS NOT NULL
    AND ${consentInForce("h")}`;

/** A condition on a people row (alias `p`): the person lives in a household in `caretakerPersonId`'s care. */
export const caredPeopleCondition = (stationId: number, caretakerPersonId: number): SQL =>
  sql`p.household_id IN (SELECT ch.id FROM (${caredHouseholds(stationId)}) ch WHERE ch.caretaker_id = ${caretakerPersonId})`;
