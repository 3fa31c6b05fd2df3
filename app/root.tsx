import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
} from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { authorize, STAFF, ADMIN } from "~/lib/guard.server";
import { localName } from "~/i18n";
import { adminsToAsk, whoMayOpen } from "~/lib/who-may-open";
import { takesShifts } from "#models/policies/shifts";
import { useRootData, useT } from "~/lib/view";
import stylesheet from "~/styles/app.css?url";
import { useNonce } from "~/lib/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.ico" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const { viewer, station, locale, largeText } = await authorize(request, "public");
  return {
    locale,
    largeText,
    station: { name: localName(locale, station), timeZone: station.timeZone, phone: station.phone, address: station.address },
    viewer: viewer
      ? {
          name: viewer.name,
          isStaff: viewer.roles.some((r) => STAFF.includes(r)),
          isAdmin: viewer.roles.some((r) => ADMIN.includes(r)),
          // Volunteers and doctors take shifts; the menu shows them their roster.
          takesShifts: takesShifts(viewer.roles),
          // Members look after households (会员联系户); the page says so when they have none.
          caresFor: viewer.roles.includes("volunteer"),
        }
      : null,
  };
}

/** The links and settings of the header; shown in a row on a wide screen, in the menu on a phone. */
function MenuItems({ here }: { here: string }) {
  const t = useT();
  const { viewer, locale, largeText } = useRootData();
  const otherLocale = locale === "zh-CN" ? "en" : "zh-CN";
  return (
    <>
      <nav aria-label={t("nav.main")} className="main-nav">
        <NavLink to="/calendar">{t("nav.calendar")}</NavLink>
        {viewer ? <NavLink to="/bookings">{t("nav.bookings")}</NavLink> : null}
        {viewer ? <NavLink to="/consultations">{t("nav.consultations")}</NavLink> : null}
        {viewer?.takesShifts ? <NavLink to="/shifts">{t("nav.shifts")}</NavLink> : null}
        {viewer?.caresFor ? <NavLink to="/care">{t("nav.care")}</NavLink> : null}
        {viewer?.isStaff ? <NavLink to="/manage">{t("nav.manage")}</NavLink> : null}
        {viewer?.isStaff ? <NavLink to="/manage/roster">{t("nav.roster")}</NavLink> : null}
        {viewer?.isAdmin ? <NavLink to="/manage/categories">{t("nav.categories")}</NavLink> : null}
      </nav>
      <div className="prefs">
        <Form method="post" action="/preferences">
          <input type="hidden" name="redirectTo" value={here} />
          <input type="hidden" name="locale" value={otherLocale} />
          <input type="hidden" name="largeText" value={String(largeText)} />
          <button type="submit" lang={otherLocale} className="button-quiet">
            {t("prefs.switchTo")}
          </button>
        </Form>
        <Form method="post" action="/preferences">
          <input type="hidden" name="redirectTo" value={here} />
          <input type="hidden" name="locale" value={locale} />
          <input type="hidden" name="largeText" value={String(!largeText)} />
          <button type="submit" className="button-quiet" aria-pressed={largeText}>
            {largeText ? t("prefs.normalText") : t("prefs.largeText")}
          </button>
        </Form>
        {viewer ? (
          <Form method="post" action="/logout">
            <Link to="/account" className="button-quiet viewer-name" aria-label={`${t("nav.account")}: ${viewer.name}`}>
              {viewer.name}
            </Link>{" "}
            <button type="submit" className="button-quiet">
              {t("nav.logout")}
            </button>
          </Form>
        ) : (
          <Link to={`/login?redirectTo=${encodeURIComponent(here)}`} className="button-quiet">
            {t("nav.login")}
          </Link>
        )}
      </div>
    </>
  );
}

/**
 * One line on any screen: the name, then the menu. A wide screen shows the menu's items in the
 * row; a phone shows a 菜单 button that opens them below (a <details>, so it works without
 * JavaScript). Only one of the two is displayed at a time, so the other is out of the
 * accessibility tree too.
 */
function Header() {
  const t = useT();
  const location = useLocation();
  const here = location.pathname + location.search;
  const menu = useRef<HTMLDetailsElement>(null);
  // After following a link from the open menu, the next page starts with it closed.
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [location.key]);
  return (
    <header className="site-header">
      <Link to="/calendar" className="brand">
        {t("app.name")}
      </Link>
      <div className="header-items wide-only">
        <MenuItems here={here} />
      </div>
      <details className="site-menu narrow-only" ref={menu}>
        <summary className="button-quiet menu-button" aria-label={t("menu.label")}>
          <span aria-hidden="true" className="menu-icon">
            ☰
          </span>{" "}
          {t("menu.open")}
        </summary>
        <div className="menu-body">
          <MenuItems here={here} />
        </div>
      </details>
    </header>
  );
}

function Footer() {
  const t = useT();
  const { station } = useRootData();
  return <footer className="site-footer">{station ? t("footer.station", { station: station.name, zone: station.timeZone }) : null}</footer>;
}

export function Layout({ children }: { children: ReactNode }) {
  const { locale, largeText } = useRootData();
  const t = useT();
  const nonce = useNonce();
  return (
    <html lang={locale} className={largeText ? "large-text" : undefined}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a href="#main" className="skip-link">
          {t("app.skip")}
        </a>
        <Header />
        <main id="main">{children}</main>
        <Footer />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  let message = t("error.server");
  const admins = isRouteErrorResponse(error) && error.status === 403 ? adminsToAsk(error.data) : null;
  if (admins) return <AdminOnly admins={admins} />;
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) message = t("error.notFound");
    else if (error.status === 403) message = whoMayOpen(t, error.data) ?? t("error.notAllowed");
    else if (error.status === 401) message = t("error.notSignedIn");
    else if (error.status < 500) message = typeof error.data === "string" && error.data ? error.data : t("error.badRequest");
  }
  return (
    <section className="panel error-panel" role="alert">
      <h1>{t("error.title")}</h1>
      <p>{message}</p>
      <p>
        <Link to="/calendar">{t("error.backHome")}</Link>
      </p>
    </section>
  );
}

/** A page for admins only, refused to a coordinator: says so plainly and names whom to ask. */
function AdminOnly({ admins }: { admins: string[] }) {
  const t = useT();
  return (
    <section className="panel error-panel admin-only" role="alert">
      <h1>{t("adminOnly.title")}</h1>
      {admins.length ? (
        <>
          <p>{t("adminOnly.body")}</p>
          <ul className="admin-names">
            {admins.map((name, i) => (
              <li key={i}>{name}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>{t("adminOnly.none")}</p>
      )}
      <p>
        <Link to="/manage">{t("error.backManage")}</Link>
      </p>
    </section>
  );
}
