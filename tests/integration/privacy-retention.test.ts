// Retention (ADR 23): the daily job clears mail bodies, audit detail and old logins past the
// station's limits and anonymises walk-ins nobody has seen for years, keeps everything younger,
// leaves the figures as they were, and runs once a day however many workers try (PostgreSQL,
// with a negative control that skips the claim).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";

await vi.hoisted(async () => {
  const [{ mkdtempSync }, { tmpdir }, { join }] = await Promise.all([import("node:fs"), import("node:os"), import("node:path")]);
  process.env.DATA_DIR = mkdtempSync(join(tmpdir(), "hearth-retention-"));
});

import { backends, useBackend } from "../support/db";
import { ensureStation, makeAccount } from "../support/fixtures";
import { ZONE, makePeople, makeSession } from "../support/signup-fixtures";
import { getConfig } from "../../models/config";
import { outboxFile } from "../../models/notifications/outbox";
import { monthlyReport } from "../../models/reports/monthly";
import { listRetentionRuns, runDueRetention, runRetention } from "../../models/privacy/retention";
import { auditLog, authSessions, households, notifications, people, retentionRuns, sessions, signups } from "../../models/db/schema";
import type { Db } from "../../models/db";

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

async function oldWalkIns(db: Db, stationId: number, count: number, prefix: string) {
  const ids = await makePeople(db, stationId, count, prefix);
  await db.execute(
    sql`UPDATE people SET created_at = ${ago(4 * 365).toISOString()}::timestamptz, phone = '13800138000' WHERE id IN (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )})`,
  );
  return ids;
}

const eraseCount = async (db: Db, ids: number[]) =>
  Number(
    (
      await db.execute<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'person.erase' AND target_id IN (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )})`,
      )
    ).rows[0]!.n,
  );

for (const backend of backends) {
  describe(`retention on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll }, { poolSize: 12 });
    let stationId = 0;
    let month = "";
    // What retention should clear, beside what it should keep.
    const ids = { oldMail: 0, newMail: 0, oldAudit: 0, newAudit: 0, staleWalkIn: 0, recentWalkIn: 0, oldAccountPerson: 0, oldCaretaker: 0 };

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      // A walk-in who attended something four years ago and nothing since; one seen last year; an
      // old account holder; an old caretaker (people the station still has a reason to keep).
      [ids.staleWalkIn] = (await oldWalkIns(t.db, stationId, 1, "老散客")) as [number];
      [ids.recentWalkIn] = (await oldWalkIns(t.db, stationId, 1, "近散客")) as [number];
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 5, daysAhead: 3 });
      const staff = await makeAccount(t.db, stationId, ["coordinator"], "协调员");
      const actor = { accountId: staff.accountId, personId: staff.personId, roles: ["coordinator" as const] };
      const { signUp } = await import("../../models/signups");
      const booked = await signUp(t.db, { stationId, actor }, { sessionId, personId: ids.staleWalkIn, partySize: 1 });
      const longAgo = DateTime.fromJSDate(ago(4 * 365), { zone: ZONE }).set({ hour: 9, minute: 0 });
      month = longAgo.toFormat("yyyy-MM");
      await t.db
        .update(sessions)
        .set({ startsAt: longAgo.toJSDate(), endsAt: longAgo.plus({ hours: 2 }).toJSDate() })
        .where(eq(sessions.id, sessionId));
      await t.db
        .update(signups)
        .set({ createdAt: longAgo.toJSDate(), attendance: "attended", attendedCount: 1, attendanceAt: longAgo.toJSDate() })
        .where(eq(signups.id, booked.id));
      const { sessionId: recent } = await makeSession(t.db, stationId, { capacity: 5, daysAhead: 1 });
      await signUp(t.db, { stationId, actor }, { sessionId: recent, personId: ids.recentWalkIn, partySize: 1 });
      const holder = await makeAccount(t.db, stationId, ["resident"], "老账号");
      ids.oldAccountPerson = holder.personId;
      [ids.oldCaretaker] = (await oldWalkIns(t.db, stationId, 1, "老会员")) as [number];
      await t.db.insert(households).values({ stationId, label: "张家", caretakerId: ids.oldCaretaker });
      await t.db.execute(sql`UPDATE people SET created_at = ${ago(4 * 365).toISOString()}::timestamptz WHERE id = ${holder.personId}`);

      // Mail: one sent 100 days ago (with its rendered file), one 10 days ago.
      const mail = (days: number, key: string) =>
        t.db
          .insert(notifications)
          .values({
            stationId,
            kind: "reminder",
            dedupeKey: key,
            personId: holder.personId,
            payload: { note: "x" },
            dueAt: ago(days),
            expiresAt: ago(days - 1),
            status: "sent",
            sentAt: ago(days),
            recipient: "someone@example.test",
            subject: "明天的太极拳",
          })
          .returning({ id: notifications.id });
      [{ id: ids.oldMail }] = (await mail(100, "retention-old")) as [{ id: number }];
      [{ id: ids.newMail }] = (await mail(10, "retention-new")) as [{ id: number }];
      fs.mkdirSync(path.dirname(outboxFile(getConfig(), ids.oldMail)), { recursive: true });
      for (const id of [ids.oldMail, ids.newMail]) fs.writeFileSync(outboxFile(getConfig(), id), "Subject: x\r\n\r\nbody");

      // Audit detail three years old and last week; a login session idle for three years.
      const audit = (days: number) =>
        t.db
          .insert(auditLog)
          .values({
            stationId,
            actorAccountId: null,
            action: "test.detail",
            targetType: "person",
            targetId: 1,
            details: { from: "a" },
            at: ago(days),
          })
          .returning({ id: auditLog.id });
      [{ id: ids.oldAudit }] = (await audit(3 * 365)) as [{ id: number }];
      [{ id: ids.newAudit }] = (await audit(7)) as [{ id: number }];
      await t.db
        .insert(authSessions)
        .values({ id: "old-session-" + backend.name, accountId: holder.accountId, lastSeenAt: ago(3 * 365), expiresAt: ago(-1) });
    });

    it("clears what is past its time, keeps the rest, and leaves the figures as they were", async () => {
      const before = await monthlyReport(t.db, stationId, month);
      expect(before.residentsServed).toBe(1);
      const outcome = await runRetention(t.db, stationId);
      expect(outcome).toEqual({ ran: true, counts: { mailBodies: 1, auditDetails: 1, logins: 1, walkInsAnonymised: 1 } });

      const mails = await t.db
        .select({ id: notifications.id, recipient: notifications.recipient, subject: notifications.subject, payload: notifications.payload })
        .from(notifications);
      expect(mails.find((m) => m.id === ids.oldMail)).toEqual({ id: ids.oldMail, recipient: null, subject: null, payload: {} });
      expect(mails.find((m) => m.id === ids.newMail)).toMatchObject({ recipient: "someone@example.test" });
      expect(fs.existsSync(outboxFile(getConfig(), ids.oldMail))).toBe(false);
      expect(fs.existsSync(outboxFile(getConfig(), ids.newMail))).toBe(true);
      const audits = await t.db.select({ id: auditLog.id, details: auditLog.details }).from(auditLog).where(eq(auditLog.action, "test.detail"));
      expect(audits.find((a) => a.id === ids.oldAudit)!.details).toEqual({});
      expect(audits.find((a) => a.id === ids.newAudit)!.details).toEqual({ from: "a" });

      const names = await t.db
        .select({ id: people.id, name: people.fullName, erasedAt: people.erasedAt })
        .from(people)
        .where(eq(people.stationId, stationId));
      const byId = new Map(names.map((p) => [p.id, p]));
      expect(byId.get(ids.staleWalkIn)).toMatchObject({ name: `已删除的居民 #${ids.staleWalkIn}` });
      for (const kept of [ids.recentWalkIn, ids.oldAccountPerson, ids.oldCaretaker]) expect(byId.get(kept)!.erasedAt).toBeNull();
      // Her attendance four years ago still counts, to the person.
      expect(await monthlyReport(t.db, stationId, month)).toEqual(before);
      const [erasure] = await t.db
        .select({ actor: auditLog.actorAccountId, details: auditLog.details })
        .from(auditLog)
        .where(and(eq(auditLog.action, "person.erase"), eq(auditLog.targetId, ids.staleWalkIn)));
      expect(erasure).toMatchObject({ actor: null, details: { via: "retention" } });
    });

    it("runs once a day: a second run (or the worker's check) that day does nothing, and the admin page lists what it did", async () => {
      expect(await runRetention(t.db, stationId)).toEqual({
        ran: false,
        counts: { mailBodies: 0, auditDetails: 0, logins: 0, walkInsAnonymised: 0 },
      });
      expect(await runDueRetention(t.db)).toEqual([]);
      const runs = await listRetentionRuns(t.db, stationId);
      expect(runs).toHaveLength(1);
      expect(runs[0]!.counts).toEqual({ mailBodies: 1, auditDetails: 1, logins: 1, walkInsAnonymised: 1 });
      expect(runs[0]!.finishedAt).not.toBeNull();
      // Tomorrow is another day: it runs again, finding nothing new.
      const tomorrow = await runRetention(t.db, stationId, new Date(Date.now() + DAY));
      expect(tomorrow).toEqual({ ran: true, counts: { mailBodies: 0, auditDetails: 0, logins: 0, walkInsAnonymised: 0 } });
    });

    if (backend.name === "postgres") {
      it("several workers at once: exactly one does the day's work, each walk-in is erased once", async () => {
        const other = await ensureStation(t.db, "retention-race");
        const ids = await oldWalkIns(t.db, other.id, 25, "并发散客");
        const outcomes = await Promise.allSettled(Array.from({ length: 4 }, () => runRetention(t.db, other.id)));
        expect(outcomes.filter((o) => o.status === "rejected")).toEqual([]);
        const ran = outcomes.filter((o) => o.status === "fulfilled" && o.value.ran);
        expect(ran).toHaveLength(1);
        expect((ran[0] as PromiseFulfilledResult<{ counts: { walkInsAnonymised: number } }>).value.counts.walkInsAnonymised).toBe(25);
        const rows = await t.db.select({ id: retentionRuns.id }).from(retentionRuns).where(eq(retentionRuns.stationId, other.id));
        expect(rows).toHaveLength(1);
        expect(await eraseCount(t.db, ids)).toBe(25);
      });

      it("negative control: without the claim, concurrent runs each set about the same work and trip over each other", async () => {
        const other = await ensureStation(t.db, "retention-race-unclaimed");
        const ids = await oldWalkIns(t.db, other.id, 25, "无认领散客");
        const outcomes = await Promise.allSettled(Array.from({ length: 4 }, () => runRetention(t.db, other.id, new Date(), { claim: false })));
        const worked = outcomes.filter((o) => o.status === "rejected" || o.value.ran);
        // Every run went at the day's work (the claim is what stops that), and the losers failed on
        // walk-ins erased under them (measured: 1 ran, 3 failed of 4). With the claim: 1 ran, 0 failed.
        expect(worked.length).toBeGreaterThan(1);
        expect(outcomes.filter((o) => o.status === "rejected").length).toBeGreaterThan(0);
        // The engine still kept each walk-in to one erasure: the person row's lock and erased_at.
        expect(await eraseCount(t.db, ids)).toBe(25);
      });
    }
  });
}
