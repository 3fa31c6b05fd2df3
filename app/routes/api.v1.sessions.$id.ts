import { z } from "zod";
import { getSession, updateSession } from "#models/sessions";
import { requireSignupRules, signupWindow, waitlistedPeople } from "#models/signups";
import { NotFound } from "#models/errors";
import { placesLeft } from "#models/policies/signups";
import { localName } from "~/i18n";
import { apiJson, apiRoute, authorizeApi, isoIn, parseApiId, readJson, STAFF, type ApiContext } from "~/lib/api.server";
import { json } from "~/lib/fields";
import { request as named, Session, SessionUpdated, CHANGE_REFUSALS, type RouteSpec } from "~/lib/api-schemas";

const MINUTE_MS = 60_000;

/** One session as the API shows it: the calendar facts, places, and when signing up is possible. */
async function sessionView(ctx: ApiContext, id: number) {
  const session = await getSession(ctx.db, ctx.station.id, id);
  if (!session) throw new NotFound("session");
  const rules = await requireSignupRules(ctx.db, ctx.station.id, id);
  const waiting = await waitlistedPeople(ctx.db, [id]);
  const window = signupWindow(rules);
  const iso = isoIn(ctx.station.timeZone);
  const cancelled = session.status === "cancelled";
  return {
    id: session.id,
    activityId: session.activityId,
    title: session.title,
    category: session.categorySlug,
    categoryName: localName(ctx.locale, { nameZh: session.categoryNameZh, nameEn: session.categoryNameEn }),
    startsAt: iso(session.startsAt),
    endsAt: iso(session.endsAt),
    status: session.status,
    moved: session.moved,
    location: session.location,
    leader: session.leader,
    description: session.description,
    capacity: session.capacity,
    confirmed: session.taken,
    waitlisted: waiting.get(id) ?? 0,
    placesLeft: cancelled ? 0 : placesLeft(session),
    maxPartySize: rules.maxPartySize,
    signupWindow: { opensAt: iso(window.opensAt), closesAt: iso(window.closesAt) },
    cancelDeadline: iso(new Date(session.startsAt.getTime() - rules.cancelDeadlineMinutes * MINUTE_MS)),
  };
}

const patchSchema = named(
  "SessionChange",
  z
    .strictObject({
      startsAt: json.instant().optional(),
      endsAt: json.instant().optional(),
      capacity: json.int(0, 10000).nullable().optional(),
      status: z.enum(["scheduled", "cancelled"]).optional(),
    })
    .refine((change) => Object.values(change).some((v) => v !== undefined), "api.nothingToChange"),
  "At least one field; the others keep their values.",
);

const route = apiRoute({
  GET: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "public");
    return apiJson(await sessionView(ctx, parseApiId(params.id, ctx.t)));
  },

  /**
   * Moves, resizes, cancels or restores one session. Fields left out keep their value; moving
   * only the start keeps the length. Raising the places fills them from the waitlist.
   */
  PATCH: async ({ request, params }) => {
    const ctx = await authorizeApi(request, STAFF);
    const id = parseApiId(params.id, ctx.t);
    const change = await readJson(request, patchSchema, ctx.t);
    // The model fills what is left out from the row it locks: nothing read here can go stale.
    const { promoted } = await updateSession(ctx.db, { stationId: ctx.station.id, actorAccountId: ctx.viewer.accountId }, id, change);
    return apiJson({ ...(await sessionView(ctx, id)), promoted });
  },
});

// Plain exports: the client build strips `loader` and `action` only when declared like this.
export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  id: "session id",
  operations: {
    GET: {
      operationId: "getSession",
      tags: ["sessions"],
      summary: "One session with places and its signup window",
      public: true,
      responses: { 200: ["The session", Session], 401: "Unauthorized", 404: "NotFound" },
    },
    PATCH: {
      operationId: "updateSession",
      tags: ["staff"],
      summary: "Move, resize, cancel or restore one session (coordinators, admins)",
      body: patchSchema,
      responses: {
        200: ["The session after the change, and the signups promoted from the waitlist", SessionUpdated],
        ...CHANGE_REFUSALS,
      },
    },
  },
};
