import type { LoaderFunctionArgs } from "@remix-run/node";
import { DateTime } from "luxon";
import { z } from "zod";
import { DomainError, domainErrorOf } from "#models/errors";
import { MAX_BODY_BYTES } from "#models/limits";
import { translator, type Translate } from "~/i18n";
import { apiError, apiLocale } from "./api-reply.server";
import { readBodyBytes } from "./body.server";
import { apiCodeOf, domainMessage, retryAfter } from "./domain-error.server";
import { idOf, instantOf, isIsoDate, issueFields } from "./fields";
import { authorizeApi } from "./guard.server";
import { reportRequestError } from "./log.server";

export { STAFF, ADMIN, DESK, authorizeApi, type RequestContext as ApiContext, type AuthorisedContext as AuthorisedApiContext } from "./guard.server";
export { apiJson, apiError, apiLocale } from "./api-reply.server";
// Routes import `json` from ./fields themselves: their `spec` export stays in the client build,
// which must not reach this server module.
export { json } from "./fields";
export { MAX_BODY_BYTES };

/**
 * The JSON API's glue (docs/decisions/0005-json-api.md) around the one guard and the one set of
 * field schemas: method dispatch, the JSON body and query, and domain errors as JSON errors.
 */

/** A domain error as the API's JSON error, in the caller's language. */
export function domainError(error: DomainError, t: Translate): Response {
  const wait = retryAfter(error);
  return apiError(error.status, apiCodeOf(error), domainMessage(error, t), { params: error.params, headers: wait ? { "Retry-After": wait } : {} });
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
      const domain = domainErrorOf(error);
      if (domain) return domainError(domain, t);
      reportRequestError(args.context.requestId, args.request.method, args.request.url, error);
      return apiError(500, "server_error", t("error.server"));
    }
  }
  return { loader: handle, action: handle };
}

// ---------------------------------------------------------------- input

/** Path ids are positive int4s; anything else names nothing: 404. */
export function parseApiId(value: string | undefined, t: Translate): number {
  const id = idOf(value);
  if (id === null) throw apiError(404, "not_found", t("error.not_found"));
  return id;
}

const isJsonType = (type: string | null) => !!type && /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type.trim());

/** The body as text, refused past MAX_BODY_BYTES whatever Content-Length claims. */
async function readBody(request: Request, t: Translate): Promise<string> {
  const bytes = await readBodyBytes(request, () => apiError(413, "body_too_large", t("api.tooLarge", { kib: MAX_BODY_BYTES / 1024 })));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
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
  const fields = issueFields(result.error, t, "json");
  const details = Object.entries(fields)
    .map(([field, message]) => `${field}: ${message}`)
    .join("; ");
  throw apiError(422, "invalid_input", t("api.invalidInput", { details }), { fields });
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
