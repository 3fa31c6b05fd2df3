import type { ReactNode } from "react";

/**
 * A chart with its numbers: the SVG for the eye, the table for screen readers, print and
 * anyone who wants the figures themselves. The SVG is hidden from assistive technology
 * because the table says the same thing in full.
 */
export function ChartFigure({
  id,
  title,
  svg,
  columns,
  rows,
}: {
  id: string;
  title: string;
  svg: ReactNode;
  columns: readonly string[];
  rows: readonly (readonly (string | number)[])[];
}) {
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="chart-title">
        {title}
      </figcaption>
      <div className="chart-svg" aria-hidden="true">
        {svg}
      </div>
      <table className="chart-table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) =>
                j === 0 ? (
                  <th key={j} scope="row">
                    {cell}
                  </th>
                ) : (
                  <td key={j}>{cell}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/**
 * Fills told apart without colour: solid, diagonal lines, crossed lines, dots-like dashes.
 * Each series also carries its name in the legend and its value as a label on the bar.
 */
export const SERIES_FILLS = ["solid", "diagonal", "cross", "horizontal"] as const;
export type SeriesFill = (typeof SERIES_FILLS)[number];
