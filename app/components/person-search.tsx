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

/** "林秀珍 (1958) · 3号楼2单元" — how a found person is named in those lists. */
export const personLabel = (p: { name: string; birthYear?: number | null; household?: string | null }) =>
  `${p.name}${p.birthYear ? ` (${p.birthYear})` : ""}${p.household ? ` · ${p.household}` : ""}`;
