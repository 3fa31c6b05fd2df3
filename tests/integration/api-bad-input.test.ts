// Bad input to every API route: wrong types, out-of-range numbers, unknown and other people's
// ids, oversized strings, malformed JSON, a body that is not JSON or too big. Each gets a 4xx
// with the JSON error shape, a message in the caller's language (zh-CN by default), and
// leaves every table as it was.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { categoryId, ensureStation, TEST_PASSWORD } from "../support/fixtures";
import { makeSession } from "../support/signup-fixtures";
import { stationDate, text } from "../support/routes-kit";
import { countApiRows, makeApiUser, type ApiUser } from "../support/api-fixtures";
import { callApi, expectError, type ApiOptions, type Method, type RouteName } from "../support/api-requests";
import { signUp } from "../../models/signups";
import { sessions } from "../../models/db/schema";
import type { MessageKey } from "../../models/i18n";

type Who = "anonymous" | "resident" | "coordinator";

interface Fixture {
  sessionId: number;
  bookedSessionId: number;
  residentSignupId: number;
  otherSignupId: number;
  closedSessionId: number;
  notOpenSessionId: number;
  cancelledSessionId: number;
  lateSignupId: number;
  categoryId: number;
  otherPersonId: number;
  residentEmail: string;
}

interface Case {
  name: string;
  route: RouteName;
  method: Method;
  who: Who;
  options: (fx: Fixture) => ApiOptions;
  status: number;
  code: string;
  /** The exact message (catalog key and params), in zh-CN unless lang is en. */
  message?: [MessageKey, Record<string, string | number>?];
  /** A field that must be named in error.fields. */
  field?: string;
}

const big = (n: number) => "长".repeat(n);
const activity = (fx: Fixture, overrides: Record<string, unknown> = {}) => ({
  categoryId: fx.categoryId,
  title: "坏输入测试",
  capacity: 10,
  durationMinutes: 60,
  startDate: stationDate(5),
  startTime: "10:00",
  rule: null,
  ...overrides,
});
const session = (fx: Fixture) => ({ params: { id: String(fx.sessionId) } });

const CASES: Case[] = [
  // --- POST /api/v1/auth/token
  {
    name: "malformed JSON",
    route: "api.v1.auth.token",
    method: "POST",
    who: "anonymous",
    options: () => ({ raw: '{"email": "a@b.c",' }),
    status: 400,
    code: "malformed_json",
    message: ["api.malformedJson"],
  },
  {
    name: "malformed JSON (en)",
    route: "api.v1.auth.token",
    method: "POST",
    who: "anonymous",
    options: () => ({ raw: "{'email': 1}", lang: "en-GB,en;q=0.9" }),
    status: 400,
    code: "malformed_json",
    message: ["api.malformedJson"],
  },
  {
    name: "bytes that are not UTF-8",
    route: "api.v1.auth.token",
    method: "POST",
    who: "anonymous",
    options: () => ({ raw: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }),
    status: 400,
    code: "malformed_json",
  },
  {
    name: "a form, not JSON",
    route: "api.v1.auth.token",
    method: "POST",
    who: "anonymous",
    options: (fx) => ({ raw: `email=${fx.residentEmail}&password=x`, contentType: "application/x-www-form-urlencoded" }),
    status: 415,
    code: "unsupported_media_type",
    message: ["api.unsupportedMediaType"],
  },
  {
    name: "JSON sent as text/plain",
    route: "api.v1.auth.token",
    method: "POST",
    who: "anonymous",
    options: () => ({ raw: '{"email":"a@b.c","password":"x"}', contentType: "text/plain" }),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "a body over 64 KiB",
    route: "api.v1.auth.token",
    method: "POST",
    who: "anonymous",
    options: () => ({ body: { email: "a@b.c", password: "x".repeat(70_000) } }),
    status: 413,
    code: "body_too_large",
    message: ["api.tooLarge", { kib: 64 }],
  },
  {
    name: "a streamed body over 64 KiB (no Content-Length)",
    route: "api.v1.auth.token",
    method: "POST",
    who: "anonymous",
    options: () => ({ raw: streamOf(80 * 1024) }),
    status: 413,
    code: "body_too_large",
  },
  {
    name: "wrong types",
    route: "api.v1.auth.token",
    method: "POST",
    who: "anonymous",
    options: () => ({ body: { email: 5, password: true } }),
    status: 422,
    code: "invalid_input",
    field: "password",
  },
  {
    name: "no body",
    route: "api.v1.auth.token",
    method: "POST",
    who: "anonymous",
    options: () => ({}),
    status: 422,
    code: "invalid_input",
    field: "password",
  },
  {
    name: "a password with neither email nor phone",
    route: "api.v1.auth.token",
    method: "POST",
    who: "anonymous",
    options: () => ({ body: { password: "x" } }),
    status: 422,
    code: "invalid_input",
    field: "email",
  },
  {
    name: "both email and phone",
    route: "api.v1.auth.token",
    method: "POST",
    who: "anonymous",
    options: () => ({ body: { email: "a@b.example", phone: "13900000001", password: "x" } }),
    status: 422,
    code: "invalid_input",
    field: "email",
  },
  {
    name: "a phone that is not a mainland mobile number",
    route: "api.v1.auth.token",
    method: "POST",
    who: "anonymous",
    options: () => ({ body: { phone: "0598-1234567", password: "x" } }),
    status: 422,
    code: "invalid_input",
    field: "phone",
  },
  {
    name: "a JSON array",
    route: "api.v1.auth.token",
    method: "POST",
    who: "anonymous",
    options: () => ({ body: [] }),
    status: 422,
    code: "invalid_input",
    field: "body",
  },
  {
    name: "JSON null",
    route: "api.v1.auth.token",
    method: "POST",
    who: "anonymous",
    options: () => ({ raw: "null" }),
    status: 422,
    code: "invalid_input",
    field: "body",
  },
  {
    name: "an unknown field",
    route: "api.v1.auth.token",
    method: "POST",
    who: "anonymous",
    options: (fx) => ({ body: { email: fx.residentEmail, password: TEST_PASSWORD, admin: true } }),
    status: 422,
    code: "invalid_input",
    field: "admin",
  },
  {
    name: "an oversized token name",
    route: "api.v1.auth.token",
    method: "POST",
    who: "anonymous",
    options: (fx) => ({ body: { email: fx.residentEmail, password: TEST_PASSWORD, name: big(61) } }),
    status: 422,
    code: "invalid_input",
    field: "name",
  },
  {
    name: "a NUL in the token name",
    route: "api.v1.auth.token",
    method: "POST",
    who: "anonymous",
    options: (fx) => ({ body: { email: fx.residentEmail, password: TEST_PASSWORD, name: "kiosk\u0000" } }),
    status: 422,
    code: "invalid_input",
    field: "name",
  },
  {
    name: "an oversized password",
    route: "api.v1.auth.token",
    method: "POST",
    who: "anonymous",
    options: () => ({ body: { email: "a@b.c", password: "x".repeat(201) } }),
    status: 422,
    code: "invalid_input",
    field: "password",
  },
  {
    name: "not an email",
    route: "api.v1.auth.token",
    method: "POST",
    who: "anonymous",
    options: () => ({ body: { email: "nobody", password: "x" } }),
    status: 422,
    code: "invalid_input",
    field: "email",
  },

  // --- GET /api/v1/sessions
  {
    name: "an impossible date",
    route: "api.v1.sessions",
    method: "GET",
    who: "anonymous",
    options: () => ({ query: "from=2026-13-45" }),
    status: 422,
    code: "invalid_input",
    field: "from",
  },
  {
    name: "a word for a date",
    route: "api.v1.sessions",
    method: "GET",
    who: "anonymous",
    options: () => ({ query: "to=tomorrow" }),
    status: 422,
    code: "invalid_input",
    field: "to",
  },
  {
    name: "a time without offset",
    route: "api.v1.sessions",
    method: "GET",
    who: "anonymous",
    options: () => ({ query: "from=2026-12-02T07:30:00" }),
    status: 422,
    code: "invalid_input",
    field: "from",
  },
  {
    name: "to before from",
    route: "api.v1.sessions",
    method: "GET",
    who: "anonymous",
    options: () => ({ query: "from=2026-12-10&to=2026-12-01" }),
    status: 422,
    code: "invalid_input",
    field: "to",
  },
  {
    name: "a range over 366 days",
    route: "api.v1.sessions",
    method: "GET",
    who: "anonymous",
    options: () => ({ query: "from=2026-01-01&to=2027-06-01" }),
    status: 422,
    code: "invalid_input",
    field: "to",
    message: ["api.invalidInput", { details: "to: 时间范围最长 366 天。" }],
  },
  {
    name: "a range over 366 days (en)",
    route: "api.v1.sessions",
    method: "GET",
    who: "anonymous",
    options: () => ({ query: "from=2026-01-01&to=2027-06-01", lang: "en" }),
    status: 422,
    code: "invalid_input",
    message: ["api.invalidInput", { details: "to: The range can be at most 366 days." }],
  },
  {
    name: "a bad category slug",
    route: "api.v1.sessions",
    method: "GET",
    who: "anonymous",
    options: () => ({ query: "category=" + encodeURIComponent("<script>") }),
    status: 422,
    code: "invalid_input",
    field: "category",
  },
  {
    name: "an oversized date",
    route: "api.v1.sessions",
    method: "GET",
    who: "anonymous",
    options: () => ({ query: "from=" + "9".repeat(1000) }),
    status: 422,
    code: "invalid_input",
    field: "from",
  },
  {
    name: "a year out of range",
    route: "api.v1.sessions",
    method: "GET",
    who: "anonymous",
    options: () => ({ query: "from=275760-01-01" }),
    status: 422,
    code: "invalid_input",
    field: "from",
  },

  // --- GET and PATCH /api/v1/sessions/{id}
  {
    name: "a word for an id",
    route: "api.v1.sessions.$id",
    method: "GET",
    who: "anonymous",
    options: () => ({ params: { id: "abc" } }),
    status: 404,
    code: "not_found",
    message: ["error.not_found"],
  },
  {
    name: "id 0",
    route: "api.v1.sessions.$id",
    method: "GET",
    who: "anonymous",
    options: () => ({ params: { id: "0" } }),
    status: 404,
    code: "not_found",
  },
  {
    name: "a negative id",
    route: "api.v1.sessions.$id",
    method: "GET",
    who: "anonymous",
    options: () => ({ params: { id: "-1" } }),
    status: 404,
    code: "not_found",
  },
  {
    name: "an id past int4",
    route: "api.v1.sessions.$id",
    method: "GET",
    who: "anonymous",
    options: () => ({ params: { id: "99999999999" } }),
    status: 404,
    code: "not_found",
  },
  {
    name: "an unknown id",
    route: "api.v1.sessions.$id",
    method: "GET",
    who: "anonymous",
    options: () => ({ params: { id: "2147483647" } }),
    status: 404,
    code: "not_found",
  },
  {
    name: "an unknown id (en)",
    route: "api.v1.sessions.$id",
    method: "GET",
    who: "anonymous",
    options: () => ({ params: { id: "2147483647" }, lang: "en" }),
    status: 404,
    code: "not_found",
    message: ["error.not_found"],
  },
  {
    name: "an empty change",
    route: "api.v1.sessions.$id",
    method: "PATCH",
    who: "coordinator",
    options: (fx) => ({ ...session(fx), body: {} }),
    status: 422,
    code: "invalid_input",
    field: "body",
  },
  {
    name: "a negative capacity",
    route: "api.v1.sessions.$id",
    method: "PATCH",
    who: "coordinator",
    options: (fx) => ({ ...session(fx), body: { capacity: -1 } }),
    status: 422,
    code: "invalid_input",
    field: "capacity",
    message: ["api.invalidInput", { details: "capacity: 请填写 0 到 10000 之间的数字。" }],
  },
  {
    name: "a huge capacity",
    route: "api.v1.sessions.$id",
    method: "PATCH",
    who: "coordinator",
    options: (fx) => ({ ...session(fx), body: { capacity: 1e12 } }),
    status: 422,
    code: "invalid_input",
    field: "capacity",
  },
  {
    name: "a capacity as text",
    route: "api.v1.sessions.$id",
    method: "PATCH",
    who: "coordinator",
    options: (fx) => ({ ...session(fx), body: { capacity: "20" } }),
    status: 422,
    code: "invalid_input",
    field: "capacity",
    message: ["api.invalidInput", { details: "capacity: 应为整数。" }],
  },
  {
    name: "a fractional capacity",
    route: "api.v1.sessions.$id",
    method: "PATCH",
    who: "coordinator",
    options: (fx) => ({ ...session(fx), body: { capacity: 1.5 } }),
    status: 422,
    code: "invalid_input",
    field: "capacity",
  },
  {
    name: "a word for a time",
    route: "api.v1.sessions.$id",
    method: "PATCH",
    who: "coordinator",
    options: (fx) => ({ ...session(fx), body: { startsAt: "tomorrow" } }),
    status: 422,
    code: "invalid_input",
    field: "startsAt",
  },
  {
    name: "an end before the start",
    route: "api.v1.sessions.$id",
    method: "PATCH",
    who: "coordinator",
    options: (fx) => ({ ...session(fx), body: { startsAt: "2030-01-02T10:00:00+08:00", endsAt: "2030-01-02T09:00:00+08:00" } }),
    status: 422,
    code: "ends_before_start",
    message: ["error.ends_before_start"],
  },
  {
    name: "an unknown status",
    route: "api.v1.sessions.$id",
    method: "PATCH",
    who: "coordinator",
    options: (fx) => ({ ...session(fx), body: { status: "deleted" } }),
    status: 422,
    code: "invalid_input",
    field: "status",
  },
  {
    name: "capacity below the confirmed people",
    route: "api.v1.sessions.$id",
    method: "PATCH",
    who: "coordinator",
    options: (fx) => ({ params: { id: String(fx.bookedSessionId) }, body: { capacity: 0 } }),
    status: 409,
    code: "capacity_below_confirmed",
    message: ["error.capacity_below_confirmed", { confirmed: 2 }],
  },
  {
    name: "an unknown session",
    route: "api.v1.sessions.$id",
    method: "PATCH",
    who: "coordinator",
    options: () => ({ params: { id: "2147483647" }, body: { capacity: 5 } }),
    status: 404,
    code: "not_found",
  },
  {
    name: "malformed JSON",
    route: "api.v1.sessions.$id",
    method: "PATCH",
    who: "coordinator",
    options: (fx) => ({ ...session(fx), raw: "{capacity: 5}" }),
    status: 400,
    code: "malformed_json",
  },

  // --- POST /api/v1/sessions/{id}/signups
  ...[0, -1, 11, 1e9, 2.5, "2", null, true].map((partySize): Case => ({
    name: `party size ${JSON.stringify(partySize)}`,
    route: "api.v1.sessions.$id.signups",
    method: "POST",
    who: "resident",
    options: (fx) => ({ ...session(fx), body: { partySize } }),
    status: 422,
    code: "invalid_input",
    field: "partySize",
  })),
  {
    name: "a party over the activity's maximum",
    route: "api.v1.sessions.$id.signups",
    method: "POST",
    who: "resident",
    options: (fx) => ({ ...session(fx), body: { partySize: 4 } }),
    status: 422,
    code: "party_too_large",
    message: ["error.party_too_large", { max: 3 }],
  },
  {
    name: "a party over the maximum (en)",
    route: "api.v1.sessions.$id.signups",
    method: "POST",
    who: "resident",
    options: (fx) => ({ ...session(fx), body: { partySize: 4 }, lang: "en-US" }),
    status: 422,
    code: "party_too_large",
    message: ["error.party_too_large", { max: 3 }],
  },
  {
    name: "a word for a person",
    route: "api.v1.sessions.$id.signups",
    method: "POST",
    who: "resident",
    options: (fx) => ({ ...session(fx), body: { personId: "me" } }),
    status: 422,
    code: "invalid_input",
    field: "personId",
  },
  {
    name: "person 0",
    route: "api.v1.sessions.$id.signups",
    method: "POST",
    who: "resident",
    options: (fx) => ({ ...session(fx), body: { personId: 0 } }),
    status: 422,
    code: "invalid_input",
    field: "personId",
  },
  {
    name: "a person id past int4",
    route: "api.v1.sessions.$id.signups",
    method: "POST",
    who: "coordinator",
    options: (fx) => ({ ...session(fx), body: { personId: 3_000_000_000 } }),
    status: 422,
    code: "invalid_input",
    field: "personId",
  },
  {
    name: "someone else's person",
    route: "api.v1.sessions.$id.signups",
    method: "POST",
    who: "resident",
    options: (fx) => ({ ...session(fx), body: { personId: fx.otherPersonId } }),
    status: 403,
    code: "not_allowed",
    message: ["error.not_allowed"],
  },
  {
    name: "an unknown person (resident)",
    route: "api.v1.sessions.$id.signups",
    method: "POST",
    who: "resident",
    options: (fx) => ({ ...session(fx), body: { personId: 2147483647 } }),
    status: 403,
    code: "not_allowed",
  },
  {
    name: "an unknown person (staff)",
    route: "api.v1.sessions.$id.signups",
    method: "POST",
    who: "coordinator",
    options: (fx) => ({ ...session(fx), body: { personId: 2147483647 } }),
    status: 404,
    code: "not_found",
  },
  {
    name: "an unknown session",
    route: "api.v1.sessions.$id.signups",
    method: "POST",
    who: "resident",
    options: () => ({ params: { id: "2147483647" }, body: {} }),
    status: 404,
    code: "not_found",
  },
  {
    name: "a word for a session",
    route: "api.v1.sessions.$id.signups",
    method: "POST",
    who: "resident",
    options: () => ({ params: { id: "next" }, body: {} }),
    status: 404,
    code: "not_found",
  },
  {
    name: "signing up twice",
    route: "api.v1.sessions.$id.signups",
    method: "POST",
    who: "resident",
    options: (fx) => ({ params: { id: String(fx.bookedSessionId) }, body: { partySize: 1 } }),
    status: 409,
    code: "already_signed_up",
    message: ["error.already_signed_up"],
  },
  {
    name: "a closed window",
    route: "api.v1.sessions.$id.signups",
    method: "POST",
    who: "resident",
    options: (fx) => ({ params: { id: String(fx.closedSessionId) } }),
    status: 409,
    code: "signup_closed",
    message: ["error.signup_closed"],
  },
  {
    name: "a window not open yet",
    route: "api.v1.sessions.$id.signups",
    method: "POST",
    who: "resident",
    options: (fx) => ({ params: { id: String(fx.notOpenSessionId) } }),
    status: 409,
    code: "signup_not_open",
  },
  {
    name: "a cancelled session",
    route: "api.v1.sessions.$id.signups",
    method: "POST",
    who: "resident",
    options: (fx) => ({ params: { id: String(fx.cancelledSessionId) } }),
    status: 409,
    code: "signup_session_cancelled",
  },
  {
    name: "a form body",
    route: "api.v1.sessions.$id.signups",
    method: "POST",
    who: "resident",
    options: (fx) => ({ ...session(fx), raw: "partySize=2", contentType: "application/x-www-form-urlencoded" }),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "an unknown field",
    route: "api.v1.sessions.$id.signups",
    method: "POST",
    who: "resident",
    options: (fx) => ({ ...session(fx), body: { party_size: 2 } }),
    status: 422,
    code: "invalid_input",
    field: "party_size",
  },

  // --- DELETE /api/v1/signups/{id}
  {
    name: "an unknown signup",
    route: "api.v1.signups.$id",
    method: "DELETE",
    who: "resident",
    options: () => ({ params: { id: "2147483647" } }),
    status: 404,
    code: "not_found",
  },
  {
    name: "someone else's signup",
    route: "api.v1.signups.$id",
    method: "DELETE",
    who: "resident",
    options: (fx) => ({ params: { id: String(fx.otherSignupId) } }),
    status: 404,
    code: "not_found",
  },
  {
    name: "a word for a signup",
    route: "api.v1.signups.$id",
    method: "DELETE",
    who: "resident",
    options: () => ({ params: { id: "all" } }),
    status: 404,
    code: "not_found",
  },
  {
    name: "after the cancel deadline",
    route: "api.v1.signups.$id",
    method: "DELETE",
    who: "resident",
    options: (fx) => ({ params: { id: String(fx.lateSignupId) } }),
    status: 409,
    code: "cancel_too_late",
    message: ["error.cancel_too_late"],
  },

  // --- GET /api/v1/me/signups: only the token can be wrong
  {
    name: "a token that is not one",
    route: "api.v1.me.signups",
    method: "GET",
    who: "anonymous",
    options: () => ({ token: "hth_" + "x".repeat(43) }),
    status: 401,
    code: "invalid_token",
    message: ["api.invalidToken"],
  },
  {
    name: "a garbage bearer",
    route: "api.v1.me.signups",
    method: "GET",
    who: "anonymous",
    options: () => ({ token: "' OR 1=1 --" }),
    status: 401,
    code: "invalid_token",
  },
  {
    name: "another scheme",
    route: "api.v1.me.signups",
    method: "GET",
    who: "anonymous",
    options: () => ({ headers: { Authorization: "Basic dXNlcjpwYXNz" } }),
    status: 401,
    code: "invalid_token",
  },
  {
    name: "no token",
    route: "api.v1.me.signups",
    method: "GET",
    who: "anonymous",
    options: () => ({}),
    status: 401,
    code: "not_signed_in",
    message: ["api.notSignedIn"],
  },

  // --- GET and POST /api/v1/people
  {
    name: "no query",
    route: "api.v1.people",
    method: "GET",
    who: "coordinator",
    options: () => ({}),
    status: 422,
    code: "invalid_input",
    field: "q",
  },
  {
    name: "an empty query",
    route: "api.v1.people",
    method: "GET",
    who: "coordinator",
    options: () => ({ query: "q=%20%20" }),
    status: 422,
    code: "invalid_input",
    field: "q",
  },
  {
    name: "an oversized query",
    route: "api.v1.people",
    method: "GET",
    who: "coordinator",
    options: () => ({ query: "q=" + encodeURIComponent(big(51)) }),
    status: 422,
    code: "invalid_input",
    field: "q",
  },
  {
    name: "a NUL in the query",
    route: "api.v1.people",
    method: "GET",
    who: "coordinator",
    options: () => ({ query: "q=%00" }),
    status: 422,
    code: "invalid_input",
    field: "q",
  },
  {
    name: "no name",
    route: "api.v1.people",
    method: "POST",
    who: "coordinator",
    options: () => ({ body: { phone: "13800001111" } }),
    status: 422,
    code: "invalid_input",
    field: "fullName",
    message: ["api.invalidInput", { details: "fullName: 请填写这一项。" }],
  },
  {
    name: "a blank name",
    route: "api.v1.people",
    method: "POST",
    who: "coordinator",
    options: () => ({ body: { fullName: "   " } }),
    status: 422,
    code: "invalid_input",
    field: "fullName",
  },
  {
    name: "an oversized name",
    route: "api.v1.people",
    method: "POST",
    who: "coordinator",
    options: () => ({ body: { fullName: big(101) } }),
    status: 422,
    code: "invalid_input",
    field: "fullName",
  },
  {
    name: "a name as a number",
    route: "api.v1.people",
    method: "POST",
    who: "coordinator",
    options: () => ({ body: { fullName: 42 } }),
    status: 422,
    code: "invalid_input",
    field: "fullName",
  },
  {
    name: "a bad phone",
    route: "api.v1.people",
    method: "POST",
    who: "coordinator",
    options: () => ({ body: { fullName: "张三", phone: "call me" } }),
    status: 422,
    code: "invalid_input",
    field: "phone",
  },
  {
    name: "a bad email",
    route: "api.v1.people",
    method: "POST",
    who: "coordinator",
    options: () => ({ body: { fullName: "张三", email: "not-an-email" } }),
    status: 422,
    code: "invalid_input",
    field: "email",
  },
  ...[1800, 3000, "1950", 1950.5].map((birthYear): Case => ({
    name: `birth year ${JSON.stringify(birthYear)}`,
    route: "api.v1.people",
    method: "POST",
    who: "coordinator",
    options: () => ({ body: { fullName: "张三", birthYear } }),
    status: 422,
    code: "invalid_input",
    field: "birthYear",
  })),
  {
    name: "oversized needs",
    route: "api.v1.people",
    method: "POST",
    who: "coordinator",
    options: () => ({ body: { fullName: "张三", needs: big(201) } }),
    status: 422,
    code: "invalid_input",
    field: "needs",
  },
  {
    name: "a NUL in the name",
    route: "api.v1.people",
    method: "POST",
    who: "coordinator",
    options: () => ({ body: { fullName: "张\u0000三" } }),
    status: 422,
    code: "invalid_input",
    field: "fullName",
  },
  {
    name: "an unknown field",
    route: "api.v1.people",
    method: "POST",
    who: "coordinator",
    options: () => ({ body: { fullName: "张三", stationId: 2 } }),
    status: 422,
    code: "invalid_input",
    field: "stationId",
  },

  // --- POST /api/v1/activities
  {
    name: "no body",
    route: "api.v1.activities",
    method: "POST",
    who: "coordinator",
    options: () => ({}),
    status: 422,
    code: "invalid_input",
    field: "title",
  },
  {
    name: "a negative capacity",
    route: "api.v1.activities",
    method: "POST",
    who: "coordinator",
    options: (fx) => ({ body: activity(fx, { capacity: -5 }) }),
    status: 422,
    code: "invalid_input",
    field: "capacity",
  },
  {
    name: "a 2-minute session",
    route: "api.v1.activities",
    method: "POST",
    who: "coordinator",
    options: (fx) => ({ body: activity(fx, { durationMinutes: 2 }) }),
    status: 422,
    code: "invalid_input",
    field: "durationMinutes",
  },
  {
    name: "30 February",
    route: "api.v1.activities",
    method: "POST",
    who: "coordinator",
    options: (fx) => ({ body: activity(fx, { startDate: "2027-02-30" }) }),
    status: 422,
    code: "invalid_input",
    field: "startDate",
  },
  {
    name: "25 o'clock",
    route: "api.v1.activities",
    method: "POST",
    who: "coordinator",
    options: (fx) => ({ body: activity(fx, { startTime: "25:00" }) }),
    status: 422,
    code: "invalid_input",
    field: "startTime",
  },
  {
    name: "an oversized title",
    route: "api.v1.activities",
    method: "POST",
    who: "coordinator",
    options: (fx) => ({ body: activity(fx, { title: big(121) }) }),
    status: 422,
    code: "invalid_input",
    field: "title",
  },
  {
    name: "a yearly rule",
    route: "api.v1.activities",
    method: "POST",
    who: "coordinator",
    options: (fx) => ({ body: activity(fx, { rule: { freq: "YEARLY" } }) }),
    status: 422,
    code: "invalid_input",
    field: "rule.freq",
  },
  {
    name: "a rule as text",
    route: "api.v1.activities",
    method: "POST",
    who: "coordinator",
    options: (fx) => ({ body: activity(fx, { rule: "FREQ=DAILY" }) }),
    status: 422,
    code: "invalid_input",
    field: "rule",
  },
  {
    name: "count and until together",
    route: "api.v1.activities",
    method: "POST",
    who: "coordinator",
    options: (fx) => ({ body: activity(fx, { rule: { freq: "DAILY", interval: 1, count: 3, until: stationDate(30) } }) }),
    status: 422,
    code: "invalid_input",
    field: "rule.count",
    message: ["api.invalidInput", { details: "rule.count: 结束日期和次数只能选一种。" }],
  },
  {
    name: "until before the start",
    route: "api.v1.activities",
    method: "POST",
    who: "coordinator",
    options: (fx) => ({ body: activity(fx, { rule: { freq: "DAILY", until: stationDate(1) } }) }),
    status: 422,
    code: "invalid_input",
    field: "rule.until",
  },
  {
    name: "weekdays on a monthly rule",
    route: "api.v1.activities",
    method: "POST",
    who: "coordinator",
    options: (fx) => ({ body: activity(fx, { rule: { freq: "MONTHLY", byWeekday: ["MO"] } }) }),
    status: 422,
    code: "invalid_input",
    field: "rule.byWeekday",
  },
  {
    name: "a zero interval",
    route: "api.v1.activities",
    method: "POST",
    who: "coordinator",
    options: (fx) => ({ body: activity(fx, { rule: { freq: "DAILY", interval: 0 } }) }),
    status: 422,
    code: "invalid_input",
    field: "rule.interval",
  },
  {
    name: "an unknown category",
    route: "api.v1.activities",
    method: "POST",
    who: "coordinator",
    options: (fx) => ({ body: activity(fx, { categoryId: 2147483647 }) }),
    status: 404,
    code: "not_found",
  },
  {
    name: "a bad exception date",
    route: "api.v1.activities",
    method: "POST",
    who: "coordinator",
    options: (fx) => ({ body: activity(fx, { exdates: ["soon"] }) }),
    status: 422,
    code: "invalid_input",
    field: "exdates.0",
  },
  {
    name: "too many exception dates",
    route: "api.v1.activities",
    method: "POST",
    who: "coordinator",
    options: (fx) => ({ body: activity(fx, { exdates: Array.from({ length: 400 }, () => "2027-01-01") }) }),
    status: 422,
    code: "invalid_input",
    field: "exdates",
  },
  {
    name: "a party limit of 11",
    route: "api.v1.activities",
    method: "POST",
    who: "coordinator",
    options: (fx) => ({ body: activity(fx, { maxPartySize: 11 }) }),
    status: 422,
    code: "invalid_input",
    field: "maxPartySize",
  },
  {
    name: "a reminder more than a week ahead",
    route: "api.v1.activities",
    method: "POST",
    who: "coordinator",
    options: (fx) => ({ body: activity(fx, { reminderMinutes: 10081 }) }),
    status: 422,
    code: "invalid_input",
    field: "reminderMinutes",
  },
  {
    name: "a day-of reminder as text",
    route: "api.v1.activities",
    method: "POST",
    who: "coordinator",
    options: (fx) => ({ body: activity(fx, { remindDayOf: "yes" }) }),
    status: 422,
    code: "invalid_input",
    field: "remindDayOf",
  },
];

function streamOf(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode('{"email":"' + "a".repeat(1014) + '"');
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      controller.enqueue(chunk);
      sent += chunk.byteLength;
    },
  });
}

for (const backend of backends) {
  describe(`API bad input on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    const users = {} as Record<Exclude<Who, "anonymous">, ApiUser>;
    const fx = {} as Fixture;

    beforeAll(async () => {
      const stationId = (await ensureStation(t.db)).id;
      users.resident = await makeApiUser(t.db, stationId, ["resident"], "王秀英");
      users.coordinator = await makeApiUser(t.db, stationId, ["coordinator"]);
      const other = await makeApiUser(t.db, stationId, ["resident"], "赵大伟");
      const actor = (u: ApiUser) => ({ accountId: u.accountId, personId: u.personId, roles: u.roles });
      const book = (sessionId: number, u: ApiUser, partySize = 1) =>
        signUp(t.db, { stationId, actor: actor(u) }, { sessionId, personId: u.personId, partySize });

      fx.sessionId = (await makeSession(t.db, stationId, { capacity: 20 })).sessionId;
      // Each booked session on its own day: nobody holds two places at once.
      fx.bookedSessionId = (await makeSession(t.db, stationId, { capacity: 20, daysAhead: 4 })).sessionId;
      fx.residentSignupId = (await book(fx.bookedSessionId, users.resident)).id;
      fx.otherSignupId = (await book(fx.bookedSessionId, other)).id;
      fx.closedSessionId = (await makeSession(t.db, stationId, { capacity: 20, closesMinutes: 7 * 24 * 60 })).sessionId;
      fx.notOpenSessionId = (await makeSession(t.db, stationId, { capacity: 20, daysAhead: 30, opensDays: 14 })).sessionId;
      fx.cancelledSessionId = (await makeSession(t.db, stationId, { capacity: 20 })).sessionId;
      await t.db.update(sessions).set({ status: "cancelled" }).where(eq(sessions.id, fx.cancelledSessionId));
      const late = await makeSession(t.db, stationId, { capacity: 20, daysAhead: 2, cancelDeadlineMinutes: 5 * 24 * 60 });
      fx.lateSignupId = (await book(late.sessionId, users.resident)).id;
      fx.categoryId = await categoryId(t.db, stationId, "tai-chi");
      fx.otherPersonId = other.personId;
      fx.residentEmail = users.resident.email;
    });

    for (const c of CASES) {
      it(`${c.method} ${c.route}: ${c.name} -> ${c.status} ${c.code}`, async () => {
        const options = c.options(fx);
        const before = await countApiRows(t.db);
        const result = await callApi(c.route, c.method, {
          ...options,
          token: options.token ?? (c.who === "anonymous" ? undefined : users[c.who].token),
        });
        const error = expectError(result, c.status, c.code);
        if (c.field) expect(Object.keys(error.fields ?? {}), result.text).toContain(c.field);
        const locale = options.lang?.startsWith("en") ? "en" : "zh-CN";
        if (c.message) expect(error.message).toBe(text(locale, c.message[0], c.message[1]));
        // Chinese unless English was asked for: at least one CJK character, or none at all.
        expect(/[\u4e00-\u9fff]/.test(error.message), error.message).toBe(locale === "zh-CN");
        expect(await countApiRows(t.db)).toEqual(before);
      });
    }

    it("reports the existing signup when signing up twice", async () => {
      const result = await callApi("api.v1.sessions.$id.signups", "POST", {
        token: users.resident.token,
        params: { id: String(fx.bookedSessionId) },
      });
      expect(expectError(result, 409, "already_signed_up").params).toEqual({ signupId: fx.residentSignupId });
    });

    it("answers unknown addresses under /api/v1 with a JSON 404", async () => {
      const result = await callApi("api.v1.$", "GET", { params: { "*": "nothing/here" } });
      expectError(result, 404, "not_found");
    });
  });
}
