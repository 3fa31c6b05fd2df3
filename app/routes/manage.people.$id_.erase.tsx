import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { z } from "zod";
import { TEXT } from "#models/limits";
import { erasePerson, getErasablePerson } from "#models/privacy/erasure";
import { authorize, STAFF } from "~/lib/guard.server";
import { domainFormError, echoOf, formError, notFound, parseForm, parseId, readForm } from "~/lib/http.server";
import { fields } from "~/lib/fields";
import { Field } from "~/components/field";
import { FormNotice, schemaFormProps, SubmitButton, usePending, useSchemaForm } from "~/components/form";
import { ErasureCounts } from "~/components/erasure-result";
import { useT } from "~/lib/view";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

const VIAS = ["in_person", "phone", "paper"] as const;

/** Staff erase a person on their documented request (ADR 23): how it was asked for, and a note. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const personId = parseId(params.id, ctx.t);
  // An erased person is not found here: erasing twice is a 404.
  const person = await getErasablePerson(ctx.db, ctx.station.id, personId);
  if (!person) throw notFound(ctx.t);
  return { personId, name: person.fullName, pageTitle: ctx.t("eraseStaff.title", { name: person.fullName }) };
}

const schema = z.object({ via: z.enum(VIAS, "field.choice"), note: fields.optionalText(TEXT.note) });

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const personId = parseId(params.id, ctx.t);
  const formData = await readForm(request, ctx.t);
  const parsed = parseForm(formData, schema, ctx.t);
  if (!parsed.ok) return formError(400, ctx.t("error.form"), parsed.fieldErrors, echoOf(formData));
  try {
    const result = await erasePerson(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, personId, parsed.data);
    return data(
      { ok: true as const, result: { removed: result.removed, kept: result.kept, promoted: result.promoted } },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    return domainFormError(error, ctx.t);
  }
}

/**
 * After an erasure the page keeps showing its result: reloading the loader would find the person
 * gone (a 404, or the sign-in page for one's own account) and lose the counts of what was removed.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  (actionResult as { ok?: boolean } | undefined)?.ok ? false : defaultShouldRevalidate;

export default function ErasePerson() {
  const t = useT();
  const { name } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const [form, f] = useSchemaForm(schema, reply);
  const pending = usePending();
  if (reply?.ok)
    return (
      <section className="panel narrow">
        <h1>{t("eraseStaff.doneTitle")}</h1>
        <ErasureCounts result={reply.result} />
        {reply.result.removed.householdsUnassigned > 0 ? (
          <p>
            {t("eraseStaff.unassignedHint")} <Link to="/manage/households">{t("eraseStaff.households")}</Link>
          </p>
        ) : null}
      </section>
    );
  return (
    <section className="panel narrow">
      <h1>{t("eraseStaff.title", { name })}</h1>
      <p>{t("eraseStaff.help")}</p>
      <FormNotice form={form} />
      <Form method="post" {...schemaFormProps(form)}>
        <fieldset>
          <legend>{t("eraseStaff.via")}</legend>
          <div className="checks">
            {VIAS.map((via) => (
              <label key={via} className="check">
                <input type="radio" name="via" value={via} required defaultChecked={via === "in_person"} /> {t(`eraseStaff.via.${via}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <Field field={f.note} label={t("eraseStaff.note")} help={t("eraseStaff.noteHelp")} />
        <SubmitButton pending={pending} className="button-danger">
          {t("eraseStaff.confirm")}
        </SubmitButton>
      </Form>
    </section>
  );
}
