import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { admits, authorize, DESK } from "~/lib/guard.server";
import { readForm } from "~/lib/http.server";
import { shiftsAction, shiftsView } from "~/lib/shifts.server";
import { carries, Notice, SubmitButton, useSubmission } from "~/components/form";
import { ConfirmAction } from "~/components/confirm-action";
import { When } from "~/components/when";
import { useT } from "~/lib/view";
import type { MessageKey } from "~/i18n";
import shiftStyles from "~/styles/shifts.css?url";
import { titleMeta } from "~/lib/meta";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: shiftStyles }];
export const meta = titleMeta("shifts.title");

// Signed-in, not a role list: a resident gets a page that explains, not a 403 (the guard
// matrix has no "volunteer or doctor" policy); every button acts on the viewer's own rows.
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  // Volunteers keep the front desk's tally too: the way there is from their own page.
  return { ...(await shiftsView(ctx)), tally: admits(ctx.viewer, DESK) === "yes" };
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  return shiftsAction(ctx, await readForm(request, ctx.t));
}

const DONE = ["confirm", "decline", "cancel", "take"] as const;

export default function MyShifts() {
  const t = useT();
  const { rostered, upcoming, past, open, tally } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const sent = useSubmission();
  const done = useSearchParams()[0].get("done");
  const refusal = result && !result.ok ? result : undefined;
  const targetOf = (r: typeof refusal) => (r && "target" in r ? r.target : undefined);
  // A refusal is shown beside the shift it concerns; one without a target goes on top.
  const refusalFor = (key: string) =>
    refusal && targetOf(refusal) === key ? (
      <Notice tone="error" className="shift-refusal">
        {refusal.formError}
      </Notice>
    ) : null;
  const button = (intent: string, hidden: Record<string, number>, label: string, style: string) => (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <SubmitButton pending={carries(sent, { intent, ...hidden })} className={style}>
        {label}
      </SubmitButton>
    </Form>
  );
  return (
    <section>
      <h1>{t("shifts.title")}</h1>
      {tally ? (
        <p className="actions">
          <Link to="/desk" className="button-secondary">
            {t("tally.title")}
          </Link>
        </p>
      ) : null}
      {!rostered ? (
        <Notice>{t("shifts.notRostered")}</Notice>
      ) : (
        <>
          <nav className="sub-nav" aria-label={t("shifts.title")}>
            <Link to="/shifts/availability">{t("shifts.toAvailability")}</Link>
            <Link to="/shifts/hours">{t("shifts.toHours")}</Link>
          </nav>
          {done && (DONE as readonly string[]).includes(done) ? <Notice tone="ok">{t(`shifts.done.${done}` as MessageKey)}</Notice> : null}
          <Notice tone="error">{refusal && !targetOf(refusal) ? refusal.formError : undefined}</Notice>

          <h2>{t("shifts.upcoming")}</h2>
          {upcoming.length === 0 ? (
            <p className="empty">{t("shifts.none")}</p>
          ) : (
            <ul className="shift-list">
              {upcoming.map((s) => (
                <li key={s.id} className={`shift-card is-${s.sessionCancelled ? "cancelled" : s.status}`} data-testid={`shift-${s.id}`}>
                  <p className="shift-title">
                    <Link to={`/sessions/${s.sessionId}`}>{s.title}</Link>
                  </p>
                  <span className="shift-when">
                    <When text={s.when} />
                  </span>
                  <span>
                    {t("shifts.role", { skill: s.skill })}
                    {s.location ? ` · ${s.location}` : ""}
                  </span>
                  <span className={`shift-status status-${s.status}`}>
                    {t(`shifts.status.${s.status}` as MessageKey)}
                    {s.sessionCancelled ? <strong className="badge badge-cancelled">{t("shifts.sessionCancelled")}</strong> : null}
                  </span>
                  {s.checkin ? (
                    <Link to={`/manage/sessions/${s.sessionId}/checkin`} className="button-primary">
                      {t("checkin.open")}
                    </Link>
                  ) : null}
                  {s.canAnswer || s.canCancel ? (
                    <div className="shift-actions">
                      {s.canAnswer ? button("confirm", { assignmentId: s.id }, t("shifts.confirm"), "button-primary") : null}
                      {s.canAnswer ? button("decline", { assignmentId: s.id }, t("shifts.decline"), "button-secondary") : null}
                      {s.canCancel ? (
                        <ConfirmAction
                          label={t("shifts.cancel")}
                          consequence={t("confirm.leaveShift", { skill: s.skill, when: s.when })}
                          confirmLabel={t("confirm.leaveShiftGo")}
                          fields={{ intent: "cancel", assignmentId: s.id }}
                        />
                      ) : null}
                    </div>
                  ) : null}
                  {refusalFor(`shift-${s.id}`)}
                </li>
              ))}
            </ul>
          )}

          <h2>{t("shifts.open")}</h2>
          <p className="help">{t("shifts.openHelp")}</p>
          {open.length === 0 ? (
            <p className="empty">{t("shifts.openNone")}</p>
          ) : (
            <ul className="shift-list">
              {open.map((o) => (
                <li key={o.key} className="shift-card" data-testid={`open-${o.key}`}>
                  <p className="shift-title">
                    <Link to={`/sessions/${o.sessionId}`}>{o.title}</Link>
                  </p>
                  <span className="shift-when">
                    <When text={o.when} />
                  </span>
                  <span>
                    {t("shifts.role", { skill: o.skill })}
                    {o.location ? ` · ${o.location}` : ""}
                  </span>
                  <span>{t("shifts.places", { filled: o.filled, headCount: o.headCount })}</span>
                  <div className="shift-actions">
                    {button("take", { needId: o.needId, sessionId: o.sessionId }, t("shifts.take"), "button-primary")}
                  </div>
                  {refusalFor(`open-${o.key}`)}
                </li>
              ))}
            </ul>
          )}

          <h2>{t("shifts.past")}</h2>
          {past.length === 0 ? (
            <p className="empty">{t("shifts.pastNone")}</p>
          ) : (
            <ul className="shift-list">
              {past.map((s) => (
                <li key={s.id} className="shift-card">
                  <p className="shift-title">{s.title}</p>
                  <span className="shift-when">
                    <When text={s.when} />
                  </span>
                  <span>{t("shifts.role", { skill: s.skill })}</span>
                  <span className="shift-status">{t(`shifts.attendance.${s.attendance ?? "none"}` as MessageKey)}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
