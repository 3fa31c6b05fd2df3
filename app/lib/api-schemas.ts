import { z } from "zod";
import { MAX_BODY_BYTES, PARTY_SIZE } from "#models/limits";

/**
 * The API's reply shapes as zod schemas, named for the OpenAPI document's components. The
 * request bodies are the very schemas the routes validate with (registered beside them, in
 * each route's `spec`); app/lib/openapi.ts turns both into JSON Schema with `z.toJSONSchema`.
 */
export const replies = z.registry<{ id: string; description?: string }>();
export const requests = z.registry<{ id: string; description?: string }>();

/** Registers a reply schema under its component name. */
function reply<S extends z.ZodType>(id: string, schema: S, description?: string): S {
  replies.add(schema, { id, ...(description ? { description } : {}) });
  return schema;
}

/** Registers a request body (or a piece of one) under its component name; returns the same schema. */
export function request<S extends z.ZodType>(id: string, schema: S, description?: string): S {
  requests.add(schema, { id, ...(description ? { description } : {}) });
  return schema;
}

const int = (description?: string) => (description ? z.int().meta({ description }) : z.int());
const text = (description?: string) => (description ? z.string().meta({ description }) : z.string());
const instant = (description = "ISO 8601 with the station's offset") =>
  z.string().meta({ format: "date-time", description, examples: ["2026-12-02T07:30:00+08:00"] });
const ids = z.array(z.int());
const sessionStatus = z.enum(["scheduled", "cancelled"]);
const assignmentStatus = z.enum(["proposed", "confirmed", "declined", "cancelled"]);
// Null until staff record it.
const attendance = z.enum(["attended", "no_show", "no_show_excused"]).nullable();

export const ErrorReply = reply(
  "Error",
  z.object({
    error: z.object({
      code: text("stable, e.g. already_signed_up, party_too_large, invalid_input"),
      message: text("for people, in the caller's language"),
      params: z.record(z.string(), z.union([z.string(), z.int()])).optional(),
      fields: z.record(z.string(), z.string()).meta({ description: "field path -> message" }).optional(),
    }),
  }),
);

export const TokenCreated = reply("TokenCreated", z.object({ token: text("hth_ and 43 characters"), id: int(), name: text() }));

export const CategoryList = reply(
  "CategoryList",
  z.object({
    categories: z.array(
      z.object({
        id: int(),
        slug: text(),
        name: text("in the caller's language"),
        color: z.string().regex(/^#[0-9a-f]{6}$/),
      }),
    ),
  }),
);

const sessionSummary = {
  id: int(),
  activityId: int(),
  title: text(),
  category: text("category slug, e.g. tai-chi"),
  startsAt: instant(),
  endsAt: instant(),
  capacity: int("places (people)"),
  confirmed: int("confirmed people"),
  waitlisted: int("people on the waitlist"),
  status: sessionStatus,
};
const sessionDetail = {
  ...sessionSummary,
  categoryName: text("in the caller's language"),
  moved: z.boolean(),
  location: text(),
  leader: text(),
  description: text(),
  placesLeft: int(),
  maxPartySize: int(),
  signupWindow: z.object({ opensAt: instant(), closesAt: instant() }),
  cancelDeadline: instant("residents can cancel a confirmed place until then"),
};

export const SessionSummary = reply("SessionSummary", z.object(sessionSummary));
export const SessionList = reply("SessionList", z.object({ from: instant(), to: instant(), sessions: z.array(SessionSummary) }));
export const Session = reply("Session", z.object(sessionDetail));
export const SessionUpdated = reply("SessionUpdated", z.object({ ...sessionDetail, promoted: ids }));

export const SignupCreated = reply(
  "SignupCreated",
  z.object({
    id: int(),
    sessionId: int(),
    personId: int(),
    partySize: int().meta({ minimum: PARTY_SIZE.min, maximum: PARTY_SIZE.max }),
    status: z.enum(["confirmed", "waitlisted"]),
    waitlistPosition: int("only when waitlisted; 1 is next").optional(),
  }),
);
export const SignupsByPerson = reply(
  "SignupsByPerson",
  z.object({
    sessionId: int(),
    people: z.array(
      z.object({
        personId: int(),
        partySize: int(),
        status: z.enum(["confirmed", "waitlisted", "refused"]),
        signupId: int("when confirmed or waitlisted").optional(),
        waitlistPosition: int("only when waitlisted; 1 is next").optional(),
        error: z
          .object({
            code: text("e.g. already_signed_up, person_conflict, busy"),
            status: int("the HTTP status this refusal has on its own"),
            message: text("for people, in the caller's language"),
            params: z.record(z.string(), z.union([z.string(), z.int()])).optional(),
          })
          .meta({ description: "only when refused" })
          .optional(),
      }),
    ),
  }),
  "One entry per person, in the order of the request.",
);
export const Cancellation = reply("Cancellation", z.object({ id: int(), status: z.literal("cancelled"), promoted: ids }));

export const MySignup = reply(
  "MySignup",
  z.object({
    id: int(),
    sessionId: int(),
    title: text(),
    startsAt: instant(),
    endsAt: instant(),
    location: text(),
    sessionStatus,
    status: z.enum(["confirmed", "waitlisted", "cancelled"]),
    partySize: int(),
    waitlistPosition: int().nullable(),
    cancelDeadline: instant(),
    bookedBy: text("who booked, when not the person").nullable(),
    state: z
      .enum(["confirmed", "waitlisted", "cancelled", "session_cancelled", "ended"])
      .meta({ description: "what the booking is now, as the pages say it (models/policies/signups.ts signupState)" }),
    moved: z.boolean().meta({
      description:
        "the session's time was changed after booking and the booking still stands: the pages' 时间已调整 mark (showsMoved); startsAt is the new time",
    }),
    canCancel: z.boolean().meta({ description: "whether you may cancel it now (the same rule the pages and DELETE apply)" }),
  }),
);
export const MySignupList = reply("MySignupList", z.object({ signups: z.array(MySignup) }));

export const Person = reply(
  "Person",
  z.object({ id: int(), fullName: text(), phone: text().nullable(), birthYear: int().nullable(), household: text().nullable() }),
);
export const PersonList = reply("PersonList", z.object({ people: z.array(Person) }));

export const ActivityCreated = reply("ActivityCreated", z.object({ id: int(), sessions: int("upcoming sessions made") }));

export const SkillRef = reply("SkillRef", z.object({ id: int(), slug: text(), name: text("in the caller's language") }));
export const ShiftAssignment = reply("ShiftAssignment", z.object({ id: int(), personId: int(), name: text(), status: assignmentStatus, attendance }));
export const Shift = reply(
  "Shift",
  z.object({
    needId: int(),
    skill: SkillRef,
    headCount: int("places"),
    filled: int("proposed + confirmed"),
    startsAt: instant("the session's start less the set-up minutes"),
    endsAt: instant("the session's end plus the clear-up minutes"),
    inherited: z.boolean().meta({ description: "declared on the series, not on this session" }),
    assignments: z.array(ShiftAssignment),
  }),
);
export const SessionRoster = reply(
  "SessionRoster",
  z.object({
    session: z.object({ id: int(), title: text(), startsAt: instant(), endsAt: instant(), location: text(), status: sessionStatus }),
    shifts: z.array(Shift),
  }),
);
export const AssignmentCreated = reply(
  "AssignmentCreated",
  z.object({ id: int(), status: z.enum(["proposed", "confirmed"]), warnings: z.array(z.enum(["blackout", "outside_availability"])) }),
);
export const AssignmentState = reply("AssignmentState", z.object({ id: int(), status: assignmentStatus, attendance }));
export const MyShift = reply(
  "MyShift",
  z.object({
    id: int("assignment id"),
    needId: int(),
    sessionId: int(),
    title: text(),
    location: text(),
    skill: SkillRef,
    startsAt: instant(),
    endsAt: instant(),
    status: assignmentStatus,
    attendance,
    sessionStatus,
  }),
);
export const MyShiftList = reply("MyShiftList", z.object({ shifts: z.array(MyShift) }));

// ---------------------------------------------------------------- the front desk

export const CheckinCreated = reply(
  "Checkin",
  z.object({
    signupId: int(),
    sessionId: int(),
    personId: int(),
    partySize: int(),
    attendedCount: int("people of the party who came"),
    checkedInAt: instant(),
    walkIn: z.boolean().meta({ description: "seated at the door: no booking, or off the waitlist" }),
    alreadyCheckedIn: z.boolean().meta({ description: "true: the person was checked in before and nothing was written (status 200)" }),
    overCapacity: z.boolean(),
    expected: int("booked places plus the parties seated at the door"),
    capacity: int(),
  }),
);
export const CheckinUndone = reply(
  "CheckinUndone",
  z.object({ signupId: int(), attendance: attendance.meta({ description: "no_show when check-in was closed already" }), walkInRemoved: z.boolean() }),
);
export const AttendanceSet = reply(
  "AttendanceSet",
  z.object({
    signupId: int(),
    attendance: z.enum(["attended", "no_show", "no_show_excused"]),
    attendedCount: int().nullable(),
    reason: text().nullable(),
  }),
);
export const ServiceLineList = reply(
  "ServiceLineList",
  z.object({
    serviceLines: z.array(z.object({ id: int(), name: text("in the caller's language"), nameZh: text(), nameEn: text(), reportingLine: text() })),
  }),
);
export const VisitCreated = reply(
  "Visit",
  z.object({ id: int(), serviceLineId: int(), localDay: text("the station's local date, YYYY-MM-DD"), count: int(), at: instant() }),
);
export const VisitUndone = reply("VisitUndone", z.object({ id: int(), undone: z.literal(true) }));
export const MonthlyReportReply = reply(
  "MonthlyReport",
  z.looseObject({
    month: text("YYYY-MM"),
    timeZone: text(),
    complete: z.boolean().meta({ description: "false for the current month: its figures still grow" }),
    sessions: z.object({ held: int(), cancelled: int() }),
    booked: int(),
    attended: int(),
    walkIns: int(),
    noShows: int(),
    noShowRate: z.number().nullable(),
    visitsTotal: int(),
    residentsServed: int(),
    newResidents: int(),
    volunteerMinutes: int(),
    doctorMinutes: int(),
    consultations: z
      .object({
        booked: int(),
        attended: int(),
        noShows: int(),
        byKind: z.array(z.object({ kind: text(), booked: int(), attended: int(), noShows: int() })),
      })
      .meta({ description: "one-to-one consultations that began in the month, not cancelled; by the service's kind" }),
  }),
  "The month's figures by the station's local month; see docs/api.md for every field",
);

/** The document itself: any object (its shape is OpenAPI's). */
export const OpenApiReply = reply("OpenApi", z.looseObject({ openapi: z.literal("3.1.0") }));

// ---------------------------------------------------------------- what a route declares

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Refusals every operation may share, described once under components.responses. */
export const SHARED = {
  BadRequest: "Malformed JSON",
  Unauthorized: "No token, or a token that is unknown or revoked",
  Forbidden: "The caller's roles do not allow this",
  NotFound: "No such record (or not one the caller may see)",
  Conflict: "The request clashes with the current state",
  TooLarge: `Body over ${MAX_BODY_BYTES / 1024} KiB`,
  NotJson: "A body that is not application/json",
  Invalid: "A field is missing or not valid; `fields` names each one",
  TooMany: "Too many attempts (sign-in), or too many mail-sending actions by this account (too_many_mails); see Retry-After",
  Busy: "The station is busy; try again (Retry-After)",
} as const;
export type SharedReply = keyof typeof SHARED;

export interface Operation {
  operationId: string;
  tags: string[];
  summary: string;
  /** Open to anonymous callers (the document's default is a bearer token). */
  public?: true;
  /** The query string's schema (a z.object of optional or required strings). */
  query?: z.ZodObject;
  /** The JSON body's schema, registered in `requests`; `bodyRequired: false` when it may be left out. */
  body?: z.ZodType;
  bodyRequired?: false;
  /** Status -> a shared refusal, or a description with the reply's schema (registered in `replies`; none for 204). */
  responses: Record<number, SharedReply | [description: string, schema?: z.ZodType]>;
}

export interface RouteSpec {
  /** The path parameter `{id}`'s description, when the path has one. */
  id?: string;
  /** When `{id}` is not an integer (a consultation slot's id): the pattern of the string it is. */
  idPattern?: string;
  /** Further integer path parameters by name (`{personId}`), with their descriptions. */
  params?: Record<string, string>;
  operations: Partial<Record<Method, Operation>>;
}

/** Shared refusals of an operation that reads a JSON body. */
export const BODY_REFUSALS = { 400: "BadRequest", 413: "TooLarge", 415: "NotJson", 422: "Invalid" } as const;
/** The refusals of a change to a record staff or its owner may make, which can clash or wait on a lock. */
export const CHANGE_REFUSALS = { ...BODY_REFUSALS, 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict", 503: "Busy" } as const;

// ---------------------------------------------------------------- consultations (ADR 18)

const consultationKind = z.enum(["legal", "counselling", "family_doctor", "other"]);

export const ConsultationServiceList = reply(
  "ConsultationServiceList",
  z.object({
    services: z.array(
      z.object({
        id: int(),
        kind: consultationKind,
        name: text("in the caller's language"),
        slotMinutes: int(),
        bookAheadDays: int(),
        cancelDeadlineMinutes: int(),
        maxUpcoming: int("upcoming bookings of this service one person may hold"),
      }),
    ),
  }),
);

export const ConsultationSlots = reply(
  "ConsultationSlots",
  z.object({
    serviceId: int(),
    slots: z.array(
      z.object({
        id: z.string().meta({ description: "service, provider and start: the same slot keeps it; book with POST /consultation-slots/{id}/booking" }),
        startsAt: instant(),
        endsAt: instant(),
        providerId: int(),
        providerName: text(),
        location: text(),
        free: z.boolean(),
      }),
    ),
  }),
  "The service's slots on the asked days (within its bookable days) that have not begun, free or taken",
);

const consultationFields = {
  id: int(),
  serviceId: int(),
  providerId: int(),
  providerName: text(),
  personId: int(),
  personName: text(),
  startsAt: instant(),
  endsAt: instant(),
  location: text(),
  status: z.enum(["confirmed", "cancelled"]),
  attendance,
  topic: text("only for the person, whoever booked, the provider and staff"),
};

export const ConsultationReply = reply("Consultation", z.object(consultationFields));
export const ConsultationBooking = reply(
  "ConsultationBooking",
  z.object({ ...consultationFields, status: z.literal("confirmed") }),
  "The booking made: a slot booked, or a held slot accepted",
);

// ---------------------------------------------------------------- the consultation waitlist (ADR 26)

const offerFields = {
  id: int("the held slot's id: accept with POST /consultation-offers/{id}/booking, decline with DELETE /consultation-offers/{id}"),
  serviceId: int(),
  personId: int(),
  providerName: text(),
  startsAt: instant(),
  endsAt: instant(),
  location: text(),
  heldUntil: instant("after this the slot passes to the next in line"),
};

const waitlistEntryFields = {
  id: int(),
  serviceId: int(),
  personId: int(),
  personName: text(),
  providerId: int("only slots of this provider, when one was named").nullable(),
  fromDate: z.string().meta({ format: "date", description: "the station's local day" }),
  toDate: z.string().meta({ format: "date" }),
  status: z.enum(["waiting", "offered"]),
  offer: z.object(offerFields).nullable(),
};

export const WaitlistEntryReply = reply("ConsultationWaitlistEntry", z.object(waitlistEntryFields));
export const WaitlistReply = reply(
  "ConsultationWaitlist",
  z.object({ entries: z.array(z.object(waitlistEntryFields)) }),
  "Active entries, first in line first",
);
export const OfferReply = reply("ConsultationOffer", z.object(offerFields));
export const MyWaitlistReply = reply(
  "MyConsultationWaitlist",
  z.object({
    entries: z.array(
      z.object({
        ...waitlistEntryFields,
        serviceNameZh: text(),
        serviceNameEn: text(),
      }),
    ),
  }),
  "Your active entries, oldest first, each with the slot held for you while offered",
);
export const ConsultationList = reply(
  "ConsultationList",
  z.object({
    consultations: z.array(
      z.object({
        ...consultationFields,
        canCancel: z
          .boolean()
          .meta({ description: "whether you may cancel it now (models/policies/consultations.ts, as 我的预约 and DELETE decide)" }),
      }),
    ),
  }),
);

const localDate = (description?: string) => z.string().meta({ format: "date", ...(description ? { description } : {}) });

export const ConsultationHoursList = reply(
  "ConsultationHoursList",
  z.object({
    hours: z.array(
      z.object({
        id: int(),
        serviceId: int(),
        providerId: int(),
        providerName: text(),
        weekday: int("1 = Monday … 7 = Sunday"),
        startTime: text("HH:MM, the station's time"),
        endTime: text("HH:MM, the station's time"),
        location: text(),
        fromDate: localDate(),
        untilDate: localDate("the last day; null: no end").nullable(),
      }),
    ),
  }),
  "Weekly consultation hours: all of the station's for staff, one's own for a provider",
);

export const ConsultationHoursEnded = reply(
  "ConsultationHoursEnded",
  z.object({
    id: int(),
    untilDate: localDate(),
    cancelled: z.array(int()).meta({ description: "the bookings cancelled with the change (their people are told by mail)" }),
  }),
);

const householdPerson = z.object({
  id: int(),
  fullName: text(),
  phone: text("only where the caller may see it: their own household, or a household in their care that has agreed").nullable(),
  birthYear: int("as phone").nullable(),
});
export const HouseholdList = reply(
  "HouseholdList",
  z.object({
    households: z.array(
      z.object({
        id: int(),
        label: text(),
        caretaker: z.object({ id: int(), fullName: text() }).nullable(),
        consent: z.boolean().meta({ description: "the household agreed that its caretaker acts for it (ADR 19)" }),
        people: z.array(householdPerson),
      }),
    ),
  }),
  "The caller's own household first, then the households in their care.",
);

// ---------------------------------------------------------------- the call list (ADR 20)

export const CallListReply = reply(
  "CallList",
  z.object({
    date: z.string().meta({ format: "date", description: "the station's local day" }),
    people: z.array(
      z.object({
        personId: int(),
        fullName: text(),
        phone: text().nullable(),
        sessionId: int(),
        title: text(),
        startsAt: instant(),
        status: z.enum(["confirmed", "waitlisted"]),
        reach: z.enum(["caretaker", "booker", "none"]).meta({ description: "who gets this person's mail instead of them, if anyone" }),
        caretaker: z.object({ id: int(), fullName: text() }).nullable(),
        called: z.object({ at: instant(), by: text("who marked the call") }).nullable(),
      }),
    ),
  }),
);

export const CallUnmarkReply = reply(
  "CallUnmark",
  z.object({
    personId: int(),
    sessionId: int(),
    removed: z.boolean().meta({ description: "false: there was no mark to take back (nothing written)" }),
  }),
);

export const CallMarkReply = reply(
  "CallMark",
  z.object({
    personId: int(),
    sessionId: int(),
    at: instant(),
    created: z.boolean().meta({ description: "false: the call was marked before and that first mark stands (status 200)" }),
  }),
);

// ---------------------------------------------------------------- personal data (ADR 22)

const consentWay = z.enum(["online", "in_person", "phone", "paper"]);
export const PersonalDataExport = reply(
  "PersonalDataExport",
  z.object({
    version: z.literal(1),
    person: z.object({
      id: int(),
      fullName: text(),
      phone: text().nullable(),
      email: text().nullable(),
      birthYear: int().nullable(),
      needs: text("kept only with health_needs consent").nullable(),
      mailLanguage: z.enum(["zh-CN", "en"]),
      mailOptOuts: z.array(text()),
      registeredAt: instant(),
    }),
    account: z.object({ email: text().nullable(), phone: text().nullable(), createdAt: instant(), roles: z.array(text()) }).nullable(),
    household: z.object({ label: text(), address: text().nullable(), landline: text().nullable(), caretaker: text().nullable() }).nullable(),
    bookings: z.array(
      z.object({
        activity: text(),
        startsAt: instant(),
        status: z.enum(["confirmed", "waitlisted", "cancelled"]),
        partySize: int(),
        bookedBy: text("who made the booking").nullable(),
        bookedAt: instant(),
        cancelledAt: instant().nullable(),
        attendance,
        attendedCount: int().nullable(),
      }),
    ),
    shifts: z.array(z.object({ activity: text(), role: text(), startsAt: instant(), status: assignmentStatus, attendance })),
    hours: z.array(z.object({ date: z.string().meta({ format: "date" }), minutes: int(), note: text() })),
    consultations: z.array(
      z.object({
        service: text(),
        provider: text(),
        startsAt: instant(),
        location: text(),
        status: z.enum(["booked", "cancelled", "held", "passed"]).meta({
          description: "held: a slot offered from the waitlist, not yet answered; passed: an offer let go or run out (ADR 26)",
        }),
        attendance,
        topic: text("the person's own export only; null when staff produce it").nullable(),
      }),
    ),
    mails: z.array(z.object({ kind: text(), subject: text().nullable(), sentAt: instant() })),
    consents: z.array(
      z.object({
        purpose: z.enum(["booking_reminders", "caretaker_care", "health_needs", "mail"]),
        version: int("of the purpose's text"),
        way: consentWay,
        givenAt: instant(),
        recordedBy: text().nullable(),
        withdrawnAt: instant().nullable(),
        withdrawnBy: text().nullable(),
        withdrawWay: consentWay.nullable(),
      }),
    ),
    audit: z.array(z.object({ at: instant(), action: text("e.g. signup.create, person.correct"), by: text().nullable() })),
    accessRecords: z.array(
      z.object({ viewer: text().nullable(), kind: z.enum(["needs", "topic"]), page: text("where it was seen, e.g. attendees"), at: instant() }),
    ),
  }),
  "Everything the station holds about one person (PIPL access and copy).",
);

// ---------------------------------------------------------------- erasure (ADR 23)

const count = (description: string) => z.int().min(0).meta({ description });
export const ErasureReply = reply(
  "Erasure",
  z.object({
    personId: int("the erased person; they now read 已删除的居民 #id"),
    removed: z.object({
      personalDetails: count("name, phone and email (1)"),
      needs: count("health needs removed (0 or 1)"),
      bookingsCancelled: count("upcoming confirmed bookings cancelled"),
      waitlistsLeft: count("waitlist places given up"),
      shiftsCancelled: count("upcoming shifts cancelled"),
      consultationsCancelled: count("upcoming consultations cancelled (had or given)"),
      consultationTopics: count("consultation topics and notes cleared"),
      providerHoursEnded: count("consultation hours ended"),
      householdsUnassigned: count("households that lost them as caretaker"),
      householdAddresses: count("their household's address (when nobody else lives there)"),
      mails: count("mails whose body, address and subject were removed"),
      tokens: count("calendar feed and API tokens"),
      sessions: count("sign-in sessions"),
      signInCodes: count("one-time sign-in codes"),
      accountsClosed: count("accounts closed (0 or 1)"),
    }),
    kept: z.object({
      attendances: count("attendance records kept, anonymous"),
      pastBookings: count("past bookings kept"),
      visits: count("drop-in visits kept"),
      shiftsWorked: count("shifts worked kept (hours totals)"),
      manualHours: count("hand-entered hours kept"),
      consultationsHeld: count("consultations held kept"),
      auditEntries: count("audit entries about them kept, without personal detail"),
    }),
    promoted: count("people moved up from waitlists into the freed places"),
  }),
);
