import { extendHorizon } from "./activities";
import { getConfig } from "./config";
import { extendHoursHorizon } from "./consultations/hours-ledger";
import type { Db } from "./db";
import { stations } from "./db/schema";

/**
 * Extends every station's calendar to the configured horizon: the consultation hours' days in the
 * ledger first (ADR 27), then the sessions, so that a shift or a signup on a day new to the horizon
 * meets the hours already there.
 */
export async function extendAllHorizons(db: Db, now = new Date()): Promise<number> {
  const all = await db.select({ id: stations.id, timeZone: stations.timeZone }).from(stations);
  let added = 0;
  for (const station of all) {
    await extendHoursHorizon(db, station, now);
    added += await extendHorizon(db, { stationId: station.id, timeZone: station.timeZone, horizonDays: getConfig().CALENDAR_HORIZON_DAYS, now });
  }
  return added;
}
