import { useRouteLoaderData } from "@remix-run/react";
import { translator, type Locale } from "~/i18n";
import type { loader as rootLoader } from "~/root";

/** Root data every page may use: language, station and who is signed in. */
export function useRootData() {
  const data = useRouteLoaderData<typeof rootLoader>("root");
  return data ?? { locale: "zh-CN" as Locale, largeText: false, viewer: null, station: null };
}

export function useT() {
  return translator(useRootData().locale);
}
