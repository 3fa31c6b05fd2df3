// The roster model's shared helpers, after folding their copies into one.
import { describe, expect, it } from "vitest";
import { isIsoDate, rethrowBusy } from "../../models/rosters/common";
import { Busy } from "../../models/errors";

describe("roster common helpers", () => {
  it("isIsoDate: a real calendar day in 2000–2100, nothing else", () => {
    for (const good of ["2026-12-01", "2028-02-29", "2000-01-01", "2100-12-31"]) expect(isIsoDate(good), good).toBe(true);
    for (const bad of ["2026-02-29", "2026-13-01", "2026-1-01", "1999-12-31", "2101-01-01", "2026-12-01T00:00", "", 20261201, null])
      expect(isIsoDate(bad), String(bad)).toBe(false);
  });

  it("rethrowBusy: lock timeouts, deadlocks and cancelled statements become Busy; anything else passes through", () => {
    for (const code of ["55P03", "40P01", "57014"]) expect(() => rethrowBusy(Object.assign(new Error("pg"), { code }))).toThrow(Busy);
    const other = Object.assign(new Error("pg"), { code: "23505" });
    expect(() => rethrowBusy(other)).toThrow(other);
  });
});
