import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { Bar } from "@visx/shape";
import { ChartFigure, SERIES_FILLS } from "./chart-figure";
import { ChartAxes, ChartSvg, plotSize } from "./chart-frame";
import { CHART_INK, FillPatterns, fillOf } from "./patterns";

const BOX = { width: 720, height: 300, margin: { top: 40, right: 10, bottom: 40, left: 44 } };
const SERIES = ["booked", "attended", "noShows"] as const;

/** Booked, attended and no-shows per category: three bars a category, told apart by fill and legend, each with its number. */
export function AttendanceChart({
  id = "attendance-by-category",
  title,
  labels,
  categories,
}: {
  id?: string;
  title: string;
  labels: { category: string; booked: string; attended: string; noShows: string };
  categories: readonly { name: string; booked: number; attended: number; noShows: number }[];
}) {
  const { innerWidth, innerHeight } = plotSize(BOX);
  const x = scaleBand<string>({ domain: categories.map((c) => c.name), range: [0, innerWidth], padding: 0.25 });
  const inner = scaleBand<string>({ domain: [...SERIES], range: [0, x.bandwidth()], padding: 0.1 });
  const max = Math.max(1, ...categories.flatMap((c) => SERIES.map((s) => c[s])));
  const y = scaleLinear<number>({ domain: [0, max], range: [innerHeight, 0], nice: true });
  const svg = (
    <ChartSvg
      box={BOX}
      above={
        <>
          <FillPatterns id={id} />
          <Group left={BOX.margin.left} top={12}>
            {SERIES.map((s, i) => (
              <g key={s} transform={`translate(${i * 160}, 0)`}>
                <rect width={14} height={14} fill={fillOf(id, SERIES_FILLS[i]!)} stroke={CHART_INK} />
                <text x={20} y={12} fontSize={13} fill={CHART_INK}>
                  {labels[s]}
                </text>
              </g>
            ))}
          </Group>
        </>
      }
    >
      {categories.map((c) => (
        <Group key={c.name} left={x(c.name) ?? 0}>
          {SERIES.map((s, i) => {
            const barY = y(c[s]);
            const barX = inner(s) ?? 0;
            return (
              <g key={s} data-series={s} data-value={c[s]}>
                <Bar x={barX} y={barY} width={inner.bandwidth()} height={innerHeight - barY} fill={fillOf(id, SERIES_FILLS[i]!)} stroke={CHART_INK} />
                <text x={barX + inner.bandwidth() / 2} y={barY - 3} textAnchor="middle" fontSize={11} fill={CHART_INK}>
                  {c[s]}
                </text>
              </g>
            );
          })}
        </Group>
      ))}
      <ChartAxes x={x} y={y} plotHeight={innerHeight} countTicks={4} />
    </ChartSvg>
  );
  return (
    <ChartFigure
      id={id}
      title={title}
      svg={svg}
      columns={[labels.category, labels.booked, labels.attended, labels.noShows]}
      rows={categories.map((c) => [c.name, c.booked, c.attended, c.noShows])}
    />
  );
}
