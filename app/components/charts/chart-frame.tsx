import { AxisBottom, AxisLeft, type AxisScale } from "@visx/axis";
import { Group } from "@visx/group";
import type { ScaleInput } from "@visx/scale";
import type { ReactNode } from "react";
import { CHART_INK } from "./patterns";

/** A chart's drawing size and the margins its axes, legend and labels need. */
export interface ChartBox {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

/** The plot inside the margins: what the scales range over. */
export const plotSize = ({ width, height, margin }: ChartBox) => ({
  innerWidth: width - margin.left - margin.right,
  innerHeight: height - margin.top - margin.bottom,
});

/** The chart's SVG, as wide as its figure: `above` (fills, a legend) drawn as it is, `children` inside the margins. */
export function ChartSvg({ box, above, children }: { box: ChartBox; above?: ReactNode; children: ReactNode }) {
  return (
    <svg viewBox={`0 0 ${box.width} ${box.height}`} width="100%" role="img" xmlns="http://www.w3.org/2000/svg">
      {above}
      <Group left={box.margin.left} top={box.margin.top}>
        {children}
      </Group>
    </svg>
  );
}

/** Counts up the left, the categories (days, months) along the bottom; both in the charts' ink. */
export function ChartAxes<X extends AxisScale, Y extends AxisScale>({
  x,
  y,
  plotHeight,
  countTicks,
  xLabel,
  yLabel,
  xTicks,
}: {
  x: X;
  y: Y;
  plotHeight: number;
  countTicks: number;
  xLabel?: string;
  yLabel?: string;
  /** Which categories to label, where every one would crowd the axis. */
  xTicks?: ScaleInput<X>[];
}) {
  return (
    <>
      <AxisLeft scale={y} numTicks={countTicks} label={yLabel} stroke={CHART_INK} tickStroke={CHART_INK} />
      <AxisBottom top={plotHeight} scale={x} label={xLabel} stroke={CHART_INK} tickStroke={CHART_INK} tickValues={xTicks} />
    </>
  );
}
