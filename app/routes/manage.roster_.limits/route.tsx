import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { authorize, STAFF } from "~/lib/guard.server";
import { readForm } from "~/lib/http.server";
import { limitsAction, limitsView } from "./roster-limits.server";
import { Field } from "~/components/field";
import { carries, IntentButton, Notice, SubmitButton, useSubmission } from "~/components/form";
import { PersonSearch, personLabel } from "~/components/person-search";
import { useT } from "~/lib/view";
import { titleMeta } from "~/lib/meta";
import { DataTable } from "~/components/data-table";

export const meta = titleMeta("limits.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  return limitsView(ctx, new URL(request.url));
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  return limitsAction(ctx, await readForm(request, ctx.t));
}

export default function WeeklyLimits() {
  const t = useT();
  const { stationHours, people, query, found } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const sent = useSubmission();
  const saved = useSearchParams()[0].get("saved");
  const errors: Record<string, string> = result && !result.ok ? result.fieldErrors : {};
  return (
    <section>
      <h1>{t("limits.title")}</h1>
      <p className="help">{t("limits.help")}</p>
      {saved ? <Notice tone="ok">{t("limits.saved")}</Notice> : null}
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>

      <Form method="post" noValidate className="panel inline-form">
        <input type="hidden" name="intent" value="station" />
        <Field
          name="hours"
          type="number"
          inputMode="numeric"
          min={1}
          max={60}
          label={t("limits.station")}
          defaultValue={stationHours}
          error={errors.hours}
          required
        />
        <SubmitButton pending={carries(sent, { intent: "station" })}>{t("limits.saveStation")}</SubmitButton>
      </Form>

      <h2>{t("limits.people")}</h2>
      {people.length === 0 ? (
        <p className="empty">{t("limits.none")}</p>
      ) : (
        <DataTable columns={[t("limits.person"), t("limits.hours"), { label: t("limits.remove"), hidden: true }]}>
          {people.map((p) => (
            <tr key={p.id}>
              <td>{p.name}</td>
              <td>{p.hours}</td>
              <td>
                <IntentButton
                  fields={{ intent: "clear", personId: p.id }}
                  className="button-quiet"
                  aria-label={t("limits.removeFor", { name: p.name })}
                >
                  {t("limits.remove")}
                </IntentButton>
              </td>
            </tr>
          ))}
        </DataTable>
      )}

      <h2>{t("limits.add")}</h2>
      <PersonSearch query={query} nothingFound={found.length === 0} />
      {found.map((p) => (
        <Form method="post" noValidate className="panel inline-form" key={p.id}>
          <input type="hidden" name="intent" value="person" />
          <input type="hidden" name="personId" value={p.id} />
          <Field
            name="hours"
            id={`hours-${p.id}`}
            type="number"
            inputMode="numeric"
            min={1}
            max={60}
            label={`${personLabel(p)} · ${t("limits.hours")}`}
            required
          />
          <SubmitButton pending={carries(sent, { intent: "person", personId: p.id })}>{t("limits.savePerson", { name: p.name })}</SubmitButton>
        </Form>
      ))}
      <p>
        <Link to="/manage/roster">{t("manage.roster")}</Link>
      </p>
    </section>
  );
}
