import { DateTime } from "luxon";
import { REMINDER_MINUTES } from "../limits";

/**
 * When a signup's reminders fall due. Pure arithmetic, no database: the rows themselves are
 * written in SQL (models/notifications/enqueue.ts) from the session row read under its lock,
 * so a move committed just before a signup cannot leave a reminder at the old time. The SQL
 * uses the constants below, and the integration tests check that both give the same instants.
 */

/** The day-of reminder goes at this local hour on the session's day … */
export const DAY_OF_HOUR = 7;
/** … or this long before the start, whichever is earlier (an 08:00 session is not told at 07:00). */
export const DAY_OF_LEAD_MINUTES = 120;

const MINUTE = 60_000;

/** An activity's reminder settings: minutes before the start (0 = none), and the day-of mail. */
export interface ReminderSettings {
  reminderMinutes: number;
  remindDayOf: boolean;
}

/** The usual reminder, `minutes` before the start; none when the activity has none. */
export function reminderDueAt(startsAt: Date, minutes: number): Date | null {
  return minutes > 0 ? new Date(startsAt.getTime() - minutes * MINUTE) : null;
}

/** The day-of reminder: 07:00 station time on the session's local day, or two hours before the start if that is earlier. */
export function dayOfDueAt(startsAt: Date, timeZone: string): Date {
  const morning = DateTime.fromJSDate(startsAt, { zone: timeZone }).startOf("day").set({ hour: DAY_OF_HOUR }).toJSDate();
  const lead = new Date(startsAt.getTime() - DAY_OF_LEAD_MINUTES * MINUTE);
  return morning < lead ? morning : lead;
}

export interface PlannedReminder {
  kind: "reminder" | "reminder_day_of";
  dueAt: Date;
  expiresAt: Date;
}

/**
 * The reminders a confirmed signup gets, seen from `now`: a reminder whose time has passed is
 * not sent late (someone booking the evening before a lecture needs no "tomorrow" mail).
 * Both expire at the start: after that a reminder is no use.
 */
export function plannedReminders(session: { startsAt: Date; timeZone: string }, settings: ReminderSettings, now: Date): PlannedReminder[] {
  const planned: PlannedReminder[] = [];
  const usual = reminderDueAt(session.startsAt, settings.reminderMinutes);
  if (usual && usual > now) planned.push({ kind: "reminder", dueAt: usual, expiresAt: session.startsAt });
  if (settings.remindDayOf) {
    const dayOf = dayOfDueAt(session.startsAt, session.timeZone);
    if (dayOf > now) planned.push({ kind: "reminder_day_of", dueAt: dayOf, expiresAt: session.startsAt });
  }
  return planned;
}

/** The bounds the activity editor and the database CHECK accept for reminder minutes (a week): models/limits.ts. */
export const MAX_REMINDER_MINUTES = REMINDER_MINUTES.max;

export const isValidReminderMinutes = (value: number) => Number.isInteger(value) && value >= 0 && value <= MAX_REMINDER_MINUTES;

/** A consultation's reminder goes to its client a day ahead. */
export const CONSULTATION_REMINDER_MINUTES = 24 * 60;

/**
 * When a consultation's reminder is due, or null when that moment has passed at booking
 * (booked less than a day ahead: the confirmation just sent is reminder enough).
 */
export function consultationReminderDueAt(startsAt: Date, now: Date): Date | null {
  const due = new Date(startsAt.getTime() - CONSULTATION_REMINDER_MINUTES * 60_000);
  return due > now ? due : null;
}
