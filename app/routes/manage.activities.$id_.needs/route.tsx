import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { authorize, STAFF } from "~/lib/guard.server";
import { parseId, readForm } from "~/lib/http.server";
import { seriesNeedsAction, seriesNeedsView } from "./roster-needs.server";
import { carries, Notice, SubmitButton, useSubmission } from "~/components/form";
import { RosterNeedFields } from "~/components/roster-need-fields";
import { useT } from "~/lib/view";
import rosterStyles from "~/styles/roster.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: rosterStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.activity.title ?? "Hearth" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  return seriesNeedsView(ctx, parseId(params.id, ctx.t));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  return seriesNeedsAction(ctx, parseId(params.id, ctx.t), await readForm(request, ctx.t));
}

/** The needs of a whole series: every session inherits them (a session may add its own). */
export default function SeriesNeeds() {
  const t = useT();
  const { activity, needs, skills } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const sent = useSubmission();
  const errors = result && !result.ok ? result.fieldErrors : {};
  return (
    <section className="roster-page">
      <h1>{t("roster.seriesNeedsTitle", { title: activity.title })}</h1>
      <p>{t("roster.seriesNeedsHelp")}</p>
      <p className="actions">
        <Link to={`/manage/activities/${activity.id}`}>{activity.title}</Link>
        <Link to="/manage/roster">{t("roster.title")}</Link>
      </p>
      <Notice tone="error">{result && !result.ok ? [result.formError, ...Object.values(errors)].join(" ") : undefined}</Notice>
      {result?.ok ? <Notice tone="ok">{result.message}</Notice> : null}
      {needs.length === 0 ? <p className="empty">{t("roster.noSeriesNeeds")}</p> : null}
      <ul className="roster-cells">
        {needs.map((n) => (
          <li key={n.id} className="roster-cell">
            <Form method="post" className="roster-need-form">
              <input type="hidden" name="intent" value="update" />
              <input type="hidden" name="needId" value={n.id} />
              <strong>{n.skill}</strong>
              <RosterNeedFields idPrefix={`need-${n.id}`} need={n} />
              <SubmitButton pending={carries(sent, { intent: "update", needId: n.id })} className="button-secondary">
                {t("roster.save")}
              </SubmitButton>
            </Form>
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="remove" />
              <input type="hidden" name="needId" value={n.id} />
              <SubmitButton pending={carries(sent, { intent: "remove", needId: n.id })} className="button-danger">
                {t("roster.removeNeed")}
              </SubmitButton>
            </Form>
          </li>
        ))}
      </ul>
      <h2>{t("roster.addSeriesNeed")}</h2>
      <Form method="post" className="roster-need-form">
        <input type="hidden" name="intent" value="add" />
        <RosterNeedFields idPrefix="new" skills={skills} />
        <SubmitButton pending={carries(sent, { intent: "add" })}>{t("roster.add")}</SubmitButton>
      </Form>
    </section>
  );
}
