import type { ErasureResult } from "#models/privacy/erasure";
import type { MessageKey } from "~/i18n";
import { useT } from "~/lib/view";

/** What an erasure removed and kept, as two tables of counts (ADR 23); rows with nothing to say are left out. */
export function ErasureCounts({ result }: { result: Pick<ErasureResult, "removed" | "kept" | "promoted"> }) {
  const t = useT();
  const rows = (prefix: "erase.r." | "erase.k.", counts: Record<string, number>) =>
    Object.entries(counts)
      .filter(([, count]) => count > 0)
      .map(([key, count]) => (
        <tr key={key}>
          <th scope="row">{t(`${prefix}${key}` as MessageKey)}</th>
          <td>{count}</td>
        </tr>
      ));
  return (
    <>
      <table className="table">
        <caption>{t("erase.removedCol")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("erase.removedCol")}</th>
            <th scope="col">{t("erase.count")}</th>
          </tr>
        </thead>
        <tbody>{rows("erase.r.", result.removed)}</tbody>
      </table>
      <table className="table">
        <caption>{t("erase.keptCol")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("erase.keptCol")}</th>
            <th scope="col">{t("erase.count")}</th>
          </tr>
        </thead>
        <tbody>{rows("erase.k.", result.kept)}</tbody>
      </table>
      {result.promoted > 0 ? <p>{t("erase.promoted", { count: result.promoted })}</p> : null}
    </>
  );
}
