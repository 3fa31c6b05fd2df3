import type { SensitiveKind, SensitivePage } from "#models/privacy/access";
import type { AuthorisedContext } from "./guard.server";

export { recordSensitiveViews } from "#models/privacy/access";

/** The viewer and page of a sensitive view, as models/privacy/access.ts records it (ADR 22). */
export const viewOf = (ctx: AuthorisedContext, page: SensitivePage, kind: SensitiveKind) => ({
  stationId: ctx.station.id,
  viewerAccountId: ctx.viewer.accountId,
  viewerPersonId: ctx.viewer.personId,
  page,
  kind,
});
