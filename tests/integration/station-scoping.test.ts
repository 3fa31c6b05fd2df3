// Station scoping as a property: every API route (and every method of it) that takes an id —
// in its path or in its body — is handed ANOTHER station's ids by this station's most
// powerful callers, and must answer 404 with nothing written. The table is checked against
// the route files, so a new route or method that takes an id fails here until it has a case.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { categoryId, ensureStation } from "../support/fixtures";
import { makeActor, makeSession } from "../support/signup-fixtures";
import { makeNeed, makeSkill, makeVolunteer } from "../support/roster-fixtures";
import { countApiRows, makeApiUser, type ApiUser } from "../support/api-fixtures";
import { callApi, expectError, type Method, type RouteName } from "../support/api-requests";
import { stationDate } from "../support/routes-kit";
import { cancelSignup, signUp } from "../../models/signups";
import { assign, respond } from "../../models/rosters/assignments";
import { insertServiceLines, listServiceLines } from "../../models/desk/service-lines";
import { tallyVisit } from "../../models/desk/visits";
import { addNeed, removeNeed, updateNeed } from "../../models/rosters/needs";
import { addManualHours } from "../../models/rosters/hours";
import { addBlackout, setAvailability } from "../../models/rosters/availability";
import { setPersonWeeklyLimit } from "../../models/rosters/limits";
import { confirmPersonSkill, requireSkill, setPersonSkill } from "../../models/rosters/skills";
import { requireSession, updateSession } from "../../models/sessions";
import { requirePerson } from "../../models/people";
import { requireCanActFor } from "../../models/permissions";
import type { Actor } from "../../models/permissions";
import type { Db } from "../../models/db";
import { consultationServices, personSkills } from "../../models/db/schema";
import { addProviderHours } from "../../models/consultations/hours";
import { bookConsultation } from "../../models/consultations/bookings";
import { DateTime } from "luxon";

const ROUTES_DIR = path.resolve(__dirname, "../../app/routes");

/** Ids of the other station's rows, and of this station's, to mix them. */
interface World {
  other: {
    sessionId: number;
    signupId: number;
    personId: number;
    needId: number;
    assignmentId: number;
    categoryId: number;
    serviceLineId: number;
    visitId: number;
    consultationServiceId: number;
    consultationId: number;
    hoursId: number;
  };
  home: {
    sessionId: number;
    needId: number;
    categoryId: number;
    volunteerPersonId: number;
    skillId: number;
    serviceLineId: number;
    consultationServiceId: number;
  };
  otherSkillId: number;
}
type Caller = "coordinator" | "admin" | "resident" | "volunteer";

interface ScopeCase {
  route: RouteName;
  method: Method;
  what: string;
  as: Caller[];
  params?: (w: World) => Record<string, string>;
  body?: (w: World) => unknown;
}

const CASES: ScopeCase[] = [
  {
    route: "api.v1.sessions.$id",
    method: "GET",
    what: "another station's session",
    as: ["resident", "admin"],
    params: (w) => ({ id: String(w.other.sessionId) }),
  },
  {
    route: "api.v1.sessions.$id",
    method: "PATCH",
    what: "another station's session",
    as: ["coordinator", "admin"],
    params: (w) => ({ id: String(w.other.sessionId) }),
    body: () => ({ capacity: 1 }),
  },
  {
    route: "api.v1.sessions.$id.signups",
    method: "POST",
    what: "another station's session, for oneself",
    as: ["resident", "coordinator", "admin"],
    params: (w) => ({ id: String(w.other.sessionId) }),
    body: () => ({ partySize: 1 }),
  },
  {
    route: "api.v1.sessions.$id.signups",
    method: "POST",
    what: "another station's person on this station's session",
    as: ["coordinator", "admin"],
    params: (w) => ({ id: String(w.home.sessionId) }),
    body: (w) => ({ personId: w.other.personId, partySize: 1 }),
  },
  {
    route: "api.v1.sessions.$id.signups",
    method: "POST",
    what: "another station's person among this station's people, several at once",
    as: ["resident", "volunteer", "coordinator", "admin"],
    params: (w) => ({ id: String(w.home.sessionId) }),
    body: (w) => ({ people: [{ personId: w.home.volunteerPersonId }, { personId: w.other.personId }] }),
  },
  {
    route: "api.v1.signups.$id",
    method: "DELETE",
    what: "another station's signup",
    as: ["coordinator", "admin"],
    params: (w) => ({ id: String(w.other.signupId) }),
  },
  {
    route: "api.v1.sessions.$id.roster",
    method: "GET",
    what: "another station's session",
    as: ["coordinator", "admin"],
    params: (w) => ({ id: String(w.other.sessionId) }),
  },
  {
    route: "api.v1.needs.$id.assignments",
    method: "POST",
    what: "another station's need",
    as: ["coordinator", "volunteer"],
    params: (w) => ({ id: String(w.other.needId) }),
    body: (w) => ({ personId: w.home.volunteerPersonId, sessionId: w.other.sessionId }),
  },
  {
    route: "api.v1.needs.$id.assignments",
    method: "POST",
    what: "another station's person on this station's need",
    as: ["coordinator", "admin"],
    params: (w) => ({ id: String(w.home.needId) }),
    body: (w) => ({ personId: w.other.personId, sessionId: w.home.sessionId }),
  },
  {
    route: "api.v1.needs.$id.assignments",
    method: "POST",
    what: "another station's session under this station's need",
    as: ["coordinator"],
    params: (w) => ({ id: String(w.home.needId) }),
    body: (w) => ({ personId: w.home.volunteerPersonId, sessionId: w.other.sessionId }),
  },
  {
    route: "api.v1.assignments.$id",
    method: "PATCH",
    what: "another station's assignment",
    as: ["coordinator", "admin", "volunteer"],
    params: (w) => ({ id: String(w.other.assignmentId) }),
    body: () => ({ action: "confirm" }),
  },
  {
    route: "api.v1.assignments.$id",
    method: "DELETE",
    what: "another station's assignment",
    as: ["coordinator", "admin"],
    params: (w) => ({ id: String(w.other.assignmentId) }),
  },
  {
    route: "api.v1.activities",
    method: "POST",
    what: "another station's category",
    as: ["coordinator", "admin"],
    body: (w) => ({
      categoryId: w.other.categoryId,
      title: "越站活动",
      capacity: 10,
      durationMinutes: 60,
      startDate: stationDate(5),
      startTime: "10:00",
      rule: null,
    }),
  },
  // The front desk: the model's own station checks are the guard, as for signups.
  {
    route: "api.v1.sessions.$id.checkins",
    method: "POST",
    what: "another station's session",
    as: ["coordinator", "admin"],
    params: (w) => ({ id: String(w.other.sessionId) }),
    body: (w) => ({ personId: w.other.personId }),
  },
  {
    route: "api.v1.sessions.$id.checkins.$personId",
    method: "DELETE",
    what: "another station's session",
    as: ["coordinator", "admin"],
    params: (w) => ({ id: String(w.other.sessionId), personId: String(w.other.personId) }),
  },
  {
    route: "api.v1.signups.$id",
    method: "PATCH",
    what: "another station's signup",
    as: ["coordinator", "admin"],
    params: (w) => ({ id: String(w.other.signupId) }),
    body: () => ({ attendance: "no_show" }),
  },
  {
    route: "api.v1.visits",
    method: "POST",
    what: "another station's service line",
    as: ["volunteer", "coordinator"],
    body: (w) => ({ serviceLineId: w.other.serviceLineId }),
  },
  {
    route: "api.v1.visits",
    method: "POST",
    what: "another station's person on this station's line",
    as: ["volunteer", "admin"],
    body: (w) => ({ serviceLineId: w.home.serviceLineId, personId: w.other.personId }),
  },
  {
    route: "api.v1.visits.$id",
    method: "DELETE",
    what: "another station's visit",
    as: ["coordinator", "admin"],
    params: (w) => ({ id: String(w.other.visitId) }),
  },
  {
    route: "api.v1.consultation-services.$id.slots",
    method: "GET",
    what: "another station's consultation service",
    as: ["resident", "coordinator"],
    params: (w) => ({ id: String(w.other.consultationServiceId) }),
  },
  {
    route: "api.v1.consultation-services.$id.waitlist",
    method: "POST",
    what: "another station's consultation service",
    as: ["resident", "admin"],
    params: (w) => ({ id: String(w.other.consultationServiceId) }),
    body: () => ({}),
  },
  {
    route: "api.v1.consultation-services.$id.waitlist",
    method: "POST",
    what: "another station's person on this station's waitlist",
    as: ["coordinator", "admin"],
    params: (w) => ({ id: String(w.home.consultationServiceId) }),
    body: (w) => ({ personId: w.other.personId }),
  },
  {
    route: "api.v1.consultation-services.$id.waitlist",
    method: "GET",
    what: "another station's consultation service",
    as: ["coordinator", "admin"],
    params: (w) => ({ id: String(w.other.consultationServiceId) }),
  },
  {
    route: "api.v1.consultation-services.$id.waitlist",
    method: "DELETE",
    what: "another station's consultation service",
    as: ["resident", "admin"],
    params: (w) => ({ id: String(w.other.consultationServiceId) }),
  },
  {
    route: "api.v1.consultation-offers.$id",
    method: "GET",
    what: "another station's consultation (not a held slot, nor this station's)",
    as: ["coordinator", "admin"],
    params: (w) => ({ id: String(w.other.consultationId) }),
  },
  {
    route: "api.v1.consultation-offers.$id",
    method: "DELETE",
    what: "another station's consultation",
    as: ["coordinator", "admin"],
    params: (w) => ({ id: String(w.other.consultationId) }),
  },
  {
    route: "api.v1.consultation-offers.$id.booking",
    method: "POST",
    what: "another station's consultation",
    as: ["coordinator", "admin"],
    params: (w) => ({ id: String(w.other.consultationId) }),
    body: () => ({}),
  },
  {
    route: "api.v1.consultation-slots.$id.booking",
    method: "POST",
    what: "a slot of another station's consultation service",
    as: ["resident", "admin"],
    params: (w) => ({ id: `${w.other.consultationServiceId}-${w.other.personId}-20300107T0100Z` }),
    body: () => ({}),
  },
  {
    route: "api.v1.consultation-slots.$id.booking",
    method: "POST",
    what: "another station's person on this station's service",
    as: ["coordinator", "admin"],
    params: (w) => ({ id: `${w.home.consultationServiceId}-${w.home.volunteerPersonId}-20300107T0100Z` }),
    body: (w) => ({ personId: w.other.personId }),
  },
  {
    route: "api.v1.consultation-bookings.$id",
    method: "GET",
    what: "another station's consultation",
    as: ["coordinator", "admin"],
    params: (w) => ({ id: String(w.other.consultationId) }),
  },
  {
    route: "api.v1.consultation-bookings.$id",
    method: "DELETE",
    what: "another station's consultation",
    as: ["coordinator", "admin"],
    params: (w) => ({ id: String(w.other.consultationId) }),
  },
  {
    route: "api.v1.consultation-hours.$id.end",
    method: "POST",
    what: "another station's consultation hours",
    as: ["coordinator", "admin"],
    params: (w) => ({ id: String(w.other.hoursId) }),
    body: () => ({ untilDate: "2030-01-07" }),
  },
  {
    route: "api.v1.call-list.$personId.calls",
    method: "POST",
    what: "another station's person and session",
    as: ["coordinator", "admin", "volunteer"],
    params: (w) => ({ personId: String(w.other.personId) }),
    body: (w) => ({ sessionId: w.other.sessionId }),
  },
  {
    route: "api.v1.call-list.$personId.calls",
    method: "POST",
    what: "another station's person on this station's session",
    as: ["coordinator", "admin"],
    params: (w) => ({ personId: String(w.other.personId) }),
    body: (w) => ({ sessionId: w.home.sessionId }),
  },
  {
    route: "api.v1.call-list.$personId.calls.$sessionId",
    method: "DELETE",
    what: "another station's person and session",
    as: ["coordinator", "admin", "volunteer"],
    params: (w) => ({ personId: String(w.other.personId), sessionId: String(w.other.sessionId) }),
  },
  {
    route: "api.v1.people.$id.erasure",
    method: "POST",
    what: "another station's person",
    as: ["coordinator", "admin"],
    params: (w) => ({ id: String(w.other.personId) }),
    body: () => ({ via: "phone" }),
  },
  {
    route: "api.v1.people.$id.export",
    method: "GET",
    what: "another station's person",
    as: ["coordinator", "admin"],
    params: (w) => ({ id: String(w.other.personId) }),
  },
];

/** Routes and methods that take no id of a station's row, and why. */
const NO_IDS: Record<string, string> = {
  "api.v1.me.export GET": "the caller's own data",
  "api.v1.auth.token POST": "email and password only",
  "api.v1.categories GET": "lists this station's categories",
  "api.v1.sessions GET": "lists this station's sessions by date",
  "api.v1.me.signups GET": "the caller's own",
  "api.v1.me.shifts GET": "the caller's own",
  "api.v1.consultation-hours GET": "lists this station's hours (a provider's own)",
  "api.v1.people GET": "a search string within this station",
  "api.v1.people POST": "names and phone only; the person is made in this station",
  "api.v1.openapi[.]json GET": "the document",
  "api.v1.service-lines GET": "lists this station's lines",
  "api.v1.reports.monthly GET": "a month of this station's figures",
  "api.v1.consultation-services GET": "lists this station's services",
  "api.v1.me.consultations GET": "the caller's own",
  "api.v1.me.consultation-waitlist GET": "the caller's own",
  "api.v1.me.households GET": "the caller's own",
  "api.v1.me.erasure POST": "the caller's own person",
  "api.v1.call-list GET": "a date; this station's bookings, scoped to the caller's households unless staff",
};

/** What the route files say: each API route's methods, and whether it takes an id (path or body). */
function routeMethods(): { key: string; takesId: boolean }[] {
  return fs
    .readdirSync(ROUTES_DIR)
    .filter((f) => f.startsWith("api.v1.") && f.endsWith(".ts") && f !== "api.v1.$.ts")
    .flatMap((file) => {
      const source = fs.readFileSync(path.join(ROUTES_DIR, file), "utf8");
      const route = file.replace(/\.ts$/, "");
      const takesId = route.includes("$") || /json\.id\(/.test(source);
      const methods = [...source.matchAll(/\b(GET|POST|PUT|PATCH|DELETE):/g)].map((m) => m[1]!);
      return [...new Set(methods)].map((method) => ({ key: `${route} ${method}`, takesId }));
    });
}

async function otherStationWorld(db: Db, homeStationId: number, homeVolunteer: number): Promise<World> {
  const other = await ensureStation(db, "scoping-elsewhere");
  const { sessionId } = await makeSession(db, other.id, { capacity: 20 });
  const resident = await makeActor(db, other.id, ["resident"], "别站居民");
  const signup = await signUp(db, { stationId: other.id, actor: resident }, { sessionId, personId: resident.personId, partySize: 1 });
  const skillId = await makeSkill(db, other.id, { slug: "scope-skill" });
  const needId = await makeNeed(db, other.id, { sessionId, skillId, headCount: 3 });
  const volunteer = await makeVolunteer(db, other.id, { skills: [{ skillId }] });
  const coordinator = await makeActor(db, other.id, ["coordinator"]);
  const assignment = await assign(db, { stationId: other.id, actor: coordinator }, { needId, sessionId, personId: volunteer.personId });
  const home = await makeSession(db, homeStationId, { capacity: 20, daysAhead: 4 });
  const [otherLine] = await insertServiceLines(db, other.id);
  const visit = await tallyVisit(db, { stationId: other.id, actor: coordinator }, { serviceLineId: otherLine! });
  const homeLines = await listServiceLines(db, homeStationId);
  const homeLine = homeLines[0]?.id ?? (await insertServiceLines(db, homeStationId))[0]!;
  const homeSkill = await makeSkill(db, homeStationId, { slug: "scope-home-skill" });
  // A consultation at the other station: a service, a provider with its skill and hours, a booking.
  const service = async (stationId: number, skill: number) =>
    (
      await db
        .insert(consultationServices)
        .values({ stationId, kind: "legal", nameZh: `法律援助${stationId}`, nameEn: "Legal aid", skillId: skill, slotMinutes: 30 })
        .returning({ id: consultationServices.id })
    )[0]!.id;
  const otherService = await service(other.id, skillId);
  await db.insert(personSkills).values({ personId: coordinator.personId, skillId });
  const day = DateTime.now().setZone("Asia/Shanghai").plus({ days: 2 }).startOf("day");
  const hours = await addProviderHours(
    db,
    { stationId: other.id, actor: coordinator },
    {
      serviceId: otherService,
      providerPersonId: coordinator.personId,
      weekday: day.weekday,
      startTime: "09:00",
      endTime: "10:00",
      location: "别站咨询室",
      fromDate: day.toISODate()!,
    },
  );
  const consultation = await bookConsultation(
    db,
    { stationId: other.id, actor: resident },
    {
      serviceId: otherService,
      startsAt: day.set({ hour: 9 }).toJSDate(),
      personId: resident.personId,
    },
  );
  return {
    other: {
      sessionId,
      signupId: signup.id,
      personId: resident.personId,
      needId,
      assignmentId: assignment.id,
      categoryId: await categoryId(db, other.id, "clinic"),
      serviceLineId: otherLine!,
      visitId: visit.id,
      consultationServiceId: otherService,
      consultationId: consultation.id,
      hoursId: hours.id,
    },
    home: {
      sessionId: home.sessionId,
      needId: await makeNeed(db, homeStationId, { sessionId: home.sessionId, skillId: homeSkill, headCount: 3 }),
      categoryId: await categoryId(db, homeStationId, "clinic"),
      volunteerPersonId: homeVolunteer,
      skillId: homeSkill,
      serviceLineId: homeLine,
      consultationServiceId: await service(homeStationId, homeSkill),
    },
    otherSkillId: skillId,
  };
}

for (const backend of backends) {
  describe(`station scoping of every API id on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    const users = {} as Record<Caller, ApiUser>;
    let world: World;

    beforeAll(async () => {
      const home = await ensureStation(t.db);
      users.coordinator = await makeApiUser(t.db, home.id, ["coordinator"]);
      users.admin = await makeApiUser(t.db, home.id, ["admin"]);
      users.resident = await makeApiUser(t.db, home.id, ["resident"]);
      users.volunteer = await makeApiUser(t.db, home.id, ["volunteer"]);
      world = await otherStationWorld(t.db, home.id, users.volunteer.personId);
    });

    it("every API route and method that takes an id has a case here; every other one says why not", () => {
      const covered = new Set(CASES.map((c) => `${c.route} ${c.method}`));
      for (const { key, takesId } of routeMethods()) {
        if (takesId) expect(covered.has(key), `${key} takes an id but has no station-scoping case`).toBe(true);
        else expect(covered.has(key) || key in NO_IDS, `${key} is neither scoping-tested nor listed as taking no id`).toBe(true);
      }
      // And nothing listed that the files no longer have.
      const keys = new Set(routeMethods().map((r) => r.key));
      for (const key of [...covered, ...Object.keys(NO_IDS)]) expect(keys.has(key), `${key} is not a route method any more`).toBe(true);
    });

    for (const c of CASES) {
      for (const caller of c.as) {
        it(`${c.method} ${c.route} with ${c.what}, as ${caller}: 404, nothing written`, async () => {
          const before = await countApiRows(t.db);
          const needsBefore = await t.db.execute(sql`select count(*)::int as n from roster_needs`);
          const result = await callApi(c.route, c.method, { token: users[caller].token, params: c.params?.(world), body: c.body?.(world) });
          expectError(result, 404);
          expect(await countApiRows(t.db)).toEqual(before);
          expect((await t.db.execute(sql`select count(*)::int as n from roster_needs`)).rows).toEqual(needsBefore.rows);
        });
      }
    }
  });
}

/**
 * The same property one layer down: every model function that takes a row's id with a
 * station, handed another station's id by this station's coordinator, throws NotFound (404)
 * and changes no row of any table.
 */
type ModelCall = (db: Db, ctx: { stationId: number; actor: Actor }, w: World) => Promise<unknown>;
const MODEL_CASES: Record<string, ModelCall> = {
  "signUp: another station's session": (db, c, w) => signUp(db, c, { sessionId: w.other.sessionId, personId: c.actor.personId, partySize: 1 }),
  "signUp: another station's person": (db, c, w) => signUp(db, c, { sessionId: w.home.sessionId, personId: w.other.personId, partySize: 1 }),
  "cancelSignup: another station's signup": (db, c, w) => cancelSignup(db, c, w.other.signupId),
  "requireSession: another station's session": (db, c, w) => requireSession(db, c.stationId, w.other.sessionId),
  "updateSession: another station's session": (db, c, w) =>
    updateSession(db, { stationId: c.stationId, actorAccountId: c.actor.accountId }, w.other.sessionId, { capacity: 1 }),
  "requirePerson: another station's person": (db, c, w) => requirePerson(db, c.stationId, w.other.personId),
  "requireCanActFor: another station's person": (db, c, w) => requireCanActFor(db, c.stationId, c.actor, w.other.personId),
  "addNeed: another station's session": (db, c, w) => addNeed(db, c, { sessionId: w.other.sessionId, skillId: w.home.skillId, headCount: 1 }),
  "addNeed: another station's skill": (db, c, w) => addNeed(db, c, { sessionId: w.home.sessionId, skillId: w.otherSkillId, headCount: 1 }),
  "updateNeed: another station's need": (db, c, w) => updateNeed(db, c, w.other.needId, { headCount: 9 }),
  "removeNeed: another station's need": (db, c, w) => removeNeed(db, c, w.other.needId),
  "assign: another station's need": (db, c, w) =>
    assign(db, c, { needId: w.other.needId, sessionId: w.other.sessionId, personId: w.home.volunteerPersonId }),
  "assign: another station's person": (db, c, w) => assign(db, c, { needId: w.home.needId, sessionId: w.home.sessionId, personId: w.other.personId }),
  "respond: another station's assignment": (db, c, w) => respond(db, c, w.other.assignmentId, "cancel"),
  "addManualHours: another station's person": (db, c, w) =>
    addManualHours(db, c, { personId: w.other.personId, workDate: stationDate(-1), minutes: 60, note: "" }),
  "addBlackout: another station's person": (db, c, w) =>
    addBlackout(db, c, { personId: w.other.personId, fromDate: stationDate(3), toDate: stationDate(3) }),
  "setAvailability: another station's person": (db, c, w) => setAvailability(db, c, w.other.personId, []),
  "setPersonWeeklyLimit: another station's person": (db, c, w) => setPersonWeeklyLimit(db, c, w.other.personId, 5),
  "setPersonSkill: another station's person": (db, c, w) => setPersonSkill(db, c, { personId: w.other.personId, skillId: w.home.skillId }),
  "setPersonSkill: another station's skill": (db, c, w) => setPersonSkill(db, c, { personId: w.home.volunteerPersonId, skillId: w.otherSkillId }),
  "confirmPersonSkill: another station's person": (db, c, w) => confirmPersonSkill(db, c, w.other.personId, w.home.skillId),
  "requireSkill: another station's skill": (db, c, w) => requireSkill(db, c.stationId, w.otherSkillId),
};

/** A fingerprint of every table's content: any insert, update or delete changes it. */
async function fingerprint(db: Db): Promise<Record<string, string>> {
  const tables = await db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
  const out: Record<string, string> = {};
  for (const { table_name } of tables.rows as { table_name: string }[]) {
    if (table_name === "rate_limits" || table_name.startsWith("__drizzle")) continue;
    const [row] = (
      await db.execute(sql`select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from ${sql.identifier(table_name)} x`)
    ).rows as { h: string }[];
    out[table_name] = row!.h;
  }
  return out;
}

for (const backend of backends) {
  describe(`station scoping of model functions on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let world: World;
    let ctx: { stationId: number; actor: Actor };

    beforeAll(async () => {
      const home = await ensureStation(t.db);
      const coordinator = await makeActor(t.db, home.id, ["coordinator"]);
      const volunteer = await makeActor(t.db, home.id, ["volunteer"]);
      ctx = { stationId: home.id, actor: coordinator };
      world = await otherStationWorld(t.db, home.id, volunteer.personId);
    });

    for (const [name, call] of Object.entries(MODEL_CASES)) {
      it(`${name}: NotFound, no row changed`, async () => {
        const before = await fingerprint(t.db);
        await expect(call(t.db, ctx, world)).rejects.toMatchObject({ status: 404 });
        expect(await fingerprint(t.db)).toEqual(before);
      });
    }
  });
}
