import { DateTime } from "luxon";
import { z } from "zod";
import { MAX_INT4, PASSWORD, TEXT, YEARS } from "#models/limits";
import { isMessageKey, type MessageKey, type Translate } from "~/i18n";
import { isRealUtcOffset } from "./utc-offset";
import { normaliseMobile, parseSignInName } from "#models/sign-in-names";

/**
 * The field schemas of every form and every API body, one set. A form sends strings (a number
 * is "12", a missing optional field is ""), a JSON body sends typed values; `fieldSet(mode)`
 * builds the same rules for each, so a bound or a pattern is written once. Messages are
 * catalog keys, translated by `issueMessage`. Not `.server`: forms read the same schemas for
 * their inputs' HTML constraints.
 */
export type FieldMode = "form" | "json";

/** A row id as it appears in a path or a form: a positive int4, written without sign or leading zero. */
export const ID_PATTERN = /^[1-9][0-9]{0,9}$/;

/** The id in a path or a form value, or null when it names nothing (not digits, zero, past int4). */
export function idOf(value: string | undefined): number | null {
  if (!value || !ID_PATTERN.test(value)) return null;
  const id = Number(value);
  return id <= MAX_INT4 ? id : null;
}

// NUL and the other C0 controls (bar tab and line breaks) have no business in a text, and
// PostgreSQL refuses NUL; a lone UTF-16 surrogate cannot be stored as UTF-8 at all (JSON can
// carry one as "\ud800"). Both would be a 500 from the database: refused here, for every field.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when the text holds a character that cannot be stored (control character or lone surrogate). */
export const hasUnsafeCharacters = (value: string) => UNSAFE_TEXT.test(value);

const safeString = () => z.string().refine((s) => !hasUnsafeCharacters(s), "field.characters");

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A real calendar date (no 31 February) in the years the station plans for. */
export function isIsoDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = DateTime.fromISO(value, { zone: "utc" });
  return date.isValid && date.year >= YEARS.min && date.year <= YEARS.max;
}

/** An instant with its offset (2026-12-02T07:30:00+08:00), or null. */
export function instantOf(value: string): Date | null {
  // +25:00 parses, and would shift the time by a day: an offset must be one a clock can have.
  if (!INSTANT.test(value) || !isRealUtcOffset(value)) return null;
  const parsed = DateTime.fromISO(value, { setZone: true });
  return parsed.isValid && parsed.year >= YEARS.min && parsed.year <= YEARS.max ? parsed.toJSDate() : null;
}

const inRange = (min: number, max: number) => ({ message: "field.range", params: { min, max } });

export function fieldSet(mode: FieldMode) {
  const form = mode === "form";
  // Forms trim what people type; an API client's text is taken as sent, bar the ends.
  const text = (max: number) => safeString().trim().min(1, "field.required").max(max);
  const wholeNumber = (digits: number) =>
    z
      .string()
      .trim()
      .regex(new RegExp(`^-?[0-9]{1,${digits}}$`), "field.number")
      .transform(Number);
  // The bound is a refinement (one message naming both ends); `meta` shows it in the API's JSON Schema.
  const int = (min: number, max: number) =>
    (form ? wholeNumber(9) : z.int()).refine((n) => n >= min && n <= max, inRange(min, max)).meta({ minimum: min, maximum: max });
  return {
    text,
    /** Text that may be empty. In a form an absent field is an empty input: "". */
    optionalText: (max: number) => (form ? safeString().trim().max(max).default("") : safeString().trim().max(max)),
    int,
    /** A whole number or nothing: "" in a form, null in JSON. */
    optionalInt: (min: number, max: number) =>
      form
        ? z
            .string()
            .trim()
            .regex(/^(-?[0-9]{1,9})?$/, "field.number")
            .transform((v) => (v === "" ? null : Number(v)))
            .refine((n) => n === null || (n >= min && n <= max), inRange(min, max))
            .meta({ minimum: min, maximum: max })
        : z
            .int()
            .refine((n) => n >= min && n <= max, inRange(min, max))
            .nullable(),
    /**
     * A row id: a positive PostgreSQL integer, all ten digits of it (int()'s nine would call a
     * real id past 999 999 999 "not a number"); past the range it is refused, never sent to the database.
     */
    id: () => (form ? wholeNumber(10) : z.int()).refine((n) => n >= 1 && n <= MAX_INT4, inRange(1, MAX_INT4)).meta({ minimum: 1, maximum: MAX_INT4 }),
    date: () => (form ? z.string().trim() : z.string()).regex(DATE, "field.date").refine(isIsoDate, "field.date").meta({ format: "date" }),
    time: () => (form ? z.string().trim() : z.string()).regex(TIME, "field.time"),
    /** An instant with its offset, e.g. 2026-12-02T07:30:00+08:00. */
    instant: () =>
      z
        .string()
        .max(40)
        .refine((s) => instantOf(s) !== null, "api.dateTime")
        .meta({ format: "date-time", examples: ["2026-12-02T07:30:00+08:00"] })
        .transform((s) => instantOf(s)!),
    email: () => z.string().trim().toLowerCase().max(TEXT.email).pipe(z.email("field.email")),
    /** A phone number as people write it (digits, +, - and spaces), or nothing: "" in a form. */
    optionalPhone: () => {
      const phone = z
        .string()
        .trim()
        .regex(/^[0-9+\- ]*$/, "field.number")
        .max(TEXT.phone);
      return form ? phone.default("") : phone;
    },
    password: () => z.string().min(PASSWORD.min, "field.password").max(PASSWORD.max, "field.password"),
    /** The one "手机号或邮箱" field of sign-in (ADR 21): read as an email or a mainland mobile number. */
    signInName: () =>
      z
        .string()
        .trim()
        .min(1, "field.required")
        .max(TEXT.email)
        .refine((s) => parseSignInName(s) !== null, "field.signInName")
        .transform((s) => parseSignInName(s)!),
    /** A mainland mobile number as people write it, kept as its eleven digits; "" (form) or null (JSON) for none. */
    optionalMobile: () => {
      const mobile = z
        .string()
        .trim()
        .max(TEXT.phone)
        .refine((s) => !s || normaliseMobile(s) !== null, "field.mobile")
        .transform((s) => (s ? normaliseMobile(s) : null));
      return form ? mobile.prefault("") : mobile.nullable();
    },
    /** A mainland mobile number (required), kept as its eleven digits. */
    mobile: () =>
      z
        .string()
        .trim()
        .min(1, "field.required")
        .max(TEXT.phone)
        .refine((s) => normaliseMobile(s) !== null, "field.mobile")
        .transform((s) => normaliseMobile(s)!),
    /** An email or nothing: "" in a form. */
    optionalEmail: () =>
      form
        ? z
            .string()
            .trim()
            .toLowerCase()
            .max(TEXT.email)
            .refine((s) => s === "" || z.email().safeParse(s).success, "field.email")
            .prefault("")
        : z.string().trim().toLowerCase().max(TEXT.email).pipe(z.email("field.email")).nullable(),
    /** A one-time sign-in code: eight digits, typed with or without spaces. */
    signInCode: () =>
      z
        .string()
        .trim()
        .max(20)
        .transform((s) => s.replace(/[\s-]/g, ""))
        .pipe(z.string().regex(/^[0-9]{8}$/, "field.signInCode")),
  };
}

/** Field schemas for forms (strings coerced) and for JSON bodies (typed values). */
export const fields = fieldSet("form");
export const json = fieldSet("json");

const expectedKey: Record<string, MessageKey> = {
  string: "api.expectText",
  // Every number the API takes is a whole one.
  number: "api.expectInteger",
  int: "api.expectInteger",
  boolean: "api.expectBoolean",
  object: "api.expectObject",
  array: "api.expectList",
};

/** One zod issue as a message in the user's language: the schema's own key, or one for its kind. */
export function issueMessage(issue: z.core.$ZodIssue, t: Translate, mode: FieldMode): string {
  const params: Record<string, string | number> = {};
  if ("minimum" in issue) params.min = Number(issue.minimum);
  if ("maximum" in issue) params.max = Number(issue.maximum);
  if (issue.code === "custom" && issue.params) Object.assign(params, issue.params);
  if (isMessageKey(issue.message)) return t(issue.message, params);
  switch (issue.code) {
    case "invalid_type":
      if (!("input" in issue) || issue.input === undefined) return t("field.required");
      if (mode === "form") return issue.expected === "number" ? t("field.number") : t("field.required");
      return t(expectedKey[issue.expected] ?? "api.wrongType");
    case "too_big":
      if (issue.origin === "string") return t("field.tooLong", params);
      return issue.origin === "array" || issue.origin === "set" ? t("field.tooMany", params) : t("field.max", params);
    case "too_small":
      if (issue.origin === "string") return t("field.required");
      if (issue.origin === "array" || issue.origin === "set") return mode === "form" ? t("field.required") : t("api.tooFew", params);
      return t("field.min", params);
    case "invalid_value":
      return t("field.choice");
    case "invalid_union":
      // A form's intent that matches none of its forms was not sent by our page.
      return mode === "form" ? t("error.badRequest") : t("field.choice");
    default:
      return mode === "form" ? t("error.badRequest") : t("api.wrongType");
  }
}

/**
 * A failed parse as field -> message, the first message of each field. Forms name a field by
 * its input's name; JSON by its dotted path, "body" for the whole.
 */
export function issueFields(error: { readonly issues: readonly z.core.$ZodIssue[] }, t: Translate, mode: FieldMode): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) fieldErrors[[...issue.path, key].join(".")] ??= t("api.unknownField");
      continue;
    }
    const field = mode === "form" ? String(issue.path[0] ?? "_form") : issue.path.map(String).join(".") || "body";
    fieldErrors[field] ??= issueMessage(issue, t, mode);
  }
  return fieldErrors;
}

/** What an input's HTML attributes can say of its field (Conform's `Constraint`, less what we never use). */
export interface InputConstraint {
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
  pattern?: string;
}

type JsonSchemaNode = { minLength?: number; maxLength?: number; minimum?: number; maximum?: number; pattern?: string };

/** A JSON Schema pattern as an HTML `pattern` (matched whole, with the `v` flag), or nothing when it is not one. */
function htmlPattern(pattern: string | undefined): string | undefined {
  if (!pattern) return undefined;
  try {
    new RegExp(`^(?:${pattern})$`, "v");
    return pattern;
  } catch {
    return undefined;
  }
}

/**
 * The HTML constraints of a form's inputs, read from the schema the server parses the same
 * form with. Conform's `getZodConstraint` would do this, but (1.21.1) it reads zod's
 * `_zod.bag`, which zod 4.6 no longer fills: it would give `required` alone. Zod's own JSON
 * Schema output folds the checks (as the API's OpenAPI document does), so the bounds come from
 * there. "required" means "an empty input is refused", which a field with a default or an
 * optional number does not do.
 */
export function constraintsOf(schema: z.ZodObject): Record<string, InputConstraint> {
  const document = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, JsonSchemaNode> };
  const constraints: Record<string, InputConstraint> = {};
  for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const node = document.properties?.[name] ?? {};
    const constraint: InputConstraint = { required: !field.safeParse("").success };
    if (node.minLength !== undefined && node.minLength > 1) constraint.minLength = node.minLength;
    if (node.maxLength !== undefined) constraint.maxLength = node.maxLength;
    if (node.minimum !== undefined) constraint.min = node.minimum;
    if (node.maximum !== undefined) constraint.max = node.maximum;
    const pattern = htmlPattern(node.pattern);
    if (pattern) constraint.pattern = pattern;
    constraints[name] = constraint;
  }
  return constraints;
}
