import { IMPORT_COLUMNS, type ImportPlan, type ImportProblem } from "#models/care/import";
import type { Translate } from "~/i18n";

/** One problem in words: where (the file, or row N) and what, the column named in the reader's language. */
function problemText(problem: ImportProblem, t: Translate, locale: string) {
  const column = IMPORT_COLUMNS.find((c) => c.key === problem.column);
  const columnName = column ? (locale === "en" ? column.en : column.zh) : "";
  return t(`care.import.problem.${problem.code}`, { column: columnName, ...problem.params });
}

/**
 * The preview as the page shows it: counts, every problem with its row, and every row with its
 * outcome. Needs stay out (the preview names no health matter); the file is not sent back —
 * the import form sends it again, and its SHA-256 ties it to this preview (ADR 24).
 */
export function previewView(plan: ImportPlan, t: Translate, locale: string) {
  const where = (p: ImportProblem) => (p.row === null ? t("care.import.fileLevel") : t("care.import.rowN", { row: p.row }));
  const c = plan.counts;
  const changes = c.householdsCreated + c.householdsFilled + c.peopleCreated + c.peopleFilled + c.consentsRecorded;
  return {
    sha256: plan.sha256,
    summary: plan.encoding ? t("care.import.summary", { encoding: t(`care.import.encoding.${plan.encoding}`), rows: c.rows }) : null,
    plan: t("care.import.plan", {
      households: c.householdsCreated,
      people: c.peopleCreated,
      hFilled: c.householdsFilled,
      pFilled: c.peopleFilled,
      consents: c.consentsRecorded,
    }),
    rowCount: c.rows,
    problemCount: plan.problemCount,
    nothingToDo: plan.problemCount === 0 && changes === 0,
    problems: [...plan.fileProblems, ...plan.rows.flatMap((r) => r.problems)].map((p) => ({
      row: p.row,
      text: `${where(p)}${locale === "en" ? ": " : "："}${problemText(p, t, locale)}`,
    })),
    rows: plan.rows.map((r) => ({
      row: r.row,
      label: r.label,
      name: r.name,
      phone: r.phone,
      birthYear: r.birthYear,
      caretaker: r.caretaker,
      household: r.household ? t(`care.import.household.${r.household}`) : "",
      person: r.person ? t(`care.import.person.${r.person}`) : "",
      problems: r.problems.map((p) => problemText(p, t, locale)),
    })),
  };
}

export type PreviewView = ReturnType<typeof previewView>;
