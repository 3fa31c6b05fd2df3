import { describe, expect, it } from "vitest";
import { isRealUtcOffset } from "../../app/lib/utc-offset";

describe("UTC offsets of API instants", () => {
  it("accepts Z and the offsets clocks use, from -14:00 to +14:00", () => {
    for (const value of [
      "2026-12-01T09:00Z",
      "2026-12-01T09:00+08:00",
      "2026-12-01T09:00+0800",
      "2026-12-01T09:00-12:00",
      "2026-12-01T09:00+14:00",
      "2026-12-01T09:00+05:45",
    ]) {
      expect(isRealUtcOffset(value), value).toBe(true);
    }
  });
  it("refuses offsets past ±14:00 or with 60 minutes or more", () => {
    for (const value of [
      "2026-12-01T09:00+25:00",
      "2026-12-01T09:00-99:99",
      "2026-12-01T09:00+14:01",
      "2026-12-01T09:00+08:60",
      "2026-12-01T09:00+2400",
      "2026-12-01T09:00",
    ]) {
      expect(isRealUtcOffset(value), value).toBe(false);
    }
  });
});
