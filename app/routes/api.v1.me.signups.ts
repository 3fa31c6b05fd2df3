import { listPersonSignups } from "#models/signups";
import { cancelVerdict, showsMoved, signupState } from "#models/policies/signups";
import { apiJson, apiRoute, authorizeApi, isoIn } from "~/lib/api.server";
import { MySignupList, type RouteSpec } from "~/lib/api-schemas";

/** The caller's own bookings, newest session first. */
const route = apiRoute({
  GET: async ({ request }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const rows = await listPersonSignups(ctx.db, ctx.station.id, ctx.viewer.personId);
    const iso = isoIn(ctx.station.timeZone);
    const now = new Date();
    return apiJson({
      signups: rows.map((s) => {
        const state = signupState(s, now);
        return {
          id: s.id,
          sessionId: s.sessionId,
          title: s.title,
          startsAt: iso(s.startsAt),
          endsAt: iso(s.endsAt),
          location: s.location,
          sessionStatus: s.sessionStatus,
          status: s.status,
          partySize: s.partySize,
          waitlistPosition: s.waitlistPosition,
          cancelDeadline: iso(s.cancelDeadline),
          bookedBy: s.bookedBy,
          // The policies the pages and the model use, so an app shows the same button they do.
          state,
          moved: showsMoved(state, s.moved),
          canCancel: cancelVerdict(ctx.viewer, s, now).allowed,
        };
      }),
    });
  },
});

// Plain exports: the client build strips `loader` and `action` only when declared like this.
export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  operations: {
    GET: {
      operationId: "mySignups",
      tags: ["signups"],
      summary: "The caller's own bookings, newest session first",
      responses: { 200: ["The bookings", MySignupList], 401: "Unauthorized" },
    },
  },
};
