import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { authorize, STAFF } from "~/lib/guard.server";
import { parseId, readForm } from "~/lib/http.server";
import { sessionRosterAction, sessionRosterView } from "./roster-session.server";
import { parsePickerSearch } from "~/lib/roster-picker.server";
import { RosterPicker } from "~/components/roster-picker";
import { carries, Notice, SubmitButton, usePending, useSubmission } from "~/components/form";
import { RosterNeedFields } from "~/components/roster-need-fields";
import { useT } from "~/lib/view";
import rosterStyles from "~/styles/roster.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: rosterStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.session.title ?? "Hearth" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const id = parseId(params.id, ctx.t);
  return sessionRosterView(ctx, id, parsePickerSearch(ctx, new URL(request.url).searchParams));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  return sessionRosterAction(ctx, parseId(params.id, ctx.t), await readForm(request, ctx.t));
}

/** One session's roster: needs, people, attendance after the shift, and session-only needs. */
export default function SessionRoster() {
  const t = useT();
  const { session, cells, skills } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const sent = useSubmission();
  const small = (intent: string, assignmentId: number, label: string, danger = false) => (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="assignmentId" value={assignmentId} />
      <SubmitButton pending={carries(sent, { intent, assignmentId })} className={danger ? "button-danger" : "button-secondary"}>
        {label}
      </SubmitButton>
    </Form>
  );
  return (
    <section className="roster-page">
      <h1>{t("roster.sessionTitle", { title: session.title })}</h1>
      <p>
        {session.when}
        {session.location ? ` · ${session.location}` : ""}
      </p>
      {session.cancelled ? <Notice tone="warning">{t("session.cancelledNotice")}</Notice> : null}
      <p className="actions no-print">
        <Link to={`/manage/sessions/${session.id}`}>{t("roster.backToSession")}</Link>
        <Link to={`/manage/activities/${session.activityId}/needs`}>{t("roster.needs")}</Link>
      </p>
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>
      {result?.ok && "message" in result ? <Notice tone="ok">{result.message}</Notice> : null}
      {result?.ok && "warnings" in result && result.warnings.length ? <Notice>{result.warnings.join(" ")}</Notice> : null}
      <h2>{t("roster.sessionRoster")}</h2>
      {cells.length === 0 ? <p className="empty">{t("roster.noNeeds")}</p> : null}
      <ul className="roster-cells">
        {cells.map((cell) => (
          <li key={cell.key} className={cell.missing > 0 ? "roster-cell roster-gap" : "roster-cell roster-full"} data-cell={cell.key}>
            <div>
              <strong>{cell.skill}</strong> <span className="roster-badge">{t(cell.inherited ? "roster.inherited" : "roster.own")}</span> ·{" "}
              {t("roster.shiftTime")} {cell.time} · {t("roster.filledOf", { filled: cell.filled, required: cell.required })}{" "}
              {cell.missing > 0 ? (
                <span className="roster-gap-label">{t("roster.gap", { count: cell.missing })}</span>
              ) : (
                <span className="roster-full-label">{t("roster.full")}</span>
              )}
            </div>
            <ul className="roster-names">
              {cell.people.map((p) => (
                <li key={p.id} className={`roster-person status-${p.status}`}>
                  {p.name}{" "}
                  <span className="roster-status">
                    {t("roster.statusParen", {
                      status: p.attendance
                        ? `${t(`roster.status.${p.status}`)} · ${t(`roster.attendance.${p.attendance}`)}`
                        : t(`roster.status.${p.status}`),
                    })}
                  </span>
                  <span className="inline-form no-print">
                    {/* Attendance is for people who confirmed; a proposal nobody answered can only be withdrawn. */}
                    {cell.started && p.status === "confirmed" ? (
                      <>
                        {small("attended", p.id, t("roster.markAttended"))}
                        {small("no_show", p.id, t("roster.markNoShow"))}
                        {small("no_show_excused", p.id, t("roster.markExcused"))}
                      </>
                    ) : (
                      small("cancel", p.id, t("roster.cancelAssignment"), true)
                    )}
                  </span>
                </li>
              ))}
              {cell.others.map((p) => (
                <li key={p.id} className="roster-person">
                  <s>{p.name}</s> {t("roster.statusParen", { status: t(`roster.status.${p.status}`) })}
                </li>
              ))}
            </ul>
            {cell.picker ? <RosterPicker picker={cell.picker} sessionId={cell.sessionId} skill={cell.skill} /> : null}
            {cell.inherited ? null : (
              <Form method="post" className="inline-form no-print">
                <input type="hidden" name="intent" value="remove-need" />
                <input type="hidden" name="needId" value={cell.needId} />
                <SubmitButton pending={carries(sent, { intent: "remove-need", needId: cell.needId })} className="button-danger">
                  {t("roster.removeNeed")}
                </SubmitButton>
              </Form>
            )}
          </li>
        ))}
      </ul>
      <h2 className="no-print">{t("roster.addSessionNeed")}</h2>
      <NeedForm skills={skills} intent="add-need" submit={t("roster.add")} errors={result && !result.ok ? result.fieldErrors : {}} />
    </section>
  );
}

function NeedForm({
  skills,
  intent,
  submit,
  errors,
}: {
  skills: { id: number; name: string }[];
  intent: string;
  submit: string;
  errors: Record<string, string>;
}) {
  const pending = usePending({ intent });
  return (
    <Form method="post" className="roster-need-form no-print">
      <input type="hidden" name="intent" value={intent} />
      <RosterNeedFields idPrefix="need" skills={skills} errors={errors} />
      <SubmitButton pending={pending}>{submit}</SubmitButton>
    </Form>
  );
}
