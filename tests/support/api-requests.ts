// Calls the JSON API's route modules the way Remix does (GET/HEAD -> loader, the rest ->
// action), with bearer tokens, JSON bodies and Accept-Language, and checks every reply
// against the OpenAPI document: the status must be documented for the operation and the
// body must match its schema (see api-schema.ts).
import { expect } from "vitest";
import * as authToken from "../../app/routes/api.v1.auth.token";
import * as categories from "../../app/routes/api.v1.categories";
import * as sessionsList from "../../app/routes/api.v1.sessions";
import * as sessionOne from "../../app/routes/api.v1.sessions.$id";
import * as sessionSignups from "../../app/routes/api.v1.sessions.$id.signups";
import * as signupOne from "../../app/routes/api.v1.signups.$id";
import * as mySignups from "../../app/routes/api.v1.me.signups";
import * as people from "../../app/routes/api.v1.people";
import * as activities from "../../app/routes/api.v1.activities";
import * as sessionRoster from "../../app/routes/api.v1.sessions.$id.roster";
import * as needAssignments from "../../app/routes/api.v1.needs.$id.assignments";
import * as assignmentOne from "../../app/routes/api.v1.assignments.$id";
import * as myShifts from "../../app/routes/api.v1.me.shifts";
import * as openapiJson from "../../app/routes/api.v1.openapi[.]json";
import * as notFound from "../../app/routes/api.v1.$";
import * as sessionCheckins from "../../app/routes/api.v1.sessions.$id.checkins";
import * as sessionCheckinOne from "../../app/routes/api.v1.sessions.$id.checkins.$personId";
import * as serviceLines from "../../app/routes/api.v1.service-lines";
import * as visits from "../../app/routes/api.v1.visits";
import * as visitOne from "../../app/routes/api.v1.visits.$id";
import * as monthlyReport from "../../app/routes/api.v1.reports.monthly";
import * as consultationServices from "../../app/routes/api.v1.consultation-services";
import * as consultationSlots from "../../app/routes/api.v1.consultation-services.$id.slots";
import * as consultationWaitlist from "../../app/routes/api.v1.consultation-services.$id.waitlist";
import * as consultationOffer from "../../app/routes/api.v1.consultation-offers.$id";
import * as consultationOfferBooking from "../../app/routes/api.v1.consultation-offers.$id.booking";
import * as consultationSlotBooking from "../../app/routes/api.v1.consultation-slots.$id.booking";
import * as consultationBookingOne from "../../app/routes/api.v1.consultation-bookings.$id";
import * as consultationHours from "../../app/routes/api.v1.consultation-hours";
import * as consultationHoursEnd from "../../app/routes/api.v1.consultation-hours.$id.end";
import * as myConsultations from "../../app/routes/api.v1.me.consultations";
import * as myConsultationWaitlist from "../../app/routes/api.v1.me.consultation-waitlist";
import * as myHouseholds from "../../app/routes/api.v1.me.households";
import * as callListRoute from "../../app/routes/api.v1.call-list";
import * as callMarks from "../../app/routes/api.v1.call-list.$personId.calls";
import * as callMarkOne from "../../app/routes/api.v1.call-list.$personId.calls.$sessionId";
import * as myExport from "../../app/routes/api.v1.me.export";
import * as personExport from "../../app/routes/api.v1.people.$id.export";
import * as personErasure from "../../app/routes/api.v1.people.$id.erasure";
import * as myErasure from "../../app/routes/api.v1.me.erasure";
import { openApiDocument } from "../../app/lib/openapi";
import { documentedReply } from "./api-schema";

type Handler = (args: { request: Request; params: Record<string, string | undefined>; context: Record<string, unknown> }) => Promise<Response>;
export interface RouteModule {
  loader: Handler;
  action: Handler;
}

/** Every API route file (name without extension) -> its module; checked against app/routes. */
export const API_ROUTES: Record<string, RouteModule> = {
  "api.v1.auth.token": authToken,
  "api.v1.categories": categories,
  "api.v1.sessions": sessionsList,
  "api.v1.sessions.$id": sessionOne,
  "api.v1.sessions.$id.signups": sessionSignups,
  "api.v1.signups.$id": signupOne,
  "api.v1.me.signups": mySignups,
  "api.v1.people": people,
  "api.v1.activities": activities,
  "api.v1.sessions.$id.roster": sessionRoster,
  "api.v1.needs.$id.assignments": needAssignments,
  "api.v1.assignments.$id": assignmentOne,
  "api.v1.me.shifts": myShifts,
  "api.v1.openapi[.]json": openapiJson,
  "api.v1.$": notFound,
  "api.v1.sessions.$id.checkins": sessionCheckins,
  "api.v1.sessions.$id.checkins.$personId": sessionCheckinOne,
  "api.v1.service-lines": serviceLines,
  "api.v1.visits": visits,
  "api.v1.visits.$id": visitOne,
  "api.v1.reports.monthly": monthlyReport,
  "api.v1.consultation-services": consultationServices,
  "api.v1.consultation-services.$id.slots": consultationSlots,
  "api.v1.consultation-services.$id.waitlist": consultationWaitlist,
  "api.v1.consultation-offers.$id": consultationOffer,
  "api.v1.consultation-offers.$id.booking": consultationOfferBooking,
  "api.v1.consultation-slots.$id.booking": consultationSlotBooking,
  "api.v1.consultation-bookings.$id": consultationBookingOne,
  "api.v1.consultation-hours": consultationHours,
  "api.v1.consultation-hours.$id.end": consultationHoursEnd,
  "api.v1.me.consultations": myConsultations,
  "api.v1.me.consultation-waitlist": myConsultationWaitlist,
  "api.v1.me.households": myHouseholds,
  "api.v1.call-list": callListRoute,
  "api.v1.call-list.$personId.calls": callMarks,
  "api.v1.call-list.$personId.calls.$sessionId": callMarkOne,
  "api.v1.me.export": myExport,
  "api.v1.people.$id.export": personExport,
  "api.v1.people.$id.erasure": personErasure,
  "api.v1.me.erasure": myErasure,
} as unknown as Record<string, RouteModule>;

export type RouteName = keyof typeof API_ROUTES;
export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof METHODS)[number];

/** The URL path of a route file, OpenAPI style: api.v1.sessions.$id -> /api/v1/sessions/{id}. */
export function pathOf(route: string): string {
  return (
    "/" +
    route
      .replace("[.]", "\u0000")
      .split(".")
      .map((segment) => (segment.startsWith("$") ? `{${segment.slice(1)}}` : segment))
      .join("/")
      .replace("\u0000", ".")
  );
}

export interface ApiOptions {
  token?: string;
  /** Sent as JSON unless `raw` is given. */
  body?: unknown;
  raw?: BodyInit;
  contentType?: string | null;
  lang?: string;
  query?: string;
  params?: Record<string, string>;
  headers?: Record<string, string>;
  ip?: string;
  /** Skip the check against the document (for probing which methods a route accepts). */
  unchecked?: boolean;
}

export interface ApiResult {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- replies are checked against the document, then read freely
  json: any;
  text: string;
}

const BASE = "http://localhost:3000";

export function apiRequest(method: Method, path: string, options: ApiOptions = {}): Request {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
  if (options.lang) headers["Accept-Language"] = options.lang;
  let body: BodyInit | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  const contentType = options.contentType === undefined ? (body !== undefined ? "application/json" : null) : options.contentType;
  if (contentType) headers["Content-Type"] = contentType;
  return new Request(BASE + path + (options.query ? `?${options.query}` : ""), {
    method,
    headers,
    body,
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
}

/** Calls a route; fills `{id}` in its path from params. Fails the test on a thrown non-Response. */
export async function callApi(route: RouteName, method: Method, options: ApiOptions = {}): Promise<ApiResult> {
  const mod = API_ROUTES[route]!;
  const params = options.params ?? {};
  const path = pathOf(route).replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? "");
  const request = apiRequest(method, path, options);
  const handler = method === "GET" ? mod.loader : mod.action;
  const response = await handler({ request, params, context: { ip: options.ip ?? "127.0.0.1" } });
  expect(response, `${method} ${path} returned something that is not a Response`).toBeInstanceOf(Response);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${method} ${path}: not JSON (${response.status}): ${text.slice(0, 200)}`);
  }
  expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
  if (!options.unchecked && route !== "api.v1.$" && response.status !== 405) {
    const problems = documentedReply(openApiDocument(), pathOf(route), method, response.status, json);
    expect(problems, `${method} ${path} -> ${response.status} ${text.slice(0, 300)}`).toEqual([]);
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** Asserts the JSON error shape and returns the error. */
export function expectError(result: ApiResult, status: number, code?: string) {
  expect(result.status, result.text).toBe(status);
  expect(Object.keys(result.json)).toEqual(["error"]);
  expect(typeof result.json.error.code).toBe("string");
  expect(typeof result.json.error.message).toBe("string");
  expect(result.json.error.message.length).toBeGreaterThan(0);
  if (code) expect(result.json.error.code).toBe(code);
  return result.json.error as { code: string; message: string; params?: Record<string, unknown>; fields?: Record<string, string> };
}
