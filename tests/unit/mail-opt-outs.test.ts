import { describe, expect, it } from "vitest";
import { mergeOptOuts } from "../../models/notifications/preferences";

describe("mergeOptOuts", () => {
  it("adds the stopped kinds, removes the resumed ones, keeps every other kind", () => {
    // A one-click unsubscribe from a shift mail landed after the account page was loaded: the
    // page's save (which neither stops nor resumes that kind) must keep it.
    expect(mergeOptOuts(["shift_reminder", "reminder"], { stop: ["signup_confirmed"], resume: ["reminder", "reminder_day_of"] })).toEqual(["shift_reminder", "signup_confirmed"]);
  });

  it("is sorted and without repeats; a kind already stopped stays stopped once", () => {
    expect(mergeOptOuts(["reminder", "reminder"], { stop: ["reminder", "session_changed", "reminder"], resume: [] })).toEqual(["reminder", "session_changed"]);
  });

  it("drops stored kinds the app no longer knows", () => {
    expect(mergeOptOuts(["newsletter", "reminder"], { stop: [], resume: [] })).toEqual(["reminder"]);
  });
});
