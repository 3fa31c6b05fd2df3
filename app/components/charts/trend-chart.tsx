import { Group } from "@visx/group";
import { scalePoint, scaleLinear } from "@visx/scale";
import { LinePath } from "@visx/shape";
import { ChartFigure } from "./chart-figure";
import { ChartAxes, ChartSvg, plotSize } from "./chart-frame";
import { CHART_INK } from "./patterns";

const BOX = { width: 720, height: 300, margin: { top: 40, right: 20, bottom: 36, left: 52 } };

/**
 * The year's trend: drop-in visits and people who attended sessions, month by month. The two
 * lines differ by dash and by marker shape (circle, square), and each point carries its value.
 */
export function TrendChart({
  id = "year-trend",
  title,
  labels,
  months,
}: {
  id?: string;
  title: string;
  labels: { month: string; visits: string; attended: string };
  /** "YYYY-MM", and only the months reached (future months are left out, not drawn as zero). */
  months: readonly { month: string; visits: number; attended: number }[];
}) {
  const { innerWidth, innerHeight } = plotSize(BOX);
  const monthOf = (m: { month: string }) => String(Number(m.month.slice(5, 7)));
  const x = scalePoint<string>({ domain: months.map(monthOf), range: [0, innerWidth], padding: 0.5 });
  const max = Math.max(1, ...months.flatMap((m) => [m.visits, m.attended]));
  const y = scaleLinear<number>({ domain: [0, max], range: [innerHeight, 0], nice: true });
  const series = [
    { key: "visits" as const, dash: undefined, marker: "circle" as const },
    { key: "attended" as const, dash: "6 4", marker: "square" as const },
  ];
  const svg = (
    <ChartSvg
      box={BOX}
      above={
        <Group left={BOX.margin.left} top={12}>
          {series.map((s, i) => (
            <g key={s.key} transform={`translate(${i * 200}, 0)`}>
              <line x1={0} x2={28} y1={7} y2={7} stroke={CHART_INK} strokeWidth={2} strokeDasharray={s.dash} />
              <text x={34} y={12} fontSize={13} fill={CHART_INK}>
                {labels[s.key]}
              </text>
            </g>
          ))}
        </Group>
      }
    >
      {series.map((s) => (
        <g key={s.key} data-series={s.key}>
          <LinePath
            data={[...months]}
            x={(m) => x(monthOf(m)) ?? 0}
            y={(m) => y(m[s.key])}
            stroke={CHART_INK}
            strokeWidth={2}
            strokeDasharray={s.dash}
            fill="none"
          />
          {months.map((m) => {
            const cx = x(monthOf(m)) ?? 0;
            const cy = y(m[s.key]);
            return (
              <g key={m.month} data-month={m.month} data-value={m[s.key]}>
                {s.marker === "circle" ? (
                  <circle cx={cx} cy={cy} r={4} fill={CHART_INK} />
                ) : (
                  <rect x={cx - 4} y={cy - 4} width={8} height={8} fill="#ffffff" stroke={CHART_INK} strokeWidth={2} />
                )}
                <text x={cx} y={cy - 8} textAnchor="middle" fontSize={10} fill={CHART_INK}>
                  {m[s.key]}
                </text>
              </g>
            );
          })}
        </g>
      ))}
      <ChartAxes x={x} y={y} plotHeight={innerHeight} countTicks={5} xLabel={labels.month} />
    </ChartSvg>
  );
  return (
    <ChartFigure
      id={id}
      title={title}
      svg={svg}
      columns={[labels.month, labels.visits, labels.attended]}
      rows={months.map((m) => [m.month, m.visits, m.attended])}
    />
  );
}
