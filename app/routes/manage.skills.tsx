import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { authorize, STAFF } from "~/lib/guard.server";
import { readForm } from "~/lib/http.server";
import { skillsAction, skillsView } from "~/lib/shifts-admin.server";
import { Field } from "~/components/field";
import { Notice } from "~/components/form";
import { PersonSearch, personLabel } from "~/components/person-search";
import { useT } from "~/lib/view";
import type { MessageKey } from "~/i18n";
import shiftStyles from "~/styles/shifts.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: shiftStyles }];
export const meta: MetaFunction = () => [{ title: "技能管理 · Skills" }];

// Staff: coordinators confirm and give skills; the list itself is the admins' (checked per intent).
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  return skillsView(ctx, new URL(request.url));
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  return skillsAction(ctx, await readForm(request, ctx.t));
}

const DONE = ["created", "updated", "confirmed", "removed", "given", "givenPending"];

export default function Skills() {
  const t = useT();
  const { canEditList, query, skills, pending, found } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const done = useSearchParams()[0].get("done");
  const errors: Record<string, string> = result && !result.ok ? result.fieldErrors : {};
  const pair = (intent: string, personId: number, skillId: number, label: string, style: string) => (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="personId" value={personId} />
      <input type="hidden" name="skillId" value={skillId} />
      <button type="submit" className={style} disabled={busy}>
        {label}
      </button>
    </Form>
  );
  return (
    <section>
      <h1>{t("skillAdmin.title")}</h1>
      {done && DONE.includes(done) ? <Notice tone="ok">{t(`skillAdmin.done.${done}` as MessageKey)}</Notice> : null}
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
              <div className="field">
                <label htmlFor={`give-skill-${p.id}`}>{t("skillAdmin.skill")}</label>
                <select id={`give-skill-${p.id}`} name="skillId" required>
                  {skills.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </div>
              <Field
                id={`give-specialty-${p.id}`}
                name="specialty"
                label={t("skillAdmin.specialty")}
                help={t("skillAdmin.specialtyHelp")}
                maxLength={60}
              />
              <button type="submit" className="button-primary" disabled={busy || skills.length === 0}>
                {t("skillAdmin.giveButton")}
              </button>
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
                    <Field id={`zh-${s.id}`} name="nameZh" label={t("skillAdmin.nameZh")} defaultValue={s.nameZh} required maxLength={60} />
                    <Field id={`en-${s.id}`} name="nameEn" label={t("skillAdmin.nameEn")} defaultValue={s.nameEn} required maxLength={60} />
                  </div>
                  <label className="check">
                    <input type="checkbox" name="restricted" defaultChecked={s.restricted} /> {t("skillAdmin.restricted")}
                  </label>
                  <button type="submit" className="button-secondary" disabled={busy}>
                    {t("skillAdmin.save")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
          <h3>{t("skillAdmin.add")}</h3>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="create" />
            <Field name="slug" label={t("skillAdmin.slug")} error={errors.slug} required maxLength={40} />
            <div className="field-row">
              <Field name="nameZh" label={t("skillAdmin.nameZh")} error={errors.nameZh} required maxLength={60} />
              <Field name="nameEn" label={t("skillAdmin.nameEn")} error={errors.nameEn} required maxLength={60} />
            </div>
            <label className="check">
              <input type="checkbox" name="restricted" /> {t("skillAdmin.restricted")}
            </label>
            <button type="submit" className="button-primary" disabled={busy}>
              {t("skillAdmin.add")}
            </button>
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
