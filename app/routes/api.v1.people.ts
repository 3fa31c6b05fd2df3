import { z } from "zod";
import { createPerson, requirePerson, searchPeople, type PersonSummary } from "#models/people";
import { apiJson, apiRoute, authorizeApi, json, readJson, readQuery, STAFF } from "~/lib/api.server";

// Needs (health notes) stay out: finding or registering someone does not need them.
const personView = (p: PersonSummary) => ({ id: p.id, fullName: p.fullName, phone: p.phone, birthYear: p.birthYear, household: p.household });

const querySchema = z.object({ q: json.text(50) });

const bodySchema = z.strictObject({
  fullName: json.text(100),
  phone: z
    .string()
    .regex(/^[0-9+\- ]{1,20}$/, "api.phone")
    .nullable()
    .optional(),
  email: z.email("field.email").max(200).nullable().optional(),
  birthYear: json.int(1900, new Date().getFullYear()).nullable().optional(),
  needs: json.optionalText(200).nullable().optional(),
});

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
      },
    );
    return apiJson(personView(await requirePerson(ctx.db, ctx.station.id, id)), 201);
  },
});

// Plain exports: the client build strips `loader` and `action` only when declared like this.
export const loader = route.loader;
export const action = route.action;
