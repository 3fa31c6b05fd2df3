import { createCookie } from "@remix-run/node";
import { getConfig } from "#models/config";
import { DEFAULT_LOCALE, isLocale, type Locale } from "~/i18n";
import { SESSION_ABSOLUTE_MS } from "#models/auth";

function secure(request: Request) {
  const setting = getConfig().COOKIE_SECURE;
  return setting === "auto" ? new URL(request.url).protocol === "https:" : setting === "true";
}

const sessionCookie = createCookie("hearth_session", {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
  maxAge: SESSION_ABSOLUTE_MS / 1000,
});

export async function readSessionToken(request: Request): Promise<string | null> {
  const value: unknown = await sessionCookie.parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length <= 100 ? value : null;
}

/**
 * Whether the request carries the session cookie at all, parsed exactly as the app parses it
 * (Remix's cookie parser on the headers Remix builds). Broader than "signed in": a value
 * that does not decode still counts, so whoever asks this (the anonymous page cache) errs
 * towards treating the request as someone's.
 */
export async function hasSessionCookie(cookieHeader: string | null): Promise<boolean> {
  return (await sessionCookie.parse(cookieHeader)) !== null;
}

export const writeSessionToken = (request: Request, token: string) => sessionCookie.serialize(token, { secure: secure(request) });

export const clearSessionToken = (request: Request) => sessionCookie.serialize("", { maxAge: 0, secure: secure(request) });

export interface Preferences {
  locale: Locale;
  largeText: boolean;
}

// A year: a resident who chose English or large text should not have to choose again.
const prefsCookie = createCookie("hearth_prefs", { sameSite: "lax", path: "/", maxAge: 365 * 24 * 3600 });

export async function readPreferences(request: Request): Promise<Preferences> {
  const value = (await prefsCookie.parse(request.headers.get("Cookie"))) as Partial<Preferences> | null;
  return {
    locale: isLocale(value?.locale) ? value.locale : DEFAULT_LOCALE,
    largeText: value?.largeText === true,
  };
}

export const writePreferences = (request: Request, prefs: Preferences) => prefsCookie.serialize(prefs, { secure: secure(request) });
