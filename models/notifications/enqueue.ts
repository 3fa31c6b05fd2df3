import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { DbOrTx } from "../db";
import { activities, notifications, sessions, signups, stations, type NotificationKind } from "../db/schema";
import { mayQueue, mayQueueSql } from "../privacy/mail-consent";
import { DAY_OF_HOUR, DAY_OF_LEAD_MINUTES } from "./timing";

/**
 * Writing mail rows, always inside the transaction (or the one statement) of their cause:
 * a cause that rolls back leaves no mail, and the dedupe key (ON CONFLICT DO NOTHING) makes a
 * cause repeated by a double submit leave one row. Sending is the worker's business; these
 * functions only write, re-time and cancel rows that are still pending.
 */

/** One mail to write; the recipient and the words are decided when it is sent. */
export interface NotificationDraft {
  stationId: number;
  kind: NotificationKind;
  dedupeKey: string;
  /** Whom the mail is about. */
  personId: number;
  signupId?: number | null;
  sessionId?: number | null;
  assignmentId?: number | null;
  consultationId?: number | null;
  /** What the mail must say that the rows will no longer tell (never health or child data). */
  payload?: Record<string, unknown>;
  dueAt: Date;
  expiresAt: Date;
}

/**
 * Writes the drafts; a dedupe key already present is skipped, and so is a mail the person's
 * consents do not allow (models/privacy/mail-consent.ts). Returns the ids written.
 */
export async function enqueue(tx: DbOrTx, all: NotificationDraft[]): Promise<number[]> {
  const allowed = await mayQueue(tx, all);
  const drafts = all.filter((_, i) => allowed[i]);
  if (!drafts.length) return [];
  const rows = await tx
    .insert(notifications)
    .values(
      drafts.map((d) => ({
        stationId: d.stationId,
        kind: d.kind,
        dedupeKey: d.dedupeKey,
        personId: d.personId,
        signupId: d.signupId ?? null,
        sessionId: d.sessionId ?? null,
        assignmentId: d.assignmentId ?? null,
        consultationId: d.consultationId ?? null,
        payload: d.payload ?? {},
        dueAt: d.dueAt,
        expiresAt: d.expiresAt,
      })),
    )
    .onConflictDoNothing({ target: notifications.dedupeKey })
    .returning({ id: notifications.id });
  return rows.map((r) => r.id);
}

// ------------------------------------------------------------------ reminder instants in SQL

/** The usual reminder's instant (timing.ts reminderDueAt); NULL when the activity sends none. */
export const reminderDueSql = (startsAt: SQL, minutes: SQL) => sql`CASE WHEN ${minutes} > 0 THEN ${startsAt} - ${minutes} * interval '1 minute' END`;

/** The day-of reminder's instant (timing.ts dayOfDueAt): 07:00 on the local day, or 2 h before if earlier. */
export const dayOfDueSql = (startsAt: SQL, timeZone: SQL) =>
  sql`least((date_trunc('day', ${startsAt} AT TIME ZONE ${timeZone}) + ${sql.raw(`interval '${DAY_OF_HOUR} hours'`)}) AT TIME ZONE ${timeZone},
            ${startsAt} - ${sql.raw(`interval '${DAY_OF_LEAD_MINUTES} minutes'`)})`;

// ------------------------------------------------------------------ a signup's own mail

/**
 * The INSERT of a signup's mail: its first mail (`kind`: confirmed, waitlisted, promoted; NULL
 * for reminders only), due now and useless after the session ends, and — for a confirmed
 * signup — its reminders, only those still in the future. `source` is a SELECT giving the
 * columns signup_id, station_id, person_id, session_id, kind, payload (of the first mail),
 * confirmed, starts_at, ends_at, reminder_minutes, remind_day_of, time_zone. Used inside signUp's single statement (where the
 * session comes from the locked row) and by promotion, so both write the same rows.
 */
export function signupMailInsert(source: SQL, now: Date | SQLWrapper): SQL {
  // A prepared statement hands the instant in as a placeholder (models/db/prepared.ts).
  const at = sql`${now instanceof Date ? now.toISOString() : now}::timestamptz`;
  return sql`
    INSERT INTO ${notifications} (station_id, kind, dedupe_key, person_id, signup_id, session_id, payload, due_at, expires_at)
    SELECT src.station_id, m.kind, m.kind || ':' || src.signup_id, src.person_id, src.signup_id, src.session_id, m.payload, m.due_at, m.expires_at
    FROM (${source}) src
    CROSS JOIN LATERAL (VALUES
      (src.kind::text, src.payload::jsonb, ${at}, src.ends_at, true),
      ('reminder', '{}'::jsonb, CASE WHEN src.confirmed THEN ${reminderDueSql(sql`src.starts_at`, sql`src.reminder_minutes`)} END, src.starts_at, false),
      ('reminder_day_of', '{}'::jsonb, CASE WHEN src.confirmed AND src.remind_day_of THEN ${dayOfDueSql(sql`src.starts_at`, sql`src.time_zone`)} END, src.starts_at, false)
    ) AS m(kind, payload, due_at, expires_at, immediate)
    WHERE m.kind IS NOT NULL AND m.due_at IS NOT NULL AND (m.immediate OR m.due_at > ${at})
      AND ${mayQueueSql(sql`src.person_id`, sql`m.kind`)}
    ON CONFLICT (dedupe_key) DO NOTHING`;
}

const idList = (ids: number[]) =>
  sql.join(
    ids.map((id) => sql`${id}::int`),
    sql`, `,
  );

/** The session, activity and station columns signupMailInsert needs, for signups `sg`. */
const signupSource = (kind: NotificationKind | null, where: SQL) => sql`
  SELECT sg.id AS signup_id, sg.station_id, sg.person_id, sg.session_id, ${kind}::text AS kind, '{}'::jsonb AS payload,
         sg.status = 'confirmed' AS confirmed, s.starts_at, s.ends_at, a.reminder_minutes, a.remind_day_of, st.time_zone
  FROM ${signups} sg
  JOIN ${sessions} s ON s.id = sg.session_id
  JOIN ${activities} a ON a.id = s.activity_id
  JOIN ${stations} st ON st.id = s.station_id
  WHERE ${where}`;

/** Promoted from the waitlist: "you have a place" and the reminders a confirmed signup gets. */
export async function notifyPromoted(tx: DbOrTx, signupIds: number[], now: Date): Promise<void> {
  if (!signupIds.length) return;
  await tx.execute(signupMailInsert(signupSource("signup_promoted", sql`sg.id IN (${idList(signupIds)}) AND sg.status = 'confirmed'`), now));
}

/** Pending mail of a signup that no longer stands (its reminders, an unsent confirmation) is not sent. */
export async function cancelPendingForSignup(tx: DbOrTx, signupId: number, reason = "signup_cancelled"): Promise<number> {
  const result = await tx.execute(sql`
    UPDATE ${notifications} SET status = 'cancelled', last_error = ${reason}, updated_at = now()
    WHERE signup_id = ${signupId} AND status = 'pending'
    RETURNING id`);
  return result.rows.length;
}

// ------------------------------------------------------------------ sessions moved or cancelled

/** Why a reminder was cancelled, when a later change may bring it back. */
const REVIVABLE = ["retimed_past", "reminder_off", "session_cancelled"] as const;

export type ReminderScope = { sessionIds: number[] } | { activityId: number };

/**
 * Puts reminders at the time their session and activity now say: due and expiry from the
 * current start. One whose new time has passed is cancelled ('retimed_past'); one the activity
 * no longer sends, 'reminder_off'; one of a cancelled session stays cancelled. A reminder
 * cancelled for one of those reasons comes back when a later change makes it due again (a
 * session moved back, restored, reminders switched on again). Sent ones are left alone.
 */
export async function retimeReminders(tx: DbOrTx, scope: ReminderScope, now: Date): Promise<void> {
  if ("sessionIds" in scope && !scope.sessionIds.length) return;
  const at = sql`${now.toISOString()}::timestamptz`;
  const where = "sessionIds" in scope ? sql`s.id IN (${idList(scope.sessionIds)})` : sql`s.activity_id = ${scope.activityId} AND s.starts_at > ${at}`;
  const revivable = sql.join(
    REVIVABLE.map((r) => sql`${r}`),
    sql`, `,
  );
  await tx.execute(sql`
    WITH r AS (
      SELECT n.id, s.starts_at,
             CASE WHEN n.kind = 'reminder' THEN ${reminderDueSql(sql`s.starts_at`, sql`a.reminder_minutes`)}
                  WHEN a.remind_day_of THEN ${dayOfDueSql(sql`s.starts_at`, sql`st.time_zone`)} END AS due_at,
             s.status = 'scheduled' AS scheduled, sg.status = 'confirmed' AS confirmed
      FROM ${notifications} n
      JOIN ${signups} sg ON sg.id = n.signup_id
      JOIN ${sessions} s ON s.id = n.session_id
      JOIN ${activities} a ON a.id = s.activity_id
      JOIN ${stations} st ON st.id = s.station_id
      WHERE ${where} AND n.kind IN ('reminder', 'reminder_day_of')
        AND (n.status = 'pending' OR (n.status = 'cancelled' AND n.last_error IN (${revivable})))
      FOR UPDATE OF n
    )
    UPDATE ${notifications} n
    SET due_at = coalesce(r.due_at, n.due_at),
        expires_at = r.starts_at,
        status = (CASE WHEN r.scheduled AND r.confirmed AND r.due_at > ${at} THEN 'pending' ELSE 'cancelled' END)::notification_status,
        last_error = CASE WHEN r.scheduled AND r.confirmed AND r.due_at > ${at} THEN NULL
                          WHEN NOT r.confirmed THEN 'signup_cancelled'
                          WHEN NOT r.scheduled THEN 'session_cancelled'
                          WHEN r.due_at IS NULL THEN 'reminder_off'
                          ELSE 'retimed_past' END,
        updated_at = now()
    FROM r WHERE n.id = r.id`);
}

/** Reminders a confirmed signup lacks after its activity switched them on (or earlier); future sessions only. */
export async function addMissingReminders(tx: DbOrTx, activityId: number, now: Date): Promise<void> {
  const where = sql`s.activity_id = ${activityId} AND s.status = 'scheduled' AND s.starts_at > ${now.toISOString()}::timestamptz AND sg.status = 'confirmed'`;
  await tx.execute(signupMailInsert(signupSource(null, where), now));
}

export interface SessionChangeNotice {
  sessionId: number;
  /** The session's iCalendar SEQUENCE after the change: one mail per signup per change. */
  sequence: number;
  previous: { startsAt: Date; endsAt: Date; location: string };
  /** A cancelled session is on again: the people told of the cancellation must hear it (payload restored: true). */
  restored?: boolean;
}

/**
 * A session's time or place changed: every active signup (confirmed or waitlisted) is told,
 * with the old time and place in the payload, and the reminders follow the new start. A
 * "changed" mail still unsent is replaced by this one, which keeps the time and place that
 * mail called previous — what the person last heard — so a coordinator correcting a slip
 * sends one mail, not two. Call in the transaction that changed the session, after the change.
 */
export async function notifySessionChanged(tx: DbOrTx, change: SessionChangeNotice, now: Date): Promise<void> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const previousStartsAt = sql`${change.previous.startsAt.toISOString()}::timestamptz`;
  const payload = sql`jsonb_build_object('previousStartsAt', ${change.previous.startsAt.toISOString()}::text,
                                         'previousEndsAt', ${change.previous.endsAt.toISOString()}::text,
                                         'previousLocation', ${change.previous.location}::text)
                      || CASE WHEN ${change.restored === true}::boolean THEN '{"restored": true}'::jsonb ELSE '{}'::jsonb END`;
  // Of use until the later of the two starts: someone may still come at either time.
  const expires = sql`greatest(s.starts_at, coalesce((e.payload->>'previousStartsAt')::timestamptz, ${previousStartsAt}))`;
  await tx.execute(sql`
    WITH superseded AS (
      UPDATE ${notifications} n SET status = 'cancelled', last_error = 'superseded', updated_at = now()
      WHERE n.session_id = ${change.sessionId} AND n.kind = 'session_changed' AND n.status = 'pending'
        AND n.dedupe_key <> 'session_changed:' || n.signup_id || ':' || ${change.sequence}::int
      RETURNING n.id, n.signup_id, n.payload
    ), earliest AS (
      SELECT DISTINCT ON (signup_id) signup_id, payload FROM superseded ORDER BY signup_id, id
    )
    INSERT INTO ${notifications} (station_id, kind, dedupe_key, person_id, signup_id, session_id, payload, due_at, expires_at)
    SELECT sg.station_id, 'session_changed', 'session_changed:' || sg.id || ':' || ${change.sequence}::int, sg.person_id, sg.id, s.id,
           coalesce(e.payload, ${payload}), ${at}, ${expires}
    FROM ${signups} sg JOIN ${sessions} s ON s.id = sg.session_id
    LEFT JOIN earliest e ON e.signup_id = sg.id
    WHERE s.id = ${change.sessionId} AND sg.status IN ('confirmed', 'waitlisted')
      -- A correction to a session that is over tells nobody anything they can act on.
      AND ${expires} > ${at}
      AND ${mayQueueSql(sql`sg.person_id`, sql`'session_changed'::text`)}
    ON CONFLICT (dedupe_key) DO NOTHING`);
  await retimeReminders(tx, { sessionIds: [change.sessionId] }, now);
}

/**
 * Sessions cancelled: every active signup is told, and the reminders (and any unsent "moved"
 * mail) are not sent. The key carries the session's sequence (raised by the cancel, so call
 * this after it): a session cancelled, restored and cancelled again tells its people twice. The signups themselves stay as they are, so a restored session has its
 * people back (notifySessionChanged with `restored` tells them and revives their reminders).
 */
export async function notifySessionCancelled(tx: DbOrTx, sessionIds: number[], now: Date): Promise<void> {
  if (!sessionIds.length) return;
  await tx.execute(sql`
    INSERT INTO ${notifications} (station_id, kind, dedupe_key, person_id, signup_id, session_id, due_at, expires_at)
    SELECT sg.station_id, 'session_cancelled', 'session_cancelled:' || sg.id || ':' || s.sequence, sg.person_id, sg.id, s.id,
           ${now.toISOString()}::timestamptz, s.ends_at
    FROM ${signups} sg JOIN ${sessions} s ON s.id = sg.session_id
    WHERE s.id IN (${idList(sessionIds)}) AND sg.status IN ('confirmed', 'waitlisted') AND s.ends_at > ${now.toISOString()}::timestamptz
      AND ${mayQueueSql(sql`sg.person_id`, sql`'session_cancelled'::text`)}
    ON CONFLICT (dedupe_key) DO NOTHING`);
  await tx.execute(sql`
    UPDATE ${notifications} SET status = 'cancelled', last_error = 'session_cancelled', updated_at = now()
    WHERE session_id IN (${idList(sessionIds)}) AND status = 'pending'
      AND kind IN ('reminder', 'reminder_day_of', 'session_changed')`);
}
