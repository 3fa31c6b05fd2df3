import type { ReactNode } from "react";
import { Form, useActionData } from "@remix-run/react";
import type { CallPerson } from "~/lib/calls.server";
import { Field } from "./field";
import { useT } from "~/lib/view";
import { Notice, SubmitButton, usePending } from "./form";

export interface CallListView {
  date: string;
  dayLabel: string;
  count: number;
  groups: { sessionId: number; title: string; time: string; location: string; people: CallPerson[] }[];
}

type Reply = { ok: boolean; message?: string; formError?: string } | undefined;

/**
 * The call list (ADR 20), one card per person under their session: name, a phone number to
 * tap, who else hears by mail, and the 已电话通知 mark. It prints on A4 as a plain sheet to
 * tick by hand (app/styles/calls.css).
 */
export function CallList({
  view,
  title,
  urgent,
}: {
  view: CallListView;
  title: string;
  /** Calls that cannot wait for the day (held offers). */ urgent?: ReactNode;
}) {
  const t = useT();
  const reply = useActionData<Reply>();
  return (
    <section className="calls">
      <h1>{title}</h1>
      <p className="help no-print">{t("calls.intro")}</p>
      {urgent}
      <Form method="get" className="calls-day no-print">
        <Field id="calls-date" name="date" type="date" label={t("calls.day")} defaultValue={view.date} required />
        <button type="submit" className="button-secondary">
          {t("calls.show")}
        </button>
        <button type="button" className="button-secondary" onClick={() => window.print()}>
          {t("calls.print")}
        </button>
      </Form>
      <h2>
        {view.dayLabel} · {t("calls.count", { count: view.count })}
      </h2>
      <div className="no-print">{reply?.ok ? <Notice tone="ok">{reply.message}</Notice> : <Notice tone="error">{reply?.formError}</Notice>}</div>
      {view.groups.length === 0 ? <p className="empty">{t("calls.empty")}</p> : null}
      {view.groups.map((g) => (
        <section key={g.sessionId} className="calls-session" aria-labelledby={`calls-s-${g.sessionId}`}>
          <h3 id={`calls-s-${g.sessionId}`}>
            {g.time} {g.title}
            {g.location ? <span className="help"> · {g.location}</span> : null}
          </h3>
          <ul className="calls-people">
            {g.people.map((p) => (
              <CallCard key={p.personId} person={p} sessionId={g.sessionId} />
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}

function CallCard({ person: p, sessionId }: { person: CallPerson; sessionId: number }) {
  const t = useT();
  const marking = usePending({ intent: "mark", personId: p.personId, sessionId });
  const undoing = usePending({ intent: "unmark", personId: p.personId, sessionId });
  return (
    <li className={`calls-person${p.called ? " is-called" : ""}`}>
      <p className="calls-name">
        <span className="print-box" aria-hidden="true">
          {p.called ? "☑" : "☐"}
        </span>
        <strong>{p.name}</strong>
        {p.waitlisted ? <span className="badge">{t("calls.waitlisted")}</span> : null}
      </p>
      <p className="calls-phone">
        {p.phone ? (
          <a href={`tel:${p.phone.replace(/[^0-9+]/g, "")}`} className="button-secondary">
            {t("calls.phone")} {p.phone}
          </a>
        ) : (
          <span className="help">{t("calls.noPhone")}</span>
        )}
      </p>
      <p className="help">
        {t("calls.caretaker")}：{p.caretaker ?? t("calls.noCaretaker")} · {t("calls.mailVia")}：{t(`calls.route.${p.route}`)}
      </p>
      {p.called ? (
        <div className="calls-mark">
          <span>✓ {t("calls.marked", { by: p.called.by, at: p.called.at })}</span>
          {p.mayUndo ? (
            <Form method="post" className="no-print">
              <input type="hidden" name="intent" value="unmark" />
              <input type="hidden" name="personId" value={p.personId} />
              <input type="hidden" name="sessionId" value={sessionId} />
              <SubmitButton pending={undoing} className="button-link" aria-label={t("calls.unmarkNamed", { name: p.name })}>
                {t("calls.unmark")}
              </SubmitButton>
            </Form>
          ) : null}
        </div>
      ) : (
        <Form method="post" className="calls-mark no-print">
          <input type="hidden" name="intent" value="mark" />
          <input type="hidden" name="personId" value={p.personId} />
          <input type="hidden" name="sessionId" value={sessionId} />
          <SubmitButton pending={marking} aria-label={t("calls.markNamed", { name: p.name })}>
            {t("calls.mark")}
          </SubmitButton>
        </Form>
      )}
    </li>
  );
}
