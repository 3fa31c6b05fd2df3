import { scaleBand, scaleLinear } from "@visx/scale";
import { Bar } from "@visx/shape";
import { ChartFigure } from "./chart-figure";
import { ChartAxes, ChartSvg, plotSize } from "./chart-frame";
import { CHART_INK } from "./patterns";

const BOX = { width: 720, height: 260, margin: { top: 20, right: 10, bottom: 36, left: 44 } };

/** Drop-in visits per day of a month: one bar a day, its count written above it. */
export function VisitsPerDayChart({
  id = "visits-per-day",
  title,
  dayLabel,
  countLabel,
  days,
}: {
  id?: string;
  title: string;
  dayLabel: string;
  countLabel: string;
  /** "YYYY-MM-DD" and the count, every day of the month. */
  days: readonly { day: string; count: number }[];
}) {
  const { innerWidth, innerHeight } = plotSize(BOX);
  const dayOf = (d: { day: string }) => String(Number(d.day.slice(8, 10)));
  const x = scaleBand<string>({ domain: days.map(dayOf), range: [0, innerWidth], padding: 0.2 });
  const max = Math.max(1, ...days.map((d) => d.count));
  const y = scaleLinear<number>({ domain: [0, max], range: [innerHeight, 0], nice: true });
  const svg = (
    <ChartSvg box={BOX}>
      {days.map((d) => {
        const barX = x(dayOf(d)) ?? 0;
        const barY = y(d.count);
        return (
          <g key={d.day} data-day={d.day} data-count={d.count}>
            <Bar x={barX} y={barY} width={x.bandwidth()} height={innerHeight - barY} fill={CHART_INK} />
            {d.count > 0 && (
              <text x={barX + x.bandwidth() / 2} y={barY - 3} textAnchor="middle" fontSize={9} fill={CHART_INK}>
                {d.count}
              </text>
            )}
          </g>
        );
      })}
      <ChartAxes
        x={x}
        y={y}
        plotHeight={innerHeight}
        countTicks={4}
        xLabel={dayLabel}
        yLabel={countLabel}
        xTicks={x.domain().filter((_, i) => i % 2 === 0)}
      />
    </ChartSvg>
  );
  return <ChartFigure id={id} title={title} svg={svg} columns={[dayLabel, countLabel]} rows={days.map((d) => [d.day, d.count])} />;
}
