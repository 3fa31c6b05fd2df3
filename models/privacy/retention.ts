import { and, desc, eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db, Tx } from "../db";
import { retentionRuns, stations } from "../db/schema";
import { auditAs } from "../audit";
import { RETENTION } from "../limits";
import type { Actor } from "../permissions";
import { eraseInTx, removeMailFiles } from "./erasure";
import { InvalidErasureInput } from "./errors";

/**
 * Retention (ADR 23): the station keeps mail bodies, login and audit detail, and walk-in people
 * only so long. A daily job in the notification worker applies it; a claimed row per station and
 * local day makes a second run that day (a second tick, a second worker) do nothing.
 */

export interface RetentionSettings {
  mailDays: number;
  detailDays: number;
  walkInDays: number;
}

export interface RetentionCounts {
  mailBodies: number;
  auditDetails: number;
  logins: number;
  walkInsAnonymised: number;
}

export interface RetentionRun {
  runDay: string;
  startedAt: Date;
  finishedAt: Date | null;
  counts: RetentionCounts;
}

/** The most walk-ins one run anonymises: the transaction stays short, the next day goes on. */
const WALK_INS_PER_RUN = 200;

export async function getRetentionSettings(db: Db | Tx, stationId: number): Promise<RetentionSettings> {
  const [row] = await db
    .select({ mailDays: stations.retentionMailDays, detailDays: stations.retentionDetailDays, walkInDays: stations.retentionWalkInDays })
    .from(stations)
    .where(eq(stations.id, stationId));
  return row ?? { mailDays: RETENTION.mailDays.default, detailDays: RETENTION.detailDays.default, walkInDays: RETENTION.walkInDays.default };
}

export async function updateRetentionSettings(db: Db, ctx: { stationId: number; actor: Actor }, input: RetentionSettings): Promise<void> {
  for (const key of ["mailDays", "detailDays", "walkInDays"] as const) {
    const value = input[key];
    if (!Number.isInteger(value) || value < RETENTION[key].min || value > RETENTION[key].max) throw new InvalidErasureInput(key);
  }
  await db.transaction(async (tx) => {
    await tx
      .update(stations)
      .set({ retentionMailDays: input.mailDays, retentionDetailDays: input.detailDays, retentionWalkInDays: input.walkInDays })
      .where(eq(stations.id, ctx.stationId));
    await auditAs(tx, ctx, {
      action: "station.retention",
      targetType: "station",
      targetId: ctx.stationId,
      details: { ...input },
    });
  });
}

export async function listRetentionRuns(db: Db, stationId: number, limit = 10): Promise<RetentionRun[]> {
  const rows = await db
    .select({ runDay: retentionRuns.runDay, startedAt: retentionRuns.startedAt, finishedAt: retentionRuns.finishedAt, counts: retentionRuns.counts })
    .from(retentionRuns)
    .where(eq(retentionRuns.stationId, stationId))
    .orderBy(desc(retentionRuns.runDay))
    .limit(limit);
  return rows.map((r) => ({
    ...r,
    counts: { mailBodies: 0, auditDetails: 0, logins: 0, walkInsAnonymised: 0, ...(r.counts as Partial<RetentionCounts>) },
  }));
}

const n = (value: unknown) => Number(value ?? 0);
const ago = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

/**
 * Applies the station's retention once for its local day `now` falls on. The run's row is
 * inserted first, in the transaction that does the work: a second run that day (another worker)
 * waits on the unique index until this one commits and then finds the day taken, so it does
 * nothing (ran: false); if this one fails, nothing is kept and the day stays free.
 * `claim: false` skips the claim and records no run: the tests' negative control, nothing else.
 */
export async function runRetention(
  db: Db,
  stationId: number,
  now = new Date(),
  options: { claim?: boolean } = {},
): Promise<{ ran: boolean; counts: RetentionCounts }> {
  const none = { mailBodies: 0, auditDetails: 0, logins: 0, walkInsAnonymised: 0 };
  let mailIds: number[] = [];
  const outcome = await db.transaction(async (tx) => {
    const [station] = await tx.select({ zone: stations.timeZone }).from(stations).where(eq(stations.id, stationId));
    if (!station) return { ran: false, counts: none };
    const runDay = DateTime.fromJSDate(now, { zone: station.zone }).toISODate()!;
    let runId: number | undefined = 0;
    if (options.claim !== false) {
      const claimed = await tx
        .insert(retentionRuns)
        .values({ stationId, runDay, startedAt: now })
        .onConflictDoNothing()
        .returning({ id: retentionRuns.id });
      runId = claimed[0]?.id;
    }
    if (runId === undefined) return { ran: false, counts: none };
    const settings = await getRetentionSettings(tx, stationId);
    const counts = { ...none };

    // Mail: the body (payload, rendered file) and the address and subject go; kind and times stay.
    const mails = await tx.execute<{ id: number }>(sql`
      UPDATE notifications SET payload = '{}', recipient = NULL, subject = NULL, updated_at = ${now.toISOString()}::timestamptz
      WHERE station_id = ${stationId} AND status <> 'pending' AND coalesce(sent_at, updated_at) < ${ago(now, settings.mailDays)}::timestamptz
        AND (payload <> '{}' OR recipient IS NOT NULL OR subject IS NOT NULL)
      RETURNING id`);
    mailIds = mails.rows.map((r) => n(r.id));
    counts.mailBodies = mailIds.length;

    // Audit detail: what, to what, by whom and when stay; the details go.
    const audit = await tx.execute(sql`
      UPDATE audit_log SET details = '{}' WHERE station_id = ${stationId} AND at < ${ago(now, settings.detailDays)}::timestamptz AND details <> '{}'
      RETURNING id`);
    counts.auditDetails = audit.rows.length;

    // Logins: old sessions and used or expired sign-in codes of the station's accounts.
    const accountsHere = sql`(SELECT a.id FROM accounts a JOIN people p ON p.id = a.person_id WHERE p.station_id = ${stationId})`;
    const loginCutoff = ago(now, settings.detailDays);
    const logins = await tx.execute(sql`
      DELETE FROM auth_sessions WHERE account_id IN ${accountsHere} AND last_seen_at < ${loginCutoff}::timestamptz RETURNING id`);
    const codes = await tx.execute(sql`
      DELETE FROM sign_in_codes WHERE station_id = ${stationId} AND created_at < ${loginCutoff}::timestamptz RETURNING id`);
    counts.logins = logins.rows.length + codes.rows.length;

    // Walk-ins: people without an account whom nothing has involved for walkInDays.
    const cutoff = ago(now, settings.walkInDays);
    const stale = await tx.execute<{ id: number }>(sql`
      SELECT p.id FROM people p
      WHERE p.station_id = ${stationId} AND p.erased_at IS NULL AND p.created_at < ${cutoff}::timestamptz
        AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id)
        AND NOT EXISTS (SELECT 1 FROM households h WHERE h.caretaker_id = p.id)
        AND NOT EXISTS (SELECT 1 FROM service_group_members g WHERE g.person_id = p.id)
        AND NOT EXISTS (SELECT 1 FROM signups g JOIN sessions s ON s.id = g.session_id
                        WHERE g.person_id = p.id AND (g.created_at >= ${cutoff}::timestamptz OR s.starts_at >= ${cutoff}::timestamptz))
        AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.person_id = p.id AND v.at >= ${cutoff}::timestamptz)
        AND NOT EXISTS (SELECT 1 FROM consultations c WHERE (c.person_id = p.id OR c.provider_person_id = p.id)
                        AND (c.created_at >= ${cutoff}::timestamptz OR c.starts_at >= ${cutoff}::timestamptz))
        AND NOT EXISTS (SELECT 1 FROM assignments s WHERE s.person_id = p.id AND upper(s.during) >= ${cutoff}::timestamptz)
        AND NOT EXISTS (SELECT 1 FROM manual_hours m WHERE m.person_id = p.id AND m.work_date >= ${cutoff}::date)
      ORDER BY p.id LIMIT ${WALK_INS_PER_RUN}`);
    for (const row of stale.rows) {
      const erased = await eraseInTx(tx, { stationId, actor: null }, n(row.id), { via: "retention", note: null }, now);
      mailIds.push(...erased.mailIds);
      counts.walkInsAnonymised++;
    }
    if (runId) await tx.update(retentionRuns).set({ finishedAt: new Date(), counts }).where(eq(retentionRuns.id, runId));
    return { ran: true, counts };
  });
  await removeMailFiles(mailIds);
  return outcome;
}

/** Every station whose local day has no run yet: what the worker calls now and then. Returns the runs made. */
export async function runDueRetention(db: Db, now = new Date()): Promise<{ stationId: number; counts: RetentionCounts }[]> {
  const all = await db.select({ id: stations.id, zone: stations.timeZone }).from(stations);
  const done = [];
  for (const station of all) {
    const runDay = DateTime.fromJSDate(now, { zone: station.zone }).toISODate()!;
    const [existing] = await db
      .select({ id: retentionRuns.id })
      .from(retentionRuns)
      .where(and(eq(retentionRuns.stationId, station.id), eq(retentionRuns.runDay, runDay)));
    if (existing) continue;
    const outcome = await runRetention(db, station.id, now);
    if (outcome.ran) done.push({ stationId: station.id, counts: outcome.counts });
  }
  return done;
}
