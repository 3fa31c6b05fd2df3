import { Form } from "@remix-run/react";
import { Field } from "~/components/field";
import { useT } from "~/lib/view";

/**
 * Find a person by name or phone (GET ?q=), for the staff pages that act on one person:
 * skills, manual hours, weekly limits. The page lists what it found its own way.
 */
export function PersonSearch({ query, nothingFound }: { query: string; nothingFound: boolean }) {
  const t = useT();
  return (
    <>
      <Form method="get" className="inline-form">
        <Field name="q" label={t("skillAdmin.search")} defaultValue={query} maxLength={40} />
        <button type="submit" className="button-secondary">
          {t("skillAdmin.searchButton")}
        </button>
      </Form>
      {query && nothingFound ? <p className="empty">{t("skillAdmin.noMatch")}</p> : null}
    </>
  );
}

/**
 * The desk's big search box (GET ?q=) over the people of a session or the station, for a
 * tablet at the door: one wide input and its button on one row (desk.css).
 */
export function CheckinSearch({ id, query, maxLength }: { id: string; query: string; maxLength: number }) {
  const t = useT();
  return (
    <Form method="get" className="checkin-search" role="search">
      <label htmlFor={id}>{t("checkin.search")}</label>
      <div className="checkin-search-row">
        {/* Keyed by the search: "show everyone" empties the box, not only the list. */}
        <input key={query} id={id} name="q" type="search" defaultValue={query} maxLength={maxLength} autoComplete="off" />
        <button type="submit" className="button-secondary">
          {t("checkin.find")}
        </button>
      </div>
    </Form>
  );
}

/** "林秀珍 (1958) · 3号楼2单元" — how a found person is named in those lists. */
export const personLabel = (p: { name: string; birthYear?: number | null; household?: string | null }) =>
  `${p.name}${p.birthYear ? ` (${p.birthYear})` : ""}${p.household ? ` · ${p.household}` : ""}`;
