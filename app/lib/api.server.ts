import type { LoaderFunctionArgs } from "@remix-run/node";
import { DateTime } from "luxon";
import { z } from "zod";
import { getDb, type Db } from "#models/db";
import { getViewer, hasAnyRole, type Viewer } from "#models/auth";
import { getApiTokenAccountId } from "#models/api-tokens";
import { DomainError } from "#models/errors";
import type { Station } from "#models/stations";
import { DEFAULT_LOCALE, isMessageKey, translator, type Locale, type MessageKey, type Translate } from "~/i18n";
import { currentStation, type Policy } from "./guard.server";
import { reportRequestError } from "./log.server";
import { isRealUtcOffset } from "./utc-offset";

export { STAFF, ADMIN } from "./guard.server";

/**
 * The JSON API's guard and glue (docs/decisions/0005-json-api.md). The same policies as the
 * pages' guard, but the caller is known by `Authorization: Bearer <token>` only (no cookies,
 * so no CSRF), speaks the language of `Accept-Language`, and every refusal is JSON:
 * `{"error": {"code", "message", params?, fields?}}`.
 */
export interface ApiContext {
  db: Db;
  station: Station;
  viewer: Viewer | null;
  locale: Locale;
  t: Translate;
}
export type AuthorisedApiContext = ApiContext & { viewer: Viewer };

export const MAX_BODY_BYTES = 64 * 1024;
const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };

export function apiJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

interface ErrorExtra {
  params?: Record<string, string | number>;
  fields?: Record<string, string>;
  headers?: Record<string, string>;
}

export function apiError(status: number, code: string, message: string, extra: ErrorExtra = {}): Response {
  const error: Record<string, unknown> = { code, message };
  if (extra.params && Object.keys(extra.params).length) error.params = extra.params;
  if (extra.fields) error.fields = extra.fields;
  return apiJson({ error }, status, extra.headers);
}

/** zh-CN unless the caller ranks English above Chinese (q-values honoured, order breaks ties). */
export function apiLocale(request: Request): Locale {
  const header = request.headers.get("Accept-Language")?.slice(0, 500);
  if (!header) return DEFAULT_LOCALE;
  const ranges = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().toLowerCase().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { tag: tag.trim(), q: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranges) {
    if (tag === "zh" || tag.startsWith("zh-")) return "zh-CN";
    if (tag === "en" || tag.startsWith("en-")) return "en";
  }
  return DEFAULT_LOCALE;
}

const BEARER = /^Bearer +(\S{1,200})$/i;
const challenge = (error?: string) => ({ "WWW-Authenticate": `Bearer realm="hearth"${error ? `, error="${error}"` : ""}` });

/**
 * The one guard of the API. Every loader and action calls it first: it resolves the station,
 * the caller (from the bearer token) and their language, and stops the request with a JSON
 * 401 (no or bad token) or 403 (role missing) when the policy does not let them in. A token
 * that is sent but not valid is refused even on public routes: the client meant to be someone.
 */
export async function authorizeApi(request: Request, policy: "public"): Promise<ApiContext>;
export async function authorizeApi(request: Request, policy: "signed-in" | Exclude<Policy, string>): Promise<AuthorisedApiContext>;
export async function authorizeApi(request: Request, policy: Policy): Promise<ApiContext> {
  const locale = apiLocale(request);
  const t = translator(locale);
  const db = await getDb();
  const station = await currentStation(db);
  const header = request.headers.get("Authorization");
  let viewer: Viewer | null = null;
  if (header !== null) {
    const token = BEARER.exec(header.trim())?.[1];
    const accountId = token ? await getApiTokenAccountId(db, token) : null;
    viewer = accountId ? await getViewer(db, accountId, station.id) : null;
    if (!viewer) throw apiError(401, "invalid_token", t("api.invalidToken"), { headers: challenge("invalid_token") });
  }
  const context: ApiContext = { db, station, viewer, locale, t };
  if (policy === "public") return context;
  if (!viewer) throw apiError(401, "not_signed_in", t("api.notSignedIn"), { headers: challenge() });
  if (policy !== "signed-in" && !hasAnyRole(viewer, policy)) throw apiError(403, "not_allowed", t("error.not_allowed"));
  return context;
}

/** A domain error as the API's JSON error, in the caller's language. */
export function domainError(error: DomainError, t: Translate): Response {
  const key = `error.${error.code}`;
  const headers: Record<string, string> = {};
  if (error.status === 429) headers["Retry-After"] = String(Number(error.params.minutes ?? 15) * 60);
  if (error.status === 503) headers["Retry-After"] = "1";
  return apiError(error.status, error.code, isMessageKey(key) ? t(key, error.params) : t("error.badRequest"), { params: error.params, headers });
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type ApiArgs = Pick<LoaderFunctionArgs, "request" | "params" | "context">;
type ApiHandler = (args: ApiArgs) => Promise<Response>;

/**
 * A resource route's loader and action from its handlers by method. Each handler starts with
 * `authorizeApi`; here: method dispatch (405 with Allow for the rest), and the last line of
 * defence — a domain error becomes its JSON status, anything unexpected a JSON 500, logged.
 */
export function apiRoute(handlers: Partial<Record<Method, ApiHandler>>) {
  const allow = Object.keys(handlers).join(", ");
  async function handle(args: ApiArgs): Promise<Response> {
    const method = args.request.method.toUpperCase();
    const handler = handlers[(method === "HEAD" ? "GET" : method) as Method];
    try {
      if (!handler) {
        const { t } = await authorizeApi(args.request, "public");
        return apiError(405, "method_not_allowed", t("api.methodNotAllowed", { method: method.slice(0, 10) }), { headers: { Allow: allow } });
      }
      return await handler(args);
    } catch (error) {
      if (error instanceof Response) return error;
      const t = translator(apiLocale(args.request));
      if (error instanceof DomainError) return domainError(error, t);
      reportRequestError(args.context.requestId, args.request.method, args.request.url, error);
      return apiError(500, "server_error", t("error.server"));
    }
  }
  return { loader: handle, action: handle };
}

// ---------------------------------------------------------------- input

/** Path ids are positive int4s; anything else names nothing: 404. */
export function parseApiId(value: string | undefined, t: Translate): number {
  const id = value && /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : NaN;
  if (!(id <= 2_147_483_647)) throw apiError(404, "not_found", t("error.not_found"));
  return id;
}

const isJsonType = (type: string | null) => !!type && /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type.trim());

/** The body as text, refused past MAX_BODY_BYTES whatever Content-Length claims. */
async function readBody(request: Request, t: Translate): Promise<string> {
  const tooLarge = () => apiError(413, "body_too_large", t("api.tooLarge", { kib: MAX_BODY_BYTES / 1024 }));
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    // Stop reading, but do not cancel: over Express that destroys the socket, and the 413 with it.
    if (size > MAX_BODY_BYTES) {
      reader.releaseLock();
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw apiError(400, "malformed_json", t("api.malformedJson"));
  }
}

/** Reads and validates a JSON body. No body at all counts as `{}` (every field left out). */
export async function readJson<S extends z.ZodType>(request: Request, schema: S, t: Translate): Promise<z.output<S>> {
  const text = await readBody(request, t);
  let value: unknown = {};
  if (text.trim() !== "") {
    if (!isJsonType(request.headers.get("Content-Type"))) throw apiError(415, "unsupported_media_type", t("api.unsupportedMediaType"));
    try {
      value = JSON.parse(text);
    } catch {
      throw apiError(400, "malformed_json", t("api.malformedJson"));
    }
  }
  return validate(schema, value, t);
}

/** The query string as an object (first value of each name) validated like a body. */
export function readQuery<S extends z.ZodType>(request: Request, schema: S, t: Translate): z.output<S> {
  const params = new URL(request.url).searchParams;
  return validate(schema, Object.fromEntries([...new Set(params.keys())].map((k) => [k, params.get(k)])), t);
}

export function validate<S extends z.ZodType>(schema: S, value: unknown, t: Translate): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fields[[...issue.path, key].join(".")] ??= t("api.unknownField");
      continue;
    }
    fields[issue.path.map(String).join(".") || "body"] ??= issueMessage(issue, t);
  }
  const details = Object.entries(fields)
    .map(([field, message]) => `${field}: ${message}`)
    .join("; ");
  throw apiError(422, "invalid_input", t("api.invalidInput", { details }), { fields });
}

function issueMessage(issue: z.core.$ZodIssue, t: Translate): string {
  if (isMessageKey(issue.message)) return t(issue.message, "params" in issue && issue.params ? (issue.params as Record<string, number>) : {});
  switch (issue.code) {
    case "invalid_type":
      if (!("input" in issue) || issue.input === undefined) return t("field.required");
      return t(expectedKey[issue.expected] ?? "api.wrongType");
    case "too_big":
      return t(issue.origin === "string" ? "field.tooLong" : issue.origin === "array" ? "field.tooMany" : "field.max", {
        max: Number(issue.maximum),
      });
    case "too_small":
      return issue.origin === "string"
        ? t("field.required")
        : issue.origin === "array"
          ? t("api.tooFew", { min: Number(issue.minimum) })
          : t("field.min", { min: Number(issue.minimum) });
    case "invalid_value":
    case "invalid_union":
      return t("field.choice");
    default:
      return t("api.wrongType");
  }
}

const expectedKey: Record<string, MessageKey> = {
  string: "api.expectText",
  // Every number the API takes is a whole one.
  number: "api.expectInteger",
  int: "api.expectInteger",
  boolean: "api.expectBoolean",
  object: "api.expectObject",
  array: "api.expectList",
};

// NUL and other C0 controls have no business in a text field, and PostgreSQL refuses NUL.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const MAX_INT4 = 2_147_483_647;

/** Field schemas for JSON bodies; messages are catalog keys that `validate` translates. */
export const json = {
  text: (max: number) => json.optionalText(max).min(1),
  optionalText: (max: number) =>
    z
      .string()
      .refine((s) => !CONTROL_CHARACTERS.test(s), "field.characters")
      .trim()
      .max(max),
  int: (min: number, max: number) => z.int().refine((n) => n >= min && n <= max, { message: "field.range", params: { min, max } }),
  id: () => json.int(1, MAX_INT4),
  date: () =>
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "field.date")
      .refine((s) => isIsoDate(s), "field.date"),
  time: () => z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, "field.time"),
  /** An instant with its offset, e.g. 2026-12-02T07:30:00+08:00. */
  instant: () =>
    z
      .string()
      .max(40)
      .refine((s) => instantOf(s) !== null, "api.dateTime")
      .transform((s) => instantOf(s)!),
};

function isIsoDate(value: string) {
  const date = DateTime.fromISO(value, { zone: "utc" });
  return date.isValid && date.year >= 2000 && date.year <= 2100;
}

function instantOf(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(value) || !isRealUtcOffset(value)) return null;
  const parsed = DateTime.fromISO(value, { setZone: true });
  return parsed.isValid && parsed.year >= 2000 && parsed.year <= 2100 ? parsed.toJSDate() : null;
}

/** An instant as ISO 8601 with the station's offset: 2026-12-02T07:30:00+08:00. */
export const isoIn = (timeZone: string) => (date: Date) => DateTime.fromJSDate(date, { zone: timeZone }).toISO({ suppressMilliseconds: true })!;

/** One refused field, in the same shape as a failed validation. */
export function invalidField(t: Translate, field: string, message: string): Response {
  return apiError(422, "invalid_input", t("api.invalidInput", { details: `${field}: ${message}` }), { fields: { [field]: message } });
}

/**
 * A query bound: a local date (the start of that day in the station's zone; for an end
 * bound, the start of the next day, so the day is included) or an instant with its offset.
 */
export function parseBound(value: string, timeZone: string, end: boolean): Date | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    if (!isIsoDate(value)) return null;
    const day = DateTime.fromISO(value, { zone: timeZone });
    return (end ? day.plus({ days: 1 }) : day).toJSDate();
  }
  return instantOf(value);
}
