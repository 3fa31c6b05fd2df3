/**
 * The one message catalog (ADR 31): the pages' texts and the mails' (`mail.*`), zh-CN and en.
 * Framework-free, so that models/ (the mail worker) reads it as well as app/ (as `~/i18n`).
 * The keys are zh-CN's; en.ts is typed by them, so a key missing in either does not compile.
 */
import { zhCN } from "./zh-CN";
import { en } from "./en";
import type { ErrorCode } from "../errors";

export type MessageKey = keyof typeof zhCN;
export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "zh-CN";

const catalogs: Record<Locale, Record<MessageKey, string>> = { "zh-CN": zhCN, en };

/**
 * The message of a domain error's code. Typed, so a code listed in models/errors.ts without its
 * `error.<code>` entry here does not compile.
 */
export const errorMessageKey = (code: ErrorCode): MessageKey => `error.${code}`;

export const isLocale = (value: unknown): value is Locale => LOCALES.includes(value as Locale);
export const isMessageKey = (value: string): value is MessageKey => value in zhCN;

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  return (key, params) => {
    const text = catalog[key];
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  };
}

/** Picks the name in the active language from a bilingual record (categories, stations). */
export const localName = (locale: Locale, record: { nameZh: string; nameEn: string }) => (locale === "zh-CN" ? record.nameZh : record.nameEn);

/** "1 person" / "3 people" (Chinese has one form; English needs two). */
export const peopleCount = (t: Translate, count: number) => (count === 1 ? t("signup.peopleOne") : t("signup.people", { count }));
