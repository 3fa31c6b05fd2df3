import { listMyShifts } from "#models/rosters/views";
import { localName } from "~/i18n";
import { apiJson, apiRoute, authorizeApi, isoIn } from "~/lib/api.server";
import { MyShiftList, type RouteSpec } from "~/lib/api-schemas";

/** The caller's shifts that have not ended yet (proposed and confirmed), soonest first. */
const route = apiRoute({
  GET: async ({ request }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const rows = await listMyShifts(ctx.db, ctx.station.id, ctx.viewer.personId, { from: new Date() });
    const iso = isoIn(ctx.station.timeZone);
    return apiJson({
      shifts: rows.map((s) => ({
        id: s.assignmentId,
        needId: s.needId,
        sessionId: s.sessionId,
        title: s.title,
        location: s.location,
        skill: { id: s.skill.id, slug: s.skill.slug, name: localName(ctx.locale, s.skill) },
        startsAt: iso(s.startsAt),
        endsAt: iso(s.endsAt),
        status: s.status,
        attendance: s.attendance,
        sessionStatus: s.sessionStatus,
      })),
    });
  },
});

// Plain exports: the client build strips `loader` and `action` only when declared like this.
export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  operations: {
    GET: {
      operationId: "myShifts",
      tags: ["rosters"],
      summary: "The caller's shifts that have not ended (proposed and confirmed), soonest first",
      responses: { 200: ["The shifts", MyShiftList], 401: "Unauthorized" },
    },
  },
};
