import { z } from "zod";
import { signUp } from "#models/signups";
import { signUpMany } from "#models/signups-many";
import { PARTY_SIZE, PEOPLE_PER_BOOKING } from "#models/limits";
import { apiJson, apiRoute, authorizeApi, parseApiId, readJson } from "~/lib/api.server";
import { spendMailBudgetForPeople, spendMailBudgetOf } from "~/lib/mail-budget.server";
import { apiCodeOf, domainMessage } from "~/lib/domain-error.server";
import { json } from "~/lib/fields";
import { ErrorReply, request as named, SignupCreated, SignupsByPerson, BODY_REFUSALS, type RouteSpec } from "~/lib/api-schemas";

const partySize = () => json.int(PARTY_SIZE.min, PARTY_SIZE.max).meta({ description: "default 1" }).optional();

const partyEntry = named("SignupParty", z.strictObject({ personId: json.id(), partySize: partySize() }));

const bodySchema = named(
  "SignupRequest",
  z
    .strictObject({
      personId: json.id().meta({ description: "default: the caller's own person" }).optional(),
      partySize: partySize(),
      people: z
        .array(partyEntry)
        .min(PEOPLE_PER_BOOKING.min)
        .max(PEOPLE_PER_BOOKING.max)
        .refine((list) => new Set(list.map((p) => p.personId)).size === list.length, "api.personRepeated")
        .meta({ description: "several people at once (ADR 25), instead of personId/partySize; answered person by person" })
        .optional(),
    })
    .refine((body) => body.people === undefined || (body.personId === undefined && body.partySize === undefined), {
      message: "api.peopleOrPerson",
      path: ["people"],
    }),
);

/**
 * Signs a person up (oneself unless `personId` says otherwise), or several people at once
 * (`people`, ADR 25) answering for each. The model decides who may act for whom, the window,
 * the party limit and duplicates, and takes the places atomically, one statement per person.
 */
const route = apiRoute({
  POST: async ({ request, params }) => {
    const ctx = await authorizeApi(request, "signed-in");
    const sessionId = parseApiId(params.id, ctx.t);
    const body = await readJson(request, bodySchema, ctx.t);
    const { accountId, personId, roles } = ctx.viewer;
    const signupCtx = { stationId: ctx.station.id, actor: { accountId, personId, roles } };
    if (body.people) {
      const parties = body.people.map((p) => ({ personId: p.personId, partySize: p.partySize ?? 1 }));
      await spendMailBudgetForPeople(
        ctx,
        parties.map((p) => p.personId),
      );
      const outcomes = await signUpMany(ctx.db, signupCtx, sessionId, parties);
      return apiJson({
        sessionId,
        people: outcomes.map((o) =>
          o.status === "refused"
            ? {
                personId: o.personId,
                partySize: o.partySize,
                status: o.status,
                error: {
                  code: apiCodeOf(o.error),
                  status: o.error.status,
                  message: domainMessage(o.error, ctx.t),
                  ...(Object.keys(o.error.params).length ? { params: o.error.params } : {}),
                },
              }
            : { personId: o.personId, partySize: o.partySize, status: o.status, signupId: o.signup.id, waitlistPosition: o.signup.waitlistPosition },
        ),
      });
    }
    await spendMailBudgetOf(ctx, body.personId ?? personId);
    const result = await signUp(ctx.db, signupCtx, { sessionId, personId: body.personId ?? personId, partySize: body.partySize ?? 1 });
    return apiJson(result, 201);
  },
});

// Plain exports: the client build strips `loader` and `action` only when declared like this.
export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  id: "session id",
  operations: {
    POST: {
      operationId: "signUp",
      tags: ["signups"],
      summary:
        "Sign up oneself, or someone one may act for (staff: anyone; a caretaking volunteer: their households; anyone: their own household), or several people at once with `people`",
      body: bodySchema,
      bodyRequired: false,
      responses: {
        200: [
          "`people` form: one entry per person in the order given — confirmed, waitlisted, or refused with the reason (already signed up, person_conflict, busy)",
          SignupsByPerson,
        ],
        201: ["Confirmed, or waitlisted with a position", SignupCreated],
        ...BODY_REFUSALS,
        401: "Unauthorized",
        403: "Forbidden",
        404: [
          "No such session; or, in the `people` form, a person the caller may not act for (nothing is written: the whole request is refused)",
          ErrorReply,
        ],
        409: [
          "Already signed up (params.signupId), the signup window is not open, or person_conflict: the person holds a place or a shift then (params name, kind, title, when, startsAt, endsAt)",
          ErrorReply,
        ],
        429: "TooMany",
        503: "Busy",
      },
    },
  },
};
