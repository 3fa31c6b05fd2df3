/**
 * The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. A plain object kept
 * beside the routes; tests/integration/api-openapi.test.ts checks it against the route files
 * both ways and checks real responses against the schemas below.
 */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const obj = (properties: Record<string, Schema>, required: string[] = Object.keys(properties), description?: string): Schema => ({
  type: "object",
  ...(description ? { description } : {}),
  properties,
  required,
});
const int = (description?: string, range: { minimum?: number; maximum?: number } = {}): Schema => ({
  type: "integer",
  ...range,
  ...(description ? { description } : {}),
});
const text = (maxLength?: number, description?: string): Schema => ({
  type: "string",
  ...(maxLength ? { maxLength } : {}),
  ...(description ? { description } : {}),
});
const nullable = (schema: Schema): Schema => ({ ...schema, type: [schema.type as string, "null"] });
const instant = (description?: string): Schema => ({
  type: "string",
  format: "date-time",
  description: description ?? "ISO 8601 with the station's offset",
  examples: ["2026-12-02T07:30:00+08:00"],
});
const ids: Schema = { type: "array", items: { type: "integer" } };
const sessionStatus: Schema = { type: "string", enum: ["scheduled", "cancelled"] };
const assignmentStatus: Schema = { type: "string", enum: ["proposed", "confirmed", "declined", "cancelled"] };
// Null until staff record it (an enum must list null itself for a nullable value).
const attendanceOrNull: Schema = { type: ["string", "null"], enum: ["attended", "no_show", "no_show_excused", null] };

const sessionSummary = {
  id: int(),
  activityId: int(),
  title: text(),
  category: text(undefined, "category slug, e.g. tai-chi"),
  startsAt: instant(),
  endsAt: instant(),
  capacity: int("places (people)"),
  confirmed: int("confirmed people"),
  waitlisted: int("people on the waitlist"),
  status: sessionStatus,
};

const sessionDetail = {
  ...sessionSummary,
  categoryName: text(undefined, "in the caller's language"),
  moved: { type: "boolean" },
  location: text(),
  leader: text(),
  description: text(),
  placesLeft: int(),
  maxPartySize: int(),
  signupWindow: obj({ opensAt: instant(), closesAt: instant() }),
  cancelDeadline: instant("residents can cancel a confirmed place until then"),
};

const person = {
  id: int(),
  fullName: text(),
  phone: nullable(text()),
  birthYear: nullable(int()),
  household: nullable(text()),
};

const ruleSchema = obj(
  {
    freq: { type: "string", enum: ["DAILY", "WEEKLY", "MONTHLY"] },
    interval: int(undefined, { minimum: 1, maximum: 99 }),
    byWeekday: { type: "array", items: { type: "string", enum: ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] }, minItems: 1, maxItems: 7 },
    byMonthDay: int("1..31, or -1 for the last day"),
    byNthWeekday: obj({ nth: int("1..5, or -1 for the last"), weekday: { type: "string", enum: ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] } }),
    count: int(undefined, { minimum: 1, maximum: 1000 }),
    until: { type: "string", format: "date", description: "local date, inclusive" },
  },
  ["freq"],
  "A subset of RFC 5545 RRULE; count and until exclude each other.",
);

const errorReply = (description: string) => ({ description, content: { "application/json": { schema: ref("Error") } } });
const ok = (description: string, schema: Schema) => ({ description, content: { "application/json": { schema } } });
const jsonBody = (schema: Schema, required = true) => ({ required, content: { "application/json": { schema } } });
const idParam = (description: string) => ({ name: "id", in: "path", required: true, description, schema: { type: "integer", minimum: 1 } });

const r = (name: string) => ({ $ref: `#/components/responses/${name}` });
const common = { "400": r("BadRequest"), "413": r("TooLarge"), "415": r("NotJson"), "422": r("Invalid") };
const signedIn = [{ bearer: [] }];
const open: never[] = [];

export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Hearth API",
    version: "1.0.0",
    summary: "Sessions, signups and proxy booking of a community health station.",
    description:
      'Errors are `{"error": {"code", "message", "params"?, "fields"?}}`; `message` is in the language of `Accept-Language` (zh-CN by default, en when preferred). Times carry the station\'s offset. See docs/api.md.',
  },
  security: signedIn,
  tags: [{ name: "auth" }, { name: "sessions" }, { name: "signups" }, { name: "staff" }, { name: "rosters" }],
  paths: {
    "/api/v1/auth/token": {
      post: {
        operationId: "createToken",
        tags: ["auth"],
        summary: "Get an API token for email and password (rate-limited like sign-in)",
        security: open,
        requestBody: jsonBody(ref("TokenRequest")),
        responses: {
          "201": ok("The token; shown only here", ref("TokenCreated")),
          ...common,
          "401": r("Unauthorized"),
          "409": r("Conflict"),
          "429": r("TooMany"),
        },
      },
    },
    "/api/v1/categories": {
      get: {
        operationId: "listCategories",
        tags: ["sessions"],
        summary: "The station's categories (ids for new activities, slugs for filtering sessions)",
        security: open,
        responses: { "200": ok("The categories, in display order", ref("CategoryList")), "401": r("Unauthorized") },
      },
    },
    "/api/v1/sessions": {
      get: {
        operationId: "listSessions",
        tags: ["sessions"],
        summary: "Sessions in a range (default: now to 30 days ahead; at most 366 days)",
        security: open,
        parameters: [
          { name: "from", in: "query", description: "a local date (start of that day) or an instant with offset", schema: { type: "string" } },
          {
            name: "to",
            in: "query",
            description: "a local date (that day included) or an instant with offset; exclusive",
            schema: { type: "string" },
          },
          { name: "category", in: "query", description: "category slug", schema: { type: "string", pattern: "^[a-z0-9-]{1,40}$" } },
        ],
        responses: { "200": ok("The sessions, in start order", ref("SessionList")), "401": r("Unauthorized"), "422": r("Invalid") },
      },
    },
    "/api/v1/sessions/{id}": {
      parameters: [idParam("session id")],
      get: {
        operationId: "getSession",
        tags: ["sessions"],
        summary: "One session with places and its signup window",
        security: open,
        responses: { "200": ok("The session", ref("Session")), "401": r("Unauthorized"), "404": r("NotFound") },
      },
      patch: {
        operationId: "updateSession",
        tags: ["staff"],
        summary: "Move, resize, cancel or restore one session (coordinators, admins)",
        requestBody: jsonBody(ref("SessionChange")),
        responses: {
          "200": ok("The session after the change, and the signups promoted from the waitlist", ref("SessionUpdated")),
          ...common,
          "401": r("Unauthorized"),
          "403": r("Forbidden"),
          "404": r("NotFound"),
          "409": r("Conflict"),
          "503": r("Busy"),
        },
      },
    },
    "/api/v1/sessions/{id}/signups": {
      parameters: [idParam("session id")],
      post: {
        operationId: "signUp",
        tags: ["signups"],
        summary: "Sign up oneself, or someone one may act for (staff: anyone; a caretaking volunteer: their households)",
        requestBody: jsonBody(ref("SignupRequest"), false),
        responses: {
          "201": ok("Confirmed, or waitlisted with a position", ref("SignupCreated")),
          ...common,
          "401": r("Unauthorized"),
          "403": r("Forbidden"),
          "404": r("NotFound"),
          "409": errorReply("Already signed up (params.signupId), or the signup window is not open"),
          "503": r("Busy"),
        },
      },
    },
    "/api/v1/signups/{id}": {
      parameters: [idParam("signup id")],
      delete: {
        operationId: "cancelSignup",
        tags: ["signups"],
        summary: "Cancel a signup or leave the waitlist; freed places are filled from the waitlist",
        responses: {
          "200": ok("Cancelled; `promoted` lists the signups that moved up", ref("Cancellation")),
          "401": r("Unauthorized"),
          "404": r("NotFound"),
          "409": r("Conflict"),
          "503": r("Busy"),
        },
      },
    },
    "/api/v1/me/signups": {
      get: {
        operationId: "mySignups",
        tags: ["signups"],
        summary: "The caller's own bookings, newest session first",
        responses: { "200": ok("The bookings", ref("MySignupList")), "401": r("Unauthorized") },
      },
    },
    "/api/v1/people": {
      get: {
        operationId: "searchPeople",
        tags: ["staff"],
        summary: "Find people by part of the name or the start of the phone number (coordinators, admins)",
        parameters: [{ name: "q", in: "query", required: true, schema: { type: "string", minLength: 1, maxLength: 50 } }],
        responses: { "200": ok("Up to 20 people", ref("PersonList")), "401": r("Unauthorized"), "403": r("Forbidden"), "422": r("Invalid") },
      },
      post: {
        operationId: "createPerson",
        tags: ["staff"],
        summary: "Register a walk-in or a caller (no account) (coordinators, admins)",
        requestBody: jsonBody(ref("NewPerson")),
        responses: { "201": ok("The person", ref("Person")), ...common, "401": r("Unauthorized"), "403": r("Forbidden") },
      },
    },
    "/api/v1/activities": {
      post: {
        operationId: "createActivity",
        tags: ["staff"],
        summary: "Create a one-off session (rule null) or a recurring series (coordinators, admins)",
        requestBody: jsonBody(ref("NewActivity")),
        responses: {
          "201": ok("The activity and how many upcoming sessions it has", ref("ActivityCreated")),
          ...common,
          "401": r("Unauthorized"),
          "403": r("Forbidden"),
          "404": r("NotFound"),
        },
      },
    },
    "/api/v1/sessions/{id}/roster": {
      parameters: [idParam("session id")],
      get: {
        operationId: "sessionRoster",
        tags: ["rosters", "staff"],
        summary: "A session's shifts (inherited from its series and its own) and who is on them (coordinators, admins)",
        responses: {
          "200": ok("The session and its shifts", ref("SessionRoster")),
          "401": r("Unauthorized"),
          "403": r("Forbidden"),
          "404": r("NotFound"),
        },
      },
    },
    "/api/v1/needs/{id}/assignments": {
      parameters: [idParam("roster need id")],
      post: {
        operationId: "assignShift",
        tags: ["rosters"],
        summary:
          "Put a person on a shift: oneself (confirmed at once) or, for staff, someone else (proposed until they confirm). A need on a series needs `sessionId`; a need on one session takes that session when it is left out.",
        requestBody: jsonBody(ref("AssignmentRequest"), false),
        responses: {
          "201": ok("On the shift; `warnings` are remarks for staff (blackout day, outside availability)", ref("AssignmentCreated")),
          ...common,
          "401": r("Unauthorized"),
          "403": r("Forbidden"),
          "404": r("NotFound"),
          "409": errorReply(
            "Refused: shift_conflict and signup_conflict (params.title, params.when name the collision), not_qualified, need_full, weekly_limit (params.hours), shift_closed, shift_blackout",
          ),
          "503": r("Busy"),
        },
      },
    },
    "/api/v1/assignments/{id}": {
      parameters: [idParam("assignment id")],
      patch: {
        operationId: "answerShift",
        tags: ["rosters"],
        summary: "Confirm or decline a proposed shift (the person or staff); record attendance once the shift started (staff)",
        requestBody: jsonBody(ref("AssignmentAction")),
        responses: {
          "200": ok("The assignment after the answer (repeating an answer changes nothing)", ref("AssignmentState")),
          ...common,
          "401": r("Unauthorized"),
          "403": r("Forbidden"),
          "404": r("NotFound"),
          "409": r("Conflict"),
          "503": r("Busy"),
        },
      },
      delete: {
        operationId: "cancelShift",
        tags: ["rosters"],
        summary: "Cancel a shift (staff; or the person themself before it starts)",
        responses: {
          "200": ok("Cancelled", ref("AssignmentState")),
          "401": r("Unauthorized"),
          "404": r("NotFound"),
          "409": r("Conflict"),
          "503": r("Busy"),
        },
      },
    },
    "/api/v1/me/shifts": {
      get: {
        operationId: "myShifts",
        tags: ["rosters"],
        summary: "The caller's shifts that have not ended (proposed and confirmed), soonest first",
        responses: { "200": ok("The shifts", ref("MyShiftList")), "401": r("Unauthorized") },
      },
    },
    "/api/v1/openapi.json": {
      get: {
        operationId: "openApi",
        tags: ["auth"],
        summary: "This document",
        security: open,
        responses: { "200": ok("OpenAPI 3.1", { type: "object" }) },
      },
    },
  },
  components: {
    securitySchemes: {
      bearer: { type: "http", scheme: "bearer", description: "A token from POST /api/v1/auth/token or the account page (hth_…)." },
    },
    responses: {
      BadRequest: errorReply("Malformed JSON"),
      Unauthorized: errorReply("No token, or a token that is unknown or revoked"),
      Forbidden: errorReply("The caller's roles do not allow this"),
      NotFound: errorReply("No such record (or not one the caller may see)"),
      Conflict: errorReply("The request clashes with the current state"),
      TooLarge: errorReply("Body over 64 KiB"),
      NotJson: errorReply("A body that is not application/json"),
      Invalid: errorReply("A field is missing or not valid; `fields` names each one"),
      TooMany: errorReply("Too many failed attempts; see Retry-After"),
      Busy: errorReply("The station is busy; try again (Retry-After)"),
    },
    schemas: {
      Error: obj({
        error: obj(
          {
            code: text(undefined, "stable, e.g. already_signed_up, party_too_large, invalid_input"),
            message: text(undefined, "for people, in the caller's language"),
            params: { type: "object", additionalProperties: { type: ["string", "integer"] } },
            fields: { type: "object", additionalProperties: { type: "string" }, description: "field path -> message" },
          },
          ["code", "message"],
        ),
      }),
      TokenRequest: obj({ email: text(200), password: text(200), name: text(60, "where the token is used; default API") }, ["email", "password"]),
      TokenCreated: obj({ token: text(undefined, "hth_ and 43 characters"), id: int(), name: text() }),
      CategoryList: obj({
        categories: {
          type: "array",
          items: obj({
            id: int(),
            slug: text(),
            name: text(undefined, "in the caller's language"),
            color: { type: "string", pattern: "^#[0-9a-f]{6}$" },
          }),
        },
      }),
      SessionList: obj({ from: instant(), to: instant(), sessions: { type: "array", items: ref("SessionSummary") } }),
      SessionSummary: obj(sessionSummary),
      Session: obj(sessionDetail),
      SessionUpdated: obj({ ...sessionDetail, promoted: ids }),
      SessionChange: obj(
        {
          startsAt: instant("moving only the start keeps the length"),
          endsAt: instant(),
          capacity: nullable(int("null: back to the activity's", { minimum: 0, maximum: 10000 })),
          status: sessionStatus,
        },
        [],
        "At least one field; the others keep their values.",
      ),
      SignupRequest: obj({ personId: int("default: the caller's own person"), partySize: int("default 1", { minimum: 1, maximum: 10 }) }, []),
      SignupCreated: obj(
        {
          id: int(),
          sessionId: int(),
          personId: int(),
          partySize: int(),
          status: { type: "string", enum: ["confirmed", "waitlisted"] },
          waitlistPosition: int("only when waitlisted; 1 is next"),
        },
        ["id", "sessionId", "personId", "partySize", "status"],
      ),
      Cancellation: obj({ id: int(), status: { type: "string", enum: ["cancelled"] }, promoted: ids }),
      MySignupList: obj({ signups: { type: "array", items: ref("MySignup") } }),
      MySignup: obj({
        id: int(),
        sessionId: int(),
        title: text(),
        startsAt: instant(),
        endsAt: instant(),
        location: text(),
        sessionStatus,
        status: { type: "string", enum: ["confirmed", "waitlisted", "cancelled"] },
        partySize: int(),
        waitlistPosition: nullable(int()),
        cancelDeadline: instant(),
        bookedBy: nullable(text(undefined, "who booked, when not the person")),
      }),
      PersonList: obj({ people: { type: "array", items: ref("Person") } }),
      Person: obj(person),
      NewPerson: obj(
        {
          fullName: text(100),
          phone: nullable({ type: "string", pattern: "^[0-9+\\- ]{1,20}$" }),
          email: nullable({ type: "string", format: "email", maxLength: 200 }),
          birthYear: nullable(int(undefined, { minimum: 1900 })),
          needs: nullable(text(200, "staff only: wheelchair, hearing aid …")),
        },
        ["fullName"],
      ),
      RecurrenceRule: ruleSchema,
      NewActivity: obj(
        {
          categoryId: int(),
          title: text(120),
          description: text(2000),
          location: text(120),
          leader: text(60),
          capacity: int(undefined, { minimum: 0, maximum: 10000 }),
          durationMinutes: int(undefined, { minimum: 5, maximum: 1440 }),
          startDate: { type: "string", format: "date", description: "local date" },
          startTime: { type: "string", pattern: "^([01][0-9]|2[0-3]):[0-5][0-9]$", description: "local time" },
          rule: { oneOf: [ref("RecurrenceRule"), { type: "null" }] },
          exdates: { type: "array", items: { type: "string", format: "date" }, maxItems: 366 },
          maxPartySize: int(undefined, { minimum: 1, maximum: 10 }),
          signupOpensDays: int(undefined, { minimum: 0, maximum: 365 }),
          signupClosesMinutes: int(undefined, { minimum: 0, maximum: 10080 }),
          cancelDeadlineMinutes: int(undefined, { minimum: 0, maximum: 10080 }),
          reminderMinutes: int("mail a reminder this many minutes before the start; 0: none (default 1440)", { minimum: 0, maximum: 10080 }),
          remindDayOf: { type: "boolean", description: "also mail a reminder on the morning of the day (default false)" },
        },
        ["categoryId", "title", "capacity", "durationMinutes", "startDate", "startTime"],
      ),
      ActivityCreated: obj({ id: int(), sessions: int("upcoming sessions made") }),
      SessionRoster: obj({
        session: obj({ id: int(), title: text(), startsAt: instant(), endsAt: instant(), location: text(), status: sessionStatus }),
        shifts: { type: "array", items: ref("Shift") },
      }),
      Shift: obj({
        needId: int(),
        skill: ref("SkillRef"),
        headCount: int("places"),
        filled: int("proposed + confirmed"),
        startsAt: instant("the session's start less the set-up minutes"),
        endsAt: instant("the session's end plus the clear-up minutes"),
        inherited: { type: "boolean", description: "declared on the series, not on this session" },
        assignments: { type: "array", items: ref("ShiftAssignment") },
      }),
      SkillRef: obj({ id: int(), slug: text(), name: text(undefined, "in the caller's language") }),
      ShiftAssignment: obj({ id: int(), personId: int(), name: text(), status: assignmentStatus, attendance: attendanceOrNull }),
      AssignmentRequest: obj({ personId: int("default: the caller's own person"), sessionId: int("required for a need on a series") }, []),
      AssignmentCreated: obj({
        id: int(),
        status: { type: "string", enum: ["proposed", "confirmed"] },
        warnings: { type: "array", items: { type: "string", enum: ["blackout", "outside_availability"] } },
      }),
      AssignmentAction: obj({ action: { type: "string", enum: ["confirm", "decline", "attended", "no_show", "no_show_excused"] } }),
      AssignmentState: obj({ id: int(), status: assignmentStatus, attendance: attendanceOrNull }),
      MyShiftList: obj({ shifts: { type: "array", items: ref("MyShift") } }),
      MyShift: obj({
        id: int("assignment id"),
        needId: int(),
        sessionId: int(),
        title: text(),
        location: text(),
        skill: ref("SkillRef"),
        startsAt: instant(),
        endsAt: instant(),
        status: assignmentStatus,
        attendance: attendanceOrNull,
        sessionStatus,
      }),
    },
  },
};
