import type { MetaFunction } from "@remix-run/node";
import { DEFAULT_LOCALE, isLocale, translator, type MessageKey } from "~/i18n";

/**
 * A page title from the message catalog, in the viewer's language (read from the root loader's
 * data, which every page has): one source for the tab's title and the page's heading.
 */
export const titleMeta =
  (key: MessageKey, extra: ReturnType<MetaFunction> = []): MetaFunction =>
  ({ matches }) => {
    const locale = (matches.find((match) => match.id === "root")?.data as { locale?: unknown } | undefined)?.locale;
    const t = translator(isLocale(locale) ? locale : DEFAULT_LOCALE);
    return [{ title: t(key) }, ...extra];
  };
