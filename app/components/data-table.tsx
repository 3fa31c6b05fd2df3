import type { ReactNode } from "react";

/**
 * A column heading: its text, or `hidden` for a column of buttons whose heading only screen
 * readers need. `null` or `false` leaves a column out (one shown only after a session began).
 */
export type Column = string | { label: string; hidden?: boolean; className?: string } | null | false;

/**
 * The staff pages' table: it scrolls sideways on a phone (`table-wrap`), `columns` head it and
 * `children` are its rows. `hiddenCaption` names it for screen readers where the page's heading
 * does so for the eye; `foot` holds a totals row.
 */
export function DataTable({
  columns,
  className,
  hiddenCaption,
  foot,
  children,
}: {
  columns?: Column[];
  className?: string;
  hiddenCaption?: string;
  foot?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className={className ? `data-table ${className}` : "data-table"}>
        {hiddenCaption ? <caption className="visually-hidden">{hiddenCaption}</caption> : null}
        {columns ? (
          <thead>
            <tr>{columns.map(heading)}</tr>
          </thead>
        ) : null}
        <tbody>{children}</tbody>
        {foot ? <tfoot>{foot}</tfoot> : null}
      </table>
    </div>
  );
}

function heading(column: Column, index: number) {
  if (!column) return null;
  const { label, hidden = false, className } = typeof column === "string" ? { label: column, className: undefined } : column;
  return (
    <th key={index} scope="col" className={className}>
      {hidden ? <span className="visually-hidden">{label}</span> : label}
    </th>
  );
}
