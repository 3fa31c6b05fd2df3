/**
 * The call list, its marks and the not-reached report (ADR 20). A random world of raw rows is
 * checked against an expectation computed here in JavaScript from the rows read back (luxon for
 * the station's local day, the reach rule restated by hand), not with the models' SQL; the
 * marks' rules are walked step by step.
 */
import { consentAll } from "../support/care-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { drawAttendees, Lcg, stationWithActivities } from "../support/random-world";
import { makeActor } from "../support/signup-fixtures";
import {
  accounts,
  activities,
  auditLog,
  callMarks,
  households,
  notifications,
  people,
  sessions,
  signups,
  stationRoles,
  stations,
} from "../../models/db/schema";
import { callList, dayBounds, markCalled, tomorrowAt, unmarkCalled, type CallScope } from "../../models/reach/calls";
import { notReached } from "../../models/reach/not-reached";
import { updateStationContact } from "../../models/reach/station-contact";
import { InvalidReachInput, NotOnCallList } from "../../models/reach/errors";
import { NotAllowed } from "../../models/errors";
import type { Db } from "../../models/db";

const ZONE = "America/Los_Angeles";
const DAY = "2026-12-10";

async function buildWorld(db: Db) {
  const random = new Lcg(11);
  const { stationId, acts } = await stationWithActivities(
    db,
    { slug: "reach-la", nameZh: "通知站", nameEn: "Reach station", timeZone: ZONE },
    { categories: 3, startDate: "2026-12-01" },
  );
  const coordinator = await makeActor(db, stationId, ["coordinator"], "协调员");
  const family = await makeActor(db, stationId, ["resident"], "家属");
  const carers = [
    await makeActor(db, stationId, ["volunteer"], "会员甲"),
    await makeActor(db, stationId, ["volunteer"], "会员乙"),
    await makeActor(db, stationId, ["volunteer"], "会员丙"),
  ];
  const [mute] = await db.insert(people).values({ stationId, fullName: "无邮箱会员" }).returning({ id: people.id });
  const carerIds = [...carers.map((c) => c.personId), mute!.id, null];
  const homes = await db
    .insert(households)
    .values(Array.from({ length: 8 }, (_, i) => ({ stationId, label: `户${i}`, caretakerId: random.pick(carerIds) })))
    .returning({ id: households.id });
  await consentAll(db, stationId);
  const folks = await db
    .insert(people)
    .values(
      Array.from({ length: 50 }, (_, i) => ({
        stationId,
        fullName: `居民${i}`,
        phone: i % 4 === 0 ? null : `1380000${String(i).padStart(4, "0")}`,
        email: random.next() < 0.3 ? `r${i}@example.cn` : i % 7 === 0 ? "  " : null,
        householdId: random.next() < 0.75 ? random.pick(homes).id : null,
      })),
    )
    .returning({ id: people.id });
  // A caretaker who lives in a household she looks after.
  await db.update(people).set({ householdId: homes[0]!.id }).where(eq(people.id, carers[0]!.personId));
  const base = DateTime.fromISO(DAY, { zone: ZONE }).minus({ days: 3 });
  const sessionRows = Array.from({ length: 30 }, (_, i) => {
    // Hours across a week, many late in the evening locally (already the next UTC day).
    const startsAt = base.plus({ hours: random.int(0, 7 * 24 - 1), minutes: random.pick([0, 30]) }).toJSDate();
    return {
      stationId,
      activityId: random.pick(acts).id,
      occurrenceKey: `k${i}`,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 3600_000),
      capacity: 20,
      status: random.next() < 0.1 ? ("cancelled" as const) : ("scheduled" as const),
    };
  });
  // Edges of the day: 00:00 local is in, 00:00 the next day is not.
  const dayStart = DateTime.fromISO(DAY, { zone: ZONE });
  for (const [key, at] of [
    ["edge-in", dayStart],
    ["edge-out", dayStart.plus({ days: 1 })],
    ["edge-late", dayStart.plus({ hours: 23, minutes: 59 })],
  ] as const)
    sessionRows.push({
      ...sessionRows[0]!,
      occurrenceKey: key,
      status: "scheduled",
      startsAt: at.toJSDate(),
      endsAt: at.plus({ hours: 1 }).toJSDate(),
    });
  const made = await db.insert(sessions).values(sessionRows).returning({ id: sessions.id });
  const bookers = [null, coordinator.accountId, family.accountId, carers[1]!.accountId];
  const signupRows: (typeof signups.$inferInsert)[] = [];
  for (const s of made) {
    for (const { personId, seq } of drawAttendees(random, folks, 2, 9)) {
      signupRows.push({
        stationId,
        sessionId: s.id,
        personId,
        partySize: 1,
        status: random.pick(["confirmed", "confirmed", "confirmed", "waitlisted", "cancelled"] as const),
        seq,
        bookedByAccountId: random.pick(bookers),
      });
    }
  }
  const made2 = await db.insert(signups).values(signupRows).returning({ id: signups.id, personId: signups.personId, sessionId: signups.sessionId });
  const mails: (typeof notifications.$inferInsert)[] = [];
  const marks: (typeof callMarks.$inferInsert)[] = [];
  for (const sg of made2) {
    if (random.next() < 0.6)
      mails.push({
        stationId,
        kind: random.pick(["reminder", "reminder_day_of", "signup_confirmed", "reminder"] as const),
        dedupeKey: `w:${sg.id}:${mails.length}`,
        personId: sg.personId,
        signupId: sg.id,
        sessionId: sg.sessionId,
        dueAt: new Date(),
        expiresAt: new Date(),
        status: random.pick(["sent", "sent", "failed", "pending", "cancelled", "skipped"] as const),
      });
    if (random.next() < 0.2) marks.push({ stationId, personId: sg.personId, sessionId: sg.sessionId, calledByAccountId: coordinator.accountId });
  }
  await db.insert(notifications).values(mails);
  await db.insert(callMarks).values(marks).onConflictDoNothing();
  return { stationId, coordinator, family, carers, carerIds };
}

/** The reach rule restated from raw rows, and the lists it implies. */
async function expectations(db: Db, stationId: number) {
  const [ps, accs, roles, homes, sgs, ss, acts, ns, cms] = await Promise.all([
    db.select().from(people).where(eq(people.stationId, stationId)),
    db.select().from(accounts),
    db.select().from(stationRoles).where(eq(stationRoles.stationId, stationId)),
    db.select().from(households).where(eq(households.stationId, stationId)),
    db.select().from(signups).where(eq(signups.stationId, stationId)),
    db.select().from(sessions).where(eq(sessions.stationId, stationId)),
    db.select().from(activities).where(eq(activities.stationId, stationId)),
    db.select().from(notifications).where(eq(notifications.stationId, stationId)),
    db.select().from(callMarks).where(eq(callMarks.stationId, stationId)),
  ]);
  const person = new Map(ps.map((p) => [p.id, p]));
  const addressOf = (id: number) => person.get(id)?.email?.trim() || accs.find((a) => a.personId === id)?.email || null;
  const caretakerOf = (id: number) => {
    const home = homes.find((h) => h.id === person.get(id)?.householdId);
    return home?.caretakerId != null && home.caretakerId !== id ? home.caretakerId : null;
  };
  const routeOf = (sg: (typeof sgs)[number]) => {
    if (addressOf(sg.personId)) return "own";
    const carer = caretakerOf(sg.personId);
    if (carer !== null && addressOf(carer)) return "caretaker";
    const booker = accs.find((a) => a.id === sg.bookedByAccountId);
    const staff = roles.some((r) => r.accountId === booker?.id && (r.role === "coordinator" || r.role === "admin"));
    if (booker && !staff && booker.personId !== sg.personId && addressOf(booker.personId)) return "booker";
    return "none";
  };
  const session = new Map(ss.map((s) => [s.id, s]));
  const localDay = (id: number) => DateTime.fromJSDate(session.get(id)!.startsAt, { zone: ZONE }).toISODate()!;
  const callsOn = (day: string, caretaker: number | null) =>
    sgs
      .filter((sg) => sg.status !== "cancelled" && session.get(sg.sessionId)!.status === "scheduled" && localDay(sg.sessionId) === day)
      .filter((sg) => caretaker === null || homes.find((h) => h.id === person.get(sg.personId)!.householdId)?.caretakerId === caretaker)
      .filter((sg) => routeOf(sg) !== "own")
      .map((sg) => `${sg.personId}:${sg.sessionId}:${routeOf(sg)}:${sg.status}`)
      .sort();
  const notReachedIn = (from: string, to: string) =>
    sgs
      .filter((sg) => sg.status === "confirmed" && session.get(sg.sessionId)!.status === "scheduled")
      .filter((sg) => localDay(sg.sessionId) >= from && localDay(sg.sessionId) <= to)
      .filter((sg) => !ns.some((n) => n.signupId === sg.id && (n.kind === "reminder" || n.kind === "reminder_day_of") && n.status === "sent"))
      .filter((sg) => !cms.some((m) => m.personId === sg.personId && m.sessionId === sg.sessionId))
      .map((sg) => ({
        key: `${sg.personId}:${sg.sessionId}`,
        caretaker: caretakerOf(sg.personId),
        category: acts.find((a) => a.id === session.get(sg.sessionId)!.activityId)!.categoryId,
      }));
  return { callsOn, notReachedIn };
}

const tally = <T>(items: T[]) => {
  const m = new Map<T, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return m;
};

for (const backend of backends) {
  describe(`call list and not-reached report on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let world: Awaited<ReturnType<typeof buildWorld>>;
    const scopeOf = (actor: CallScope["actor"]): CallScope => ({ stationId: world.stationId, timeZone: ZONE, actor });

    beforeAll(async () => {
      world = await buildWorld(t.db);
    });

    it("lists, for each day of the week, exactly the booked people not reached by their own email (staff: all)", async () => {
      const { callsOn } = await expectations(t.db, world.stationId);
      let seen = 0;
      for (let d = -3; d <= 4; d++) {
        const day = DateTime.fromISO(DAY).plus({ days: d }).toISODate()!;
        const rows = await callList(t.db, scopeOf(world.coordinator), day);
        expect(rows.map((r) => `${r.personId}:${r.sessionId}:${r.route}:${r.status}`).sort()).toEqual(callsOn(day, null));
        seen += rows.length;
      }
      expect(seen).toBeGreaterThan(20);
      // Sorted by time; a caretaker and "called" come with the rows.
      const rows = await callList(t.db, scopeOf(world.coordinator), DAY);
      expect(rows.map((r) => r.startsAt.getTime())).toEqual([...rows.map((r) => r.startsAt.getTime())].sort((a, b) => a - b));
      expect(rows.some((r) => r.route === "none")).toBe(true);
      expect(rows.some((r) => r.route === "caretaker")).toBe(true);
    });

    it("gives a caretaker only the people of the households in her care", async () => {
      const { callsOn } = await expectations(t.db, world.stationId);
      for (const carer of world.carers) {
        for (let d = -3; d <= 4; d++) {
          const day = DateTime.fromISO(DAY).plus({ days: d }).toISODate()!;
          const rows = await callList(t.db, scopeOf(carer), day);
          expect(rows.map((r) => `${r.personId}:${r.sessionId}:${r.route}:${r.status}`).sort()).toEqual(callsOn(day, carer.personId));
          for (const r of rows) expect(r.caretaker?.id === carer.personId || r.personId === carer.personId).toBe(true);
        }
      }
      // A resident with no households has an empty list.
      expect(await callList(t.db, scopeOf(world.family), DAY)).toEqual([]);
    });

    it("reports who was not reached, against the raw rows, by caretaker and by category", async () => {
      const { notReachedIn } = await expectations(t.db, world.stationId);
      for (const [from, to] of [
        ["2026-12-07", "2026-12-13"],
        [DAY, DAY],
        ["2026-12-08", "2026-12-11"],
      ] as const) {
        const expected = notReachedIn(from, to);
        const report = await notReached(t.db, { stationId: world.stationId, timeZone: ZONE }, { from, to });
        expect(report.rows.map((r) => `${r.personId}:${r.sessionId}`).sort()).toEqual(expected.map((e) => e.key).sort());
        expect(new Map(report.byCaretaker.map((c) => [c.caretakerId, c.count]))).toEqual(tally(expected.map((e) => e.caretaker)));
        expect(new Map(report.byCategory.map((c) => [c.categoryId, c.count]))).toEqual(tally(expected.map((e) => e.category)));
      }
      expect(
        (await notReached(t.db, { stationId: world.stationId, timeZone: ZONE }, { from: "2026-12-07", to: "2026-12-13" })).rows.length,
      ).toBeGreaterThan(5);
    });

    it("refuses malformed days and ranges with a typed error", async () => {
      for (const bad of ["2026-13-01", "2026-02-30", "tomorrow", "", "1899-01-01", "2026-1-1"])
        await expect(callList(t.db, scopeOf(world.coordinator), bad)).rejects.toBeInstanceOf(InvalidReachInput);
      await expect(notReached(t.db, { stationId: world.stationId, timeZone: ZONE }, { from: "2026-12-10", to: "2026-12-09" })).rejects.toBeInstanceOf(
        InvalidReachInput,
      );
      await expect(notReached(t.db, { stationId: world.stationId, timeZone: ZONE }, { from: "2026-01-01", to: "2026-12-31" })).rejects.toBeInstanceOf(
        InvalidReachInput,
      );
      expect(dayBounds(DAY, ZONE).from.toISOString()).toBe("2026-12-10T08:00:00.000Z");
      expect(tomorrowAt("Asia/Shanghai", new Date("2026-12-04T17:00:00Z"))).toBe("2026-12-06");
    });

    it("marks a call once (idempotent), undoes it for the marker or staff only, audits both, and refuses people not on the list", async () => {
      const carer = world.carers[1]!;
      const rows = (await callList(t.db, scopeOf(carer), DAY)).concat(await callList(t.db, scopeOf(carer), "2026-12-11"));
      const target = rows.find((r) => r.called === null) ?? rows[0]!;
      if (target.called) await unmarkCalled(t.db, scopeOf(world.coordinator), target);
      const first = await markCalled(t.db, scopeOf(carer), target, new Date("2026-12-09T10:00:00Z"));
      expect(first).toMatchObject({ created: true, byAccountId: carer.accountId });
      const again = await markCalled(t.db, scopeOf(world.coordinator), target, new Date("2026-12-09T11:00:00Z"));
      expect(again).toMatchObject({ created: false, byAccountId: carer.accountId, at: new Date("2026-12-09T10:00:00Z") });
      const listed = (await callList(t.db, scopeOf(carer), DateTime.fromJSDate(target.startsAt, { zone: ZONE }).toISODate()!)).find(
        (r) => r.personId === target.personId && r.sessionId === target.sessionId,
      )!;
      expect(listed.called).toMatchObject({ by: "会员乙", byAccountId: carer.accountId });
      // Another caretaker cannot see, mark or undo it: not on her list.
      await expect(markCalled(t.db, scopeOf(world.carers[2]!), target)).rejects.toBeInstanceOf(NotOnCallList);
      await expect(unmarkCalled(t.db, scopeOf(world.carers[2]!), target)).rejects.toBeInstanceOf(NotOnCallList);
      await expect(markCalled(t.db, scopeOf(world.coordinator), { personId: target.personId, sessionId: 2147483647 })).rejects.toBeInstanceOf(
        NotOnCallList,
      );
      expect(await unmarkCalled(t.db, scopeOf(carer), target)).toBe(true);
      expect(await unmarkCalled(t.db, scopeOf(carer), target)).toBe(false);
      // Marked by staff: the caretaker may not take it back, staff may.
      await markCalled(t.db, scopeOf(world.coordinator), target);
      await expect(unmarkCalled(t.db, scopeOf(carer), target)).rejects.toBeInstanceOf(NotAllowed);
      expect(await unmarkCalled(t.db, scopeOf(world.coordinator), target)).toBe(true);
      const audit = await t.db
        .select({ action: auditLog.action })
        .from(auditLog)
        .where(and(eq(auditLog.stationId, world.stationId), eq(auditLog.targetId, target.personId)));
      expect(audit.map((a) => a.action).filter((a) => a.startsWith("call."))).toEqual([
        "call.marked",
        "call.unmarked",
        "call.marked",
        "call.unmarked",
      ]);
    });

    it("keeps the station's phone and address, audited, and refuses overlong ones", async () => {
      const scope = { stationId: world.stationId, actor: world.coordinator };
      expect(await updateStationContact(t.db, scope, { phone: " 0598-1234567 ", address: "富文路 1 号" })).toEqual({
        phone: "0598-1234567",
        address: "富文路 1 号",
      });
      const [row] = await t.db.select({ phone: stations.phone, address: stations.address }).from(stations).where(eq(stations.id, world.stationId));
      expect(row).toEqual({ phone: "0598-1234567", address: "富文路 1 号" });
      await expect(updateStationContact(t.db, scope, { phone: "1".repeat(21), address: null })).rejects.toBeInstanceOf(InvalidReachInput);
      await expect(updateStationContact(t.db, scope, { phone: null, address: "路".repeat(201) })).rejects.toBeInstanceOf(InvalidReachInput);
      expect(await updateStationContact(t.db, scope, { phone: "", address: "" })).toEqual({ phone: null, address: null });
      const audits = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.stationId, world.stationId), eq(auditLog.action, "station.contact_updated")));
      expect(audits).toHaveLength(2);
    });
  });
}
