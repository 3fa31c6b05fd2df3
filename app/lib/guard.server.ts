import { redirect } from "@remix-run/node";
import { getDb, type Db } from "#models/db";
import { getConfig } from "#models/config";
import { getSessionAccountId, getViewer, hasAnyRole, type Role, type Viewer } from "#models/auth";
import { requireStationBySlug, type Station } from "#models/stations";
import { translator, type Locale, type Translate } from "~/i18n";
import { readPreferences, readSessionToken } from "./cookies.server";

/** Who may use a loader or action: anyone, any signed-in account, or these roles at this station. */
export type Policy = "public" | "signed-in" | readonly Role[];

export const STAFF: readonly Role[] = ["coordinator", "admin"];
export const ADMIN: readonly Role[] = ["admin"];

export interface RequestContext {
  db: Db;
  station: Station;
  viewer: Viewer | null;
  locale: Locale;
  largeText: boolean;
  t: Translate;
}

export type AuthorisedContext = RequestContext & { viewer: Viewer };

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

/**
 * The one guard. Every loader and action calls it first: it resolves the station, the
 * viewer and their language, and stops the request (sign-in redirect or 403) when the
 * policy does not allow the viewer in.
 */
export async function authorize(request: Request, policy: "public"): Promise<RequestContext>;
export async function authorize(request: Request, policy: "signed-in" | readonly Role[]): Promise<AuthorisedContext>;
export async function authorize(request: Request, policy: Policy): Promise<RequestContext> {
  const db = await getDb();
  const [station, prefs, token] = await Promise.all([currentStation(db), readPreferences(request), readSessionToken(request)]);
  const accountId = token ? await getSessionAccountId(db, token) : null;
  const viewer = accountId ? await getViewer(db, accountId, station.id) : null;
  const context: RequestContext = { db, station, viewer, ...prefs, t: translator(prefs.locale) };
  if (policy === "public") return context;
  if (!viewer) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (policy !== "signed-in" && !hasAnyRole(viewer, policy)) {
    throw new Response(context.t("error.notAllowed"), { status: 403 });
  }
  return context;
}
