import { describe, expect, it } from "vitest";
import { groupOf, mailGroupsFor, mergeOptOuts } from "../../models/notifications/preferences";

describe("mergeOptOuts", () => {
  it("adds the stopped kinds, removes the resumed ones, keeps every other kind", () => {
    // A one-click unsubscribe from a shift mail landed after the account page was loaded: the
    // page's save (which neither stops nor resumes that kind) must keep it.
    expect(mergeOptOuts(["shift_reminder", "reminder"], { stop: ["signup_confirmed"], resume: ["reminder", "reminder_day_of"] })).toEqual([
      "shift_reminder",
      "signup_confirmed",
    ]);
  });

  it("is sorted and without repeats; a kind already stopped stays stopped once", () => {
    expect(mergeOptOuts(["reminder", "reminder"], { stop: ["reminder", "session_changed", "reminder"], resume: [] })).toEqual([
      "reminder",
      "session_changed",
    ]);
  });

  it("drops stored kinds the app no longer knows", () => {
    expect(mergeOptOuts(["newsletter", "reminder"], { stop: [], resume: [] })).toEqual(["reminder"]);
  });
});

describe("the shift mails' group", () => {
  it("holds all four shift kinds, so one link stops them all", () => {
    for (const kind of ["shift_assigned", "shift_changed", "shift_cancelled", "shift_reminder"] as const) expect(groupOf(kind)).toBe("shifts");
  });

  it("is offered to whoever can be put on a shift, and to anyone who stopped it", () => {
    const withShifts = ["confirmations", "waitlist", "reminders", "dayOf", "changes", "staffCancel", "shifts"];
    expect(mailGroupsFor(["resident"])).toEqual(withShifts.slice(0, -1));
    expect(mailGroupsFor(["resident", "volunteer"])).toEqual(withShifts);
    expect(mailGroupsFor(["doctor"])).toEqual(withShifts);
    expect(mailGroupsFor(["coordinator"])).toEqual(withShifts);
    expect(mailGroupsFor(["resident"], ["reminder"])).toEqual(withShifts.slice(0, -1));
    expect(mailGroupsFor(["resident"], ["shift_reminder"])).toEqual(withShifts);
  });
});
