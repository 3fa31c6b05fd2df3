import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData, useLocation, useSearchParams } from "@remix-run/react";
import { authorize } from "~/lib/guard.server";
import { resolveCategory } from "~/lib/calendar.server";
import { publicFeedLinks } from "~/lib/feed-links.server";
import { PublicSubscribe } from "~/components/public-subscribe";
import { localName } from "~/i18n";
import { useT } from "~/lib/view";

export const meta: MetaFunction = () => [{ title: "活动日历 · Calendar" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await authorize(request, "public");
  const { categories, slug } = await resolveCategory(ctx, new URL(request.url));
  return {
    categories: categories.map((c) => ({ slug: c.slug, name: localName(ctx.locale, c), color: c.color })),
    selected: slug ?? "",
    // The feed of what is shown: the whole calendar, or the category filtered to.
    feed: await publicFeedLinks(request, slug),
  };
}

export default function CalendarLayout() {
  const t = useT();
  const { categories, selected, feed } = useLoaderData<typeof loader>();
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
    </section>
  );
}
