import { data } from "@remix-run/node";
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import { domainErrorOf } from "#models/errors";
import { MAX_BODY_BYTES } from "#models/limits";
import type { Translate } from "~/i18n";
import { readBodyBytes } from "./body.server";
import { domainMessage } from "./domain-error.server";
import { hasUnsafeCharacters, idOf, issueFields } from "./fields";

export { fields } from "./fields";

/**
 * The pages' glue around the one set of field schemas (./fields.ts): a form's body, its
 * validation, and the reply of an action whose input is refused.
 */

/** Route ids are positive integers; anything else is a 404 in the user's language, not a 500. */
export function parseId(value: string | undefined, t: Translate): number {
  const id = idOf(value);
  if (id === null) throw notFound(t);
  return id;
}

export const notFound = (t: Translate) => new Response(t("error.notFound"), { status: 404 });

export type FieldErrors = Record<string, string>;

/**
 * A form action's reply when input is refused: the status and the messages, nothing written.
 * `values` (from `echoOf`) puts what was typed back into the inputs of a page that was sent
 * without JavaScript, where the page is drawn anew from this reply.
 */
export const formError = (status: number, formError: string, fieldErrors: FieldErrors = {}, values?: Record<string, string>) =>
  data({ ok: false as const, formError, fieldErrors, ...(values ? { values } : {}) }, { status });

/** A form's text values to give back with a refusal, less the secret ones (a password is typed again). */
export function echoOf(formData: FormData, secret: readonly string[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of formData) if (typeof value === "string" && !secret.includes(name)) values[name] ??= value;
  return values;
}

/** FormData to a plain object; fields named in `lists` keep all their values. */
export function formToObject(formData: FormData, lists: readonly string[] = []) {
  const object: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    const values = formData.getAll(key).map((v) => (typeof v === "string" ? v : ""));
    object[key] = lists.includes(key) ? values : values[0];
  }
  return object;
}

// Conform keeps these names for its own list and reset buttons, which our forms do not use; a
// posted `__intent__` that is not its JSON would throw inside the parse (a 500), so they go.
const CONFORM_RESERVED = new Set(["__intent__", "__state__"]);

/**
 * A form's fields through its schema, as Conform parses them (`parseWithZod`, the same call the
 * page makes before it submits): repeated names become lists, `a.b` and `a[0]` nest. Our field
 * schemas coerce the strings themselves, so Conform's own coercion is off. Fields named in
 * `lists` are lists even when the form sent one value or none.
 */
export function parseForm<S extends z.ZodType>(
  formData: FormData,
  schema: S,
  t: Translate,
  lists: readonly string[] = [],
): { ok: true; data: z.output<S> } | { ok: false; fieldErrors: FieldErrors } {
  const values = formToObject(formData, lists);
  // Every field, not only the text ones: a hidden input or a select could carry them too.
  const unsafe = Object.entries(values).filter(([, v]) => [v].flat().some((x) => typeof x === "string" && hasUnsafeCharacters(x)));
  if (unsafe.length) return { ok: false, fieldErrors: Object.fromEntries(unsafe.map(([key]) => [key, t("field.characters")])) };
  const payload = new FormData();
  for (const [name, value] of formData) if (!CONFORM_RESERVED.has(name)) payload.append(name, typeof value === "string" ? value : "");
  const withLists = lists.length
    ? z.preprocess((input) => {
        const object = { ...(input as Record<string, unknown>) };
        for (const name of lists) object[name] = object[name] === undefined ? [] : [object[name]].flat();
        return object;
      }, schema)
    : schema;
  const submission = parseWithZod(payload, { schema: withLists, disableAutoCoercion: true, formatError: (issues: z.core.$ZodIssue[]) => issues });
  if (submission.status === "success") return { ok: true, data: submission.value as z.output<S> };
  const issues = Object.values(submission.error ?? {}).flatMap((list) => list ?? []);
  return { ok: false, fieldErrors: issueFields({ issues }, t, "form") };
}

/**
 * A loader's domain refusal as the page's error (404 not found, 403 not allowed, 409 with the
 * reason), in the user's language, instead of a 500; other errors propagate.
 */
export async function orPageError<T>(work: Promise<T>, t: Translate): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const domain = domainErrorOf(error);
    if (domain) throw new Response(domainMessage(domain, t), { status: domain.status });
    throw error;
  }
}

/** Maps a domain error to the reply of a form action; other errors propagate. */
export function domainFormError(error: unknown, t: Translate) {
  const domain = domainErrorOf(error);
  if (!domain) throw error;
  return formError(domain.status, domainMessage(domain, t));
}

/** Reads a form body (at most `limit`, MAX_BODY_BYTES by default); a body that is not a form is a 400, not a crash. */
export async function readForm(request: Request, t: Translate, limit = MAX_BODY_BYTES): Promise<FormData> {
  const bytes = await readBodyBytes(request, () => new Response(t("error.tooLarge", { kib: Math.round(limit / 1024) }), { status: 413 }), limit);
  try {
    const type = request.headers.get("Content-Type") ?? "";
    return await new Response(new Uint8Array(bytes), { headers: { "Content-Type": type } }).formData();
  } catch {
    throw new Response(t("error.badRequest"), { status: 400 });
  }
}
