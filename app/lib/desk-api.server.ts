import type { CheckinResult } from "#models/desk/checkin";
import type { AuthorisedContext } from "./guard.server";
import { isoIn } from "./api.server";

/** The desk's context from the API's: the station and the calling account. */
export const deskOf = (ctx: AuthorisedContext) => {
  const { accountId, personId, roles } = ctx.viewer;
  return { stationId: ctx.station.id, actor: { accountId, personId, roles } };
};

/** A check-in as the API answers it: times with the station's offset. */
export const checkinReply = (ctx: AuthorisedContext, result: CheckinResult) => ({
  signupId: result.signupId,
  sessionId: result.sessionId,
  personId: result.personId,
  partySize: result.partySize,
  attendedCount: result.attendedCount,
  checkedInAt: isoIn(ctx.station.timeZone)(result.checkedInAt),
  walkIn: result.walkIn,
  alreadyCheckedIn: result.alreadyCheckedIn,
  overCapacity: result.overCapacity,
  expected: result.expected,
  capacity: result.capacity,
});
