import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { authorize, STAFF } from "~/lib/guard.server";
import { readForm } from "~/lib/http.server";
import { skillsAction, skillsView } from "~/lib/shifts-admin.server";
import { Field, SelectField } from "~/components/field";
import { carries, DoneNotice, Notice, schemaFormProps, SubmitButton, useSchemaForm, useSubmission } from "~/components/form";
import { constraintsOf } from "~/lib/fields";
import { skillIntents } from "~/lib/skill-forms";
import { PersonSearch, personLabel } from "~/components/person-search";
import { useT } from "~/lib/view";
import shiftStyles from "~/styles/shifts.css?url";
import { titleMeta } from "~/lib/meta";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: shiftStyles }];
export const meta = titleMeta("skillAdmin.title");

// Staff: coordinators confirm and give skills; the list itself is the admins' (checked per intent).
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  return skillsView(ctx, new URL(request.url));
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  return skillsAction(ctx, await readForm(request, ctx.t));
}

const DONE = {
  created: "skillAdmin.done.created",
  updated: "skillAdmin.done.updated",
  confirmed: "skillAdmin.done.confirmed",
  removed: "skillAdmin.done.removed",
  given: "skillAdmin.done.given",
  givenPending: "skillAdmin.done.givenPending",
} as const;
// The forms a row of a list: constraints from their schemas (one useSchemaForm cannot serve many rows).
const UPDATE = constraintsOf(skillIntents.update);
const GIVE = constraintsOf(skillIntents.give);

export default function Skills() {
  const t = useT();
  const { canEditList, query, skills, pending, found } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // Each button waits alone: the list's rows by their ids, the new-skill form by its intent.
  const sent = useSubmission();
  const [createForm, createFields] = useSchemaForm(skillIntents.create, result, { id: "create-skill" });
  const pair = (intent: string, personId: number, skillId: number, label: string, style: string) => (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="personId" value={personId} />
      <input type="hidden" name="skillId" value={skillId} />
      <SubmitButton pending={carries(sent, { intent, personId, skillId })} className={style}>
        {label}
      </SubmitButton>
    </Form>
  );
  return (
    <section>
      <h1>{t("skillAdmin.title")}</h1>
      <DoneNotice messages={DONE} />
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>

      <h2>{t("skillAdmin.pending")}</h2>
      <p className="help">{t("skillAdmin.pendingHelp")}</p>
      {pending.length === 0 ? (
        <p className="empty">{t("skillAdmin.pendingNone")}</p>
      ) : (
        <ul className="shift-list">
          {pending.map((p) => (
            <li key={p.key} className="shift-card is-proposed">
              <p className="shift-title">{p.name}</p>
              <span>{p.specialty ? t("skillAdmin.withSpecialty", { skill: p.skill, specialty: p.specialty }) : p.skill}</span>
              <div className="shift-actions">
                {pair("confirm", p.personId, p.skillId, t("skillAdmin.confirm"), "button-primary")}
                {pair("remove", p.personId, p.skillId, t("skillAdmin.remove"), "button-danger")}
              </div>
            </li>
          ))}
        </ul>
      )}

      <h2>{t("skillAdmin.give")}</h2>
      <PersonSearch query={query} nothingFound={found.length === 0} />
      <ul className="shift-list">
        {found.map((p) => (
          <li key={p.id} className="shift-card">
            <p className="shift-title">{personLabel(p)}</p>
            {p.skills.length ? (
              <ul className="skill-tags">
                {p.skills.map((s) => {
                  const name = s.specialty ? t("skillAdmin.withSpecialty", { skill: s.name, specialty: s.specialty }) : s.name;
                  return <li key={s.id}>{s.qualified ? name : t("skillAdmin.unconfirmed", { skill: name })}</li>;
                })}
              </ul>
            ) : null}
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="give" />
              <input type="hidden" name="personId" value={p.id} />
              <input type="hidden" name="q" value={query} />
              <SelectField id={`give-skill-${p.id}`} name="skillId" label={t("skillAdmin.skill")} options={skills} required />
              <Field
                id={`give-specialty-${p.id}`}
                name="specialty"
                label={t("skillAdmin.specialty")}
                help={t("skillAdmin.specialtyHelp")}
                {...GIVE.specialty}
              />
              <SubmitButton pending={carries(sent, { intent: "give", personId: p.id })} disabled={skills.length === 0}>
                {t("skillAdmin.giveButton")}
              </SubmitButton>
            </Form>
          </li>
        ))}
      </ul>

      <h2>{t("skillAdmin.list")}</h2>
      {skills.length === 0 ? <p className="empty">{t("skillAdmin.none")}</p> : null}
      {canEditList ? (
        <>
          <ul className="shift-list">
            {skills.map((s) => (
              <li key={s.id} className="shift-card">
                <Form method="post" noValidate aria-label={t("skillAdmin.editOf", { name: s.name })}>
                  <input type="hidden" name="intent" value="update" />
                  <input type="hidden" name="skillId" value={s.id} />
                  <p className="shift-title">
                    <code>{s.slug}</code>
                  </p>
                  <div className="field-row">
                    <Field id={`zh-${s.id}`} name="nameZh" label={t("skillAdmin.nameZh")} defaultValue={s.nameZh} {...UPDATE.nameZh} />
                    <Field id={`en-${s.id}`} name="nameEn" label={t("skillAdmin.nameEn")} defaultValue={s.nameEn} {...UPDATE.nameEn} />
                  </div>
                  <label className="check">
                    <input type="checkbox" name="restricted" defaultChecked={s.restricted} /> {t("skillAdmin.restricted")}
                  </label>
                  <SubmitButton pending={carries(sent, { intent: "update", skillId: s.id })} className="button-secondary">
                    {t("skillAdmin.save")}
                  </SubmitButton>
                </Form>
              </li>
            ))}
          </ul>
          <h3>{t("skillAdmin.add")}</h3>
          <Form method="post" {...schemaFormProps(createForm)}>
            <input type="hidden" name="intent" value="create" />
            <Field field={createFields.slug} label={t("skillAdmin.slug")} />
            <div className="field-row">
              <Field field={createFields.nameZh} label={t("skillAdmin.nameZh")} />
              <Field field={createFields.nameEn} label={t("skillAdmin.nameEn")} />
            </div>
            <label className="check">
              <input type="checkbox" name="restricted" /> {t("skillAdmin.restricted")}
            </label>
            <SubmitButton pending={carries(sent, { intent: "create" })}>{t("skillAdmin.add")}</SubmitButton>
          </Form>
        </>
      ) : (
        <ul className="category-list">
          {skills.map((s) => (
            <li key={s.id}>
              {s.name}
              {s.restricted ? <span className="badge">{t("skillAdmin.restrictedBadge")}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
