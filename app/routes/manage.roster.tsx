import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { authorize, STAFF } from "~/lib/guard.server";
import { readForm } from "~/lib/http.server";
import { assignFromForm, parseWeekParam } from "~/lib/roster.server";
import { rosterWeekView } from "~/lib/roster-week.server";
import { PeriodNav } from "~/components/period-nav";
import { useT } from "~/lib/view";
import rosterStyles from "~/styles/roster.css?url";
import { carries, Notice, SubmitButton, useSubmission } from "~/components/form";
import { DataTable } from "~/components/data-table";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: rosterStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Hearth" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const monday = parseWeekParam(ctx, new URL(request.url).searchParams.get("week"));
  return rosterWeekView(ctx, monday);
}

/** Assign from the grid: one person to one open place; a refusal comes back beside its cell. */
export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  return assignFromForm(ctx, await readForm(request, ctx.t));
}

/** The week's roster as a grid, which prints on A4 landscape. */
export default function RosterWeek() {
  const t = useT();
  const { week, title, prev, next, rows, qualified } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // After "accept all" on the suggestion page, which sends the coordinator here.
  const accepted = Number(useSearchParams()[0].get("accepted") ?? 0);
  return (
    <section className="roster-page">
      <h1>{t("roster.title")}</h1>
      {Number.isInteger(accepted) && accepted > 0 ? <Notice tone="ok">{t("roster.acceptedNotice", { count: accepted })}</Notice> : null}
      <PeriodNav title={title} prev={prev} next={next} prevLabel={t("roster.prevWeek")} nextLabel={t("roster.nextWeek")} />
      <p className="actions no-print">
        <Link to={`/manage/roster/suggest?week=${week}`} className="button-primary">
          {t("roster.suggestLink")}
        </Link>
        <a href={`/manage/roster.csv?week=${week}`} className="button-secondary" download>
          {t("roster.csv")}
        </a>
        <button type="button" className="button-secondary" onClick={() => window.print()}>
          {t("roster.print")}
        </button>
        <Link to="/manage/roster/limits" className="button-quiet">
          {t("limits.title")}
        </Link>
      </p>
      {rows.length === 0 ? (
        <p className="empty">{t("roster.noSessions")}</p>
      ) : (
        <DataTable className="roster-grid" columns={[t("roster.date"), t("roster.time"), t("roster.activity"), t("roster.needs")]}>
          {rows.map((row) => (
            <tr key={row.id}>
              <td>{row.day}</td>
              <td>{row.time}</td>
              <th scope="row">
                <Link to={`/manage/sessions/${row.id}/roster`}>{row.title}</Link>
              </th>
              <td>
                {row.shifts.length === 0 ? (
                  <span className="empty">{t("roster.noNeeds")}</span>
                ) : (
                  <ul className="roster-cells">
                    {row.shifts.map((cell) => (
                      <RosterCell key={cell.key} cell={cell} people={qualified[cell.skillId] ?? []} result={result} />
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

/** One need of one session, as the loader shows it. */
type RosterCellView = ReturnType<typeof useLoaderData<typeof loader>>["rows"][number]["shifts"][number];

/** What an assign action answered; `cell` ties a refusal to the cell whose form sent it. */
type AssignReply = { ok: boolean; cell?: string | null; formError?: string; warnings?: string[] } | undefined;

/**
 * One need of one session: the skill, "filled / required", who is on it (proposed marked),
 * the gap in words (not colour alone), and while places are open a form to assign someone.
 */
function RosterCell({ cell, people, result }: { cell: RosterCellView; people: { id: number; name: string }[]; result: AssignReply }) {
  const t = useT();
  const sent = useSubmission();
  const mine = result?.cell === cell.key ? result : undefined;
  const selectId = `assign-${cell.key.replace(":", "-")}`;
  return (
    <li className={cell.missing > 0 ? "roster-cell roster-gap" : "roster-cell roster-full"} data-cell={cell.key}>
      <div className="roster-cell-head">
        <strong>{cell.skill}</strong> <span className="roster-count">{t("roster.filledOf", { filled: cell.filled, required: cell.required })}</span>{" "}
        {cell.missing > 0 ? (
          <span className="roster-gap-label">{t("roster.gap", { count: cell.missing })}</span>
        ) : (
          <span className="roster-full-label">{t("roster.full")}</span>
        )}
      </div>
      {cell.people.length ? (
        <ul className="roster-names">
          {cell.people.map((p) => (
            <li key={p.id} className={`roster-person status-${p.status}`}>
              {p.name}{" "}
              <span className="roster-status">
                {t("roster.statusParen", { status: t(p.status === "proposed" ? "roster.status.proposed" : "roster.status.confirmed") })}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      <Notice tone="error" className="roster-refusal">
        {mine && !mine.ok ? mine.formError : undefined}
      </Notice>
      {mine?.ok && mine.warnings?.length ? <Notice className="roster-warning">{mine.warnings.join(" ")}</Notice> : null}
      {cell.missing > 0 ? (
        people.length ? (
          <Form method="post" className="inline-form no-print">
            <input type="hidden" name="intent" value="assign" />
            <input type="hidden" name="needId" value={cell.needId} />
            <input type="hidden" name="sessionId" value={cell.sessionId} />
            <label htmlFor={selectId} className="visually-hidden">
              {t("roster.assignTo", { skill: cell.skill })}
            </label>
            <select id={selectId} name="personId" required defaultValue="">
              <option value="" disabled>
                {t("roster.choosePerson")}
              </option>
              {people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
            <SubmitButton pending={carries(sent, { intent: "assign", needId: cell.needId, sessionId: cell.sessionId })} className="button-secondary">
              {t("roster.assign")}
            </SubmitButton>
          </Form>
        ) : (
          <p className="help no-print">{t("roster.noQualified")}</p>
        )
      ) : null}
    </li>
  );
}
