// The API's authorisation matrix: every route and method × every kind of caller -> the exact
// status. "otherResident" acts on the first resident's person and signup. Refusals must
// leave the database as it was. Methods a route does not accept answer 405 to everyone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, useBackend } from "../support/db";
import { categoryId, ensureStation, TEST_PASSWORD } from "../support/fixtures";
import { makeSession } from "../support/signup-fixtures";
import { stationDate } from "../support/routes-kit";
import { countApiRows, makeApiUser, makeCaretaker, type ApiUser } from "../support/api-fixtures";
import { API_ROUTES, METHODS, callApi, expectError, type Method, type RouteName } from "../support/api-requests";
import { signUp } from "../../models/signups";
import { assign } from "../../models/rosters/assignments";
import { makeNeed, makeSkill } from "../support/roster-fixtures";
import { consultations, consultationServices, consultationWaitlist, people, personSkills } from "../../models/db/schema";
import { giveWeeklyHours } from "../support/consultation-fixtures";
import { DateTime } from "luxon";
import { and, eq, inArray } from "drizzle-orm";
import { accounts } from "../../models/db/schema";
import { markCalled } from "../../models/reach/calls";
import { insertServiceLines, listServiceLines } from "../../models/desk/service-lines";
import { tallyVisit } from "../../models/desk/visits";
import { slotIdOf } from "../../models/consultations/slot-ids";

const CARETAKER_PHONE = "13800138000";
const VIEWERS = ["anonymous", "resident", "otherResident", "volunteer", "caretaker", "doctor", "coordinator", "admin", "adminElsewhere"] as const;
type Viewer = (typeof VIEWERS)[number];

interface Target {
  sessionId: number;
  signupId: number;
  needId: number;
  assignmentId: number;
  visitId: number;
  consultationId: number;
  personId: number;
  hoursId: number;
  untilDate: string;
}

interface Case {
  route: RouteName;
  method: Method;
  /** Fresh targets for each call, made before the row counts are taken. */
  prepare?: () => Promise<Partial<Target>>;
  params?: (x: Partial<Target>) => Record<string, string>;
  body?: (x: Partial<Target>) => unknown;
  /** A function when it names a row made in beforeAll. */
  query?: string | (() => string);
  expect: Record<Viewer, number>;
}

const everyone = (status: number): Record<Viewer, number> => Object.fromEntries(VIEWERS.map((v) => [v, status])) as Record<Viewer, number>;
const signedIn = (status: number) => ({ ...everyone(status), anonymous: 401 });
const staffOnly = (status: number, others = 403) => ({ ...signedIn(others), coordinator: status, admin: status });
/** The volunteer on her own shift, and staff; to anyone else the shift is not there. */
const volunteersOwn = (status: number) => ({ ...signedIn(404), volunteer: status, coordinator: status, admin: status });
/** The resident, whoever may act for her (her caretaker) and staff; to anyone else she or her row is not there. */
const residentsSide = (status: number) => ({ ...signedIn(404), resident: status, caretaker: status, coordinator: status, admin: status });
/** Cases alike but for their method. */
const eachMethod = (methods: Method[], c: Omit<Case, "method">): Case[] => methods.map((method) => ({ ...c, method }));

for (const backend of backends) {
  describe(`API authorisation matrix on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    const users = {} as Record<Exclude<Viewer, "anonymous">, ApiUser>;
    let stationId = 0;
    let sharedSessionId = 0;
    let taiChi = 0;
    let skillId = 0;
    // Each roster case gets its own day, so the volunteer's shifts never overlap.
    let rosterDay = 3;
    let serviceLineId = 0;
    // The resident is booked into many of these sessions: each on its own day, as nobody is in two places at once.
    let sessionDay = 1;

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      users.resident = await makeApiUser(t.db, stationId, ["resident"], "王秀英");
      users.otherResident = await makeApiUser(t.db, stationId, ["resident"], "赵大伟");
      users.volunteer = await makeApiUser(t.db, stationId, ["volunteer"]);
      users.caretaker = await makeApiUser(t.db, stationId, ["volunteer"]);
      // The caretaker signs in by her mobile number (ADR 21): her token in every case below is
      // the one the token endpoint gave for {"phone","password"}, so it must carry her rights.
      await t.db.update(accounts).set({ phone: CARETAKER_PHONE }).where(eq(accounts.id, users.caretaker.accountId));
      const byPhone = await callApi("api.v1.auth.token", "POST", { body: { phone: "138 0013 8000", password: TEST_PASSWORD, name: "手机" } });
      expect(byPhone.status, byPhone.text).toBe(201);
      users.caretaker.token = byPhone.json.token;
      users.doctor = await makeApiUser(t.db, stationId, ["doctor"]);
      users.coordinator = await makeApiUser(t.db, stationId, ["coordinator"]);
      users.admin = await makeApiUser(t.db, stationId, ["admin"]);
      const elsewhere = await ensureStation(t.db, "elsewhere");
      users.adminElsewhere = await makeApiUser(t.db, elsewhere.id, ["admin"]);
      await makeCaretaker(t.db, stationId, users.resident.personId, users.caretaker.personId);
      sharedSessionId = (await makeSession(t.db, stationId, { capacity: 50 })).sessionId;
      taiChi = await categoryId(t.db, stationId, "tai-chi");
      // The volunteer holds the skill the roster cases need, with room for many shifts a week.
      skillId = await makeSkill(t.db, stationId);
      await t.db.insert(personSkills).values({ personId: users.volunteer.personId, skillId, confirmedAt: new Date() });
      await t.db.update(people).set({ maxWeeklyShiftMinutes: 100_000 }).where(eq(people.id, users.volunteer.personId));
      if ((await listServiceLines(t.db, stationId)).length === 0) await insertServiceLines(t.db, stationId);
      serviceLineId = (await listServiceLines(t.db, stationId))[0]!.id;
    });

    const freshSession = async () => ({
      sessionId: (await makeSession(t.db, stationId, { capacity: 50, daysAhead: sessionDay++, opensDays: 60 })).sessionId,
    });
    const residentSignup = async () => {
      const { sessionId } = await freshSession();
      const { accountId, personId } = users.resident;
      const signup = await signUp(t.db, { stationId, actor: { accountId, personId, roles: ["resident"] } }, { sessionId, personId, partySize: 1 });
      return { sessionId, signupId: signup.id };
    };
    // A person without email in the caretaker's household (the resident's), booked on the shared session.
    const householdSignup = async () => {
      const [home] = await t.db.select({ householdId: people.householdId }).from(people).where(eq(people.id, users.resident.personId));
      const [p] = await t.db
        .insert(people)
        .values({ stationId, fullName: "联系户老人", householdId: home!.householdId })
        .returning({ id: people.id });
      const { accountId, personId } = users.coordinator;
      await signUp(
        t.db,
        { stationId, actor: { accountId, personId, roles: ["coordinator"] } },
        { sessionId: sharedSessionId, personId: p!.id, partySize: 1 },
      );
      return { sessionId: sharedSessionId, personId: p!.id };
    };
    const housemate = async () => {
      const [home] = await t.db.select({ householdId: people.householdId }).from(people).where(eq(people.id, users.resident.personId));
      const [p] = await t.db.insert(people).values({ stationId, fullName: "同住家人", householdId: home!.householdId }).returning({ id: people.id });
      return { sessionId: sharedSessionId, personId: p!.id };
    };
    // The household person's call, marked by the caretaker.
    const markedCall = async () => {
      const target = await householdSignup();
      const { accountId, personId } = users.caretaker;
      await markCalled(t.db, { stationId, timeZone: "Asia/Shanghai", actor: { accountId, personId, roles: ["volunteer"] } }, target);
      return target;
    };
    const freshShift = async () => {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 50, daysAhead: rosterDay++ });
      return { sessionId, needId: await makeNeed(t.db, stationId, { sessionId, skillId, headCount: 5 }) };
    };
    // A shift a coordinator proposed to the volunteer.
    const proposedShift = async () => {
      const shift = await freshShift();
      const { accountId, personId } = users.coordinator;
      const { id } = await assign(
        t.db,
        { stationId, actor: { accountId, personId, roles: ["coordinator"] } },
        { ...shift, personId: users.volunteer.personId },
      );
      return { ...shift, assignmentId: id };
    };
    const id = (key: keyof Target) => (x: Partial<Target>) => ({ id: String(x[key]) });
    // A tap a coordinator counted: only staff (or the one who tapped) may take it back.
    const coordinatorVisit = async () => {
      const { accountId, personId } = users.coordinator;
      const visit = await tallyVisit(t.db, { stationId, actor: { accountId, personId, roles: ["coordinator"] } }, { serviceLineId });
      return { visitId: visit.id };
    };

    // A provider (no account) keeping 08:00–20:00 every day in 10-minute slots: each case takes the next one.
    let consultationServiceId = 0;
    let slotIndex = 0;
    const nextSlot = () => {
      const k = slotIndex++;
      return DateTime.now()
        .setZone("Asia/Shanghai")
        .startOf("day")
        .plus({ days: 1 + Math.floor(k / 72), hours: 8, minutes: (k % 72) * 10 })
        .toJSDate();
    };
    // Written as the booking would be, past the service's per-person limit (the matrix books the
    // resident once per viewer and case): the engine's own rules (one per slot, the ledger) still hold.
    let providerId = 0;
    const residentInNextSlot = async (row: Partial<typeof consultations.$inferInsert>) => {
      const startsAt = nextSlot();
      const [made] = await t.db
        .insert(consultations)
        .values({
          stationId,
          serviceId: consultationServiceId,
          providerPersonId: providerId,
          personId: users.resident.personId,
          startsAt,
          endsAt: new Date(startsAt.getTime() + 10 * 60_000),
          location: "咨询室",
          ...row,
        })
        .returning({ id: consultations.id });
      return { consultationId: made!.id };
    };
    const residentConsultation = () => residentInNextSlot({ bookedByAccountId: users.resident.accountId });
    // Hours of the provider far ahead (no bookings there), for ending: a new day for each call.
    let hoursDay = 0;
    const futureHours = async () => {
      const from = DateTime.now()
        .setZone("Asia/Shanghai")
        .plus({ days: 60 + hoursDay++ })
        .startOf("day");
      const { accountId, personId } = users.coordinator;
      const { id } = await giveWeeklyHours(
        t.db,
        stationId,
        { accountId, personId, roles: ["coordinator"] },
        {
          service: { id: consultationServiceId },
          provider: { personId: providerId },
          day: from,
          from: "20:00",
          to: "21:00",
          location: "咨询室",
          fromDate: from.toISODate()!,
          untilDate: from.toISODate()!,
        },
      );
      return { hoursId: id, untilDate: from.toISODate()! };
    };
    // The resident's waitlist starts empty for each call; an offer is a slot held for her (ADR 26),
    // her upcoming bookings cancelled first so the service's limit and the ledger let her accept it.
    const clearResidentWaitlist = async () => {
      await t.db
        .update(consultationWaitlist)
        .set({ status: "left" })
        .where(and(eq(consultationWaitlist.personId, users.resident.personId), inArray(consultationWaitlist.status, ["waiting", "offered"])));
      return {};
    };
    const residentWaiting = async () => {
      await clearResidentWaitlist();
      await t.db.insert(consultationWaitlist).values({
        stationId,
        serviceId: consultationServiceId,
        personId: users.resident.personId,
        fromDate: DateTime.now().setZone("Asia/Shanghai").toISODate()!,
        toDate: DateTime.now().setZone("Asia/Shanghai").plus({ days: 14 }).toISODate()!,
      });
      return {};
    };
    const residentOffer = async () => {
      await clearResidentWaitlist();
      await t.db
        .update(consultations)
        .set({ status: "cancelled" })
        .where(and(eq(consultations.personId, users.resident.personId), eq(consultations.status, "booked")));
      const [entry] = await t.db
        .insert(consultationWaitlist)
        .values({
          stationId,
          serviceId: consultationServiceId,
          personId: users.resident.personId,
          fromDate: "2026-01-01",
          toDate: "2030-01-01",
          status: "offered",
        })
        .returning({ id: consultationWaitlist.id });
      return residentInNextSlot({ status: "held", heldUntil: new Date(Date.now() + 60 * 60_000), waitlistEntryId: entry!.id });
    };
    beforeAll(async () => {
      const [provider] = await t.db.insert(people).values({ stationId, fullName: "矩阵律师" }).returning({ id: people.id });
      providerId = provider!.id;
      await t.db.insert(personSkills).values({ personId: provider!.id, skillId, confirmedAt: new Date() });
      const [service] = await t.db
        .insert(consultationServices)
        .values({ stationId, kind: "legal", nameZh: "矩阵咨询", nameEn: "Matrix", skillId, slotMinutes: 10, maxUpcoming: 10, bookAheadDays: 14 })
        .returning({ id: consultationServices.id });
      consultationServiceId = service!.id;
      const { accountId, personId } = users.coordinator;
      // Seven days from today: every weekday once.
      const today = DateTime.now().setZone("Asia/Shanghai");
      for (let i = 0; i < 7; i++)
        await giveWeeklyHours(
          t.db,
          stationId,
          { accountId, personId, roles: ["coordinator"] },
          {
            service: { id: consultationServiceId },
            provider: { personId: provider!.id },
            day: today.plus({ days: i }),
            from: "08:00",
            to: "20:00",
            location: "咨询室",
            fromDate: today.toISODate()!,
          },
        );
    });

    const CASES: Case[] = [
      {
        route: "api.v1.auth.token",
        method: "POST",
        body: () => ({ email: users.resident.email, password: TEST_PASSWORD, name: "矩阵" }),
        expect: everyone(201),
      },
      {
        route: "api.v1.auth.token",
        method: "POST",
        body: () => ({ phone: "+86 138-0013-8000", password: TEST_PASSWORD, name: "矩阵手机" }),
        expect: everyone(201),
      },
      { route: "api.v1.categories", method: "GET", expect: everyone(200) },
      { route: "api.v1.sessions", method: "GET", expect: everyone(200) },
      { route: "api.v1.sessions.$id", method: "GET", params: () => ({ id: String(sharedSessionId) }), expect: everyone(200) },
      {
        route: "api.v1.sessions.$id",
        method: "PATCH",
        prepare: freshSession,
        params: id("sessionId"),
        body: () => ({ capacity: 40 }),
        expect: staffOnly(200),
      },
      {
        route: "api.v1.sessions.$id.signups",
        method: "POST",
        prepare: freshSession,
        params: id("sessionId"),
        body: () => ({ personId: users.resident.personId, partySize: 1 }),
        // Themself, their caretaker and staff; nobody else — an admin elsewhere is nobody here.
        expect: { ...signedIn(403), resident: 201, caretaker: 201, coordinator: 201, admin: 201 },
      },
      {
        // Several at once (ADR 25): answered person by person (200); anyone the caller may not act
        // for refuses the whole request as not found, writing nothing.
        // A new person of the resident's household each time: the resident books her housemate,
        // the caretaker her household, staff anyone.
        route: "api.v1.sessions.$id.signups",
        method: "POST",
        prepare: housemate,
        params: id("sessionId"),
        body: (x) => ({ people: [{ personId: x.personId, partySize: 2 }] }),
        expect: residentsSide(200),
      },
      {
        route: "api.v1.signups.$id",
        method: "DELETE",
        prepare: residentSignup,
        params: id("signupId"),
        // Someone else's signup does not exist for them: 404, not 403.
        expect: residentsSide(200),
      },
      { route: "api.v1.me.signups", method: "GET", expect: signedIn(200) },
      { route: "api.v1.people", method: "GET", query: "q=" + encodeURIComponent("王秀英"), expect: staffOnly(200) },
      { route: "api.v1.people", method: "POST", body: () => ({ fullName: "来电居民", phone: "138 0000 1111" }), expect: staffOnly(201) },
      {
        route: "api.v1.activities",
        method: "POST",
        body: () => ({
          categoryId: taiChi,
          title: "矩阵测试",
          capacity: 10,
          durationMinutes: 60,
          startDate: stationDate(5),
          startTime: "10:00",
          rule: null,
        }),
        expect: staffOnly(201),
      },
      { route: "api.v1.sessions.$id.roster", method: "GET", params: () => ({ id: String(sharedSessionId) }), expect: staffOnly(200) },
      {
        route: "api.v1.needs.$id.assignments",
        method: "POST",
        prepare: freshShift,
        params: id("needId"),
        body: (x) => ({ personId: users.volunteer.personId, sessionId: x.sessionId }),
        // The volunteer themself (confirmed) and staff (proposed); nobody else puts them on a shift.
        expect: { ...signedIn(403), volunteer: 201, coordinator: 201, admin: 201 },
      },
      {
        route: "api.v1.assignments.$id",
        method: "PATCH",
        prepare: proposedShift,
        params: id("assignmentId"),
        body: () => ({ action: "confirm" }),
        // Someone else's shift does not exist for them: 404, not 403.
        expect: volunteersOwn(200),
      },
      { route: "api.v1.assignments.$id", method: "DELETE", prepare: proposedShift, params: id("assignmentId"), expect: volunteersOwn(200) },
      { route: "api.v1.me.shifts", method: "GET", expect: signedIn(200) },
      { route: "api.v1.openapi[.]json", method: "GET", expect: everyone(200) },
      {
        // The session is days away: staff are told check-in is not open (409); nobody else may check people in.
        route: "api.v1.sessions.$id.checkins",
        method: "POST",
        prepare: freshSession,
        params: id("sessionId"),
        body: () => ({ personId: users.resident.personId }),
        expect: staffOnly(409),
      },
      {
        route: "api.v1.sessions.$id.checkins.$personId",
        method: "DELETE",
        prepare: freshSession,
        params: (x) => ({ id: String(x.sessionId), personId: String(users.resident.personId) }),
        expect: staffOnly(409),
      },
      {
        // Attendance of a session still to come: staff are told it has not begun.
        route: "api.v1.signups.$id",
        method: "PATCH",
        prepare: residentSignup,
        params: id("signupId"),
        body: () => ({ attendance: "attended" }),
        expect: staffOnly(409),
      },
      { route: "api.v1.service-lines", method: "GET", expect: signedIn(200) },
      {
        route: "api.v1.visits",
        method: "POST",
        body: () => ({ serviceLineId }),
        // Staff and volunteers (the caretaker is a volunteer too).
        expect: { ...signedIn(403), volunteer: 201, caretaker: 201, coordinator: 201, admin: 201 },
      },
      { route: "api.v1.visits.$id", method: "DELETE", prepare: coordinatorVisit, params: id("visitId"), expect: staffOnly(200) },
      { route: "api.v1.reports.monthly", method: "GET", expect: staffOnly(200) },
      // The call list (ADR 20): members (their households) and staff (everyone).
      { route: "api.v1.call-list", method: "GET", expect: { ...signedIn(403), volunteer: 200, caretaker: 200, coordinator: 200, admin: 200 } },
      {
        // The resident is in the caretaker's household: she and staff may mark the call; a member with no households finds nobody.
        route: "api.v1.call-list.$personId.calls",
        method: "POST",
        prepare: householdSignup,
        params: (x) => ({ personId: String(x.personId) }),
        body: (x) => ({ sessionId: x.sessionId }),
        expect: { ...signedIn(403), volunteer: 404, caretaker: 201, coordinator: 201, admin: 201 },
      },
      {
        // Taking a call mark back: whoever marked it (the caretaker here) and staff; a member
        // with no households finds nobody; everyone else is not a member.
        route: "api.v1.call-list.$personId.calls.$sessionId",
        method: "DELETE",
        prepare: markedCall,
        params: (x) => ({ personId: String(x.personId), sessionId: String(x.sessionId) }),
        expect: { ...signedIn(403), volunteer: 404, caretaker: 200, coordinator: 200, admin: 200 },
      },
      { route: "api.v1.consultation-services", method: "GET", expect: signedIn(200) },
      {
        route: "api.v1.consultation-services.$id.slots",
        method: "GET",
        params: () => ({ id: String(consultationServiceId) }),
        expect: signedIn(200),
      },
      {
        route: "api.v1.consultation-slots.$id.booking",
        method: "POST",
        params: () => ({ id: slotIdOf({ serviceId: consultationServiceId, providerPersonId: providerId, startsAt: nextSlot() }) }),
        body: () => ({ personId: users.resident.personId }),
        // Themself, their caretaker and staff book for the resident; for anyone else she is not found.
        expect: residentsSide(201),
      },
      ...eachMethod(["GET", "DELETE"], {
        route: "api.v1.consultation-bookings.$id",
        prepare: residentConsultation,
        params: id("consultationId"),
        // The person, whoever booked, the provider and staff; for anyone else it does not exist.
        expect: { ...signedIn(404), resident: 200, coordinator: 200, admin: 200 },
      }),
      { route: "api.v1.me.consultations", method: "GET", expect: signedIn(200) },
      { route: "api.v1.me.consultation-waitlist", method: "GET", expect: signedIn(200) },
      // Hours (ADR 27, 28): anyone signed in lists their own (none here); staff change anyone's.
      { route: "api.v1.consultation-hours", method: "GET", expect: signedIn(200) },
      {
        route: "api.v1.consultation-hours.$id.end",
        method: "POST",
        prepare: futureHours,
        params: id("hoursId"),
        body: (x) => ({ untilDate: x.untilDate }),
        // Someone else's hours are not there for anyone but staff and the provider (ADR 28).
        expect: staffOnly(200, 404),
      },
      {
        // The waitlist (ADR 26): the person, whoever may act for them, staff; anyone else finds nobody.
        route: "api.v1.consultation-services.$id.waitlist",
        method: "POST",
        prepare: clearResidentWaitlist,
        params: () => ({ id: String(consultationServiceId) }),
        body: () => ({ personId: users.resident.personId }),
        expect: residentsSide(201),
      },
      {
        route: "api.v1.consultation-services.$id.waitlist",
        method: "DELETE",
        prepare: residentWaiting,
        params: () => ({ id: String(consultationServiceId) }),
        query: () => `personId=${users.resident.personId}`,
        expect: residentsSide(200),
      },
      {
        // The line itself is for staff.
        route: "api.v1.consultation-services.$id.waitlist",
        method: "GET",
        params: () => ({ id: String(consultationServiceId) }),
        expect: staffOnly(200, 404),
      },
      ...eachMethod(["GET", "DELETE"], {
        route: "api.v1.consultation-offers.$id",
        prepare: residentOffer,
        params: id("consultationId"),
        expect: residentsSide(200),
      }),
      {
        route: "api.v1.consultation-offers.$id.booking",
        method: "POST",
        prepare: residentOffer,
        params: id("consultationId"),
        body: () => ({ topic: "矩阵" }),
        expect: residentsSide(201),
      },
      { route: "api.v1.me.households", method: "GET", expect: signedIn(200) },
      {
        // Staff erase a walk-in made for the call; anyone else is refused before reading the body.
        route: "api.v1.people.$id.erasure",
        method: "POST",
        prepare: async () => {
          const [walkIn] = await t.db.insert(people).values({ stationId, fullName: "待删除的散客" }).returning({ id: people.id });
          return { personId: walkIn!.id };
        },
        params: (x) => ({ id: String(x.personId) }),
        body: () => ({ via: "in_person" }),
        expect: staffOnly(200),
      },
      // One's own erasure is for any signed-in caller; a wrong password erases nobody (the matrix's viewers must live on).
      { route: "api.v1.me.erasure", method: "POST", body: () => ({ password: "not the password" }), expect: signedIn(403) },
      // Everyone may copy their own data; staff produce a person's copy at the desk (audited).
      // An account of another station holds no person here to copy: 404, never another station's data.
      { route: "api.v1.me.export", method: "GET", expect: { ...signedIn(200), adminElsewhere: 404 } },
      {
        route: "api.v1.people.$id.export",
        method: "GET",
        prepare: async () => {
          const [walkIn] = await t.db.insert(people).values({ stationId, fullName: "来要数据的散客" }).returning({ id: people.id });
          return { personId: walkIn!.id };
        },
        params: (x) => ({ id: String(x.personId) }),
        expect: staffOnly(200),
      },
    ];

    // Filled by the 405 sweep, which runs before the coverage check below it.
    const acceptedMethods = new Map<string, Method[]>();

    describe("methods a route does not accept", () => {
      for (const route of Object.keys(API_ROUTES) as RouteName[]) {
        it(`${route}: 405 with Allow, for anyone`, async () => {
          const accepted: Method[] = [];
          for (const method of METHODS) {
            const anonymous = await callApi(route, method, { params: { id: "1" } });
            if (anonymous.status !== 405) {
              accepted.push(method);
              continue;
            }
            expectError(anonymous, 405, "method_not_allowed");
            const resident = await callApi(route, method, { params: { id: "1" }, token: users.resident.token });
            expectError(resident, 405, "method_not_allowed");
            expect(anonymous.headers.get("Allow")).toBeTruthy();
            expect(anonymous.headers.get("Allow")!.split(", ")).not.toContain(method);
          }
          expect(accepted.length).toBeGreaterThan(0);
          acceptedMethods.set(route, accepted);
        });
      }
    });

    // After the sweep, which found what each route accepts.
    it("covers every API route file and every method it accepts", () => {
      const covered = new Set(CASES.map((c) => `${c.route} ${c.method}`));
      const accepted = Object.keys(API_ROUTES)
        .filter((r) => r !== "api.v1.$")
        .flatMap((r) => acceptedMethods.get(r)!.map((m) => `${r} ${m}`));
      expect([...covered].sort()).toEqual(accepted.sort());
    });

    for (const c of CASES) {
      describe(`${c.method} ${c.route}`, () => {
        for (const viewer of VIEWERS) {
          const status = c.expect[viewer];
          it(`${viewer} -> ${status}`, async () => {
            const target = (await c.prepare?.()) ?? {};
            const before = await countApiRows(t.db);
            const result = await callApi(c.route, c.method, {
              token: viewer === "anonymous" ? undefined : users[viewer].token,
              params: c.params?.(target),
              body: c.body?.(target),
              query: typeof c.query === "function" ? c.query() : c.query,
            });
            expect(result.status, result.text).toBe(status);
            if (status >= 400) {
              expectError(result, status);
              expect(await countApiRows(t.db)).toEqual(before);
            }
            if (status === 401) expect(result.headers.get("WWW-Authenticate")).toMatch(/^Bearer /);
          });
        }
      });
    }
  });
}
