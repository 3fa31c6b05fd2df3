import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { householdsOf, upcomingSignupsOf } from "#models/care/mine";
import { cancelVerdict } from "#models/policies/signups";
import { authorize } from "~/lib/guard.server";
import { readForm } from "~/lib/http.server";
import { cancelFromForm } from "~/lib/bookings.server";
import { dateFormatter } from "~/lib/dates.server";
import { ConfirmAction } from "~/components/confirm-action";
import { Notice } from "~/components/form";
import { useT } from "~/lib/view";
import { recordSensitiveViews, viewOf } from "~/lib/sensitive-views.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.pageTitle ?? "Hearth" }];

/**
 * 我的联系户: the households a member looks after, their people with phone (tap to call), age
 * and needs, and their coming bookings with a cancel. A household that has not agreed shows its
 * names only (ADR 19); the model's canActFor refuses anything more, whatever this page shows.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  const now = new Date();
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const cared = (await householdsOf(ctx.db, ctx.station.id, ctx.viewer)).filter((h) => h.inCare);
  const actFor = cared.filter((h) => h.mayAct).flatMap((h) => h.people.map((p) => p.id));
  const signups = await upcomingSignupsOf(ctx.db, ctx.station.id, actFor, now);
  const year = Number(fmt.localDate(now).slice(0, 4));
  // The caretaker sees the needs of her consented households' people: recorded like staff's views (ADR 22).
  const withNeeds = cared.filter((h) => h.mayAct).flatMap((h) => h.people.filter((p) => p.needs).map((p) => p.id));
  await recordSensitiveViews(ctx.db, viewOf(ctx, "care", "needs"), withNeeds);
  return {
    pageTitle: ctx.t("care.mine.title"),
    households: cared.map((h) => ({
      id: h.id,
      label: h.label,
      mayAct: h.mayAct,
      landline: h.mayAct ? h.landline : null,
      people: h.people.map((p) =>
        h.mayAct
          ? {
              id: p.id,
              fullName: p.fullName,
              phone: p.phone,
              age: p.birthYear === null ? null : year - p.birthYear,
              needs: p.needs,
              signups: signups
                .filter((s) => s.personId === p.id && s.sessionStatus === "scheduled")
                .map((s) => ({
                  id: s.id,
                  title: s.title,
                  when: fmt.range(s.startsAt, s.endsAt),
                  position: s.status === "waitlisted" ? s.waitlistPosition : null,
                  canCancel: cancelVerdict(ctx.viewer, s, now).allowed,
                })),
            }
          : { id: p.id, fullName: p.fullName, phone: null, age: null, needs: null, signups: [] },
      ),
    })),
  };
}

/** Cancel for one of her people: the same path and policy as the bookings pages (404 if no longer hers). */
export async function action({ request }: ActionFunctionArgs) {
  const ctx = await authorize(request, "signed-in");
  return cancelFromForm(ctx, await readForm(request, ctx.t), {}, "/care");
}

const telOf = (phone: string) => `tel:${phone.replace(/[^\d+]/g, "")}`;

export default function MyHouseholds() {
  const t = useT();
  const { households } = useLoaderData<typeof loader>();
  const done = useSearchParams()[0].get("done") === "cancelled";
  return (
    <section className="care">
      <h1>{t("care.mine.title")}</h1>
      <p>{t("care.mine.intro")}</p>
      <p>
        <Link to="/care/calls" className="button-secondary">
          {t("nav.calls")}
        </Link>
      </p>
      {done ? <Notice tone="ok">{t("care.cancelled")}</Notice> : null}
      {households.length === 0 ? <p>{t("care.mine.none")}</p> : null}
      {households.map((h) => (
        <article key={h.id} className="care-household" aria-labelledby={`household-${h.id}`}>
          <h2 id={`household-${h.id}`}>{h.label}</h2>
          {h.landline ? (
            <p>
              {t("care.landline")}: <a href={telOf(h.landline)}>{h.landline}</a>
            </p>
          ) : null}
          {h.mayAct ? null : <p className="notice notice-warning">{t("care.noConsent")}</p>}
          <ul className="care-people">
            {h.people.map((p) => (
              <li key={p.id}>
                <h3>
                  {p.fullName}
                  {p.age !== null ? <span className="muted"> · {t("care.age", { age: p.age })}</span> : null}
                </h3>
                {h.mayAct ? (
                  <>
                    <p>{p.phone ? <a href={telOf(p.phone)}>{p.phone}</a> : <span className="muted">{t("care.noPhone")}</span>}</p>
                    {p.needs ? <p>{t("care.needs", { needs: p.needs })}</p> : null}
                    {p.signups.length === 0 ? <p className="muted">{t("care.noBookings")}</p> : null}
                    <ul className="care-signups">
                      {p.signups.map((s) => (
                        <li key={s.id}>
                          <strong>{s.title}</strong> {s.when} · {s.position === null ? t("care.confirmed") : t("care.waitlisted", { n: s.position })}
                          {s.canCancel ? (
                            <ConfirmAction
                              label={t("care.cancel")}
                              ariaLabel={`${t("care.cancel")} ${p.fullName} ${s.title}`}
                              consequence={t("care.cancelConfirm", { name: p.fullName, title: s.title, when: s.when })}
                              confirmLabel={t("care.cancel")}
                              fields={{ intent: "cancel", signupId: s.id }}
                            />
                          ) : null}
                        </li>
                      ))}
                    </ul>
                    <p>
                      <Link to={`/people/${p.id}/bookings`} className="tap-link">
                        {t("care.history")}
                      </Link>
                    </p>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </article>
      ))}
      {households.some((h) => h.mayAct) ? (
        <p>
          <Link to="/calendar" className="tap-link">
            {t("care.book")}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
