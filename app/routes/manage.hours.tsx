import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { authorize, STAFF } from "~/lib/guard.server";
import { readForm } from "~/lib/http.server";
import { manualHoursAction, manualHoursView } from "~/lib/shifts-admin.server";
import { Field } from "~/components/field";
import { Notice, SubmitButton, usePending } from "~/components/form";
import { PersonSearch, personLabel } from "~/components/person-search";
import { useT } from "~/lib/view";
import shiftStyles from "~/styles/shifts.css?url";
import { titleMeta } from "~/lib/meta";
import { DataTable } from "~/components/data-table";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: shiftStyles }];
export const meta = titleMeta("manualHours.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  return manualHoursView(ctx, new URL(request.url));
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  return manualHoursAction(ctx, await readForm(request, ctx.t));
}

export default function ManualHours() {
  const t = useT();
  const { today, query, found, person, entries, canExport, exportFrom, exportTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const pending = usePending();
  const done = useSearchParams()[0].get("done");
  const errors: Record<string, string> = result && !result.ok ? result.fieldErrors : {};
  return (
    <section>
      <h1>{t("manualHours.title")}</h1>
      {done ? <Notice tone="ok">{t("manualHours.saved")}</Notice> : null}
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>

      <h2>{t("manualHours.add")}</h2>
      <p className="help">{t("manualHours.addHelp")}</p>
      <PersonSearch query={query} nothingFound={found.length === 0} />
      {found.length ? (
        <ul className="person-results">
          {found.map((p) => (
            <li key={p.id}>
              <Link to={`/manage/hours?personId=${p.id}`}>{personLabel(p)}</Link>
            </li>
          ))}
        </ul>
      ) : null}

      {person ? (
        <>
          <Form method="post" noValidate className="panel">
            <h3>{person.name}</h3>
            <input type="hidden" name="personId" value={person.id} />
            <div className="field-row">
              <Field name="workDate" type="date" label={t("manualHours.date")} defaultValue={today} max={today} error={errors.workDate} required />
              <Field
                name="minutes"
                type="number"
                inputMode="numeric"
                min={1}
                max={1440}
                label={t("manualHours.minutes")}
                error={errors.minutes}
                required
              />
            </div>
            <Field name="note" label={t("manualHours.note")} maxLength={200} error={errors.note} />
            <SubmitButton pending={pending} className="button-primary button-large">
              {t("manualHours.save")}
            </SubmitButton>
          </Form>
          <h3>{t("manualHours.recent")}</h3>
          {entries.length === 0 ? (
            <p className="empty">{t("manualHours.none")}</p>
          ) : (
            <DataTable className="hours-table" columns={[t("manualHours.date"), t("manualHours.duration"), t("manualHours.note")]}>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{e.day}</td>
                  <td>{e.duration}</td>
                  <td>{e.note}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </>
      ) : null}

      {canExport ? (
        <>
          <h2>{t("manualHours.export")}</h2>
          <Form method="get" action="/manage/hours.csv" reloadDocument className="inline-form">
            <Field name="from" type="date" label={t("manualHours.from")} defaultValue={exportFrom} required />
            <Field name="to" type="date" label={t("manualHours.to")} defaultValue={exportTo} required />
            <button type="submit" name="by" value="person" className="button-secondary">
              {t("manualHours.byPerson")}
            </button>
            <button type="submit" name="by" value="group" className="button-secondary">
              {t("manualHours.byGroup")}
            </button>
          </Form>
        </>
      ) : null}
    </section>
  );
}
