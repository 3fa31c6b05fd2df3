import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData, useLocation, useSearchParams } from "@remix-run/react";
import { authorize } from "~/lib/guard.server";
import { resolveCategory, weeklyConsultationHours } from "~/lib/calendar.server";
import { publicFeedLinks } from "~/lib/feed-links.server";
import { PublicSubscribe } from "~/components/public-subscribe";
import { localName, type MessageKey } from "~/i18n";
import { useT } from "~/lib/view";
import { titleMeta } from "~/lib/meta";

export const meta = titleMeta("calendar.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "public");
  const { categories, slug } = await resolveCategory(ctx, new URL(request.url));
  return {
    // One-to-one consultations are slots, not sessions: the calendar shows their weekly hours,
    // with no provider's name (ADR 18), under the whole calendar or the 咨询 category.
    consultationHours: !slug || slug === "consultation" ? await weeklyConsultationHours(ctx) : [],
    categories: categories.map((c) => ({ slug: c.slug, name: localName(ctx.locale, c), color: c.color })),
    selected: slug ?? "",
    // The feed of what is shown: the whole calendar, or the category filtered to.
    feed: await publicFeedLinks(request, slug),
  };
}

export default function CalendarLayout() {
  const t = useT();
  const { categories, selected, feed, consultationHours } = useLoaderData<typeof loader>();
  const { pathname } = useLocation();
  const [params] = useSearchParams();
  const query = selected ? `?category=${selected}` : "";
  return (
    <section>
      <h1>{t("calendar.title")}</h1>
      <div className="calendar-bar">
        <nav aria-label={t("calendar.views")} className="tabs">
          <NavLink end to={`/calendar${query}`}>
            {t("calendar.month")}
          </NavLink>
          <NavLink to={`/calendar/week${query}`}>{t("calendar.week")}</NavLink>
          <NavLink to={`/calendar/list${query}`}>{t("calendar.list")}</NavLink>
        </nav>
        <Form method="get" action={pathname} className="filter">
          {/* Filtering keeps the month or week being looked at. */}
          {["month", "date"].map((name) => (params.get(name) ? <input key={name} type="hidden" name={name} value={params.get(name)!} /> : null))}
          <label htmlFor="category">{t("calendar.category")}</label>
          <select id="category" name="category" defaultValue={selected}>
            <option value="">{t("calendar.allCategories")}</option>
            {categories.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
          <button type="submit" className="button-secondary">
            {t("calendar.filter")}
          </button>
        </Form>
      </div>
      <PublicSubscribe links={feed} category={categories.find((c) => c.slug === selected)?.name ?? null} />
      <Outlet />
      {consultationHours.length ? (
        <aside className="panel consultation-hours" aria-labelledby="consultation-hours">
          <h2 id="consultation-hours">{t("consult.hoursHeading")}</h2>
          <ul>
            {consultationHours.map((h) => (
              <li key={`${h.service}-${h.weekday}-${h.time}-${h.location}`}>
                {h.service} · {t(`consult.weekday${h.weekday}` as MessageKey)} {h.time} · {h.location} {t("consult.bookable")}
              </li>
            ))}
          </ul>
          <p>
            <a href="/consultations" className="button-secondary">
              {t("consult.bookLink")}
            </a>
          </p>
        </aside>
      ) : null}
    </section>
  );
}
