import { z } from "zod";
import { cancelSignup } from "#models/signups";
import { setAttendance } from "#models/desk/attendance";
import { PARTY_SIZE, TEXT } from "#models/limits";
import { apiJson, apiRoute, authorizeApi, parseApiId, readJson, STAFF } from "~/lib/api.server";
import { deskOf } from "~/lib/desk-api.server";
import { json } from "~/lib/fields";
import { AttendanceSet, Cancellation, CHANGE_REFUSALS, request as named, type RouteSpec } from "~/lib/api-schemas";

const attendanceSchema = named(
  "AttendanceRequest",
  z.strictObject({
    attendance: z.enum(["attended", "no_show", "no_show_excused"]),
    attended: json.int(PARTY_SIZE.min, PARTY_SIZE.max).meta({ description: "with attended: people of the party who came (default all)" }).optional(),
    reason: json.text(TEXT.attendanceReason).meta({ description: "with no_show_excused: why (staff only see it)" }).optional(),
  }),
);
import { spendMailBudgetOf } from "~/lib/mail-budget.server";

/** Cancels a signup (or leaves the waitlist); freed places go to the waitlist at once. */
const route = apiRoute({
  DELETE: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const id = parseApiId(params.id, ctx.t);
    const { accountId, personId, roles } = ctx.viewer;
    await spendMailBudgetOf(ctx);
    return apiJson(await cancelSignup(ctx.db, { stationId: ctx.station.id, actor: { accountId, personId, roles } }, id));
  },
  /** Staff record who came after the fact: a late arrival, an excuse phoned in. */
  PATCH: async ({ request, params }) => {
    const ctx = await authorizeApi(request, STAFF);
    const signupId = parseApiId(params.id, ctx.t);
    const body = await readJson(request, attendanceSchema, ctx.t);
    return apiJson(await setAttendance(ctx.db, deskOf(ctx), { signupId, ...body }));
  },
});

// Plain exports: the client build strips `loader` and `action` only when declared like this.
export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  id: "signup id",
  operations: {
    DELETE: {
      operationId: "cancelSignup",
      tags: ["signups"],
      summary: "Cancel a signup or leave the waitlist; freed places are filled from the waitlist",
      responses: {
        200: ["Cancelled; `promoted` lists the signups that moved up", Cancellation],
        401: "Unauthorized",
        404: "NotFound",
        409: "Conflict",
        429: "TooMany",
        503: "Busy",
      },
    },
    PATCH: {
      operationId: "setAttendance",
      tags: ["front desk"],
      summary: "Set a confirmed signup's attendance once the session has begun (staff)",
      body: attendanceSchema,
      responses: { 200: ["Recorded", AttendanceSet], ...CHANGE_REFUSALS },
    },
  },
};
