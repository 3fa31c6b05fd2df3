import { data } from "@remix-run/node";
import { z } from "zod";
import { DomainError } from "#models/errors";
import { isMessageKey, type MessageKey, type Translate } from "~/i18n";

/** Route ids are positive integers; anything else is a 404 in the user's language, not a 500. */
export function parseId(value: string | undefined, t: Translate): number {
  const id = value && /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(id) || id > 2_147_483_647) throw new Response(t("error.notFound"), { status: 404 });
  return id;
}

export const notFound = (t: Translate) => new Response(t("error.notFound"), { status: 404 });

export type FieldErrors = Record<string, string>;

/** A form action's reply when input is refused: the status and the messages, nothing written. */
export const formError = (status: number, formError: string, fieldErrors: FieldErrors = {}) =>
  data({ ok: false as const, formError, fieldErrors }, { status });

function messageFor(issue: z.core.$ZodIssue, t: Translate): string {
  const params: Record<string, string | number> = {};
  if ("minimum" in issue) params.min = Number(issue.minimum);
  if ("maximum" in issue) params.max = Number(issue.maximum);
  if (issue.code === "custom" && issue.params) Object.assign(params, issue.params);
  if (issue.message && isMessageKey(issue.message)) return t(issue.message, params);
  switch (issue.code) {
    case "too_big":
      if (issue.origin === "string") return t("field.tooLong", params);
      return issue.origin === "array" || issue.origin === "set" ? t("field.tooMany", params) : t("field.max", params);
    case "too_small":
      return issue.origin === "string" || issue.origin === "array" ? t("field.required") : t("field.min", params);
    case "invalid_type":
      return issue.expected === "number" ? t("field.number") : t("field.required");
    case "invalid_value":
      return t("field.choice");
    default:
      return t("error.badRequest");
  }
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

// NUL and other C0 controls (bar tab and line breaks) have no business in a form and
// PostgreSQL refuses NUL in text: refuse them here, for every field of every form.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function parseForm<S extends z.ZodType>(
  formData: FormData,
  schema: S,
  t: Translate,
  lists: readonly string[] = [],
): { ok: true; data: z.output<S> } | { ok: false; fieldErrors: FieldErrors } {
  const values = formToObject(formData, lists);
  const unsafe = Object.entries(values).filter(([, v]) => [v].flat().some((x) => typeof x === "string" && CONTROL_CHARACTERS.test(x)));
  if (unsafe.length) return { ok: false, fieldErrors: Object.fromEntries(unsafe.map(([key]) => [key, t("field.characters")])) };
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "_form");
    fieldErrors[field] ??= messageFor(issue, t);
  }
  return { ok: false, fieldErrors };
}

/** Maps a domain error to the reply of a form action; other errors propagate. */
export function domainFormError(error: unknown, t: Translate) {
  if (!(error instanceof DomainError)) throw error;
  const key = `error.${error.code}`;
  return formError(error.status, isMessageKey(key) ? t(key as MessageKey, error.params) : t("error.badRequest"));
}

/** Reads a form body; a body that is not a form is a 400, not a crash. */
export async function readForm(request: Request, t: Translate): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw new Response(t("error.badRequest"), { status: 400 });
  }
}

// Reusable field schemas. Messages are catalog keys; parseForm translates them.
export const fields = {
  text: (max: number) => z.string().trim().min(1, "field.required").max(max),
  optionalText: (max: number) => z.string().trim().max(max).default(""),
  int: (min: number, max: number) =>
    z
      .string()
      .trim()
      .regex(/^-?[0-9]{1,9}$/, "field.number")
      .transform(Number)
      .refine((n) => n >= min && n <= max, { message: "field.range", params: { min, max } }),
  /**
   * A row id from a form: a positive PostgreSQL integer, all ten digits of it (int()'s nine
   * would call a real id past 999 999 999 "not a number"); past the range it is refused,
   * never sent to the database.
   */
  id: () =>
    z
      .string()
      .trim()
      .regex(/^-?[0-9]{1,10}$/, "field.number")
      .transform(Number)
      .refine((n) => n >= 1 && n <= 2_147_483_647, { message: "field.range", params: { min: 1, max: 2_147_483_647 } }),
  optionalInt: (min: number, max: number) =>
    z
      .string()
      .trim()
      .regex(/^(-?[0-9]{1,9})?$/, "field.number")
      .transform((v) => (v === "" ? null : Number(v)))
      .refine((n) => n === null || (n >= min && n <= max), { message: "field.range", params: { min, max } }),
  date: () =>
    z
      .string()
      .trim()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "field.date")
      .refine(isRealDate, "field.date"),
  time: () =>
    z
      .string()
      .trim()
      .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, "field.time"),
  email: () => z.string().trim().toLowerCase().max(200).pipe(z.email("field.email")),
  password: () => z.string().min(8, "field.password").max(200, "field.password"),
};

function isRealDate(value: string) {
  const [y, m, d] = value.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 2000 && y <= 2100 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
