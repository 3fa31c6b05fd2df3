import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { VisitsPerDayChart } from "../../app/components/charts/visits-per-day-chart";
import { AttendanceChart } from "../../app/components/charts/attendance-chart";
import { TrendChart } from "../../app/components/charts/trend-chart";

/** The text of every table cell, in order (header row included). */
const cells = (html: string) => [...html.matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map((m) => m[1]);
const svgOf = (html: string) => /<svg[\s\S]*<\/svg>/.exec(html)?.[0] ?? "";

describe("charts render to SVG on the server, with their numbers", () => {
  it("visits per day: a bar and a label per day with visits, and the whole month in the table", () => {
    const days = Array.from({ length: 30 }, (_, i) => ({ day: `2026-11-${String(i + 1).padStart(2, "0")}`, count: i % 7 === 6 ? 0 : 150 + i * 3 }));
    const html = renderToString(createElement(VisitsPerDayChart, { title: "每日到访", dayLabel: "日期", countLabel: "人次", days }));
    const svg = svgOf(html);
    expect(svg).toContain('viewBox="0 0 720 260"');
    expect(svg.match(/<rect/g)).toHaveLength(30);
    for (const d of days) expect(svg).toContain(`data-day="${d.day}" data-count="${d.count}"`);
    expect(svg).toContain(">237<"); // the 30th day's count written on its bar
    expect(cells(html)).toEqual(["日期", "人次", ...days.flatMap((d) => [d.day, String(d.count)])]);
    expect(html).not.toContain("<script");
  });

  it("attendance per category: three fills told apart by pattern, a legend, and every value written", () => {
    const categories = [
      { name: "健康讲座", booked: 120, attended: 101, noShows: 14 },
      { name: "义诊", booked: 60, attended: 58, noShows: 2 },
    ];
    const html = renderToString(
      createElement(AttendanceChart, {
        title: "各类活动出勤",
        labels: { category: "类别", booked: "预约", attended: "到场", noShows: "爽约" },
        categories,
      }),
    );
    const svg = svgOf(html);
    expect(svg).toContain('<pattern id="attendance-by-category-diagonal"');
    expect(svg).toContain('fill="url(#attendance-by-category-cross)"');
    for (const legend of ["预约", "到场", "爽约"]) expect(svg).toContain(`>${legend}<`);
    for (const c of categories) for (const v of [c.booked, c.attended, c.noShows]) expect(svg).toContain(`data-value="${v}"`);
    expect(cells(html)).toEqual(["类别", "预约", "到场", "爽约", "健康讲座", "120", "101", "14", "义诊", "60", "58", "2"]);
  });

  it("12-month trend: two lines differing by dash and marker, each point labelled", () => {
    const months = Array.from({ length: 11 }, (_, i) => ({
      month: `2026-${String(i + 1).padStart(2, "0")}`,
      visits: 4000 + i * 100,
      attended: 600 + i,
    }));
    const html = renderToString(
      createElement(TrendChart, { title: "全年趋势", labels: { month: "月份", visits: "到访人次", attended: "活动到场" }, months }),
    );
    const svg = svgOf(html);
    expect(svg.match(/<path/g)!.length).toBeGreaterThanOrEqual(2);
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg.match(/<circle/g)).toHaveLength(11);
    expect(svg).toContain('data-month="2026-11" data-value="5000"');
    expect(svg).toContain(">610<");
    expect(cells(html).slice(0, 6)).toEqual(["月份", "到访人次", "活动到场", "2026-01", "4000", "600"]);
  });

  it("draws an empty month without dividing by zero", () => {
    const html = renderToString(
      createElement(VisitsPerDayChart, { title: "t", dayLabel: "d", countLabel: "c", days: [{ day: "2025-01-01", count: 0 }] }),
    );
    expect(html).not.toContain("NaN");
    expect(html).toContain("<svg");
  });
});
