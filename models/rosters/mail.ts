import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../db";
import { notifications } from "../db/schema";
import { enqueue } from "../notifications/enqueue";
import { MINUTE } from "./common";

/**
 * Shift mails, written in the transaction of their cause. The payload carries only what the
 * mail needs to say (title, times) — never health notes. Renderers live in
 * models/notifications/kinds (not here).
 */

const REMINDER_LEAD = 24 * 60 * MINUTE;

export interface ShiftMailFacts {
  stationId: number;
  assignmentId: number;
  sessionId: number;
  personId: number;
  title: string;
  startsAt: Date;
  endsAt: Date;
}

const payloadOf = (f: ShiftMailFacts, extra: Record<string, unknown> = {}) => ({
  title: f.title,
  startsAt: f.startsAt.toISOString(),
  endsAt: f.endsAt.toISOString(),
  ...extra,
});

/** "You are on a shift" (staff proposed it) and the reminder a day before. */
export async function mailAssigned(tx: DbOrTx, f: ShiftMailFacts, now: Date, tellPerson: boolean) {
  const drafts: Parameters<typeof enqueue>[1] = [];
  const base = { stationId: f.stationId, personId: f.personId, sessionId: f.sessionId, assignmentId: f.assignmentId };
  if (tellPerson)
    drafts.push({
      ...base,
      kind: "shift_assigned",
      dedupeKey: `shift_assigned:${f.assignmentId}`,
      payload: payloadOf(f),
      dueAt: now,
      expiresAt: f.startsAt,
    });
  const reminderAt = new Date(f.startsAt.getTime() - REMINDER_LEAD);
  if (reminderAt > now) {
    drafts.push({
      ...base,
      kind: "shift_reminder",
      dedupeKey: `shift_reminder:${f.assignmentId}`,
      payload: payloadOf(f),
      dueAt: reminderAt,
      expiresAt: f.startsAt,
    });
  }
  await enqueue(tx, drafts);
}

/** The shift no longer stands: its pending mail is not sent; the person is told if someone else ended it. */
export async function mailCancelled(tx: DbOrTx, f: ShiftMailFacts, now: Date, tellPerson: boolean) {
  await cancelPendingForAssignments(tx, [f.assignmentId], "assignment_cancelled");
  if (tellPerson && f.startsAt > now) {
    await enqueue(tx, [
      {
        stationId: f.stationId,
        personId: f.personId,
        sessionId: f.sessionId,
        assignmentId: f.assignmentId,
        kind: "shift_cancelled",
        dedupeKey: `shift_cancelled:${f.assignmentId}`,
        payload: payloadOf(f),
        dueAt: now,
        expiresAt: f.startsAt,
      },
    ]);
  }
}

/** The shift moved: tell the person, and move the pending reminder with it. */
export async function mailRetimed(tx: DbOrTx, f: ShiftMailFacts, previous: { startsAt: Date; endsAt: Date }, now: Date) {
  if (f.startsAt <= now) return;
  await enqueue(tx, [
    {
      stationId: f.stationId,
      personId: f.personId,
      sessionId: f.sessionId,
      assignmentId: f.assignmentId,
      kind: "shift_changed",
      dedupeKey: `shift_changed:${f.assignmentId}:${f.startsAt.getTime()}:${f.endsAt.getTime()}`,
      payload: payloadOf(f, { previousStartsAt: previous.startsAt.toISOString(), previousEndsAt: previous.endsAt.toISOString() }),
      dueAt: now,
      expiresAt: f.startsAt,
    },
  ]);
  const reminderAt = new Date(f.startsAt.getTime() - REMINDER_LEAD);
  await tx
    .update(notifications)
    .set({ dueAt: reminderAt > now ? reminderAt : now, expiresAt: f.startsAt, payload: payloadOf(f), updatedAt: new Date() })
    .where(and(eq(notifications.assignmentId, f.assignmentId), eq(notifications.kind, "shift_reminder"), eq(notifications.status, "pending")));
}

export async function cancelPendingForAssignments(tx: DbOrTx, assignmentIds: number[], reason: string) {
  if (!assignmentIds.length) return;
  await tx
    .update(notifications)
    .set({ status: "cancelled", lastError: reason, updatedAt: sql`now()` })
    .where(and(inArray(notifications.assignmentId, assignmentIds), eq(notifications.status, "pending")));
}
