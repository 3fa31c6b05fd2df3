import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { DateTime } from "luxon";
import { acceptProposal, ProposalItemRefused } from "#models/rosters/suggest-input";
import { authorize, STAFF, type AuthorisedContext } from "~/lib/guard.server";
import { domainFormError, formError, readForm } from "~/lib/http.server";
import { parseMonth, parseRange, parseWeekParam, rosterContext, weekParam } from "~/lib/roster.server";
import { suggestionView } from "./roster-suggest.server";
import { dateFormatter } from "~/lib/dates.server";
import { Notice, SubmitButton, usePending } from "~/components/form";
import { useT } from "~/lib/view";
import rosterStyles from "~/styles/roster.css?url";
import { DataTable } from "~/components/data-table";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: rosterStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.heading ?? "Hearth" }];

/** The period from ?from&to (local dates, inclusive), ?month=YYYY-MM or ?week=YYYY-Www (default this week). */
function periodOf(ctx: AuthorisedContext, params: URLSearchParams | FormData): { from: DateTime; to: DateTime } {
  const get = (name: string) => {
    const v = params.get(name);
    return typeof v === "string" && v !== "" ? v : null;
  };
  const from = get("from");
  const to = get("to");
  if (from !== null || to !== null) return parseRange(ctx, from ?? "", to ?? "");
  const month = get("month");
  if (month !== null) {
    const first = parseMonth(ctx, month);
    return { from: first, to: first.plus({ months: 1 }) };
  }
  const monday = parseWeekParam(ctx, get("week"));
  return { from: monday, to: monday.plus({ weeks: 1 }) };
}

async function pageView(ctx: AuthorisedContext, period: { from: DateTime; to: DateTime }) {
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const last = period.to.minus({ days: 1 });
  return {
    heading: ctx.t("roster.suggestTitle"),
    range: ctx.t("roster.suggestRange", { from: fmt.dayOfDate(period.from.toISODate()!), to: fmt.dayOfDate(last.toISODate()!) }),
    from: period.from.toISODate()!,
    to: last.toISODate()!,
    week: weekParam(period.from),
    month: period.from.toFormat("yyyy-MM"),
    ...(await suggestionView(ctx, period.from, period.to)),
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  return pageView(ctx, periodOf(ctx, new URL(request.url).searchParams));
}

/**
 * Accept: the proposal is computed again and must be the one the coordinator saw (same
 * fingerprint); then the ticked items, all of them from that proposal, are assigned together.
 */
export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, STAFF);
  const form = await readForm(request, ctx.t);
  const period = periodOf(ctx, form);
  if (form.get("intent") !== "accept") return formError(400, ctx.t("error.badRequest"));
  const view = await pageView(ctx, period);
  if (form.get("hash") !== view.hash) {
    return data({ ok: false as const, formError: ctx.t("roster.proposalChanged"), fieldErrors: {}, view }, { status: 409 });
  }
  const ticked = new Set(form.getAll("item").map(String));
  const chosen = view.keys.filter((k) => ticked.has(`${k.needId}:${k.sessionId}:${k.personId}`));
  // A ticked value that is not in the proposal was not shown to the coordinator: refuse all.
  if (chosen.length !== ticked.size) return formError(400, ctx.t("error.badRequest"));
  if (chosen.length === 0) return formError(400, ctx.t("roster.nothingChosen"));
  try {
    await acceptProposal(ctx.db, rosterContext(ctx), chosen);
  } catch (error) {
    if (!(error instanceof ProposalItemRefused)) return domainFormError(error, ctx.t);
    // All or nothing: say which item failed and show the proposal as it is now.
    const item = view.items.find((i) => i.value === `${error.item.needId}:${error.item.sessionId}:${error.item.personId}`);
    const fresh = await pageView(ctx, period);
    const what = item ? `${item.date} ${item.time} ${item.skill} ${item.name}` : "";
    return data(
      { ok: false as const, formError: ctx.t("roster.acceptRefused", { index: error.index + 1, item: what }), fieldErrors: {}, view: fresh },
      { status: 409 },
    );
  }
  return redirect(`/manage/roster?week=${view.week}&accepted=${chosen.length}`);
}

/** The periods a proposal can cover, each picked with the browser's own week or month input. */
const PERIODS = [
  { period: "week", label: "roster.periodWeek" },
  { period: "month", label: "roster.periodMonth" },
] as const;

export default function RosterSuggest() {
  const t = useT();
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // When the proposal changed under the coordinator, the action sends the new one to show.
  const view = result && "view" in result && result.view ? result.view : loaded;
  const pending = usePending({ intent: "accept" });
  return (
    <section className="roster-page">
      <h1>{t("roster.suggestTitle")}</h1>
      <p>{t("roster.suggestHelp")}</p>
      <div className="actions no-print">
        {PERIODS.map(({ period, label }) => (
          <Form key={period} method="get" className="inline-form">
            <label htmlFor={`pick-${period}`}>{t(label)}</label>
            <input id={`pick-${period}`} type={period} name={period} defaultValue={view[period]} required />
            <button type="submit" className="button-secondary">
              {t("roster.show")}
            </button>
          </Form>
        ))}
        <Link to={`/manage/roster?week=${view.week}`}>{t("roster.title")}</Link>
      </div>
      <h2>{view.range}</h2>
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>
      <Form method="post" className="roster-proposal" key={view.hash}>
        <input type="hidden" name="intent" value="accept" />
        <input type="hidden" name="hash" value={view.hash} />
        <input type="hidden" name="from" value={view.from} />
        <input type="hidden" name="to" value={view.to} />
        <h3>{t("roster.proposed")}</h3>
        {view.items.length === 0 ? (
          <p className="empty">{t("roster.noProposal")}</p>
        ) : (
          <>
            <p className="help">{t("roster.acceptHelp")}</p>
            <DataTable columns={[t("roster.date"), t("roster.time"), t("roster.activity"), t("roster.skill"), t("roster.names")]}>
              {view.items.map((item) => (
                <tr key={item.value}>
                  <td>{item.date}</td>
                  <td>{item.time}</td>
                  <td>{item.title}</td>
                  <td>{item.skill}</td>
                  <td>
                    <label>
                      <input type="checkbox" name="item" value={item.value} defaultChecked />
                      {item.name}
                    </label>
                  </td>
                </tr>
              ))}
            </DataTable>
            <SubmitButton pending={pending} className="button-primary button-large">
              {t("roster.acceptAll")}
            </SubmitButton>
          </>
        )}
      </Form>
      <h3>{t("roster.openSlots")}</h3>
      {view.open.length === 0 ? (
        <p className="empty">{t("roster.noOpen")}</p>
      ) : (
        <ul className="roster-open">
          {view.open.map((o) => (
            <li key={o.key} className="roster-gap">
              {o.date} {o.time} · {o.title} · {o.skill} — {o.text}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
