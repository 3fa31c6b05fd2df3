import { getConfig } from "#models/config";
import type { ActivityContext } from "#models/activities";
import type { AuthorisedContext } from "./guard.server";

export const activityContext = (ctx: AuthorisedContext): ActivityContext => ({
  stationId: ctx.station.id,
  timeZone: ctx.station.timeZone,
  actorAccountId: ctx.viewer.accountId,
  horizonDays: getConfig().CALENDAR_HORIZON_DAYS,
});
