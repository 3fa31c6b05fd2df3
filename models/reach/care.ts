import { sql, type SQL } from "drizzle-orm";
import { households } from "../db/schema";

/**
 * Which households a caretaker acts for, in one place. Today a household is in a member's care
 * when households.caretaker_id names her; the household's consent to be looked after (issue
 * 10, households) will be added here, and then every user of it — mail through the caretaker,
 * the call list, the not-reached report — follows without another change.
 */
export const caredHouseholds = (stationId: number | SQL): SQL => sql`
  SELECT h.id, h.caretaker_id FROM ${households} h
  WHERE h.station_id = ${stationId} AND h.caretaker_id IS NOT NULL`;

/** A condition on a people row (alias `p`): the person lives in a household in `caretakerPersonId`'s care. */
export const caredPeopleCondition = (stationId: number, caretakerPersonId: number): SQL =>
  sql`p.household_id IN (SELECT ch.id FROM (${caredHouseholds(stationId)}) ch WHERE ch.caretaker_id = ${caretakerPersonId})`;
