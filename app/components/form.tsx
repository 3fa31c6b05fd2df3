import { getFormProps, useForm, type FieldMetadata, type FormMetadata, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useFormAction, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo, type ButtonHTMLAttributes, type ReactNode } from "react";
import type { z } from "zod";
import { constraintsOf, issueMessage } from "~/lib/fields";
import type { MessageKey } from "~/i18n";
import { useT } from "~/lib/view";

/**
 * The shared form layer (ADR 17): a form driven by the schema its action parses with, a
 * pending state for the one form being sent, and the one notice.
 */

/** An action's reply as the pages get it (app/lib/http.server.ts `formError`), or a success. */
export type FormReply = { ok: boolean; formError?: string; fieldErrors?: Record<string, string>; values?: Record<string, string> } | null | undefined;

/** A refused reply in Conform's shape: the form's message under "", each field's under its name. */
function submissionOf(reply: FormReply): SubmissionResult<string[]> | undefined {
  if (!reply || reply.ok) return undefined;
  const error: Record<string, string[]> = {};
  if (reply.formError) error[""] = [reply.formError];
  for (const [name, message] of Object.entries(reply.fieldErrors ?? {})) error[name] = [message];
  return { status: "error", error, initialValue: reply.values ?? null };
}

/**
 * Conform's `useForm` with the action's own schema: the inputs' HTML constraints come from it,
 * the browser checks a submit with it (the same `parseWithZod` and message catalog as the
 * server), and the server's refusal (`reply`) shows on the fields it names. Without
 * JavaScript the form posts as it is and the server answers with the same messages.
 */
export function useSchemaForm<S extends z.ZodObject>(schema: S, reply: FormReply, options: { id?: string } = {}) {
  const t = useT();
  const constraint = useMemo(() => constraintsOf(schema), [schema]);
  const lastResult = useMemo(() => submissionOf(reply), [reply]);
  return useForm<z.input<S>, z.output<S>, string[]>({
    id: options.id,
    constraint,
    lastResult,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) =>
      parseWithZod(formData, {
        schema,
        disableAutoCoercion: true,
        formatError: (issues: z.core.$ZodIssue[]) => issues.slice(0, 1).map((issue) => issueMessage(issue, t, "form")),
      }),
  });
}

/** The `<Form>` props of a schema form: its id, Conform's submit check, and noValidate (we word the messages). */
export const schemaFormProps = <T extends Record<string, unknown>>(form: FormMetadata<T>) => getFormProps(form);

/** An input's name, constraints and first error from its Conform field. */
export function inputOf(field: FieldMetadata<unknown>) {
  return {
    name: field.name,
    error: field.errors?.[0],
    required: field.required,
    minLength: field.minLength,
    maxLength: field.maxLength,
    min: field.min,
    max: field.max,
    pattern: field.pattern,
  };
}

/** The form-level message: the server's refusal, or "check the fields below" after the browser's own check. */
export function FormNotice<T extends Record<string, unknown>>({ form }: { form: FormMetadata<T> }) {
  const t = useT();
  const message = form.errors?.[0] ?? (Object.values(form.allErrors).some((errors) => errors.length) ? t("error.form") : undefined);
  return <Notice tone="error">{message}</Notice>;
}

const pathOf = (action: string) => new URL(action, "http://x").pathname;

/**
 * The form being sent to this page's action (or `action`), and while the page reloads after
 * it; null when none is. Lists ask it once and test each row with `carries`.
 */
export function useSubmission(action?: string): FormData | null {
  const navigation = useNavigation();
  const formAction = useFormAction(action);
  const sent = navigation.formData;
  if (navigation.state === "idle" || !sent || !navigation.formAction) return null;
  return pathOf(navigation.formAction) === pathOf(formAction) ? sent : null;
}

/** Whether the form being sent carries every field of `match` (its intent, a row's ids). */
export const carries = (sent: FormData | null, match: Record<string, string | number>) =>
  sent !== null && Object.entries(match).every(([name, value]) => sent.get(name) === String(value));

/**
 * True while this form is being sent (and while the page reloads after it): the navigation's
 * form goes to this form's action and carries `match` (its intent, and the id where a page
 * lists one form a row). Only that form's button waits; the rest of the page stays usable.
 */
export function usePending(match: Record<string, string | number> = {}, action?: string): boolean {
  return carries(useSubmission(action), match);
}

/** A submit button that is disabled and says 「正在提交…」 while its form is being sent. */
export function SubmitButton({
  pending,
  disabled,
  children,
  className = "button-primary",
  ...button
}: ButtonHTMLAttributes<HTMLButtonElement> & { pending: boolean }) {
  const t = useT();
  return (
    <button type="submit" className={className} {...button} disabled={pending || disabled} aria-busy={pending || undefined}>
      {pending ? t("form.pending") : children}
    </button>
  );
}

/**
 * A one-button form: posts `fields` (the intent and the ids it acts on: revoke this token, retry
 * this mail) and is pending while that very submission is under way, not while another row's is.
 */
export function IntentButton({
  fields,
  children,
  ...button
}: Omit<ButtonHTMLAttributes<HTMLButtonElement>, "name" | "value" | "type"> & { fields: { intent: string } & Record<string, string | number> }) {
  const pending = usePending(fields);
  return (
    <Form method="post">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <SubmitButton pending={pending} {...button}>
        {children}
      </SubmitButton>
    </Form>
  );
}

export type NoticeTone = "info" | "ok" | "warning" | "error";

/**
 * The one notice: what happened (ok), what to know (info, warning) or what went wrong (error).
 * Errors are alerts, the rest are status messages; with nothing to say it renders nothing.
 */
export function Notice({
  tone = "info",
  block,
  className,
  children,
}: {
  tone?: NoticeTone;
  block?: boolean;
  className?: string;
  children?: ReactNode;
}) {
  if (children === undefined || children === null || children === false || children === "") return null;
  const classes = ["notice", tone === "info" ? null : `notice-${tone}`, className].filter(Boolean).join(" ");
  const role = tone === "error" ? "alert" : "status";
  // A notice with paragraphs or a field inside (a new token to copy) is a block, not a <p>.
  return block ? (
    <div className={classes} role={role}>
      {children}
    </div>
  ) : (
    <p className={classes} role={role}>
      {children}
    </p>
  );
}

/** The success notice of a `?done=<what>` redirect, from the page's own list of outcomes. */
export function DoneNotice({ messages, hidden }: { messages: Record<string, MessageKey>; hidden?: boolean }) {
  const t = useT();
  const [params] = useSearchParams();
  const done = params.get("done");
  const key = done !== null && Object.hasOwn(messages, done) ? messages[done] : undefined;
  return hidden || !key ? null : <Notice tone="ok">{t(key)}</Notice>;
}
