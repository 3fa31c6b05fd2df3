import { PatternLines } from "@visx/pattern";
import type { SeriesFill } from "./chart-figure";

const INK = "#1f2937";

/** The <defs> for the fills, namespaced by the chart's id so two charts on one page never share ids. */
export function FillPatterns({ id }: { id: string }) {
  return (
    <defs>
      <PatternLines id={`${id}-diagonal`} width={6} height={6} stroke={INK} strokeWidth={1.5} orientation={["diagonal"]} background="#ffffff" />
      <PatternLines
        id={`${id}-cross`}
        width={6}
        height={6}
        stroke={INK}
        strokeWidth={1}
        orientation={["vertical", "horizontal"]}
        background="#ffffff"
      />
      <PatternLines id={`${id}-horizontal`} width={6} height={6} stroke={INK} strokeWidth={1.5} orientation={["horizontal"]} background="#ffffff" />
    </defs>
  );
}

export const fillOf = (id: string, fill: SeriesFill) => (fill === "solid" ? INK : `url(#${id}-${fill})`);
export const CHART_INK = INK;
