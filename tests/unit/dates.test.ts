import { describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { dateFormatter } from "../../app/lib/dates.server";

// 2026-12-01 23:30 UTC is 07:30 on Wednesday 2 December in Shanghai.
const instant = new Date("2026-12-01T23:30:00Z");

describe("dateFormatter", () => {
  it("renders times and dates in the station's zone, not the process's", () => {
    const fmt = dateFormatter("zh-CN", "Asia/Shanghai");
    expect(fmt.time(instant)).toBe("07:30");
    expect(fmt.localDate(instant)).toBe("2026-12-02");
    expect(fmt.day(instant)).toBe("12月2日星期三");
    expect(fmt.range(instant, new Date("2026-12-02T00:30:00Z"))).toBe("2026年12月2日星期三 07:30–08:30");
  });

  it("speaks English when asked", () => {
    const fmt = dateFormatter("en", "Asia/Shanghai");
    expect(fmt.day(instant)).toBe("Wednesday, December 2");
    expect(fmt.dayOfDate("2026-12-02")).toBe("Wednesday, December 2");
    expect(fmt.month(DateTime.fromISO("2026-12-01", { zone: "Asia/Shanghai" }))).toBe("December 2026");
  });

  it("keeps a local date's heading on its own day in zones on both sides of UTC", () => {
    for (const zone of ["Asia/Shanghai", "America/Los_Angeles", "Pacific/Kiritimati", "Pacific/Pago_Pago"]) {
      expect(dateFormatter("zh-CN", zone).dayOfDate("2027-01-01")).toBe("1月1日星期五");
    }
  });

  it("splits a day heading into its date and weekday, in the locale's order, for a button that may break between them", () => {
    expect(dateFormatter("zh-CN", "Asia/Shanghai").dayOfDateParts("2026-12-08")).toEqual(["12月8日", "星期二"]);
    expect(dateFormatter("en", "Asia/Shanghai").dayOfDateParts("2026-12-08")).toEqual(["Tuesday,", "December 8"]);
    // Read as one line, the pieces say what the heading says.
    for (const locale of ["zh-CN", "en"] as const) {
      const fmt = dateFormatter(locale, "Asia/Shanghai");
      expect(fmt.dayOfDateParts("2026-12-08").join(locale === "en" ? " " : "")).toBe(fmt.dayOfDate("2026-12-08"));
    }
  });

  it("shows midnight as 00:00, never 24:00", () => {
    expect(dateFormatter("zh-CN", "Asia/Shanghai").time(new Date("2026-12-01T16:00:00Z"))).toBe("00:00");
  });
});
