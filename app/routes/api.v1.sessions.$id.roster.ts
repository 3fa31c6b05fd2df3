import { getSessionRoster } from "#models/rosters/views";
import { localName } from "~/i18n";
import { apiJson, apiRoute, authorizeApi, isoIn, parseApiId, STAFF } from "~/lib/api.server";
import { SessionRoster, type RouteSpec } from "~/lib/api-schemas";

/** A session's shifts (the series' needs and its own) and who is on them: staff only, names included. */
const route = apiRoute({
  GET: async ({ request, params }) => {
    const ctx = await authorizeApi(request, STAFF);
    const id = parseApiId(params.id, ctx.t);
    const { session, shifts } = await getSessionRoster(ctx.db, ctx.station.id, id);
    const iso = isoIn(ctx.station.timeZone);
    return apiJson({
      session: {
        id: session.id,
        title: session.title,
        startsAt: iso(session.startsAt),
        endsAt: iso(session.endsAt),
        location: session.location,
        status: session.status,
      },
      shifts: shifts.map((s) => ({
        needId: s.needId,
        skill: { id: s.skill.id, slug: s.skill.slug, name: localName(ctx.locale, s.skill) },
        headCount: s.headCount,
        filled: s.filled,
        startsAt: iso(s.startsAt),
        endsAt: iso(s.endsAt),
        inherited: s.inherited,
        assignments: s.assignments.map((a) => ({ id: a.id, personId: a.personId, name: a.name, status: a.status, attendance: a.attendance })),
      })),
    });
  },
});

// Plain exports: the client build strips `loader` and `action` only when declared like this.
export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  id: "session id",
  operations: {
    GET: {
      operationId: "sessionRoster",
      tags: ["rosters", "staff"],
      summary: "A session's shifts (inherited from its series and its own) and who is on them (coordinators, admins)",
      responses: { 200: ["The session and its shifts", SessionRoster], 401: "Unauthorized", 403: "Forbidden", 404: "NotFound" },
    },
  },
};
