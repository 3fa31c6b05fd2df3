// Erasure (ADR 23) against an independent scan of what the server answers: two canary people (a
// resident who books, volunteers, looks after a household and sees a lawyer; and a provider of
// consultations) go through every feature, are erased through the real pages and API, and then
// every page, CSV, JSON, calendar and API GET that staff (and the public) can open is requested
// over HTTP through the production build. None may hold a canary string, nor may any table, mail
// file or log line, while the monthly figures and the hours totals are byte for byte what they
// were. Every route file of app/routes is either scanned below or listed with the reason it is
// not, so a new route cannot slip past.
//
// About 300 requests, ~15 s on PostgreSQL; PGlite asks a third of them when PostgreSQL runs as
// well (see `full`).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq, inArray, sql } from "drizzle-orm";
import { DateTime } from "luxon";

await vi.hoisted(async () => (await import("../support/canary-fixtures")).ownOutbox("hearth-canary-"));

import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { ZONE, makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { makeNeed, makeSkill } from "../support/roster-fixtures";
import { makeApiUser } from "../support/api-fixtures";
import { API_ROUTES } from "../support/api-requests";
import { raw, startStack, type Stack } from "../support/http-stack";
import { canaryBookings, canaryHouseholds, captureConsole, moveSession, pastWork } from "../support/canary-fixtures";
import { needlePatterns, needlesIn, occurrences, routeFiles, scanOutbox, scanTables } from "../support/canary-scan";
import { writeSessionToken } from "../../app/lib/cookies.server";
import { signUp } from "../../models/signups";
import { assign } from "../../models/rosters/assignments";
import { createConsultationService } from "../../models/consultations/services";
import { addProviderHours } from "../../models/consultations/hours";
import { slotsOf } from "../../models/consultations/slots";
import { bookConsultation, cancelConsultation } from "../../models/consultations/bookings";
import { joinWaitlist } from "../../models/consultations/waitlist";
import { regenerateFeedToken } from "../../models/feed-tokens";
import { createApiToken } from "../../models/api-tokens";
import { giveConsent } from "../../models/privacy/consents";
import { correctPerson } from "../../models/privacy/correction";
import { checkIn } from "../../models/desk/checkin";
import { checkinCodeFor } from "../../models/desk/codes";
import { tallyVisit } from "../../models/desk/visits";
import { markCalled } from "../../models/reach/calls";
import { getConfig } from "../../models/config";
import { outboxTransport } from "../../models/notifications/transport";
import { mailSettings } from "../../models/notifications/render";
import { runOnce } from "../../models/notifications/worker";
import { accounts, consultations, notifications, people, personSkills, signups } from "../../models/db/schema";
import type { Actor } from "../../models/permissions";

const CANARY = {
  name: "金丝雀甲CANARYNAME",
  phone: "13900006666",
  email: "canary-pages@example.test",
  needs: "CANARYNEEDS助听器",
  topic: "CANARYTOPIC遗产纠纷",
  address: "CANARYADDR长寿路",
  home: "CANARYHOME",
  landline: "0598-7650001",
  note: "CANARYNOTE",
  reason: "CANARYREASON",
  apiToken: "CANARYTOKENNAME",
};
const PROVIDER = {
  name: "金丝雀乙PROVIDERNAME",
  phone: "13900005555",
  email: "canary-provider@example.test",
  specialty: "CANARYSPECIALTY",
};

type Viewer = "coordinator" | "admin" | "anonymous" | "lawyer" | "canary" | "apiCoordinator" | "apiAdmin";
const STAFF: Viewer[] = ["coordinator", "admin"];
const API: Viewer[] = ["apiCoordinator", "apiAdmin"];

/** What the scenario made, for filling in the routes' ids. */
interface Scenario {
  canaryId: number;
  providerId: number;
  others: number[];
  households: number[];
  sessions: number[];
  activities: number[];
  needs: number[];
  signups: number[];
  services: number[];
  consultations: number[];
  notifications: number[];
  /** A mail sent to the canary (her booking's confirmation), for the control. */
  canaryMail: number;
  serviceLine: number;
  feedTokens: string[];
  unsubscribeTokens: string[];
  checkinCode: { sessionId: number; code: string };
  /** Local dates that matter: the month before, the sessions' days, the consultations' days. */
  lastMonth: string;
  thisMonth: string;
  days: string[];
  weeks: string[];
}

interface Scan {
  urls: (s: Scenario) => string[];
  who?: Viewer[];
  /** The statuses each URL may answer with (default 200): a page that fails scans nothing. */
  status?: number[];
}

const each = <T>(items: readonly T[], url: (item: T) => string) => items.map(url);
const people_ = (s: Scenario) => [s.canaryId, s.providerId, ...s.others];

/**
 * Every route file: how to open it after the erasure, or why it is not opened. Ids come from the
 * scenario; the canaries' own ids are included where a staff member could still type them in.
 */
const ROUTES: Record<string, Scan | { skip: string }> = {
  _index: { urls: () => ["/"], who: [...STAFF, "anonymous"], status: [302] },
  account: { urls: () => ["/account"] },
  "account_.consents": { urls: () => ["/account/consents"] },
  "account_.data": { urls: () => ["/account/data"] },
  "account_.data[.]csv": { urls: () => ["/account/data.csv"] },
  "account_.data[.]json": { urls: () => ["/account/data.json"] },
  "account_.details": { urls: () => ["/account/details"] },
  "account_.erase": { urls: () => ["/account/erase"] },
  "account_.password": { urls: () => ["/account/password"] },
  bookings: { urls: () => ["/bookings"] },
  calendar: { urls: (s) => ["/calendar", `/calendar?month=${s.lastMonth}`], who: [...STAFF, "anonymous"] },
  "calendar._index": { urls: (s) => [`/calendar?month=${s.thisMonth}`], who: [...STAFF, "anonymous"] },
  "calendar.list": { urls: () => ["/calendar/list"], who: [...STAFF, "anonymous"] },
  "calendar.week": { urls: (s) => each(s.days, (d) => `/calendar/week?date=${d}`), who: [...STAFF, "anonymous"] },
  care: { urls: () => ["/care"] },
  "care_.calls": { urls: (s) => ["/care/calls", ...each(s.days, (d) => `/care/calls?date=${d}`)] },
  // The canary's own QR code from her confirmation: her booking is cancelled, so it is the same 404 as any bad code.
  "checkin.$sessionId.$code": { urls: (s) => [`/checkin/${s.checkinCode.sessionId}/${s.checkinCode.code}`], status: [404] },
  "consultations._index": { urls: () => ["/consultations"], who: [...STAFF, "lawyer"] },
  // The canary's bookings were never held slots of the waitlist: as if absent.
  "consultations.offers.$id": { urls: (s) => each(s.consultations, (id) => `/consultations/offers/${id}`), status: [404] },
  "consultations.$id": {
    urls: (s) => [
      ...each(s.services, (id) => `/consultations/${id}`),
      ...s.services.flatMap((id) => each(s.days, (d) => `/consultations/${id}?day=${d}`)),
    ],
    who: [...STAFF, "lawyer"],
  },
  desk: { urls: () => ["/desk"] },
  "feeds.$category[.]ics": { urls: () => ["/feeds/clinic.ics", "/feeds/tai-chi.ics"], who: ["anonymous"], status: [200, 404] },
  "feeds.calendar[.]ics": { urls: () => ["/feeds/calendar.ics"], who: ["anonymous"] },
  // The canaries' own feeds are gone (404); the lawyer's and the coordinator's stay and name nobody erased.
  "feeds.me.$token[.]ics": { urls: (s) => each(s.feedTokens, (token) => `/feeds/me/${token}.ics`), who: ["anonymous"], status: [200, 404] },
  healthz: { urls: () => ["/healthz"], who: ["anonymous"] },
  login: { urls: () => ["/login"], who: ["anonymous"] },
  "login_.code": { urls: () => ["/login/code"], who: ["anonymous"] },
  // GET only redirects (signing out is a POST).
  logout: { urls: () => ["/logout"], status: [302] },
  "manage._index": { urls: () => ["/manage"] },
  "manage.activities.$id": { urls: (s) => each(s.activities, (id) => `/manage/activities/${id}`) },
  "manage.activities.$id_.needs": { urls: (s) => each(s.activities, (id) => `/manage/activities/${id}/needs`) },
  "manage.activities.new": { urls: () => ["/manage/activities/new"] },
  "manage.calls": { urls: (s) => ["/manage/calls", ...each(s.days, (d) => `/manage/calls?date=${d}`)] },
  "manage.calls_.not-reached": { urls: (s) => [`/manage/calls/not-reached?from=${s.days[0]}&to=${s.days.at(-1)}`] },
  "manage.categories": { urls: () => ["/manage/categories"], who: ["admin"] },
  "manage.consultations": { urls: () => ["/manage/consultations"] },
  "manage.consultations_.day": { urls: (s) => each(s.days, (d) => `/manage/consultations/day?day=${d}`) },
  "manage.consultations_.waitlist": { urls: () => ["/manage/consultations/waitlist"] },
  "manage.hours": {
    urls: (s) => [
      "/manage/hours",
      `/manage/hours?q=${encodeURIComponent(CANARY.name)}`,
      `/manage/hours?q=${CANARY.phone}`,
      ...each(people_(s), (id) => `/manage/hours?personId=${id}`),
    ],
  },
  "manage.hours[.]csv": {
    urls: (s) => [
      `/manage/hours.csv?by=person&from=${s.lastMonth}-01&to=${s.days.at(-1)}`,
      `/manage/hours.csv?by=group&from=${s.lastMonth}-01&to=${s.days.at(-1)}`,
    ],
    who: ["admin"],
  },
  "manage.households": {
    urls: (s) => [
      "/manage/households",
      `/manage/households?q=${encodeURIComponent(CANARY.name)}`,
      `/manage/households?q=${CANARY.phone}`,
      `/manage/households?q=${encodeURIComponent(CANARY.address)}`,
      `/manage/households?m=${encodeURIComponent(CANARY.name)}`,
      `/manage/households?from=${s.canaryId}`,
    ],
  },
  "manage.households_.$id": {
    urls: (s) => [
      ...each(s.households, (id) => `/manage/households/${id}`),
      `/manage/households/${s.households[0]}?q=${encodeURIComponent(CANARY.name)}`,
    ],
  },
  "manage.households_.import": { urls: () => ["/manage/households/import"] },
  "manage.households_.import[.]csv": { urls: () => ["/manage/households/import.csv"] },
  "manage.mail": { urls: () => ["/manage/mail"], who: ["admin"] },
  "manage.outbox": { urls: () => ["/manage/outbox"], who: ["admin"] },
  // Mails to the canaries are deleted (404); the others' stay readable and name nobody erased.
  "manage.outbox_.$id": { urls: (s) => each(s.notifications, (id) => `/manage/outbox/${id}`), who: ["admin"], status: [200, 404] },
  "manage.outbox.$id[.]eml": { urls: (s) => each(s.notifications, (id) => `/manage/outbox/${id}.eml`), who: ["admin"], status: [200, 404] },
  "manage.people.$id": { urls: (s) => each(people_(s), (id) => `/manage/people/${id}`), status: [200, 404] },
  "manage.people.$id_.data": { urls: (s) => each(people_(s), (id) => `/manage/people/${id}/data`), status: [200, 404] },
  "manage.people.$id_.data[.]csv": { urls: (s) => each(people_(s), (id) => `/manage/people/${id}/data.csv`), status: [200, 404] },
  "manage.people.$id_.data[.]json": { urls: (s) => each(people_(s), (id) => `/manage/people/${id}/data.json`), status: [200, 404] },
  "manage.people.$id_.erase": { urls: (s) => each(people_(s), (id) => `/manage/people/${id}/erase`), status: [200, 404] },
  "manage.people.$id_.sign-in": { urls: (s) => each(people_(s), (id) => `/manage/people/${id}/sign-in`), status: [200, 404] },
  "manage.reports": { urls: (s) => [`/manage/reports?month=${s.lastMonth}`, `/manage/reports?month=${s.thisMonth}`] },
  "manage.reports[.]csv": { urls: (s) => [`/manage/reports.csv?month=${s.lastMonth}`, `/manage/reports.csv?month=${s.thisMonth}`] },
  "manage.reports[.]json": { urls: (s) => [`/manage/reports.json?month=${s.lastMonth}`, `/manage/reports.json?month=${s.thisMonth}`] },
  "manage.roster": { urls: (s) => each(s.weeks, (w) => `/manage/roster?week=${w}`) },
  "manage.roster[.]csv": { urls: (s) => each(s.weeks, (w) => `/manage/roster.csv?week=${w}`) },
  "manage.roster_.limits": { urls: () => ["/manage/roster/limits", `/manage/roster/limits?q=${encodeURIComponent(CANARY.name)}`] },
  "manage.roster_.suggest": { urls: (s) => ["/manage/roster/suggest", ...each(s.needs, (id) => `/manage/roster/suggest?need=${id}`)] },
  "manage.service-lines": { urls: () => ["/manage/service-lines"], who: ["admin"] },
  "manage.sessions.$id": { urls: (s) => each(s.sessions, (id) => `/manage/sessions/${id}`) },
  "manage.sessions.$id_.attendees": { urls: (s) => each(s.sessions, (id) => `/manage/sessions/${id}/attendees`) },
  "manage.sessions.$id_.attendees[.]csv": { urls: (s) => each(s.sessions, (id) => `/manage/sessions/${id}/attendees.csv`) },
  "manage.sessions.$id_.book": {
    urls: (s) => [
      ...each(s.sessions, (id) => `/manage/sessions/${id}/book`),
      `/manage/sessions/${s.sessions[0]}/book?q=${encodeURIComponent(CANARY.name)}`,
      `/manage/sessions/${s.sessions[0]}/book?q=${CANARY.phone}`,
    ],
  },
  "manage.sessions.$id_.checkin": {
    urls: (s) => [
      ...each(s.sessions, (id) => `/manage/sessions/${id}/checkin`),
      `/manage/sessions/${s.sessions[0]}/checkin?q=${encodeURIComponent(CANARY.name)}`,
    ],
  },
  "manage.sessions.$id_.roster": { urls: (s) => each(s.sessions, (id) => `/manage/sessions/${id}/roster`) },
  "manage.skills": { urls: () => ["/manage/skills", `/manage/skills?q=${encodeURIComponent(PROVIDER.name)}`] },
  "manage.station": { urls: () => ["/manage/station"], who: ["admin"] },
  "my.consultations_.hours": { urls: () => ["/my/consultations/hours"], who: ["lawyer"] },
  "my.consultations": { urls: (s) => ["/my/consultations", ...each(s.days, (d) => `/my/consultations?day=${d}`)], who: ["lawyer"] },
  "people.$id.bookings": { urls: (s) => each(people_(s), (id) => `/people/${id}/bookings`), status: [200, 404] },
  // One's own consents are on /account/consents: a redirect there.
  "people.$id.consents": { urls: (s) => each(people_(s), (id) => `/people/${id}/consents`), status: [200, 302, 404] },
  preferences: { urls: () => ["/preferences"], status: [302] },
  register: { urls: () => ["/register"], who: ["anonymous"] },
  "sessions.$id": { urls: (s) => each(s.sessions, (id) => `/sessions/${id}`), who: [...STAFF, "anonymous"] },
  "sessions.$id[.]ics": { urls: (s) => each(s.sessions, (id) => `/sessions/${id}.ics`), who: ["anonymous"] },
  shifts: { urls: () => ["/shifts"] },
  "shifts_.availability": { urls: () => ["/shifts/availability"] },
  "shifts_.hours": { urls: () => ["/shifts/hours"] },
  // Links from mails to the canaries: those mails are deleted, so their tokens lead nowhere.
  "unsubscribe.$token": { urls: (s) => each(s.unsubscribeTokens, (token) => `/unsubscribe/${token}`), who: ["anonymous"], status: [200, 404] },
  "unsubscribe.$token.one-click": {
    urls: (s) => each(s.unsubscribeTokens, (token) => `/unsubscribe/${token}/one-click`),
    who: ["anonymous"],
    status: [302],
  },

  // The JSON API with a staff token. Routes without a GET answer it with a fixed 405 and are
  // skipped (checked against their specs below).
  "api.v1.$": { urls: () => ["/api/v1/nothing-here"], who: API, status: [404] },
  "api.v1.activities": { skip: "POST only (creates an activity)" },
  "api.v1.assignments.$id": { skip: "PATCH and DELETE only (a shift changed or taken back)" },
  "api.v1.auth.token": { skip: "POST only (exchanges a password for a token)" },
  "api.v1.call-list": { urls: (s) => ["/api/v1/call-list", ...each(s.days, (d) => `/api/v1/call-list?date=${d}`)], who: API },
  "api.v1.call-list.$personId.calls": { skip: "POST only (marks a call)" },
  "api.v1.call-list.$personId.calls.$sessionId": { skip: "DELETE only (takes a mark back)" },
  "api.v1.categories": { urls: () => ["/api/v1/categories"], who: API },
  "api.v1.consultation-hours": { urls: () => ["/api/v1/consultation-hours"], who: API },
  "api.v1.consultation-hours.$id.end": { skip: "POST only (ends a provider's hours)" },
  "api.v1.consultation-services": { urls: () => ["/api/v1/consultation-services"], who: API },
  "api.v1.consultation-services.$id.slots": {
    urls: (s) => s.services.flatMap((id) => each(s.days, (d) => `/api/v1/consultation-services/${id}/slots?from=${d}&to=${d}`)),
    who: API,
    status: [200, 422],
  },
  "api.v1.consultation-services.$id.waitlist": { urls: (s) => each(s.services, (id) => `/api/v1/consultation-services/${id}/waitlist`), who: API },
  "api.v1.consultation-offers.$id": { urls: (s) => each(s.consultations, (id) => `/api/v1/consultation-offers/${id}`), who: API, status: [404] },
  "api.v1.consultation-offers.$id.booking": { skip: "POST only (books a held slot)" },
  "api.v1.consultation-slots.$id.booking": { skip: "POST only (books a slot)" },
  "api.v1.consultation-bookings.$id": {
    urls: (s) => each(s.consultations, (id) => `/api/v1/consultation-bookings/${id}`),
    who: API,
    status: [200, 404],
  },
  "api.v1.me.consultations": { urls: () => ["/api/v1/me/consultations"], who: API },
  "api.v1.me.consultation-waitlist": { urls: () => ["/api/v1/me/consultation-waitlist"], who: API },
  "api.v1.me.erasure": { skip: "POST only (erases the caller)" },
  "api.v1.me.export": { urls: () => ["/api/v1/me/export"], who: API },
  "api.v1.me.households": { urls: () => ["/api/v1/me/households"], who: API },
  "api.v1.me.shifts": { urls: () => ["/api/v1/me/shifts"], who: API },
  "api.v1.me.signups": { urls: () => ["/api/v1/me/signups"], who: API },
  "api.v1.needs.$id.assignments": { skip: "POST only (takes a shift)" },
  "api.v1.openapi[.]json": { urls: () => ["/api/v1/openapi.json"], who: ["anonymous"] },
  "api.v1.people": {
    urls: () => ["/api/v1/people", `/api/v1/people?q=${encodeURIComponent(CANARY.name)}`, `/api/v1/people?q=${CANARY.phone}`],
    who: API,
    status: [200, 422],
  },
  "api.v1.people.$id.erasure": { skip: "POST only (erases a person; used above to erase the provider)" },
  "api.v1.people.$id.export": { urls: (s) => each(people_(s), (id) => `/api/v1/people/${id}/export`), who: API, status: [200, 404] },
  "api.v1.reports.monthly": {
    urls: (s) => [`/api/v1/reports/monthly?month=${s.lastMonth}`, `/api/v1/reports/monthly?month=${s.thisMonth}`],
    who: API,
  },
  "api.v1.service-lines": { urls: () => ["/api/v1/service-lines"], who: API },
  "api.v1.sessions": {
    urls: (s) => ["/api/v1/sessions", `/api/v1/sessions?from=${s.lastMonth}-01&to=${s.days.at(-1)}`],
    who: API,
    status: [200, 422],
  },
  "api.v1.sessions.$id": { urls: (s) => each(s.sessions, (id) => `/api/v1/sessions/${id}`), who: API },
  "api.v1.sessions.$id.checkins": { skip: "POST only (checks a person in)" },
  "api.v1.sessions.$id.checkins.$personId": { skip: "DELETE only (undoes a check-in)" },
  "api.v1.sessions.$id.roster": { urls: (s) => each(s.sessions, (id) => `/api/v1/sessions/${id}/roster`), who: API },
  "api.v1.sessions.$id.signups": { skip: "POST only (books a place)" },
  "api.v1.signups.$id": { skip: "PATCH and DELETE only (a booking changed or cancelled)" },
  "api.v1.visits": { skip: "POST only (tallies a visit)" },
  "api.v1.visits.$id": { skip: "DELETE only (undoes a visit tally)" },
};

const NEEDLES = [...Object.values(CANARY), ...Object.values(PROVIDER)];
const PATTERNS = needlePatterns(NEEDLES);

for (const backend of backends) {
  describe(`erasure against every page on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll }, { poolSize: 6 });
    let stack: Stack;
    let stationId = 0;
    let coordinator: Actor & { token: string };
    let admin: Actor & { token: string };
    let canary: Actor & { token: string };
    let provider: Actor & { token: string };
    let lawyer: Actor & { token: string };
    const headers: Partial<Record<Viewer, Record<string, string>>> = { anonymous: {} };
    const s = {} as Scenario;
    const now = DateTime.now().setZone(ZONE);
    const lastMonth = now.minus({ months: 1 }).startOf("month").plus({ days: 9 });
    const transport = () => outboxTransport(getConfig());
    const cookie = async (token: string) => ({ Cookie: (await writeSessionToken(new Request("http://localhost/"), token)).split(";")[0]! });

    const get = (url: string, viewer: Viewer) => raw(stack.port, "GET", url, headers[viewer]);
    // The whole scan on PostgreSQL (CI always has it). Where PostgreSQL runs too, PGlite asks each
    // route as its first viewer for three of its addresses (first, middle, last): the same SQL and
    // pages, a third of the requests (the full scan takes ~25 s on PGlite).
    const full = backend.name === "postgres" || backends.length === 1;
    const viewersOf = (entry: Scan) => (full ? (entry.who ?? STAFF) : (entry.who ?? STAFF).slice(0, 1));

    /** A session of last month, moved into the past after its bookings were made as they would be. */
    const movedToLastMonth = (sessionId: number, dayOffset: number) =>
      moveSession(t.db, sessionId, lastMonth.plus({ days: dayOffset }).set({ hour: 9 }));

    /** Every line the process logs from the scenario on: the server's, the worker's, the models'. */
    const logs: string[] = [];

    beforeAll(async () => {
      captureConsole(logs, ["log", "error", "warn", "info", "debug"]);
      stationId = (await ensureStation(t.db)).id;
      admin = await makeActor(t.db, stationId, ["admin"], "管理员");
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员");
      const apiCoordinator = await makeApiUser(t.db, stationId, ["coordinator"], "协调员接口");
      const apiAdmin = await makeApiUser(t.db, stationId, ["admin"], "管理员接口");
      canary = await makeActor(t.db, stationId, ["resident", "volunteer"], CANARY.name);
      provider = await makeActor(t.db, stationId, ["volunteer"], PROVIDER.name);
      lawyer = await makeActor(t.db, stationId, ["volunteer"], "李律师");
      await t.db.update(accounts).set({ email: CANARY.email, phone: CANARY.phone }).where(eq(accounts.id, canary.accountId));
      await t.db.update(accounts).set({ email: PROVIDER.email, phone: PROVIDER.phone }).where(eq(accounts.id, provider.accountId));
      await t.db.update(people).set({ email: PROVIDER.email, phone: PROVIDER.phone }).where(eq(people.id, provider.personId));
      const staffCtx = { stationId, actor: coordinator };

      // Her details and needs, corrected at the desk once she consented to keeping needs.
      await giveConsent(t.db, staffCtx, canary.personId, "health_needs", "in_person");
      await correctPerson(t.db, { stationId, actor: canary }, canary.personId, { phone: CANARY.phone, email: CANARY.email, birthYear: 1948 });
      await correctPerson(t.db, staffCtx, canary.personId, { needs: CANARY.needs });
      // Her own household and one she looks after, with its consent.
      const [neighbour, queued, first] = (await makePeople(t.db, stationId, 3, "邻居")) as [number, number, number];
      const { own, cared } = await canaryHouseholds(t.db, stationId, canary.personId, CANARY, neighbour);
      s.households = [own, cared];

      // Group bookings: a confirmed place with someone waiting behind her, and a waitlisted one.
      const { s1, s2, mine, waiting } = await canaryBookings(
        t.db,
        { stationId, canary, coordinator },
        { queued, first },
        { confirmed: "健康讲座", waiting: "八段锦" },
      );
      // Called about her booking (the call list's mark).
      await markCalled(t.db, { stationId, timeZone: ZONE, actor: coordinator }, { personId: canary.personId, sessionId: s1.sessionId });
      s.checkinCode = { sessionId: s1.sessionId, code: (await checkinCodeFor(t.db, stationId, mine.id))! };

      // Last month: checked in at the front desk, an excused no-show, a worked shift, hand-entered hours, a desk visit.
      const attended = await makeSession(t.db, stationId, { capacity: 5, daysAhead: 5, title: "太极拳" });
      const attendedStart = await movedToLastMonth(attended.sessionId, 0);
      await checkIn(
        t.db,
        { ...staffCtx, now: attendedStart.plus({ minutes: 5 }).toJSDate() },
        { sessionId: attended.sessionId, personId: canary.personId },
      );
      const excused = await makeSession(t.db, stationId, { capacity: 5, daysAhead: 5, title: "太极拳" });
      const excusedSignup = await signUp(
        t.db,
        { stationId, actor: canary },
        { sessionId: excused.sessionId, personId: canary.personId, partySize: 1 },
      );
      const excusedStart = await movedToLastMonth(excused.sessionId, 2);
      await t.db
        .update(signups)
        .set({ attendance: "no_show_excused", attendanceReason: CANARY.reason, attendanceAt: excusedStart.toJSDate() })
        .where(eq(signups.id, excusedSignup.id));
      const worked = await makeSession(t.db, stationId, { capacity: 5, daysAhead: 5, title: "义诊" });
      const workedStart = await movedToLastMonth(worked.sessionId, 4);
      const {
        skillId,
        needId: pastNeed,
        serviceLineId,
      } = await pastWork(
        t.db,
        stationId,
        canary.personId,
        { sessionId: worked.sessionId, start: workedStart },
        { note: CANARY.note, workDate: lastMonth.toISODate()! },
      );
      await tallyVisit(t.db, staffCtx, { serviceLineId, personId: canary.personId, at: now.minus({ days: 1 }).toJSDate() });
      s.serviceLine = serviceLineId;

      // An upcoming shift she took herself.
      const s3 = await makeSession(t.db, stationId, { capacity: 5, daysAhead: 6, title: "义诊" });
      const need = await makeNeed(t.db, stationId, { sessionId: s3.sessionId, skillId });
      await assign(t.db, { stationId, actor: canary }, { needId: need, sessionId: s3.sessionId, personId: canary.personId });
      // As caretaker she books her neighbour in (the neighbour's mail may say who booked).
      const forNeighbour = await signUp(t.db, { stationId, actor: canary }, { sessionId: s3.sessionId, personId: neighbour, partySize: 1 });

      // Consultations: she sees the lawyer about her topic; the provider canary gives counselling to someone else.
      const lawSkill = await makeSkill(t.db, stationId, { restricted: true, nameZh: "律师" });
      await t.db.insert(personSkills).values([
        { personId: lawyer.personId, skillId: lawSkill, confirmedAt: new Date() },
        { personId: provider.personId, skillId: lawSkill, specialty: PROVIDER.specialty, confirmedAt: new Date() },
      ]);
      const service = (kind: "legal" | "counselling", nameZh: string, nameEn: string) =>
        createConsultationService(
          t.db,
          { stationId, actor: admin },
          { kind, nameZh, nameEn, skillId: lawSkill, slotMinutes: 45, bufferMinutes: 0, bookAheadDays: 14, cancelDeadlineMinutes: 0, maxUpcoming: 2 },
        );
      const legal = await service("legal", "法律援助", "Legal aid");
      const counselling = await service("counselling", "心理咨询", "Counselling");
      const day = now.plus({ days: 8 });
      const hoursOf = (serviceId: number, who: Actor, location: string) =>
        addProviderHours(
          t.db,
          { stationId, actor: who },
          {
            serviceId,
            providerPersonId: who.personId,
            weekday: day.weekday,
            startTime: "14:00",
            endTime: "17:00",
            location,
            fromDate: now.toISODate()!,
          },
        );
      await hoursOf(legal.id, lawyer, "法律服务室");
      await hoursOf(counselling.id, provider, "咨询室");
      const between = { fromDate: day.toISODate()!, toDate: day.toISODate()!, now: new Date() };
      const [legalSlot] = await slotsOf(t.db, legal, between);
      const hers = await bookConsultation(
        t.db,
        { stationId, actor: canary },
        { serviceId: legal.id, startsAt: legalSlot!.startsAt, personId: canary.personId, topic: CANARY.topic },
      );
      const client = await makeActor(t.db, stationId, ["resident"], "来访者");
      const [counsellingSlot, , freedSlot] = await slotsOf(t.db, counselling, between);
      const theirs = await bookConsultation(
        t.db,
        { stationId, actor: client },
        { serviceId: counselling.id, startsAt: counsellingSlot!.startsAt, personId: client.personId, topic: "睡不好" },
      );
      // She also waits for counselling (ADR 26): the client's second booking, at an hour she is
      // free, is cancelled, and the freed slot is held for her and offered by mail.
      const second = await bookConsultation(
        t.db,
        { stationId, actor: client },
        { serviceId: counselling.id, startsAt: freedSlot!.startsAt, personId: client.personId, topic: "还是睡不好" },
      );
      await joinWaitlist(
        t.db,
        { stationId, actor: canary },
        { serviceId: counselling.id, personId: canary.personId, fromDate: now.toISODate()!, toDate: day.toISODate()! },
      );
      await cancelConsultation(t.db, { stationId, actor: client }, second.id);
      const [held] = await t.db
        .select({ id: consultations.id })
        .from(consultations)
        .where(and(eq(consultations.personId, canary.personId), eq(consultations.status, "held")));
      expect(held, "the freed slot is held for her").toBeDefined();

      // Feeds and API tokens; then every mail so far, rendered into the outbox.
      const feeds = await Promise.all(
        [canary, provider, lawyer, coordinator].map((a) => regenerateFeedToken(t.db, { stationId, accountId: a.accountId })),
      );
      await createApiToken(t.db, { stationId, accountId: canary.accountId }, CANARY.apiToken);
      await runOnce(t.db, { transport: transport(), settings: mailSettings(getConfig()), batchSize: 500 });

      const mails = await t.db
        .select({ id: notifications.id, personId: notifications.personId, status: notifications.status, token: notifications.unsubscribeToken })
        .from(notifications)
        .where(eq(notifications.stationId, stationId));
      s.unsubscribeTokens = mails.filter((m) => m.token && (m.personId === canary.personId || m.personId === provider.personId)).map((m) => m.token!);
      s.notifications = mails.map((m) => m.id);
      s.canaryMail = mails.find((m) => m.personId === canary.personId && m.status === "sent")!.id;
      s.canaryId = canary.personId;
      s.providerId = provider.personId;
      s.others = [neighbour, queued, first, lawyer.personId, client.personId, coordinator.personId];
      s.sessions = [s1.sessionId, s2.sessionId, attended.sessionId, excused.sessionId, worked.sessionId, s3.sessionId];
      s.activities = [s1.activityId, attended.activityId, s3.activityId];
      s.needs = [pastNeed, need];
      s.signups = [mine.id, waiting.id, excusedSignup.id, forNeighbour.id];
      s.services = [legal.id, counselling.id];
      s.consultations = [hers.id, theirs.id, second.id, held!.id];
      s.feedTokens = feeds.map((f) => f.token);
      s.lastMonth = lastMonth.toFormat("yyyy-MM");
      s.thisMonth = now.toFormat("yyyy-MM");
      s.days = [
        lastMonth.toISODate()!,
        lastMonth.plus({ days: 4 }).toISODate()!,
        now.minus({ days: 1 }).toISODate()!,
        now.plus({ days: 3 }).toISODate()!,
        day.toISODate()!,
      ];
      s.weeks = [lastMonth, now.plus({ days: 3 }), now.plus({ days: 6 })].map((d) => d.toFormat("kkkk-'W'WW"));

      for (const [viewer, actor] of [
        ["coordinator", coordinator],
        ["admin", admin],
        ["lawyer", lawyer],
        ["canary", canary],
      ] as const) {
        headers[viewer] = await cookie(actor.token);
      }
      headers.apiCoordinator = { Authorization: `Bearer ${apiCoordinator.token}` };
      headers.apiAdmin = { Authorization: `Bearer ${apiAdmin.token}` };
      stack = await startStack();
    });

    afterAll(async () => {
      await stack?.close();
      vi.restoreAllMocks();
    });

    it("lists every route file: scanned with ids from the scenario, or skipped with a reason", () => {
      expect(Object.keys(ROUTES).sort()).toEqual(routeFiles());
      // An API route is skipped exactly when its documented operations have no GET.
      for (const [name, module] of Object.entries(API_ROUTES)) {
        const operations = (module as { spec?: { operations?: Record<string, unknown> } }).spec?.operations ?? { GET: "the catch-all" };
        expect("skip" in ROUTES[name]!, name).toBe(!("GET" in operations));
      }
    });

    /** The byte-exact figures: the monthly report as page data, CSV, JSON and API; the hours by group, and per person summed. */
    async function figures() {
      const out: Record<string, string> = {};
      for (const month of [s.lastMonth, s.thisMonth]) {
        for (const [url, viewer] of [
          [`/manage/reports.data?month=${month}`, "coordinator"],
          [`/manage/reports.csv?month=${month}`, "coordinator"],
          [`/manage/reports.json?month=${month}`, "coordinator"],
          [`/api/v1/reports/monthly?month=${month}`, "apiCoordinator"],
        ] as const) {
          const reply = await get(url, viewer);
          expect(reply.status, url).toBe(200);
          out[url] = reply.body;
        }
      }
      const range = `from=${s.lastMonth}-01&to=${s.days.at(-1)}`;
      out.hoursByGroup = (await get(`/manage/hours.csv?by=group&${range}`, "admin")).body;
      const byPerson = (await get(`/manage/hours.csv?by=person&${range}`, "admin")).body;
      // Name, shifts, attended, manual, total: the names change (to "erased"), the sums may not.
      const totals = [0, 0, 0, 0];
      for (const row of byPerson.trim().split(/\r\n/).slice(1)) {
        const cells = row.split(",").slice(-4).map(Number);
        cells.forEach((value, i) => (totals[i]! += value));
      }
      out.hoursByPersonTotals = totals.map((v) => v.toFixed(2)).join(",");
      return out;
    }

    let before: Record<string, string> = {};

    /**
     * The canary strings in one answer (headers and body). A search for a canary string shows what
     * was typed back in the search box: such a needle counts only when it appears more often than
     * a decoy of the same shape does in the same search for the decoy.
     */
    async function scanOne(url: string, viewer: Viewer) {
      const reply = await get(url, viewer);
      const typed = NEEDLES.filter((needle) => decodeURIComponent(url).includes(needle));
      const found = needlesIn(`${JSON.stringify(reply.headers)}\n${reply.body}`, PATTERNS).filter((needle) => !typed.includes(needle));
      for (const needle of typed) {
        const decoy = /^\d+$/.test(needle) ? "139" + "1".repeat(needle.length - 3) : `无此人${"Z".repeat(Math.max(1, needle.length - 3))}`;
        const echo = await get(url.replace(encodeURIComponent(needle), encodeURIComponent(decoy)).replace(needle, decoy), viewer);
        if (occurrences(reply.body, needle) > occurrences(echo.body, decoy)) found.push(needle);
      }
      return { status: reply.status, found };
    }

    it("finds the canaries where they belong before the erasure (the scan's control)", async () => {
      const expected: [string, Viewer, string[]][] = [
        [`/manage/people/${s.canaryId}`, "coordinator", [CANARY.name, CANARY.phone, CANARY.email, CANARY.needs]],
        [`/manage/people/${s.canaryId}/data.json`, "coordinator", [CANARY.name, CANARY.address, CANARY.note]],
        [`/manage/people/${s.canaryId}/data.csv`, "coordinator", [CANARY.name, CANARY.phone]],
        // Topics: only she and her provider see them.
        ["/account/data.json", "canary", [CANARY.name, CANARY.topic, CANARY.needs, CANARY.email]],
        [`/manage/sessions/${s.sessions[0]}/attendees`, "coordinator", [CANARY.name]],
        [`/manage/sessions/${s.sessions[0]}/attendees.csv`, "coordinator", [CANARY.name]],
        [`/manage/households/${s.households[0]}`, "coordinator", [CANARY.address, CANARY.landline]],
        // A search finds her beyond the echo of what was typed.
        [`/manage/households?q=${encodeURIComponent(CANARY.name)}`, "coordinator", [CANARY.name]],
        [`/manage/sessions/${s.sessions[0]}/book?q=${CANARY.phone}`, "coordinator", [CANARY.phone]],
        [`/manage/consultations/day?day=${s.days[4]}`, "coordinator", [CANARY.name, PROVIDER.name]],
        [`/my/consultations?day=${s.days[4]}`, "lawyer", [CANARY.name, CANARY.topic]],
        [`/manage/hours.csv?by=person&from=${s.lastMonth}-01&to=${s.days.at(-1)}`, "admin", [CANARY.name]],
        [`/manage/skills?q=${encodeURIComponent(PROVIDER.name)}`, "coordinator", [PROVIDER.name]],
        [`/api/v1/people/${s.canaryId}/export`, "apiCoordinator", [CANARY.name, CANARY.needs]],
        [`/manage/outbox/${s.canaryMail}`, "admin", [CANARY.name]],
        [`/manage/consultations/waitlist`, "coordinator", [CANARY.name]],
      ];
      for (const [url, viewer, needles] of expected) {
        const { status, found } = await scanOne(url, viewer);
        expect(status, url).toBe(200);
        expect(found.filter((needle) => needles.includes(needle)).sort(), url).toEqual([...needles].sort());
      }
      const tables = await scanTables(t.db, NEEDLES);
      for (const table of ["people", "accounts", "households", "consultations", "person_skills", "manual_hours", "signups", "notifications"]) {
        expect(tables[table], table).toBeDefined();
      }
      expect(scanOutbox([CANARY.name, PROVIDER.name]).length).toBeGreaterThan(1);
      before = await figures();
    });

    it("erases both through the real page and API; then no page, export, feed or API answer names them, and the figures are the same bytes", async () => {
      const page = await raw(
        stack.port,
        "POST",
        // As the page's form posts it (single fetch): the action's answer, not the page reloaded after it.
        `/manage/people/${s.canaryId}/erase.data`,
        { ...headers.coordinator, "Content-Type": "application/x-www-form-urlencoded" },
        new URLSearchParams({ via: "in_person", note: "申请表 3 号" }).toString(),
      );
      expect(page.status, page.body).toBe(200);
      const api = await raw(
        stack.port,
        "POST",
        `/api/v1/people/${s.providerId}/erasure`,
        { ...headers.apiCoordinator, "Content-Type": "application/json" },
        JSON.stringify({ via: "phone" }),
      );
      expect(api.status, api.body).toBe(200);
      // Mail the erasures caused (the lawyer told, the one waiting promoted) goes out and may be read below.
      await runOnce(t.db, { transport: transport(), settings: mailSettings(getConfig()), batchSize: 500 });
      const mails = await t.db.select({ id: notifications.id }).from(notifications).where(eq(notifications.stationId, stationId));
      s.notifications = mails.map((m) => m.id);

      const leaks: string[] = [];
      const wrongStatus: string[] = [];
      const scanned: string[] = [];
      // A route that may answer 200 must do so at least once: one that only ever failed read nothing.
      const readNothing: string[] = [];
      for (const [route, entry] of Object.entries(ROUTES)) {
        if ("skip" in entry) continue;
        const urls = entry.urls(s);
        expect(urls.length, route).toBeGreaterThan(0);
        const statuses = entry.status ?? [200];
        let read = false;
        for (const url of full || urls.length <= 3 ? urls : [urls[0]!, urls[urls.length >> 1]!, urls.at(-1)!]) {
          for (const viewer of viewersOf(entry)) {
            const { status, found } = await scanOne(url, viewer);
            scanned.push(`${viewer} ${url}`);
            read ||= status === 200;
            if (!statuses.includes(status)) wrongStatus.push(`${route}: ${viewer} ${url} -> ${status}`);
            if (found.length) leaks.push(`${route}: ${viewer} ${url} -> ${found.join(", ")}`);
          }
        }
        if (statuses.includes(200) && !read) readNothing.push(route);
      }
      expect({ wrongStatus, readNothing, leaks }).toEqual({ wrongStatus: [], readNothing: [], leaks: [] });
      expect(scanned.length).toBeGreaterThan(full ? 250 : 100);

      expect(await figures()).toEqual(before);
      // The tables, the rendered mails and every line logged since the scenario began.
      expect(await scanTables(t.db, NEEDLES)).toEqual({});
      expect(scanOutbox(NEEDLES)).toEqual([]);
      expect(logs.filter((line) => needlesIn(line, PATTERNS).length > 0)).toEqual([]);
    });

    it("the canaries' tokens, codes and ids lead nowhere now", async () => {
      expect((await get(`/feeds/me/${s.feedTokens[0]}.ics`, "anonymous")).status).toBe(404);
      expect((await get(`/manage/people/${s.canaryId}/erase`, "coordinator")).status).toBe(404);
      const upcoming = await t.db
        .select({ status: signups.status })
        .from(signups)
        .where(inArray(signups.id, [s.signups[0]!, s.signups[1]!]));
      expect(upcoming).toEqual([{ status: "cancelled" }, { status: "cancelled" }]);
      const [row] = await t.db
        .execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM api_tokens WHERE account_id = ${canary.accountId}`)
        .then((r) => r.rows);
      expect(Number(row!.n)).toBe(0);
    });
  });
}
