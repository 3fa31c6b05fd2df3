import { data, redirect } from "@remix-run/node";
import { getDb, type Db } from "#models/db";
import { getConfig } from "#models/config";
import { getSessionViewer, hasAnyRole, type Role, type Viewer } from "#models/auth";
import { getApiTokenViewer } from "#models/api-tokens";
import { requireStationBySlug, type Station } from "#models/stations";
import { listAdminNames, mayKnowAdmins } from "#models/station-admins";
import { translator, type Locale, type Translate } from "~/i18n";
import { readPreferences, readSessionToken } from "./cookies.server";
import { apiError, apiLocale, bearerChallenge } from "./api-reply.server";
import { currentRequestScope, readOnce } from "./request-scope.server";

/** Who may use a loader or action: anyone, any signed-in account, or these roles at this station. */
export type Policy = "public" | "signed-in" | readonly Role[];

export const STAFF: readonly Role[] = ["coordinator", "admin"];
export const ADMIN: readonly Role[] = ["admin"];
/** The front desk (the drop-in tally, check-in sheets): staff and volunteers; the model narrows a sheet to its desk's volunteers. */
export const DESK: readonly Role[] = ["volunteer", "coordinator", "admin"];

/**
 * Who asks and how: the one context of every loader and action, page or API. Pages know the
 * viewer by the session cookie and their language by the preferences cookie; the API by a
 * bearer token and `Accept-Language`. Nothing else differs.
 */
export interface RequestContext {
  db: Db;
  station: Station;
  viewer: Viewer | null;
  locale: Locale;
  largeText: boolean;
  t: Translate;
  /** Where the credential came from: "page" (cookie) or "api" (bearer token). */
  via: Credential;
}

export type AuthorisedContext = RequestContext & { viewer: Viewer };
export type Credential = "page" | "api";

// The station row changes about never; looking it up on every request would be waste.
// Keyed by database handle, so tests that swap databases never see another's station.
const stationCache = new WeakMap<Db, { station: Station; at: number }>();
export async function currentStation(db: Db): Promise<Station> {
  const cached = stationCache.get(db);
  if (cached && Date.now() - cached.at < 60_000) return cached.station;
  const station = await requireStationBySlug(db, getConfig().STATION_SLUG);
  stationCache.set(db, { station, at: Date.now() });
  return station;
}

/** Drops the cached station row, after its settings changed (the next request reads them). */
export function forgetCurrentStation(db: Db): void {
  stationCache.delete(db);
}

/** What a credential source found: the viewer (null: none offered) or a refusal to throw. */
type Found = { viewer: Viewer | null; locale: Locale; largeText: boolean };

async function fromCookies(request: Request, db: Db, station: Station): Promise<Found> {
  const [prefs, token] = await Promise.all([readPreferences(request), readSessionToken(request)]);
  const viewer = token ? await getSessionViewer(db, token, station.id) : null;
  return { viewer, ...prefs };
}

const BEARER = /^Bearer +(\S{1,200})$/i;

// A token that is sent but not valid is refused even on public routes: the client meant to be someone.
async function fromBearer(request: Request, db: Db, station: Station): Promise<Found> {
  const locale = apiLocale(request);
  const header = request.headers.get("Authorization");
  if (header === null) return { viewer: null, locale, largeText: false };
  const token = BEARER.exec(header.trim())?.[1];
  const viewer = token ? await getApiTokenViewer(db, token, station.id) : null;
  if (!viewer) throw apiError(401, "invalid_token", translator(locale)("api.invalidToken"), { headers: bearerChallenge("invalid_token") });
  return { viewer, locale, largeText: false };
}

// The viewer is read once per request: the root loader, the layouts' and the page's loaders
// and any helper that asks again share the first answer (and its refusal, for a bad token).
// Within an HTTP GET the request scope holds it (Remix gives each loader its own Request);
// elsewhere (an action, a loader called by a test) it is kept per Request object.
const contexts = new WeakMap<Request, Promise<RequestContext>>();

/** The request's context, read once; the credential source is fixed by the first caller. */
export function requestContext(request: Request, via: Credential): Promise<RequestContext> {
  const read = async (): Promise<RequestContext> => {
    const db = await getDb();
    const station = await currentStation(db);
    const found = await (via === "api" ? fromBearer : fromCookies)(request, db, station);
    return { db, station, ...found, t: translator(found.locale), via };
  };
  if (currentRequestScope()) return readOnce("requestContext", read);
  let context = contexts.get(request);
  if (!context) contexts.set(request, (context = read()));
  return context;
}

// The policies each request was checked against, in order: tests/integration/routes-policy.test.ts
// calls every loader and action and proves each went through here before answering.
const checked = new WeakMap<Request, Policy[]>();
export const policiesChecked = (request: Request): readonly Policy[] => checked.get(request) ?? [];

/** The one policy check: may this viewer pass? Why not, when not. */
export function admits(viewer: Viewer | null, policy: Policy): "yes" | "not_signed_in" | "not_allowed" {
  if (policy === "public") return "yes";
  if (!viewer) return "not_signed_in";
  if (policy !== "signed-in" && !hasAnyRole(viewer, policy)) return "not_allowed";
  return "yes";
}

/** The roles a policy lets in, for a refusal that says who could (empty: any signed-in account). */
const rolesOf = (policy: Policy): readonly Role[] => (typeof policy === "string" ? [] : policy);

/**
 * The one guard. Every loader and action, page or API, calls it first: it resolves the
 * station, the viewer and their language once, and stops the request when the policy does
 * not let the viewer in. Pages: sign-in redirect, or a 403 naming the roles that may;
 * the API: a JSON 401 or 403 (see `authorizeApi`).
 */
export async function guard(request: Request, policy: Policy, via: Credential): Promise<RequestContext> {
  checked.set(request, [...(checked.get(request) ?? []), policy]);
  const context = await requestContext(request, via);
  const verdict = admits(context.viewer, policy);
  const { t } = context;
  if (verdict === "yes") {
    // The API reads its query through one validator (readQuery), which names the field at fault.
    if (via === "page" && unreadableAddress(request)) throw new Response(t("error.badRequest"), { status: 400 });
    return context;
  }
  if (via === "api") {
    if (verdict === "not_signed_in") throw apiError(401, "not_signed_in", t("api.notSignedIn"), { headers: bearerChallenge() });
    const roles = rolesOf(policy);
    throw apiError(403, "not_allowed", t("error.not_allowed"), roles.length ? { params: { roles: roles.join(",") } } : {});
  }
  if (verdict === "not_signed_in") {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  throw await notAllowed(context, rolesOf(policy));
}

/**
 * An address with a NUL in its path or query: no page or client of ours writes one, and a
 * handler would hand it to a query (`q=%00` on a search: PostgreSQL refuses NUL in text, a 500
 * on four staff pages), so it is refused here, for every page. Other control characters are
 * left to the handlers (PostgreSQL stores them; redirect targets fall back to a safe page).
 */
function unreadableAddress(request: Request): boolean {
  const url = new URL(request.url);
  for (const [name, value] of url.searchParams) if (name.includes("\u0000") || value.includes("\u0000")) return true;
  return /%00/.test(url.pathname);
}

/** The pages' 403: what the error page shows, with the roles that may (none listed: any account). */
export interface Refusal {
  code: "not_allowed";
  roles: readonly Role[];
  message: string;
  /** On a page for admins only, refused to staff: who to ask, by name (ADR 30). */
  admins?: string[];
}

const adminOnly = (roles: readonly Role[]) => roles.length === 1 && roles[0] === "admin";

/**
 * The one refusal of pages. A page for admins only, refused to a coordinator, also names the
 * station's admins, so the answer says who can open it; everyone else gets the plain refusal.
 */
async function notAllowed(context: RequestContext, roles: readonly Role[]) {
  const refusal: Refusal = { code: "not_allowed", roles, message: context.t("error.notAllowed") };
  if (adminOnly(roles) && context.viewer && mayKnowAdmins(context.viewer.roles))
    refusal.admins = await listAdminNames(context.db, context.station.id);
  return data<Refusal>(refusal, { status: 403 });
}

/**
 * The same check for a part of a page that asks for more than the page does (an admin-only
 * form on a staff page): the signed-in viewer is refused exactly as the guard refuses.
 */
export async function requireRoles(context: AuthorisedContext, roles: readonly Role[]): Promise<void> {
  if (admits(context.viewer, roles) !== "yes") throw await notAllowed(context, roles);
}

/** The guard of pages (cookie session). */
export async function authorize(request: Request, policy: "public"): Promise<RequestContext>;
export async function authorize(request: Request, policy: "signed-in" | readonly Role[]): Promise<AuthorisedContext>;
export async function authorize(request: Request, policy: Policy): Promise<RequestContext> {
  return guard(request, policy, "page");
}

/** The guard of the JSON API (bearer token; docs/decisions/0005-json-api.md). */
export async function authorizeApi(request: Request, policy: "public"): Promise<RequestContext>;
export async function authorizeApi(request: Request, policy: "signed-in" | readonly Role[]): Promise<AuthorisedContext>;
export async function authorizeApi(request: Request, policy: Policy): Promise<RequestContext> {
  return guard(request, policy, "api");
}
