import { describe, expect, it } from "vitest";
import { consultationReminderDueAt, dayOfDueAt, isValidReminderMinutes, plannedReminders, reminderDueAt } from "../../models/notifications/timing";

const SHANGHAI = "Asia/Shanghai";
// 09:00 on Wednesday 2 December 2026 in Shanghai is 01:00 UTC.
const nineAm = new Date("2026-12-02T01:00:00Z");

describe("reminderDueAt", () => {
  it("is the given minutes before the start", () => {
    expect(reminderDueAt(nineAm, 1440)).toEqual(new Date("2026-12-01T01:00:00Z"));
    expect(reminderDueAt(nineAm, 90)).toEqual(new Date("2026-12-01T23:30:00Z"));
  });

  it("is nothing when the activity sends no reminder", () => {
    expect(reminderDueAt(nineAm, 0)).toBeNull();
  });
});

describe("dayOfDueAt", () => {
  it("is 07:00 station time on the session's day, as a UTC instant", () => {
    // 07:00 in Shanghai on 2 December is 23:00 UTC on 1 December.
    expect(dayOfDueAt(nineAm, SHANGHAI)).toEqual(new Date("2026-12-01T23:00:00Z"));
  });

  it("is two hours before an early start, when 07:00 would be too late", () => {
    const eightAm = new Date("2026-12-02T00:00:00Z"); // 08:00 Shanghai
    expect(dayOfDueAt(eightAm, SHANGHAI)).toEqual(new Date("2026-12-01T22:00:00Z"));
    const sixAm = new Date("2026-12-01T22:00:00Z"); // 06:00 Shanghai
    expect(dayOfDueAt(sixAm, SHANGHAI)).toEqual(new Date("2026-12-01T20:00:00Z"));
  });

  it("takes the local day, not the UTC day: a session at 00:30 Shanghai is on its own local date", () => {
    // 00:30 on 3 December Shanghai is 16:30 UTC on 2 December; 07:00 on 3 December would be after
    // the start, so two hours before it wins — and it is never 07:00 on the UTC date.
    const halfPastMidnight = new Date("2026-12-02T16:30:00Z");
    expect(dayOfDueAt(halfPastMidnight, SHANGHAI)).toEqual(new Date("2026-12-02T14:30:00Z"));
    const evening = new Date("2026-12-02T11:00:00Z"); // 19:00 Shanghai on 2 December
    expect(dayOfDueAt(evening, SHANGHAI)).toEqual(new Date("2026-12-01T23:00:00Z"));
  });

  it("follows the station's zone, daylight saving included", () => {
    // Berlin on 29 March 2027 is in summer time (UTC+2): 07:00 local is 05:00 UTC.
    expect(dayOfDueAt(new Date("2027-03-29T12:00:00Z"), "Europe/Berlin")).toEqual(new Date("2027-03-29T05:00:00Z"));
    // A week earlier, winter time (UTC+1): 06:00 UTC.
    expect(dayOfDueAt(new Date("2027-03-22T12:00:00Z"), "Europe/Berlin")).toEqual(new Date("2027-03-22T06:00:00Z"));
  });
});

describe("plannedReminders", () => {
  const session = { startsAt: nineAm, timeZone: SHANGHAI };

  it("plans both reminders, each expiring at the start", () => {
    const now = new Date("2026-11-25T00:00:00Z");
    expect(plannedReminders(session, { reminderMinutes: 1440, remindDayOf: true }, now)).toEqual([
      { kind: "reminder", dueAt: new Date("2026-12-01T01:00:00Z"), expiresAt: nineAm },
      { kind: "reminder_day_of", dueAt: new Date("2026-12-01T23:00:00Z"), expiresAt: nineAm },
    ]);
  });

  it("sends no late reminder to a signup made after the reminder time", () => {
    const evenBefore = new Date("2026-12-01T12:00:00Z"); // 20:00 the evening before, Shanghai
    expect(plannedReminders(session, { reminderMinutes: 1440, remindDayOf: true }, evenBefore)).toEqual([
      { kind: "reminder_day_of", dueAt: new Date("2026-12-01T23:00:00Z"), expiresAt: nineAm },
    ]);
    const morning = new Date("2026-12-01T23:30:00Z"); // 07:30 on the day
    expect(plannedReminders(session, { reminderMinutes: 1440, remindDayOf: true }, morning)).toEqual([]);
  });

  it("a reminder due exactly now is already too late", () => {
    const now = new Date("2026-12-01T01:00:00Z");
    expect(plannedReminders(session, { reminderMinutes: 1440, remindDayOf: false }, now)).toEqual([]);
  });

  it("plans nothing when the activity wants no reminders", () => {
    expect(plannedReminders(session, { reminderMinutes: 0, remindDayOf: false }, new Date("2026-11-01T00:00:00Z"))).toEqual([]);
  });
});

describe("isValidReminderMinutes", () => {
  it("accepts whole minutes from none to a week", () => {
    expect([0, 1, 1440, 10_080].every(isValidReminderMinutes)).toBe(true);
    expect([-1, 10_081, 1.5, Number.NaN].some(isValidReminderMinutes)).toBe(false);
  });
});

describe("consultationReminderDueAt", () => {
  const start = new Date("2026-12-10T06:00:00Z");
  it("is a day before the consultation", () => {
    expect(consultationReminderDueAt(start, new Date("2026-12-07T00:00:00Z"))).toEqual(new Date("2026-12-09T06:00:00Z"));
  });
  it("is nothing when booked less than a day ahead: the confirmation is the reminder", () => {
    expect(consultationReminderDueAt(start, new Date("2026-12-09T06:00:00Z"))).toBeNull();
    expect(consultationReminderDueAt(start, new Date("2026-12-09T20:00:00Z"))).toBeNull();
  });
});
