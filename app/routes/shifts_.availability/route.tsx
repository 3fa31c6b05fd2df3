import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { authorize } from "~/lib/guard.server";
import { readForm } from "~/lib/http.server";
import { availabilityAction, availabilityView } from "./shifts-availability.server";
import { Field } from "~/components/field";
import { carries, IntentButton, Notice, SubmitButton, useSubmission } from "~/components/form";
import { useT } from "~/lib/view";
import shiftStyles from "~/styles/shifts.css?url";
import { titleMeta } from "~/lib/meta";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: shiftStyles }];
export const meta = titleMeta("availability.title");

// A sibling of 我的排班, not its child (the trailing _ in the file name): /shifts has no <Outlet>.
// The viewer's own availability; staff edit others' through the model, not this page.
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  return availabilityView(ctx, ctx.viewer.personId);
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  return availabilityAction(ctx, await readForm(request, ctx.t), ctx.viewer.personId, "/shifts/availability");
}

const DONE = { week: "availability.saved", added: "availability.blackoutAdded", removed: "availability.blackoutRemoved" } as const;

export default function Availability() {
  const t = useT();
  const { days, blackouts, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const sent = useSubmission();
  const done = useSearchParams()[0].get("done");
  const errors: Record<string, string> = result && !result.ok ? result.fieldErrors : {};
  let row = 0;
  return (
    <section>
      <h1>{t("availability.title")}</h1>
      <nav className="sub-nav" aria-label={t("shifts.title")}>
        <Link to="/shifts">{t("shifts.title")}</Link>
        <Link to="/shifts/hours">{t("shifts.toHours")}</Link>
      </nav>
      {done && done in DONE ? <Notice tone="ok">{t(DONE[done as keyof typeof DONE])}</Notice> : null}
      <Notice tone="error">{result && !result.ok ? result.formError : undefined}</Notice>

      <h2>{t("availability.weekly")}</h2>
      <p className="help">{t("availability.weeklyHelp")}</p>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="week" />
        <div className="week-days">
          {days.map((day) => (
            <fieldset key={day.weekday} className="week-day">
              <legend>{day.name}</legend>
              {[...day.windows, { startTime: "", endTime: "" }].map((w, n) => {
                const i = row++;
                const label = t("availability.slot", { day: day.name, n: n + 1 });
                // A time input cannot show 24:00 (allowed by the schema for "until midnight"): it shows 23:59.
                return (
                  <div key={`${day.weekday}-${n}`} className="window-row" role="group" aria-label={label}>
                    <input type="hidden" name="weekday" value={day.weekday} />
                    <Field
                      id={`start-${i}`}
                      name="start"
                      type="time"
                      label={t("availability.from")}
                      defaultValue={w.startTime}
                      error={errors[`start.${i}`]}
                    />
                    <Field
                      id={`end-${i}`}
                      name="end"
                      type="time"
                      label={t("availability.to")}
                      defaultValue={w.endTime === "24:00" ? "23:59" : w.endTime}
                      error={errors[`end.${i}`]}
                    />
                  </div>
                );
              })}
            </fieldset>
          ))}
        </div>
        <p className="actions">
          <SubmitButton pending={carries(sent, { intent: "week" })} className="button-primary button-large">
            {t("availability.save")}
          </SubmitButton>
        </p>
      </Form>

      <h2>{t("availability.blackouts")}</h2>
      <p className="help">{t("availability.blackoutsHelp")}</p>
      {blackouts.length === 0 ? (
        <p className="empty">{t("availability.noBlackouts")}</p>
      ) : (
        <ul className="blackout-list">
          {blackouts.map((b) => (
            <li key={b.id}>
              <span>{b.label}</span>
              <IntentButton
                fields={{ intent: "remove-blackout", blackoutId: b.id }}
                className="button-danger"
                aria-label={t("availability.removeBlackoutOf", { range: b.label })}
              >
                {t("availability.removeBlackout")}
              </IntentButton>
            </li>
          ))}
        </ul>
      )}
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="add-blackout" />
        <div className="field-row">
          <Field name="fromDate" type="date" label={t("availability.blackoutFrom")} min={today} error={errors.fromDate} required />
          <Field name="toDate" type="date" label={t("availability.blackoutTo")} min={today} error={errors.toDate} required />
        </div>
        <SubmitButton pending={carries(sent, { intent: "add-blackout" })}>{t("availability.addBlackout")}</SubmitButton>
      </Form>
    </section>
  );
}
