import { extendHorizon } from "./activities";
import { getConfig } from "./config";
import type { Db } from "./db";
import { stations } from "./db/schema";

/** Extends every station's calendar to the configured horizon. */
export async function extendAllHorizons(db: Db, now = new Date()): Promise<number> {
  const all = await db.select({ id: stations.id, timeZone: stations.timeZone }).from(stations);
  let added = 0;
  for (const station of all) {
    added += await extendHorizon(db, { stationId: station.id, timeZone: station.timeZone, horizonDays: getConfig().CALENDAR_HORIZON_DAYS, now });
  }
  return added;
}
