import { z } from "zod";
import { createPerson, requirePerson, searchPeople, type PersonSummary } from "#models/people";
import { BIRTH_YEAR_MIN, TEXT } from "#models/limits";
import { RECORDED_WAYS } from "#models/privacy/purposes";
import { apiJson, apiRoute, authorizeApi, readJson, readQuery, STAFF } from "~/lib/api.server";
import { json } from "~/lib/fields";
import { Person, PersonList, request as named, BODY_REFUSALS, type RouteSpec } from "~/lib/api-schemas";

// Needs (health notes) stay out: finding or registering someone does not need them.
const personView = (p: PersonSummary) => ({ id: p.id, fullName: p.fullName, phone: p.phone, birthYear: p.birthYear, household: p.household });

const querySchema = z.object({ q: json.text(TEXT.search) });

const bodySchema = named(
  "NewPerson",
  z.strictObject({
    fullName: json.text(TEXT.personName),
    phone: z
      .string()
      .regex(/^[0-9+\- ]{1,20}$/, "api.phone")
      .nullable()
      .optional(),
    email: z.email("field.email").max(TEXT.email).nullable().optional(),
    birthYear: json.int(BIRTH_YEAR_MIN, new Date().getFullYear()).nullable().optional(),
    needs: json.optionalText(TEXT.needs).meta({ description: "staff only: wheelchair, hearing aid …" }).nullable().optional(),
    needsConsent: z
      .enum(RECORDED_WAYS, "field.choice")
      .meta({ description: "how the person agreed that their needs are kept (required with needs, 422 needs_consent_required without)" })
      .nullable()
      .optional(),
  }),
);

/** Staff find people by name or phone, and register walk-ins and callers (no account). */
const route = apiRoute({
  GET: async ({ request }) => {
    const ctx = await authorizeApi(request, STAFF);
    const { q } = readQuery(request, querySchema, ctx.t);
    return apiJson({ people: (await searchPeople(ctx.db, ctx.station.id, q)).map(personView) });
  },

  POST: async ({ request }) => {
    const ctx = await authorizeApi(request, STAFF);
    const body = await readJson(request, bodySchema, ctx.t);
    const id = await createPerson(
      ctx.db,
      { stationId: ctx.station.id, actorAccountId: ctx.viewer.accountId },
      {
        fullName: body.fullName,
        // Stored as digits (and +): searchPeople matches the start of the number without spaces.
        phone: body.phone?.replace(/[\s-]/g, "") || null,
        email: body.email?.toLowerCase() ?? null,
        birthYear: body.birthYear ?? null,
        needs: body.needs || null,
        needsConsent: body.needsConsent ?? null,
      },
    );
    return apiJson(personView(await requirePerson(ctx.db, ctx.station.id, id)), 201);
  },
});

// Plain exports: the client build strips `loader` and `action` only when declared like this.
export const loader = route.loader;
export const action = route.action;

export const spec: RouteSpec = {
  operations: {
    GET: {
      operationId: "searchPeople",
      tags: ["staff"],
      summary: "Find people by part of the name or the start of the phone number (coordinators, admins)",
      query: querySchema,
      responses: { 200: ["Up to 20 people", PersonList], 401: "Unauthorized", 403: "Forbidden", 422: "Invalid" },
    },
    POST: {
      operationId: "createPerson",
      tags: ["staff"],
      summary: "Register a walk-in or a caller (no account) (coordinators, admins)",
      body: bodySchema,
      responses: { 201: ["The person", Person], ...BODY_REFUSALS, 401: "Unauthorized", 403: "Forbidden" },
    },
  },
};
