import type { z } from "zod";
import type { Translate } from "~/i18n";
import { formError, parseForm, type FieldErrors } from "./http.server";

type Schemas = Record<string, z.ZodObject>;

export type IntentResult<M extends Schemas> =
  | { [K in keyof M & string]: { ok: true; intent: K; data: z.output<M[K]> } }[keyof M & string]
  | { ok: false; reply: ReturnType<typeof formError>; intent: (keyof M & string) | null; fieldErrors: FieldErrors };

/** The reply to a form whose intent is none of its page's: a 400 that says so. */
export const unknownIntent = (t: Translate) => formError(400, t("error.unknownIntent"), { intent: t("field.choice") });

/**
 * The one way a page action with several forms reads which one was sent: the `intent` field
 * (sent once) names a schema of `schemas`, and the form is parsed with it. An unknown,
 * missing or repeated intent is a 400 with `error.unknownIntent`; a refused field, the usual
 * form reply. Each form of the page takes its constraints from the same entry.
 */
export function parseIntent<M extends Schemas>(formData: FormData, schemas: M, t: Translate, lists: readonly string[] = []): IntentResult<M> {
  const sent = formData.getAll("intent");
  const intent = sent.length === 1 ? sent[0] : null;
  if (typeof intent !== "string" || !Object.hasOwn(schemas, intent))
    return { ok: false, reply: unknownIntent(t), intent: null, fieldErrors: { intent: t("field.choice") } };
  const parsed = parseForm(formData, schemas[intent]!, t, lists);
  if (!parsed.ok) return { ok: false, reply: formError(400, t("error.form"), parsed.fieldErrors), intent, fieldErrors: parsed.fieldErrors };
  return { ok: true, intent, data: parsed.data } as IntentResult<M>;
}
