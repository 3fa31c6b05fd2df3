import { z } from "zod";
import { assign } from "#models/rosters/assignments";
import { requireNeed } from "#models/rosters/needs";
import { NeedSessionMismatch } from "#models/rosters/errors";
import { apiJson, apiRoute, authorizeApi, parseApiId, readJson } from "~/lib/api.server";
import { spendMailBudgetOf } from "~/lib/mail-budget.server";
import { json } from "~/lib/fields";
import { AssignmentCreated, ErrorReply, request as named, BODY_REFUSALS, type RouteSpec } from "~/lib/api-schemas";

const bodySchema = named(
  "AssignmentRequest",
  z.strictObject({
    personId: json.id().meta({ description: "default: the caller's own person" }).optional(),
    sessionId: json.id().meta({ description: "required for a need on a series" }).optional(),
  }),
);

/**
 * Puts a person on a shift: oneself (confirmed at once) or, for staff, someone else (proposed
 * until they confirm). A need declared on a series stands for every session of it, so the
 * session must be named; a need on one session takes that session when it is left out.
 */
const route = apiRoute({
  POST: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const needId = parseApiId(params.id, ctx.t);
    const body = await readJson(request, bodySchema, ctx.t);
    const need = await requireNeed(ctx.db, ctx.station.id, needId);
    const sessionId = body.sessionId ?? need.sessionId;
    if (sessionId === null) throw new NeedSessionMismatch();
    const { accountId, personId, roles } = ctx.viewer;
    await spendMailBudgetOf(ctx, body.personId ?? personId);
    const result = await assign(
      ctx.db,
      { stationId: ctx.station.id, actor: { accountId, personId, roles } },
      { needId, sessionId, personId: body.personId ?? personId },
    );
    return apiJson(result, 201);
  },
});

// Plain exports: the client build strips `loader` and `action` only when declared like this.
export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  id: "roster need id",
  operations: {
    POST: {
      operationId: "assignShift",
      tags: ["rosters"],
      summary:
        "Put a person on a shift: oneself (confirmed at once) or, for staff, someone else (proposed until they confirm). A need on a series needs `sessionId`; a need on one session takes that session when it is left out.",
      body: bodySchema,
      bodyRequired: false,
      responses: {
        201: ["On the shift; `warnings` are remarks for staff (blackout day, outside availability)", AssignmentCreated],
        ...BODY_REFUSALS,
        401: "Unauthorized",
        403: "Forbidden",
        404: "NotFound",
        409: [
          "Refused: shift_conflict and signup_conflict (params.title, params.when name the collision), not_qualified, need_full, weekly_limit (params.hours), shift_closed, shift_blackout",
          ErrorReply,
        ],
        429: "TooMany",
        503: "Busy",
      },
    },
  },
};
