import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { ZONE, makeActor, makeSession } from "../support/signup-fixtures";
import { makeNeed } from "../support/roster-fixtures";
import { makeProvider, makeService } from "../support/consultation-fixtures";
import { signUp } from "../../models/signups";
import { assign } from "../../models/rosters";
import { updateNeed } from "../../models/rosters/needs";
import type { ConsultationService } from "../../models/consultations/services";
import { addProviderHours, changeProviderDay, endProviderHours, removeProviderHours } from "../../models/consultations/hours";
import { extendHoursHorizon } from "../../models/consultations/hours-ledger";
import { bookConsultation } from "../../models/consultations/bookings";
import { HoursChangeAffectsBookings } from "../../models/consultations/errors";
import { auditLog, consultations, notifications, personSkills, providerHours, providerHoursChanges } from "../../models/db/schema";
import { DomainError } from "../../models/errors";
import { refusal } from "../support/refusal";
import type { Actor } from "../../models/permissions";
import { translator } from "../../models/i18n";
import { domainMessage } from "../../app/lib/domain-error.server";

const both = (error: DomainError) => ({ zh: domainMessage(error, translator("zh-CN")), en: domainMessage(error, translator("en")) });

for (const backend of backends) {
  describe(`consultation hours as commitments on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll }, { poolSize: 4 });
    let stationId = 0;
    let admin: Actor;
    let coordinator: Actor;
    let lawyer: Actor;
    let resident: Actor;
    let skillId = 0;
    let legal: ConsultationService;
    let counselling: ConsultationService;
    const ctx = (actor: Actor, now?: Date) => ({ stationId, actor, now });
    // Days ahead in the station's time; each test takes its own week so their hours never meet.
    const dayAhead = (days: number) => DateTime.now().setZone(ZONE).plus({ days }).startOf("day");
    const at = (day: DateTime, time: string) => DateTime.fromISO(`${day.toISODate()}T${time}`, { zone: ZONE }).toJSDate();
    const hoursOn = (day: DateTime, service: ConsultationService, startTime: string, endTime: string, providerPersonId = lawyer.personId) => ({
      serviceId: service.id,
      providerPersonId,
      weekday: day.weekday,
      startTime,
      endTime,
      location: "法律服务室",
      fromDate: day.toISODate()!,
      untilDate: day.plus({ weeks: 1 }).toISODate()!,
    });
    const ledger = async (personId: number) =>
      (
        await t.db.execute<{ kind: string; n: number }>(
          sql`SELECT kind::text AS kind, count(*)::int AS n FROM commitments WHERE person_id = ${personId} GROUP BY kind ORDER BY kind`,
        )
      ).rows.map((r) => `${r.kind}:${r.n}`);

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      admin = await makeActor(t.db, stationId, ["admin"], "管理员");
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员");
      ({ provider: lawyer, skillId } = await makeProvider(t.db, stationId, "李律师", { nameZh: "律师", confirmed: true }));
      resident = await makeActor(t.db, stationId, ["resident"], "王德福");
      const service = (nameZh: string, nameEn: string) =>
        makeService(t.db, stationId, admin, skillId, { nameZh, nameEn, bookAheadDays: 60, maxUpcoming: 5 });
      legal = await service("法律援助", "Legal aid");
      counselling = await service("调解", "Mediation");
    });

    it("hours over the provider's shift are refused naming the shift, and write nothing", async () => {
      const day = dayAhead(3);
      const work = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 3, title: "义诊值班" });
      const needId = await makeNeed(t.db, stationId, { sessionId: work.sessionId, skillId, headCount: 2 });
      await assign(t.db, ctx(coordinator), { needId, sessionId: work.sessionId, personId: lawyer.personId });
      const before = await ledger(lawyer.personId);
      const refused = await refusal(addProviderHours(t.db, ctx(lawyer), hoursOn(day, legal, "10:00", "12:00")));
      expect(refused).toMatchObject({ status: 409, code: "person_conflict", params: { kind: "shift", title: "义诊值班", name: "李律师" } });
      expect(both(refused).zh).toContain("义诊值班");
      expect(both(refused).en).toContain("义诊值班");
      expect(await t.db.select().from(providerHours).where(eq(providerHours.providerPersonId, lawyer.personId))).toHaveLength(0);
      expect(await ledger(lawyer.personId)).toEqual(before);
    });

    it("a shift or a session during the hours is refused naming the hours; other hours and an extra stretch over them too", async () => {
      const day = dayAhead(10);
      const { id } = await addProviderHours(t.db, ctx(lawyer), hoursOn(day, legal, "08:00", "10:00"));
      // Two weeks of hours: this day and the next week's.
      expect(await ledger(lawyer.personId)).toContain("hours:2");

      const work = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 10, title: "体检值班" });
      const needId = await makeNeed(t.db, stationId, { sessionId: work.sessionId, skillId, headCount: 2 });
      const shift = await refusal(assign(t.db, ctx(coordinator), { needId, sessionId: work.sessionId, personId: lawyer.personId }));
      expect(shift).toMatchObject({ code: "person_conflict", params: { kind: "hours", title: "法律援助", name: "李律师" } });
      expect(both(shift).zh).toMatch(/李律师 在这个时间有咨询接待时间：法律援助（.*08:00.*10:00/);
      expect(both(shift).en).toMatch(/李律师 keeps consultation hours at that time: 法律援助/);

      const talk = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 10, title: "讲座" });
      const signup = await refusal(signUp(t.db, ctx(coordinator), { sessionId: talk.sessionId, personId: lawyer.personId, partySize: 1 }));
      expect(signup).toMatchObject({ code: "person_conflict", params: { kind: "hours", title: "法律援助" } });

      const other = await refusal(addProviderHours(t.db, ctx(lawyer), hoursOn(day, counselling, "09:30", "11:00")));
      expect(other).toMatchObject({ code: "person_conflict", params: { kind: "hours", title: "法律援助" } });
      const extra = await refusal(
        changeProviderDay(t.db, ctx(lawyer), {
          serviceId: counselling.id,
          providerPersonId: lawyer.personId,
          localDate: day.toISODate()!,
          kind: "extra",
          startTime: "09:00",
          endTime: "09:30",
          location: "调解室",
        }),
      );
      expect(extra).toMatchObject({ code: "person_conflict", params: { kind: "hours", title: "法律援助" } });
      expect(await t.db.select().from(providerHoursChanges).where(eq(providerHoursChanges.providerPersonId, lawyer.personId))).toHaveLength(0);

      // Right after the hours is free; a day off gives that day back, so the shift can be taken then.
      await changeProviderDay(t.db, ctx(lawyer), {
        serviceId: legal.id,
        providerPersonId: lawyer.personId,
        localDate: day.toISODate()!,
        kind: "off",
      });
      expect(await ledger(lawyer.personId)).toContain("hours:1");
      await assign(t.db, ctx(coordinator), { needId, sessionId: work.sessionId, personId: lawyer.personId });
      await removeProviderHours(t.db, ctx(lawyer), id);
      expect((await ledger(lawyer.personId)).some((k) => k.startsWith("hours"))).toBe(false);
    });

    it("the provider's own consultations inside the hours are no clash; having one during them is", async () => {
      const day = dayAhead(17);
      await addProviderHours(t.db, ctx(lawyer), hoursOn(day, legal, "14:00", "16:00"));
      const first = await bookConsultation(t.db, ctx(coordinator), { serviceId: legal.id, startsAt: at(day, "14:00"), personId: resident.personId });
      await bookConsultation(t.db, ctx(coordinator), { serviceId: legal.id, startsAt: at(day, "15:00"), personId: coordinator.personId });
      expect(first.providerPersonId).toBe(lawyer.personId);
      expect(await ledger(lawyer.personId)).toEqual(expect.arrayContaining(["consulting:2"]));
      // The lawyer as a client, during her own hours, is elsewhere.
      const second = await makeActor(t.db, stationId, ["volunteer"], "赵律师");
      await t.db.insert(personSkills).values({ personId: second.personId, skillId, confirmedAt: new Date() });
      await addProviderHours(t.db, ctx(second), hoursOn(day, counselling, "14:00", "16:00", second.personId));
      const asClient = await refusal(
        bookConsultation(t.db, ctx(coordinator), { serviceId: counselling.id, startsAt: at(day, "14:30"), personId: lawyer.personId }),
      );
      expect(asClient).toMatchObject({ code: "person_conflict", params: { kind: "hours", title: "法律援助", name: "李律师" } });
    });

    it("rolls the horizon on without writing a day twice, and ending hours gives the later days back", async () => {
      const day = dayAhead(24);
      const { id } = await addProviderHours(t.db, ctx(lawyer), { ...hoursOn(day, legal, "18:00", "19:00"), untilDate: undefined });
      const rows = async () =>
        (await t.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM commitments WHERE provider_hours_id = ${id}`)).rows[0]!.n;
      const weeks = await rows();
      expect(weeks).toBeGreaterThan(20);
      expect(await extendHoursHorizon(t.db, { id: stationId, timeZone: ZONE }, new Date())).toBe(0);
      // A week later the horizon holds one more day of them.
      expect(await extendHoursHorizon(t.db, { id: stationId, timeZone: ZONE }, DateTime.now().plus({ weeks: 1 }).toJSDate())).toBe(1);
      expect(await rows()).toBe(weeks + 1);
      await endProviderHours(t.db, ctx(lawyer), id, day.plus({ weeks: 1 }).toISODate());
      expect(await rows()).toBe(2);
      expect(await extendHoursHorizon(t.db, { id: stationId, timeZone: ZONE }, new Date())).toBe(0);
      await removeProviderHours(t.db, ctx(lawyer), id);
    });

    it("a day off over bookings is refused with the list, lands with the provider's confirmation and cancels them with mail", async () => {
      const day = dayAhead(31);
      const date = day.toISODate()!;
      const { id: hoursId } = await addProviderHours(t.db, ctx(lawyer), hoursOn(day, legal, "09:00", "11:00"));
      const booked = await bookConsultation(t.db, ctx(coordinator), { serviceId: legal.id, startsAt: at(day, "09:30"), personId: resident.personId });
      const dayOff = { serviceId: legal.id, providerPersonId: lawyer.personId, localDate: date, kind: "off" as const };
      const ledgerBefore = await ledger(lawyer.personId);

      const refused = await refusal(changeProviderDay(t.db, ctx(lawyer), dayOff));
      expect(refused).toBeInstanceOf(HoursChangeAffectsBookings);
      expect(refused).toMatchObject({ status: 409, code: "consultation_hours_bookings_affected", params: { count: 1, ids: String(booked.id) } });
      expect((refused as HoursChangeAffectsBookings).bookings).toEqual([
        { id: booked.id, personName: "王德福", startsAt: at(day, "09:30").toISOString(), endsAt: at(day, "10:00").toISOString() },
      ]);
      expect(both(refused).zh).toContain("1 个已有的预约");
      expect(both(refused).en).toContain("1 booked consultation");
      // Nothing changed: no day off, the booking stands, the ledger is as it was.
      expect(await t.db.select().from(providerHoursChanges).where(eq(providerHoursChanges.localDate, date))).toHaveLength(0);
      expect((await t.db.select().from(consultations).where(eq(consultations.id, booked.id)))[0]!.status).toBe("booked");
      expect(await ledger(lawyer.personId)).toEqual(ledgerBefore);

      // Staff for the provider must say how the provider agreed.
      const noOk = await refusal(changeProviderDay(t.db, ctx(coordinator), dayOff, { cancel: [booked.id] }));
      expect(noOk).toMatchObject({ status: 422, code: "consultation_hours_provider_ok_required" });
      expect(both(noOk).zh).toContain("接诊人");
      expect(both(noOk).en).toContain("provider agreed");

      const done = await changeProviderDay(t.db, ctx(coordinator), dayOff, { cancel: [booked.id], providerOk: "电话确认" });
      expect(done.cancelled).toEqual([booked.id]);
      expect((await t.db.select().from(consultations).where(eq(consultations.id, booked.id)))[0]!.status).toBe("cancelled");
      const mails = await t.db
        .select({ kind: notifications.kind, personId: notifications.personId })
        .from(notifications)
        .where(and(eq(notifications.consultationId, booked.id), eq(notifications.kind, "consultation_cancelled")));
      // The client, the provider, and the coordinator who had booked it for the client.
      expect(mails.map((m) => m.personId).sort()).toEqual([resident.personId, lawyer.personId, coordinator.personId].sort());
      const [audit] = await t.db
        .select({ details: auditLog.details })
        .from(auditLog)
        .where(and(eq(auditLog.action, "provider_hours.off"), eq(auditLog.targetId, done.id)));
      expect(audit!.details).toMatchObject({ cancelledConsultations: [booked.id], providerOk: "电话确认" });
      await removeProviderHours(t.db, ctx(lawyer), hoursId);
    });

    it("removing or ending hours with bookings needs every booking confirmed, a new one included", async () => {
      const day = dayAhead(38);
      const { id } = await addProviderHours(t.db, ctx(lawyer), hoursOn(day, legal, "13:00", "14:00"));
      const first = await bookConsultation(t.db, ctx(coordinator), { serviceId: legal.id, startsAt: at(day, "13:00"), personId: resident.personId });
      const later = day.plus({ weeks: 1 });
      const second = await bookConsultation(t.db, ctx(coordinator), {
        serviceId: legal.id,
        startsAt: at(later, "13:30"),
        personId: resident.personId,
      });

      // Ending after the first day leaves only the second booking out.
      const ending = await refusal(endProviderHours(t.db, ctx(lawyer), id, day.toISODate()));
      expect((ending as HoursChangeAffectsBookings).bookings.map((b) => b.id)).toEqual([second.id]);
      expect((await t.db.select().from(providerHours).where(eq(providerHours.id, id)))[0]!.untilDate).toBe(later.toISODate());

      // Confirming only the list seen before a booking was added is not enough.
      const partial = await refusal(removeProviderHours(t.db, ctx(lawyer), id, { cancel: [first.id] }));
      expect((partial as HoursChangeAffectsBookings).bookings.map((b) => b.id)).toEqual([first.id, second.id]);
      expect(await t.db.select().from(providerHours).where(eq(providerHours.id, id))).toHaveLength(1);

      const removed = await removeProviderHours(t.db, ctx(lawyer), id, { cancel: [first.id, second.id] });
      expect(removed.cancelled).toEqual([first.id, second.id]);
      expect(await t.db.select().from(providerHours).where(eq(providerHours.id, id))).toHaveLength(0);
      const left = await t.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM commitments WHERE provider_hours_id = ${id}`);
      expect(left.rows[0]!.n).toBe(0);
    });

    it("a booking needs its day of the provider's hours in the ledger: slots read before a change cannot book after it", async () => {
      const day = dayAhead(52);
      const { id } = await addProviderHours(t.db, ctx(lawyer), hoursOn(day, legal, "15:00", "16:00"));
      // As if a day off had committed between the booking's reading of the slots and its insert.
      await t.db.execute(sql`DELETE FROM commitments WHERE provider_hours_id = ${id} AND local_date = ${day.toISODate()}::date`);
      const refused = await refusal(
        bookConsultation(t.db, ctx(coordinator), { serviceId: legal.id, startsAt: at(day, "15:00"), personId: resident.personId }),
      );
      expect(refused).toMatchObject({ status: 409, code: "consultation_slot_unavailable" });
      expect(
        await t.db
          .select()
          .from(consultations)
          .where(eq(consultations.startsAt, at(day, "15:00"))),
      ).toHaveLength(0);
      // The next week's day is there, and books.
      await bookConsultation(t.db, ctx(coordinator), {
        serviceId: legal.id,
        startsAt: at(day.plus({ weeks: 1 }), "15:00"),
        personId: resident.personId,
      });
      await removeProviderHours(t.db, ctx(lawyer), id, {
        cancel: (
          await t.db
            .select({ id: consultations.id })
            .from(consultations)
            .where(eq(consultations.startsAt, at(day.plus({ weeks: 1 }), "15:00")))
        ).map((c) => c.id),
      });
    });

    it("a shift widened into the provider's hours by its set-up minutes is refused naming the hours", async () => {
      const day = dayAhead(59);
      const { id } = await addProviderHours(t.db, ctx(lawyer), hoursOn(day, legal, "07:00", "08:30"));
      const work = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 59, title: "早班义诊" });
      const needId = await makeNeed(t.db, stationId, { sessionId: work.sessionId, skillId, headCount: 2 });
      await assign(t.db, ctx(coordinator), { needId, sessionId: work.sessionId, personId: lawyer.personId });
      const refused = await refusal(updateNeed(t.db, ctx(coordinator), needId, { startOffsetMinutes: 60 }));
      expect(refused).toMatchObject({ code: "person_conflict", params: { kind: "hours", name: "李律师", title: "法律援助" } });
      await removeProviderHours(t.db, ctx(lawyer), id);
    });

    it("refuses bad input in the user's language", async () => {
      const day = dayAhead(45);
      const { id } = await addProviderHours(t.db, ctx(lawyer), hoursOn(day, legal, "13:00", "14:00"));
      const bad = await refusal(endProviderHours(t.db, ctx(lawyer), id, "2026-13-40"));
      expect(bad).toMatchObject({ status: 422, code: "consultation_input_invalid", params: { field: "untilDate" } });
      const early = await refusal(endProviderHours(t.db, ctx(lawyer), id, day.minus({ days: 1 }).toISODate()));
      expect(early).toMatchObject({ status: 422, params: { field: "untilDate" } });
      // Another's hours are not the resident's to know of (`canManageHours`): as if there were none.
      expect(await refusal(endProviderHours(t.db, ctx(resident), id, day.toISODate()))).toMatchObject({ status: 404, code: "not_found" });
      for (const message of Object.values(both(bad))) expect(message).toContain("untilDate");
      await removeProviderHours(t.db, ctx(lawyer), id);
    });
  });
}
