import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { authorize, DESK } from "~/lib/guard.server";
import { parseId, readForm } from "~/lib/http.server";
import { checkinAction, checkinView } from "./checkin.server";
import { ConfirmAction } from "~/components/confirm-action";
import { Field } from "~/components/field";
import { Notice } from "~/components/form";
import { CheckinSearch } from "~/components/person-search";
import { peopleCount } from "~/i18n";
import { useT } from "~/lib/view";
import deskStyles from "~/styles/desk.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: deskStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

/** Staff and the volunteers rostered on the session's registration desk (the model checks which). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await authorize(request, DESK);
  return checkinView(ctx, parseId(params.id, ctx.t), new URL(request.url).searchParams.get("q") ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await authorize(request, DESK);
  return checkinAction(ctx, parseId(params.id, ctx.t), await readForm(request, ctx.t));
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Row = Data["rows"][number];
type Reply = { ok: true; message: string } | { ok: false; formError: string; fieldErrors?: Record<string, string> } | undefined;

/** One reply line under a form: what was done, or why not. */
function Outcome({ reply }: { reply: Reply }) {
  if (!reply) return null;
  return reply.ok ? <Notice tone="ok">{reply.message}</Notice> : <Notice tone="error">{reply.formError}</Notice>;
}

/** A person on the sheet: one big row, one tap to check in; its own fetcher, so only it waits. */
/** A row's one button: check the person in, or take back a check-in made by mistake. */
const ROW_BUTTON = {
  here: { intent: "undo", className: "button-secondary", label: "checkin.undo", ariaLabel: "checkin.undoFor" },
  expected: { intent: "checkin", className: "button-primary checkin-go", label: "checkin.go", ariaLabel: "checkin.goFor" },
} as const;

function SheetRow({ row, staff, closed }: { row: Row; staff: boolean; closed: boolean }) {
  const t = useT();
  const fetcher = useFetcher<Reply>();
  const pending = fetcher.state !== "idle";
  const here = row.attendance === "attended";
  const go = here ? ROW_BUTTON.here : ROW_BUTTON.expected;
  const state = here
    ? t("checkin.stateHere", { count: row.attendedCount ?? row.partySize })
    : row.attendance === "no_show"
      ? t("checkin.stateNoShow")
      : row.attendance === "no_show_excused"
        ? t("checkin.stateExcused")
        : row.status === "waitlisted"
          ? t("checkin.stateWaitlisted")
          : t("checkin.stateExpected");
  return (
    <li className={`checkin-row${here ? " is-here" : ""}`}>
      <div className="checkin-who">
        <strong className="checkin-name">{row.fullName}</strong>
        <span>
          {peopleCount(t, row.partySize)}
          {row.phoneLast4 ? ` · ${t("checkin.phoneEnds", { digits: row.phoneLast4 })}` : ""}
          {row.walkIn ? ` · ${t("checkin.walkIn")}` : ""}
        </span>
        {row.needs ? <span className="checkin-needs">{t("checkin.needs", { needs: row.needs })}</span> : null}
        {row.noShows90d > 0 ? <span className="checkin-noshows">{t("noShows.recent", { count: row.noShows90d })}</span> : null}
        <span className={`checkin-state${here ? " state-here" : ""}`}>{state}</span>
      </div>
      <fetcher.Form method="post" className="checkin-act">
        <input type="hidden" name="personId" value={row.personId} />
        <input type="hidden" name="name" value={row.fullName} />
        <button
          type="submit"
          name="intent"
          value={go.intent}
          className={go.className}
          disabled={pending}
          aria-label={t(go.ariaLabel, { name: row.fullName })}
        >
          {pending ? t("confirm.pending") : t(go.label)}
        </button>
      </fetcher.Form>
      {staff && closed && row.status === "confirmed" && row.attendance === "no_show" ? <ExcuseForm row={row} /> : null}
      <Outcome reply={fetcher.data} />
    </li>
  );
}

/** Staff record an excuse phoned in after the session (the reason stays out of logs). */
function ExcuseForm({ row }: { row: Row }) {
  const t = useT();
  const fetcher = useFetcher<Reply>();
  const id = `excuse-${row.signupId}`;
  return (
    <details className="checkin-excuse">
      <summary className="button-quiet">{t("checkin.excuse")}</summary>
      <fetcher.Form method="post">
        <input type="hidden" name="signupId" value={row.signupId} />
        <Field id={id} name="reason" label={t("checkin.excuseReason")} required maxLength={200} />
        <button type="submit" name="intent" value="excuse" className="button-secondary" disabled={fetcher.state !== "idle"}>
          {t("checkin.excuseGo")}
        </button>
      </fetcher.Form>
      <Outcome reply={fetcher.data} />
    </details>
  );
}

/** Someone at the door who did not book: found by name and phone, or registered, and checked in. */
function WalkInForm() {
  const t = useT();
  const fetcher = useFetcher<Reply>();
  const form = useRef<HTMLFormElement>(null);
  // Seated: the form empties for the next person at the door (a refusal keeps what was typed).
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) form.current?.reset();
  }, [fetcher.state, fetcher.data]);
  const errors = fetcher.data && !fetcher.data.ok ? (fetcher.data.fieldErrors ?? {}) : {};
  return (
    <details className="panel checkin-walkin">
      <summary>
        <strong>{t("checkin.walkInTitle")}</strong>
      </summary>
      <p className="help">{t("checkin.walkInHelp")}</p>
      <fetcher.Form method="post" ref={form}>
        <Field name="fullName" label={t("proxy.fullName")} required maxLength={100} autoComplete="off" error={errors.fullName} />
        <Field name="phone" label={t("proxy.phone")} inputMode="tel" maxLength={20} autoComplete="off" error={errors.phone} />
        <Field name="birthYear" label={t("proxy.birthYear")} inputMode="numeric" maxLength={4} error={errors.birthYear} />
        <Field name="partySize" label={t("signup.partySize")} type="number" min={1} max={10} defaultValue={1} required error={errors.partySize} />
        <button type="submit" name="intent" value="walkin" className="button-primary" disabled={fetcher.state !== "idle"}>
          {fetcher.state !== "idle" ? t("confirm.pending") : t("checkin.walkInGo")}
        </button>
      </fetcher.Form>
      <Outcome reply={fetcher.data} />
    </details>
  );
}

/** The check-in sheet: big rows for a tablet or a phone held in one hand. */
export default function Checkin() {
  const t = useT();
  const { session, summary, staff, q, rows } = useLoaderData<typeof loader>();
  const confirmed = rows.filter((r) => r.status === "confirmed");
  const waitlisted = rows.filter((r) => r.status === "waitlisted");
  const closed = summary.closedAt !== null;
  return (
    <section className="checkin">
      <h1>{t("checkin.title", { title: session.title })}</h1>
      <p>
        {session.when}
        {session.location ? ` · ${session.location}` : ""}
      </p>
      <p className="checkin-figures" role="status">
        {t("checkin.figures", { arrived: summary.arrived, expected: summary.expected, capacity: summary.capacity })}
        {summary.expected > summary.capacity ? ` ${t("checkin.pastCapacity", { over: summary.expected - summary.capacity })}` : ""}
      </p>
      {session.cancelled ? <Notice tone="warning">{t("session.cancelledNotice")}</Notice> : null}
      {!session.open && !session.cancelled ? <Notice>{t("checkin.notOpenYet", { time: session.opensAt })}</Notice> : null}
      {closed ? <Notice>{t("checkin.closedAt", { time: summary.closedAt! })}</Notice> : null}
      <CheckinSearch id="checkin-q" query={q} maxLength={100} />
      {q ? (
        <p>
          {t("checkin.searchFor", { q, count: rows.length })} <Link to=".">{t("checkin.showAll")}</Link>
        </p>
      ) : null}
      <h2>{t("checkin.booked", { count: confirmed.length })}</h2>
      {confirmed.length === 0 ? <p className="empty">{t("checkin.nobody")}</p> : null}
      <ul className="checkin-list">
        {confirmed.map((row) => (
          <SheetRow key={row.signupId} row={row} staff={staff} closed={closed} />
        ))}
      </ul>
      {waitlisted.length ? (
        <>
          <h2>{t("checkin.waitlist", { count: waitlisted.length })}</h2>
          <p className="help">{t("checkin.waitlistHelp")}</p>
          <ul className="checkin-list">
            {waitlisted.map((row) => (
              <SheetRow key={row.signupId} row={row} staff={staff} closed={closed} />
            ))}
          </ul>
        </>
      ) : null}
      {session.cancelled ? null : <WalkInForm />}
      {staff && session.started && !closed && !session.cancelled ? (
        <div className="actions">
          <ConfirmAction
            label={t("checkin.close")}
            consequence={t("checkin.closeConsequence", { count: confirmed.filter((r) => r.attendance === null).length })}
            confirmLabel={t("checkin.closeGo")}
            fields={{ intent: "close" }}
          />
        </div>
      ) : null}
      {staff ? (
        <p className="actions">
          <Link to={`/manage/sessions/${session.id}/attendees`} className="button-secondary">
            {t("checkin.attendees")}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
