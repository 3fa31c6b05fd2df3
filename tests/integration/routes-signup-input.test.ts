// Hostile and clumsy input to the signup routes: the session page's signup and cancel,
// 我的预约, a person's bookings page, the attendee list and 代人报名. Every case must end in
// its exact 4xx (never a 5xx or a thrown non-Response error), say so in the visitor's
// language (zh-CN by default, English when chosen), and change nothing: no row added or
// removed in any table (signups, people and audit_log included), no signup's status or
// party size changed, no session's places moved. One valid request per action at the end
// shows the same checks do see a write. Runs on PGlite, and on PostgreSQL when
// TEST_DATABASE_URL is set.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { giveConsent } from "../support/care-fixtures";
import { ensureStation } from "../support/fixtures";
import { makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { getRequest, postRequest } from "../support/requests";
import {
  callSafely,
  countRows,
  messagesOf,
  refusal,
  resolveLazy,
  sendCase,
  text,
  type Form,
  type Handler,
  type Lazy as LazyOf,
  type Locale,
  type Outcome,
} from "../support/routes-kit";
import type { Db } from "../../models/db";
import { households, people, sessions, signups } from "../../models/db/schema";
import { signUp } from "../../models/signups";
import type { Actor } from "../../models/permissions";
import type { MessageKey } from "../../models/i18n";
import { zhCN } from "../../models/i18n/zh-CN";
import { en } from "../../models/i18n/en";

import * as sessionPage from "../../app/routes/sessions.$id";
import * as myBookings from "../../app/routes/bookings";
import * as personBookings from "../../app/routes/people.$id.bookings";
import * as attendees from "../../app/routes/manage.sessions.$id_.attendees";
import * as attendeesCsv from "../../app/routes/manage.sessions.$id_.attendees[.]csv";
import * as book from "../../app/routes/manage.sessions.$id_.book";

// ---------------------------------------------------------------- fixture

type Who = "coordinator" | "resident" | "otherResident" | "volunteer";

interface Fixture {
  /** Capacity 20, parties up to 3: where the cases try to sign up and book. */
  sessionId: number;
  /** Parties up to 2 (like the seeded tai chi). */
  pairSessionId: number;
  /** Its signup window closed already (closes 7 days before a start 3 days ahead). */
  closedSessionId: number;
  /** A cancelled session (signups were open). */
  cancelledSessionId: number;
  /** The resident's confirmed signup on a session whose cancellation deadline has passed. */
  tooLateSignupId: number;
  tooLateSessionId: number;
  /** Another session of this station, where the resident has a signup of his own. */
  otherSessionId: number;
  residentPersonId: number;
  otherResidentPersonId: number;
  /** The resident's own signup on otherSessionId. */
  residentOtherSignupId: number;
  /** The other resident's signup on sessionId. */
  otherResidentSignupId: number;
  /** A person in the household the volunteer looks after, with a signup on sessionId. */
  cared: { personId: number; signupId: number };
  /** A person nobody here looks after (no account), with a signup on sessionId. */
  stranger: { personId: number; signupId: number };
  /**
   * Signups that only the known-bug cases aim at (each its own, since a bug that lets one
   * through cancels it): the resident's own on other sessions, and strangers' on sessionId.
   */
  spare: { own: number[]; strangers: number[] };
  /** Another station's session, person and signup: real ids this station must not reach. */
  foreignSessionId: number;
  foreignPersonId: number;
  foreignSignupId: number;
}

type Lazy<T> = LazyOf<T, Fixture>;
/** Where a request goes: the URL and the route params that come with it. */
interface Target {
  path: Lazy<string>;
  params: Lazy<Record<string, string>>;
}
const resolve = <T>(value: Lazy<T>, fx: Fixture): T => resolveLazy(value, fx);
type IdKey = { [K in keyof Fixture]: Fixture[K] extends number ? K : never }[keyof Fixture];
/** One of the fixture's ids, as the string a URL or a form carries. */
const idOf =
  (key: IdKey) =>
  (fx: Fixture): string =>
    String(fx[key]);
const strangerPersonId = (fx: Fixture) => String(fx.stranger.personId);
const strangerSignupId = (fx: Fixture) => String(fx.stranger.signupId);
const caredPersonId = (fx: Fixture) => String(fx.cared.personId);
const caredSignupId = (fx: Fixture) => String(fx.cared.signupId);
const spareOwnSignupId = (i: number) => (fx: Fixture) => String(fx.spare.own[i]);
const spareStrangerSignupId = (i: number) => (fx: Fixture) => String(fx.spare.strangers[i]);

type Params = Record<string, string | number>;
/** What the reply must say, in the visitor's language. */
type Said =
  | { text: MessageKey; params?: Params } // a thrown Response whose body is this text
  | { refused: readonly string[] } // the guard's 403, naming the roles that may
  | { form: MessageKey; params?: Params; field?: [name: string, key: MessageKey, params?: Params] }; // a form reply

interface Case {
  name: string;
  handler: Handler;
  path: Lazy<string>;
  params?: Lazy<Record<string, string>>;
  /** Absent for loaders (GET); a form or a raw string for actions (POST). */
  body?: Lazy<Form | string>;
  contentType?: string;
  as: Who;
  locale?: Locale;
  status: number;
  says: Said;
}

// ---------------------------------------------------------------- the cases

const NUL = "\u0000";
const LONG = "长".repeat(5000);
const THIS_YEAR = new Date().getFullYear();
const JSON_BODY = JSON.stringify({ intent: "signup", partySize: 1 });
const formError = (field: string, key: MessageKey, params?: Params): Said => ({ form: "error.form", field: [field, key, params] });
const domain = (key: MessageKey, params?: Params): Said => ({ form: key, params });
/** A multi-intent form read by parseIntent: an intent that is none of the page's says so. */
const unknownIntent: Said = { form: "error.unknownIntent", field: ["intent", "field.choice"] };
const badRequest: Said = { text: "error.badRequest" };
const notFound: Said = { text: "error.notFound" };
const notAllowed: Said = { refused: ["coordinator", "admin"] };
const PARTY_RANGE = { min: 1, max: 10 };
const ID_RANGE = { min: 1, max: 2_147_483_647 };

// Bodies that are not forms: JSON declared as JSON, and a multipart body with no boundary.
function notAForm(name: string, base: Omit<Case, "name" | "body" | "contentType" | "status" | "says">): Case[] {
  return [
    { ...base, name: `${name}: JSON body`, body: JSON_BODY, contentType: "application/json", status: 400, says: badRequest },
    { ...base, name: `${name}: garbage multipart`, body: "\u0001\u0002--garbage", contentType: "multipart/form-data", status: 400, says: badRequest },
  ];
}

/** Cases for one action: its name, handler, usual target and usual visitor. A loader's cases have no body. */
function casesFor(prefix: string, handler: unknown, target: Target, as: Who) {
  return (name: string, body: Lazy<Form | string> | undefined, status: number, says: Said, extra: Partial<Case> = {}): Case => ({
    name: `${prefix}: ${name}`,
    handler: handler as Handler,
    ...target,
    as,
    body,
    status,
    says,
    ...extra,
  });
}

/** Cases for one loader, whose page each case picks by its id. */
const loaderCases =
  (prefix: string, loader: unknown, at: (id: Lazy<string>) => Target) =>
  (name: string, id: Lazy<string>, as: Who, status: number, says: Said, extra: Partial<Case> = {}): Case =>
    casesFor(prefix, loader, at(id), as)(name, undefined, status, says, extra);

/** The target of a route with an :id in its path. */
const routeAt =
  (pathOf: (id: string) => string) =>
  (id: Lazy<string>): Target => ({ path: (fx) => pathOf(resolve(id, fx)), params: (fx) => ({ id: resolve(id, fx) }) });

// --- /sessions/:id (the resident's own signup and cancel)
const signupWith = (partySize: string) => ({ intent: "signup", partySize });
const sessionAt = routeAt((id) => `/sessions/${id}`);
const onSession = casesFor("session page", sessionPage.action, sessionAt(idOf("sessionId")), "resident");

// --- /bookings (我的预约)
const onMyBookings = casesFor("我的预约", myBookings.action, { path: "/bookings", params: {} }, "resident");
const cancelOf =
  (signupId: Lazy<string>) =>
  (fx: Fixture): Form => ({ intent: "cancel", signupId: resolve(signupId, fx) });

// --- /people/:id/bookings
const personPath = routeAt((id) => `/people/${id}/bookings`);
const onPersonBookings = (name: string, id: Lazy<string>, body: Lazy<Form | string>, status: number, says: Said, extra: Partial<Case> = {}) =>
  casesFor("person's bookings (POST)", personBookings.action, personPath(id), "resident")(name, body, status, says, extra);
const viewPersonBookings = loaderCases("person's bookings (GET)", personBookings.loader, personPath);

// --- /manage/sessions/:id/attendees (staff cancel)
const attendeesAt = routeAt((id) => `/manage/sessions/${id}/attendees`);
const onAttendees = casesFor("attendee list", attendees.action, attendeesAt(idOf("sessionId")), "coordinator");
const viewAttendees = loaderCases("attendee list (GET)", attendees.loader, attendeesAt);
const viewAttendeesCsv = loaderCases(
  "attendee CSV (GET)",
  attendeesCsv.loader,
  routeAt((id) => `/manage/sessions/${id}/attendees.csv`),
);

// --- /manage/sessions/:id/book (代人报名)
const VALID_NEW_PERSON: Form = {
  intent: "create",
  fullName: "来电的陈阿姨",
  phone: "138 0598 1234",
  birthYear: "1950",
  needs: "腿脚不便",
  needsConsent: "phone",
  partySize: "1",
};
const bookPerson =
  (personId: Lazy<string>, partySize = "1") =>
  (fx: Fixture): Form => ({ intent: "book", personId: resolve(personId, fx), partySize });
const bookResident = (partySize = "1") => bookPerson(idOf("residentPersonId"), partySize);
const newPerson = (overrides: Form) => ({ ...VALID_NEW_PERSON, ...overrides });
const bookAt = routeAt((id) => `/manage/sessions/${id}/book`);
const onBook = casesFor("代人报名", book.action, bookAt(idOf("sessionId")), "coordinator");
const viewBook = loaderCases("代人报名 (GET)", book.loader, bookAt);

const CASES: Case[] = [
  // ================= /sessions/:id
  ...notAForm("session page", { handler: sessionPage.action as Handler, ...sessionAt(idOf("sessionId")), as: "resident" }),
  onSession("JSON text sent as a form", JSON_BODY, 400, unknownIntent),
  onSession("no intent", { partySize: "1" }, 400, unknownIntent),
  onSession("intent 'delete'", { intent: "delete", partySize: "1" }, 400, unknownIntent),
  onSession("intent 'SIGNUP' (case matters)", { intent: "SIGNUP", partySize: "1" }, 400, unknownIntent),
  onSession("intent sent twice", { intent: ["signup", "signup"], partySize: "1" }, 400, unknownIntent),
  onSession("intent 'tap' (another page's), English visitor", { intent: "tap", partySize: "1" }, 400, unknownIntent, { locale: "en" }),
  onSession("signup without partySize", { intent: "signup" }, 400, formError("partySize", "field.required")),
  onSession("partySize 'abc'", signupWith("abc"), 400, formError("partySize", "field.number")),
  onSession("partySize ''", signupWith(""), 400, formError("partySize", "field.number")),
  onSession("partySize '1.5'", signupWith("1.5"), 400, formError("partySize", "field.number")),
  onSession("partySize '2e0'", signupWith("2e0"), 400, formError("partySize", "field.number")),
  onSession("partySize 0", signupWith("0"), 400, formError("partySize", "field.range", PARTY_RANGE)),
  onSession("partySize -1", signupWith("-1"), 400, formError("partySize", "field.range", PARTY_RANGE)),
  onSession("partySize 11", signupWith("11"), 400, formError("partySize", "field.range", PARTY_RANGE)),
  onSession("partySize 999999", signupWith("999999"), 400, formError("partySize", "field.range", PARTY_RANGE)),
  onSession("partySize of 12 digits", signupWith("999999999999"), 400, formError("partySize", "field.number")),
  onSession("partySize with a NUL", signupWith(`1${NUL}`), 400, formError("partySize", "field.characters")),
  onSession("partySize 4, over the activity's 3", signupWith("4"), 422, domain("error.party_too_large", { max: 3 })),
  onSession("partySize 3, over tai chi's 2", signupWith("3"), 422, domain("error.party_too_large", { max: 2 }), sessionAt(idOf("pairSessionId"))),
  onSession("partySize 3 over 2, English visitor", signupWith("3"), 422, domain("error.party_too_large", { max: 2 }), {
    ...sessionAt(idOf("pairSessionId")),
    locale: "en",
  }),
  onSession("partySize 'abc', English visitor", signupWith("abc"), 400, formError("partySize", "field.number"), { locale: "en" }),
  onSession("the signup window has closed", signupWith("1"), 409, domain("error.signup_closed"), sessionAt(idOf("closedSessionId"))),
  onSession("the session is cancelled", signupWith("1"), 409, domain("error.signup_session_cancelled"), sessionAt(idOf("cancelledSessionId"))),
  onSession(
    "cancel after the deadline",
    cancelOf(idOf("tooLateSignupId")),
    409,
    domain("error.cancel_too_late"),
    sessionAt(idOf("tooLateSessionId")),
  ),
  onSession("unknown session 999999", signupWith("1"), 404, notFound, sessionAt("999999")),
  onSession("unknown session, English visitor", signupWith("1"), 404, notFound, { ...sessionAt("999999"), locale: "en" }),
  onSession("another station's session", signupWith("1"), 404, notFound, sessionAt(idOf("foreignSessionId"))),
  onSession("session id 'abc'", signupWith("1"), 404, notFound, sessionAt("abc")),
  onSession("session id 0", signupWith("1"), 404, notFound, sessionAt("0")),
  onSession("session id -1", signupWith("1"), 404, notFound, sessionAt("-1")),
  onSession("session id past the int range", signupWith("1"), 404, notFound, sessionAt("2147483648")),
  onSession("cancel without signupId", { intent: "cancel" }, 400, formError("signupId", "field.required")),
  onSession("cancel signupId 'abc'", { intent: "cancel", signupId: "abc" }, 400, formError("signupId", "field.number")),
  onSession("cancel signupId 0", { intent: "cancel", signupId: "0" }, 400, formError("signupId", "field.range", ID_RANGE)),
  onSession("cancel signupId -1", { intent: "cancel", signupId: "-1" }, 400, formError("signupId", "field.range", ID_RANGE)),
  onSession("cancel signupId of 11 digits", { intent: "cancel", signupId: "99999999999" }, 400, formError("signupId", "field.number")),
  onSession("cancel an unknown signup", { intent: "cancel", signupId: "999999" }, 404, domain("error.not_found")),
  onSession("cancel someone else's signup", cancelOf(idOf("otherResidentSignupId")), 404, domain("error.not_found")),
  onSession("cancel someone else's signup, English visitor", cancelOf(idOf("otherResidentSignupId")), 404, domain("error.not_found"), {
    locale: "en",
  }),
  onSession("cancel another station's signup", cancelOf(idOf("foreignSignupId")), 404, domain("error.not_found")),
  // The resident's own signup, but of another session than the page's.
  onSession("cancel one's own signup of another session", cancelOf(spareOwnSignupId(0)), 404, domain("error.not_found")),
  onSession("cancel one's own signup from an unknown session's page", cancelOf(spareOwnSignupId(1)), 404, notFound, {
    ...sessionAt("999999"),
  }),

  // ================= /bookings
  ...notAForm("我的预约", { handler: myBookings.action as Handler, path: "/bookings", as: "resident" }),
  onMyBookings("JSON body, English visitor", JSON_BODY, 400, badRequest, { contentType: "application/json", locale: "en" }),
  onMyBookings("no intent", { signupId: "1" }, 400, formError("intent", "field.choice")),
  onMyBookings("intent 'delete'", { intent: "delete", signupId: "1" }, 400, formError("intent", "field.choice")),
  onMyBookings("no signupId", { intent: "cancel" }, 400, formError("signupId", "field.required")),
  onMyBookings("signupId 'abc'", { intent: "cancel", signupId: "abc" }, 400, formError("signupId", "field.number")),
  onMyBookings("signupId '1 OR 1=1'", { intent: "cancel", signupId: "1 OR 1=1" }, 400, formError("signupId", "field.number")),
  onMyBookings("signupId 0", { intent: "cancel", signupId: "0" }, 400, formError("signupId", "field.range", ID_RANGE)),
  onMyBookings("signupId -5", { intent: "cancel", signupId: "-5" }, 400, formError("signupId", "field.range", ID_RANGE)),
  onMyBookings(
    "signupId 2147483648, past the int range",
    { intent: "cancel", signupId: "2147483648" },
    400,
    formError("signupId", "field.range", { min: 1, max: 2147483647 }),
  ),
  onMyBookings("signupId with a NUL", { intent: "cancel", signupId: `1${NUL}` }, 400, formError("signupId", "field.characters")),
  onMyBookings("an unknown signup", cancelOf("999999"), 404, domain("error.not_found")),
  onMyBookings("an unknown signup, English visitor", cancelOf("999999"), 404, domain("error.not_found"), { locale: "en" }),
  onMyBookings("cancel after the deadline", cancelOf(idOf("tooLateSignupId")), 409, domain("error.cancel_too_late")),
  onMyBookings("cancel after the deadline, English visitor", cancelOf(idOf("tooLateSignupId")), 409, domain("error.cancel_too_late"), {
    locale: "en",
  }),
  onMyBookings("another resident's signup", cancelOf(idOf("otherResidentSignupId")), 404, domain("error.not_found")),
  onMyBookings("a signup of someone without an account", cancelOf(strangerSignupId), 404, domain("error.not_found")),
  onMyBookings("another station's signup", cancelOf(idOf("foreignSignupId")), 404, domain("error.not_found")),
  onMyBookings("a volunteer: a signup outside her households", cancelOf(strangerSignupId), 404, domain("error.not_found"), { as: "volunteer" }),

  // ================= /people/:id/bookings
  viewPersonBookings("a resident, another resident's page", idOf("otherResidentPersonId"), "resident", 404, notFound),
  viewPersonBookings("a resident, another resident's page, English visitor", idOf("otherResidentPersonId"), "resident", 404, notFound, {
    locale: "en",
  }),
  viewPersonBookings("a resident, a page of someone without an account", strangerPersonId, "resident", 404, notFound),
  viewPersonBookings("a volunteer, someone outside her households", strangerPersonId, "volunteer", 404, notFound),
  viewPersonBookings("a resident, an unknown person", "999999", "resident", 404, notFound),
  viewPersonBookings("a coordinator, an unknown person", "999999", "coordinator", 404, notFound),
  viewPersonBookings("a coordinator, another station's person", idOf("foreignPersonId"), "coordinator", 404, notFound),
  viewPersonBookings("id 'abc'", "abc", "coordinator", 404, notFound),
  viewPersonBookings("id -1", "-1", "coordinator", 404, notFound),
  viewPersonBookings("id of 11 digits", "99999999999", "coordinator", 404, notFound),
  onPersonBookings(
    "a resident cancels on another resident's page",
    idOf("otherResidentPersonId"),
    cancelOf(idOf("otherResidentSignupId")),
    404,
    notFound,
  ),
  onPersonBookings(
    "a resident, on his own page, cancels another resident's signup",
    idOf("residentPersonId"),
    cancelOf(idOf("otherResidentSignupId")),
    404,
    domain("error.not_found"),
  ),
  onPersonBookings("a volunteer cancels for someone outside her households", strangerPersonId, cancelOf(strangerSignupId), 404, notFound, {
    as: "volunteer",
  }),
  onPersonBookings(
    "a volunteer, on a cared-for page, cancels a stranger's signup",
    caredPersonId,
    cancelOf(strangerSignupId),
    404,
    domain("error.not_found"),
    { as: "volunteer" },
  ),
  onPersonBookings("a coordinator, unknown person", "999999", cancelOf(strangerSignupId), 404, notFound, { as: "coordinator" }),
  onPersonBookings("a coordinator, id 'abc'", "abc", cancelOf(strangerSignupId), 404, notFound, { as: "coordinator" }),
  // A signup of another person than the page's: staff may cancel it elsewhere, but not through this page.
  onPersonBookings(
    "a coordinator cancels, on a person's page, a signup of someone else",
    caredPersonId,
    cancelOf(spareStrangerSignupId(0)),
    404,
    domain("error.not_found"),
    {
      as: "coordinator",
    },
  ),
  onPersonBookings("a bad signupId", idOf("residentPersonId"), { intent: "cancel", signupId: "abc" }, 400, formError("signupId", "field.number")),
  onPersonBookings("no intent", idOf("residentPersonId"), { signupId: "1" }, 400, formError("intent", "field.choice")),
  onPersonBookings("an unknown signup, English visitor", idOf("residentPersonId"), cancelOf("999999"), 404, domain("error.not_found"), {
    locale: "en",
  }),
  ...notAForm("person's bookings", { handler: personBookings.action as Handler, ...personPath(idOf("residentPersonId")), as: "resident" }),

  // ================= /manage/sessions/:id/attendees
  ...notAForm("attendee list", { handler: attendees.action as Handler, ...attendeesAt(idOf("sessionId")), as: "coordinator" }),
  onAttendees("no intent", { signupId: "1" }, 400, formError("intent", "field.choice")),
  onAttendees("intent 'promote'", { intent: "promote", signupId: "1" }, 400, formError("intent", "field.choice")),
  onAttendees("signupId 'abc'", { intent: "cancel", signupId: "abc" }, 400, formError("signupId", "field.number")),
  onAttendees("signupId ''", { intent: "cancel", signupId: "" }, 400, formError("signupId", "field.number")),
  onAttendees("signupId 0", { intent: "cancel", signupId: "0" }, 400, formError("signupId", "field.range", ID_RANGE)),
  onAttendees("signupId -1", { intent: "cancel", signupId: "-1" }, 400, formError("signupId", "field.range", ID_RANGE)),
  onAttendees("signupId of 11 digits", { intent: "cancel", signupId: "99999999999" }, 400, formError("signupId", "field.number")),
  onAttendees("signupId 'abc', English visitor", { intent: "cancel", signupId: "abc" }, 400, formError("signupId", "field.number"), { locale: "en" }),
  onAttendees("an unknown signup", cancelOf("999999"), 404, domain("error.not_found")),
  onAttendees("an unknown signup, English visitor", cancelOf("999999"), 404, domain("error.not_found"), { locale: "en" }),
  onAttendees("another station's signup", cancelOf(idOf("foreignSignupId")), 404, domain("error.not_found")),
  onAttendees("session id 'abc'", cancelOf(strangerSignupId), 404, notFound, attendeesAt("abc")),
  onAttendees("session id -1", cancelOf(strangerSignupId), 404, notFound, attendeesAt("-1")),
  onAttendees("a signup of another session than the list's", cancelOf(spareOwnSignupId(2)), 404, domain("error.not_found")),
  onAttendees("an unknown session", cancelOf(spareStrangerSignupId(1)), 404, notFound, { ...attendeesAt("999999") }),
  onAttendees("a resident (not staff)", cancelOf(idOf("otherResidentSignupId")), 403, notAllowed, { as: "resident" }),
  onAttendees("a volunteer (not staff), English visitor", cancelOf(caredSignupId), 403, notAllowed, { as: "volunteer", locale: "en" }),

  // ================= /manage/sessions/:id/book
  ...notAForm("代人报名", { handler: book.action as Handler, ...bookAt(idOf("sessionId")), as: "coordinator" }),
  onBook("no intent", { personId: "1", partySize: "1" }, 400, unknownIntent),
  onBook("intent 'delete'", { intent: "delete", personId: "1", partySize: "1" }, 400, unknownIntent),
  onBook("intent 'delete', English visitor", { intent: "delete", personId: "1", partySize: "1" }, 400, unknownIntent, {
    locale: "en",
  }),
  onBook("book: personId 'abc'", { intent: "book", personId: "abc", partySize: "1" }, 400, formError("personId", "field.number")),
  onBook("book: no personId", { intent: "book", partySize: "1" }, 400, formError("personId", "field.required")),
  onBook("book: personId 0", { intent: "book", personId: "0", partySize: "1" }, 400, formError("personId", "field.range", ID_RANGE)),
  onBook("book: an unknown person", bookPerson("999999"), 404, domain("error.not_found")),
  onBook("book: an unknown person, English visitor", bookPerson("999999"), 404, domain("error.not_found"), { locale: "en" }),
  onBook("book: another station's person", bookPerson(idOf("foreignPersonId")), 404, domain("error.not_found")),
  // The resident has no signup on this session yet.
  onBook("book: partySize 4, over the activity's 3", bookResident("4"), 422, domain("error.party_too_large", { max: 3 })),
  onBook("book: partySize 3 on a session for pairs, English visitor", bookResident("3"), 422, domain("error.party_too_large", { max: 2 }), {
    ...bookAt(idOf("pairSessionId")),
    locale: "en",
  }),
  onBook("book: partySize 0", bookResident("0"), 400, formError("partySize", "field.range", PARTY_RANGE)),
  onBook("book: partySize 999999", bookResident("999999"), 400, formError("partySize", "field.range", PARTY_RANGE)),
  onBook("book: someone already booked", bookPerson(strangerPersonId), 409, domain("error.already_signed_up")),
  onBook("book: the signup window has closed", bookResident(), 409, domain("error.signup_closed"), bookAt(idOf("closedSessionId"))),
  onBook("book: an unknown session", bookResident(), 404, domain("error.not_found"), bookAt("999999")),
  onBook("book: another station's session", bookResident(), 404, domain("error.not_found"), bookAt(idOf("foreignSessionId"))),
  onBook("book: session id 'abc'", bookResident(), 404, notFound, bookAt("abc")),
  onBook("create: no fullName", newPerson({ fullName: "" }), 400, formError("fullName", "field.required")),
  onBook("create: a fullName of spaces", newPerson({ fullName: "   " }), 400, formError("fullName", "field.required")),
  onBook("create: a 5,000-character fullName", newPerson({ fullName: LONG }), 400, formError("fullName", "field.tooLong", { max: 100 })),
  onBook("create: a 101-character fullName", newPerson({ fullName: "名".repeat(101) }), 400, formError("fullName", "field.tooLong", { max: 100 })),
  onBook("create: a NUL in the fullName", newPerson({ fullName: `陈${NUL}阿姨` }), 400, formError("fullName", "field.characters")),
  onBook("create: a NUL in the fullName, English visitor", newPerson({ fullName: `陈${NUL}阿姨` }), 400, formError("fullName", "field.characters"), {
    locale: "en",
  }),
  onBook("create: phone '138abc'", newPerson({ phone: "138abc" }), 400, formError("phone", "field.number")),
  onBook("create: phone 'call me'", newPerson({ phone: "call me" }), 400, formError("phone", "field.number")),
  onBook("create: a 21-digit phone", newPerson({ phone: "1".repeat(21) }), 400, formError("phone", "field.tooLong", { max: 20 })),
  onBook("create: birthYear 1800", newPerson({ birthYear: "1800" }), 400, formError("birthYear", "field.range", { min: 1900, max: THIS_YEAR })),
  onBook(
    "create: birthYear next year",
    newPerson({ birthYear: String(THIS_YEAR + 1) }),
    400,
    formError("birthYear", "field.range", { min: 1900, max: THIS_YEAR }),
  ),
  onBook("create: birthYear 'abc'", newPerson({ birthYear: "abc" }), 400, formError("birthYear", "field.number")),
  onBook("create: needs of 201 characters", newPerson({ needs: "需".repeat(201) }), 400, formError("needs", "field.tooLong", { max: 200 })),
  onBook("create: needs of 5,000 characters, English visitor", newPerson({ needs: LONG }), 400, formError("needs", "field.tooLong", { max: 200 }), {
    locale: "en",
  }),
  onBook("create: a NUL in the needs", newPerson({ needs: `耳背${NUL}` }), 400, formError("needs", "field.characters")),
  onBook("create: partySize 'abc'", newPerson({ partySize: "abc" }), 400, formError("partySize", "field.number")),
  onBook("create: partySize 11", newPerson({ partySize: "11" }), 400, formError("partySize", "field.range", PARTY_RANGE)),
  onBook("create: an unknown session", newPerson({}), 404, domain("error.not_found"), bookAt("999999")),
  // The booking is refused; the person must not be registered either.
  onBook("create: partySize 4, over the activity's 3", newPerson({ partySize: "4" }), 422, domain("error.party_too_large", { max: 3 })),
  onBook("create: the signup window has closed", newPerson({}), 409, domain("error.signup_closed"), {
    ...bookAt(idOf("closedSessionId")),
  }),
  onBook("a resident (not staff)", bookResident(), 403, notAllowed, { as: "resident" }),
  onBook("a volunteer (not staff) registering someone", newPerson({}), 403, notAllowed, { as: "volunteer" }),

  // ================= loaders of the staff pages
  viewAttendees("unknown session", "999999", "coordinator", 404, notFound),
  viewAttendees("another station's session", idOf("foreignSessionId"), "coordinator", 404, notFound),
  viewAttendees("a resident", idOf("sessionId"), "resident", 403, notAllowed),
  viewAttendeesCsv("unknown session", "999999", "coordinator", 404, notFound),
  viewAttendeesCsv("id 'abc'", "abc", "coordinator", 404, notFound),
  viewAttendeesCsv("a resident", idOf("sessionId"), "resident", 403, notAllowed),
  viewBook("unknown session", "999999", "coordinator", 404, notFound, { path: "/manage/sessions/999999/book?q=%E9%99%88" }),
  viewBook("another station's session, English visitor", idOf("foreignSessionId"), "coordinator", 404, notFound, { locale: "en" }),
  viewBook("a volunteer", idOf("sessionId"), "volunteer", 403, notAllowed),
];

// ---------------------------------------------------------------- checks

function expectSaid(result: Outcome, locale: Locale, says: Said) {
  if ("refused" in says) {
    expect(result.body).toEqual(refusal(locale, says.refused));
  } else if ("text" in says) {
    expect(result.body).toBe(text(locale, says.text, says.params));
  } else {
    expect(result.body).toMatchObject({ ok: false, formError: text(locale, says.form, says.params) });
    if (says.field) {
      const [field, key, params] = says.field;
      expect((result.body as { fieldErrors: Record<string, string> }).fieldErrors[field]).toBe(text(locale, key, params));
    }
  }
}

/** Everything a signup route could change: row counts, each signup's status and size, each session's places. */
async function snapshot(db: Db) {
  return {
    rows: await countRows(db),
    signups: await db.select({ id: signups.id, status: signups.status, partySize: signups.partySize }).from(signups).orderBy(asc(signups.id)),
    places: await db.select({ id: sessions.id, taken: sessions.taken, capacity: sessions.capacity }).from(sessions).orderBy(asc(sessions.id)),
  };
}

const CATALOG = { "zh-CN": zhCN, en } as const;

for (const backend of backends) {
  describe(`bad input to the signup routes on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    const fx = {} as Fixture;
    const actors = {} as Record<Who, Actor & { token: string }>;
    let stationId = 0;

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      actors.coordinator = await makeActor(t.db, stationId, ["coordinator"], "黄晓燕");
      actors.resident = await makeActor(t.db, stationId, ["resident"], "王德福");
      actors.otherResident = await makeActor(t.db, stationId, ["resident"], "李桂兰");
      actors.volunteer = await makeActor(t.db, stationId, ["volunteer"], "林秀珍");
      fx.residentPersonId = actors.resident.personId;
      fx.otherResidentPersonId = actors.otherResident.personId;

      fx.sessionId = (await makeSession(t.db, stationId, { capacity: 20, maxPartySize: 3, title: "公益义诊" })).sessionId;
      fx.pairSessionId = (await makeSession(t.db, stationId, { capacity: 30, maxPartySize: 2, title: "太极拳晨练", daysAhead: 2 })).sessionId;
      fx.closedSessionId = (await makeSession(t.db, stationId, { capacity: 10, daysAhead: 3, closesMinutes: 10_080, title: "法律咨询" })).sessionId;
      fx.otherSessionId = (await makeSession(t.db, stationId, { capacity: 10, daysAhead: 4, title: "健康讲座" })).sessionId;

      fx.cancelledSessionId = (await makeSession(t.db, stationId, { capacity: 10, daysAhead: 6, title: "健身操" })).sessionId;
      await t.db.update(sessions).set({ status: "cancelled" }).where(eq(sessions.id, fx.cancelledSessionId));
      // Cancellable until 7 days before a start 3 days ahead: too late already.
      const late = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 3, cancelDeadlineMinutes: 10_080, title: "亲子活动" });
      fx.tooLateSessionId = late.sessionId;
      fx.tooLateSignupId = (
        await signUp(t.db, { stationId, actor: actors.resident }, { sessionId: late.sessionId, personId: fx.residentPersonId, partySize: 1 })
      ).id;

      // A household the volunteer looks after, with one person in it; and a person nobody looks after.
      const [household] = await t.db
        .insert(households)
        .values({ stationId, label: "3栋201", caretakerId: actors.volunteer.personId })
        .returning({ id: households.id });
      const [caredId] = await t.db.insert(people).values({ stationId, fullName: "张福生", householdId: household!.id }).returning({ id: people.id });
      await giveConsent(t.db, stationId, household!.id, actors.volunteer.personId);
      const [strangerId] = await makePeople(t.db, stationId, 1, "陈阿婆");
      const coordinatorCtx = { stationId, actor: actors.coordinator };
      fx.cared = {
        personId: caredId!.id,
        signupId: (await signUp(t.db, coordinatorCtx, { sessionId: fx.sessionId, personId: caredId!.id, partySize: 1 })).id,
      };
      fx.stranger = {
        personId: strangerId!,
        signupId: (await signUp(t.db, coordinatorCtx, { sessionId: fx.sessionId, personId: strangerId!, partySize: 2 })).id,
      };
      fx.otherResidentSignupId = (
        await signUp(t.db, { stationId, actor: actors.otherResident }, { sessionId: fx.sessionId, personId: fx.otherResidentPersonId, partySize: 1 })
      ).id;
      fx.residentOtherSignupId = (
        await signUp(t.db, { stationId, actor: actors.resident }, { sessionId: fx.otherSessionId, personId: fx.residentPersonId, partySize: 1 })
      ).id;

      fx.spare = { own: [], strangers: [] };
      for (let i = 0; i < 3; i++) {
        const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 5 + i, title: "八段锦" });
        fx.spare.own.push((await signUp(t.db, { stationId, actor: actors.resident }, { sessionId, personId: fx.residentPersonId, partySize: 1 })).id);
      }
      for (const personId of await makePeople(t.db, stationId, 2, "备用居民")) {
        fx.spare.strangers.push((await signUp(t.db, coordinatorCtx, { sessionId: fx.sessionId, personId, partySize: 1 })).id);
      }

      // Another station, with a session, a person and a signup of its own.
      const other = await ensureStation(t.db, "elsewhere");
      const foreignCoordinator = await makeActor(t.db, other.id, ["coordinator"]);
      fx.foreignSessionId = (await makeSession(t.db, other.id, { capacity: 10 })).sessionId;
      [fx.foreignPersonId] = (await makePeople(t.db, other.id, 1, "外站居民")) as [number];
      fx.foreignSignupId = (
        await signUp(
          t.db,
          { stationId: other.id, actor: foreignCoordinator },
          { sessionId: fx.foreignSessionId, personId: fx.foreignPersonId, partySize: 1 },
        )
      ).id;
    });

    const run = (c: Case) => sendCase(c, fx, actors[c.as].token);

    for (const c of CASES) {
      it(`${c.name} → ${c.status}`, async () => {
        const before = await snapshot(t.db);
        const result = await run(c);
        // A crash shows up as status 500 with the error text in this assertion's message.
        expect(result.status, `body: ${typeof result.body === "string" ? result.body : JSON.stringify(result.body)}`).toBe(c.status);
        expectSaid(result, c.locale ?? "zh-CN", c.says);
        for (const message of messagesOf(result.body)) {
          // In the visitor's language: a Chinese reply for zh-CN, no Chinese in an English one.
          if ((c.locale ?? "zh-CN") === "en") expect(message).not.toMatch(/[\u4e00-\u9fff]/);
          else expect(message).toMatch(/[\u4e00-\u9fff]/);
          expect(message).not.toContain(NUL);
        }
        expect(await snapshot(t.db)).toEqual(before);
      });
    }

    it("the catalog's party-size message names the maximum, in both languages", () => {
      expect(text("zh-CN", "error.party_too_large", { max: 2 })).toBe("这场活动每次报名最多 2 人。");
      expect(CATALOG.en["error.party_too_large"]).toContain("{max}");
    });

    describe("double submit", () => {
      it("two identical signups one after the other: the second is a 409 and there is one signup", async () => {
        const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, maxPartySize: 2 });
        const { token } = await makeActor(t.db, stationId, ["resident"]);
        const post = async () =>
          callSafely(sessionPage.action as Handler, await postRequest(`/sessions/${sessionId}`, { intent: "signup", partySize: "2" }, { token }), {
            id: String(sessionId),
          });
        const before = await snapshot(t.db);
        const first = await post();
        expect(first.status).toBe(302);
        expect(first.headers.get("Location")).toBe(`/sessions/${sessionId}?done=confirmed`);
        const afterFirst = await snapshot(t.db);
        const second = await post();
        expect(second.status).toBe(409);
        expect(second.body).toMatchObject({ ok: false, formError: "已经报过名了，不用重复报名。" });
        expect(await snapshot(t.db)).toEqual(afterFirst);
        const rows = await t.db.select().from(signups).where(eq(signups.sessionId, sessionId));
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ status: "confirmed", partySize: 2 });
        expect(afterFirst.rows.signups).toBe(before.rows.signups! + 1);
        expect((await t.db.select({ taken: sessions.taken }).from(sessions).where(eq(sessions.id, sessionId)))[0]!.taken).toBe(2);
      });

      it("identical signups at once (a double click, retries): one 302, the rest 409, one signup", async () => {
        const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, maxPartySize: 2 });
        const { token } = await makeActor(t.db, stationId, ["resident"]);
        const results = await Promise.all(
          [0, 1, 2, 3].map(async () =>
            callSafely(
              sessionPage.action as Handler,
              await postRequest(`/sessions/${sessionId}`, { intent: "signup", partySize: "1" }, { token, locale: "en" }),
              { id: String(sessionId) },
            ),
          ),
        );
        expect(results.map((r) => r.status).sort()).toEqual([302, 409, 409, 409]);
        for (const refused of results.filter((r) => r.status === 409)) {
          expect(refused.body).toMatchObject({ ok: false, formError: text("en", "error.already_signed_up") });
        }
        const rows = await t.db.select().from(signups).where(eq(signups.sessionId, sessionId));
        expect(rows).toHaveLength(1);
        expect((await t.db.select({ taken: sessions.taken }).from(sessions).where(eq(sessions.id, sessionId)))[0]!.taken).toBe(1);
      });

      it("代人报名 twice for the same person: the second is a 409 and there is one signup", async () => {
        const { sessionId } = await makeSession(t.db, stationId, { capacity: 10 });
        const [personId] = await makePeople(t.db, stationId, 1, "来电居民");
        const post = async () =>
          callSafely(
            book.action as Handler,
            await postRequest(
              `/manage/sessions/${sessionId}/book`,
              { intent: "book", personId: String(personId), partySize: "1" },
              { token: actors.coordinator.token },
            ),
            {
              id: String(sessionId),
            },
          );
        expect((await post()).status).toBe(200);
        const before = await snapshot(t.db);
        const again = await post();
        expect(again.status).toBe(409);
        expect(again.body).toMatchObject({ ok: false, formError: "已经报过名了，不用重复报名。" });
        expect(await snapshot(t.db)).toEqual(before);
      });

      // The 登记并报名 button is disabled while a submit is under way, but a retried request
      // (a flaky connection, a resent form) registers the caller again and takes a second place.
      it("代人报名 'create' sent twice for the same caller leaves one person and one signup", async () => {
        const { sessionId } = await makeSession(t.db, stationId, { capacity: 10 });
        const form = { ...VALID_NEW_PERSON, fullName: "重复来电的刘奶奶", phone: "13905980000" };
        const post = async () =>
          callSafely(book.action as Handler, await postRequest(`/manage/sessions/${sessionId}/book`, form, { token: actors.coordinator.token }), {
            id: String(sessionId),
          });
        expect((await post()).status).toBe(200);
        const before = await snapshot(t.db);
        const again = await post();
        expect(again.status).toBe(409);
        expect(await snapshot(t.db)).toEqual(before);
      });

      it("cancelling twice: the second changes nothing", async () => {
        const { sessionId } = await makeSession(t.db, stationId, { capacity: 10 });
        const resident = await makeActor(t.db, stationId, ["resident"]);
        const { id } = await signUp(t.db, { stationId, actor: resident }, { sessionId, personId: resident.personId, partySize: 1 });
        const post = async () =>
          callSafely(
            myBookings.action as Handler,
            await postRequest("/bookings", { intent: "cancel", signupId: String(id) }, { token: resident.token }),
          );
        expect((await post()).status).toBe(302);
        const before = await snapshot(t.db);
        expect((await post()).status).toBe(302);
        expect(await snapshot(t.db)).toEqual(before);
      });
    });

    describe("anonymous visitors are sent to sign in, and nothing is written", () => {
      const cases: [string, Handler, (fx: Fixture) => string, (fx: Fixture) => Record<string, string>, (fx: Fixture) => Form][] = [
        [
          "session page",
          sessionPage.action as Handler,
          (f) => `/sessions/${f.sessionId}`,
          (f) => ({ id: String(f.sessionId) }),
          () => ({ intent: "signup", partySize: "1" }),
        ],
        [
          "我的预约",
          myBookings.action as Handler,
          () => "/bookings",
          () => ({}),
          (f) => ({ intent: "cancel", signupId: String(f.stranger.signupId) }),
        ],
        [
          "attendee list",
          attendees.action as Handler,
          (f) => `/manage/sessions/${f.sessionId}/attendees`,
          (f) => ({ id: String(f.sessionId) }),
          (f) => ({ intent: "cancel", signupId: String(f.stranger.signupId) }),
        ],
        [
          "代人报名",
          book.action as Handler,
          (f) => `/manage/sessions/${f.sessionId}/book`,
          (f) => ({ id: String(f.sessionId) }),
          () => VALID_NEW_PERSON,
        ],
      ];
      for (const [name, handler, path, params, form] of cases) {
        it(name, async () => {
          const before = await snapshot(t.db);
          const result = await callSafely(handler, await postRequest(path(fx), form(fx)), params(fx));
          expect(result.status).toBe(302);
          expect(result.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(path(fx))}`);
          expect(await snapshot(t.db)).toEqual(before);
        });
      }
    });

    // One valid request per action: the same checks do see these writes.
    describe("valid requests write", () => {
      /** A cancel form's success reply (back to the page, which says it is done), with the signup cancelled and one audit row written. */
      async function expectCancelled(result: Outcome, before: Awaited<ReturnType<typeof snapshot>>, id: number, page: string) {
        expect(result.status).toBe(302);
        expect(result.headers.get("Location")).toBe(`${page}?done=cancelled`);
        const after = await snapshot(t.db);
        expect(after.rows.audit_log).toBe(before.rows.audit_log! + 1);
        expect(after.signups.find((s) => s.id === id)!.status).toBe("cancelled");
      }

      it("session page: a signup takes places and writes an audit row; a cancel gives them back", async () => {
        const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, maxPartySize: 2 });
        const resident = await makeActor(t.db, stationId, ["resident"]);
        const before = await snapshot(t.db);
        const signedUp = await callSafely(
          sessionPage.action as Handler,
          await postRequest(`/sessions/${sessionId}`, { intent: "signup", partySize: "2" }, { token: resident.token }),
          { id: String(sessionId) },
        );
        expect(signedUp.status).toBe(302);
        expect(signedUp.headers.get("Location")).toBe(`/sessions/${sessionId}?done=confirmed`);
        const after = await snapshot(t.db);
        expect(after.rows.signups).toBe(before.rows.signups! + 1);
        expect(after.rows.audit_log).toBe(before.rows.audit_log! + 1);
        expect(after.places.find((p) => p.id === sessionId)!.taken).toBe(2);
        const [signup] = await t.db.select({ id: signups.id }).from(signups).where(eq(signups.sessionId, sessionId));
        const cancelled = await callSafely(
          sessionPage.action as Handler,
          await postRequest(`/sessions/${sessionId}`, { intent: "cancel", signupId: String(signup!.id) }, { token: resident.token }),
          {
            id: String(sessionId),
          },
        );
        expect(cancelled.status).toBe(302);
        expect(cancelled.headers.get("Location")).toBe(`/sessions/${sessionId}?done=cancelled`);
        const end = await snapshot(t.db);
        expect(end.rows.audit_log).toBe(after.rows.audit_log! + 1);
        expect(end.signups.find((s) => s.id === signup!.id)!.status).toBe("cancelled");
        expect(end.places.find((p) => p.id === sessionId)!.taken).toBe(0);
      });

      it("我的预约: cancelling one's own signup", async () => {
        const { sessionId } = await makeSession(t.db, stationId, { capacity: 10 });
        const resident = await makeActor(t.db, stationId, ["resident"]);
        const { id } = await signUp(t.db, { stationId, actor: resident }, { sessionId, personId: resident.personId, partySize: 1 });
        const before = await snapshot(t.db);
        const result = await callSafely(
          myBookings.action as Handler,
          await postRequest("/bookings", { intent: "cancel", signupId: String(id) }, { token: resident.token }),
        );
        await expectCancelled(result, before, id, "/bookings");
      });

      it("a person's bookings: the caretaking volunteer sees them and cancels for the person", async () => {
        // Another day than the fixtures' 公益义诊, where the person already has a place.
        const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 10 });
        const { id } = await signUp(t.db, { stationId, actor: actors.coordinator }, { sessionId, personId: fx.cared.personId, partySize: 1 });
        const path = `/people/${fx.cared.personId}/bookings`;
        const page = await callSafely(personBookings.loader as Handler, await getRequest(path, { token: actors.volunteer.token }), {
          id: String(fx.cared.personId),
        });
        expect(page.status).toBe(200);
        expect(page.body).toMatchObject({ name: "张福生" });
        expect((page.body as { upcoming: { id: number; bookedBy: string | null }[] }).upcoming).toContainEqual(
          expect.objectContaining({ id, bookedBy: "黄晓燕" }),
        );
        const before = await snapshot(t.db);
        const result = await callSafely(
          personBookings.action as Handler,
          await postRequest(path, { intent: "cancel", signupId: String(id) }, { token: actors.volunteer.token }),
          { id: String(fx.cared.personId) },
        );
        await expectCancelled(result, before, id, path);
      });

      it("attendee list: the coordinator cancels a place and the waitlist moves up", async () => {
        const { sessionId } = await makeSession(t.db, stationId, { capacity: 1 });
        const [a, b] = await makePeople(t.db, stationId, 2, "候补");
        const ctx = { stationId, actor: actors.coordinator };
        const first = await signUp(t.db, ctx, { sessionId, personId: a!, partySize: 1 });
        const second = await signUp(t.db, ctx, { sessionId, personId: b!, partySize: 1 });
        expect(second.status).toBe("waitlisted");
        const before = await snapshot(t.db);
        const result = await callSafely(
          attendees.action as Handler,
          await postRequest(
            `/manage/sessions/${sessionId}/attendees`,
            { intent: "cancel", signupId: String(first.id) },
            { token: actors.coordinator.token },
          ),
          {
            id: String(sessionId),
          },
        );
        expect(result.status).toBe(302);
        expect(result.headers.get("Location")).toBe(`/manage/sessions/${sessionId}/attendees?done=cancelled`);
        const after = await snapshot(t.db);
        // The cancel and the promotion.
        expect(after.rows.audit_log).toBe(before.rows.audit_log! + 2);
        expect(after.signups.find((s) => s.id === first.id)!.status).toBe("cancelled");
        expect(after.signups.find((s) => s.id === second.id)!.status).toBe("confirmed");
      });

      it("代人报名: booking a found person, and registering a caller", async () => {
        const { sessionId } = await makeSession(t.db, stationId, { capacity: 1 });
        const [personId] = await makePeople(t.db, stationId, 1, "陈金花");
        const path = `/manage/sessions/${sessionId}/book`;
        const before = await snapshot(t.db);
        const booked = await callSafely(
          book.action as Handler,
          await postRequest(path, { intent: "book", personId: String(personId), partySize: "1" }, { token: actors.coordinator.token }),
          { id: String(sessionId) },
        );
        expect(booked.status).toBe(200);
        expect(booked.body).toEqual({ ok: true, message: "已为 陈金花1 报名：已报名" });
        const mid = await snapshot(t.db);
        expect(mid.rows.signups).toBe(before.rows.signups! + 1);
        expect(mid.rows.people).toBe(before.rows.people);
        expect(mid.rows.audit_log).toBe(before.rows.audit_log! + 1);
        const created = await callSafely(
          book.action as Handler,
          await postRequest(path, VALID_NEW_PERSON, { token: actors.coordinator.token, locale: "en" }),
          { id: String(sessionId) },
        );
        expect(created.status).toBe(200);
        expect(created.body).toEqual({ ok: true, message: "来电的陈阿姨 is booked: Waitlist number 1" });
        const after = await snapshot(t.db);
        expect(after.rows.people).toBe(mid.rows.people! + 1);
        expect(after.rows.signups).toBe(mid.rows.signups! + 1);
        // person.create, consent.give (health_needs, ADR 22) and signup.create
        expect(after.rows.audit_log).toBe(mid.rows.audit_log! + 3);
        const [person] = await t.db.select().from(people).where(eq(people.fullName, "来电的陈阿姨"));
        // The phone as typed ("138 0598 1234"), stored as digits.
        expect(person).toMatchObject({ phone: "13805981234", birthYear: 1950, needs: "腿脚不便", stationId });
      });

      it("attendee CSV: the names, with a BOM, and reading it writes nothing", async () => {
        const before = await snapshot(t.db);
        const request = await getRequest(`/manage/sessions/${fx.sessionId}/attendees.csv`, { token: actors.coordinator.token });
        // Called directly: Response.text() would drop the BOM while decoding.
        const response = (await attendeesCsv.loader({ request, params: { id: String(fx.sessionId) }, context: {} })) as Response;
        expect(response.status).toBe(200);
        expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
        const bytes = new Uint8Array(await response.arrayBuffer());
        expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        const lines = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes.subarray(3)).split("\r\n");
        expect(lines[0]).toBe("姓名,人数,电话,需要照顾,代报名人,候补顺序");
        expect(lines).toContain("张福生,1,,,黄晓燕,");
        expect(await snapshot(t.db)).toEqual(before);
      });
    });
  });
}
