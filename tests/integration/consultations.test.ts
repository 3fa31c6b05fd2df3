import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { ZONE, makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { makeSkill } from "../support/roster-fixtures";
import { giveWeeklyHours, makeService } from "../support/consultation-fixtures";
import { signUp } from "../../models/signups";
import { createConsultationService, type ConsultationService } from "../../models/consultations/services";
import { addProviderHours, changeProviderDay } from "../../models/consultations/hours";
import { cutSlots, slotsOf } from "../../models/consultations/slots";
import {
  bookConsultation,
  cancelConsultation,
  listPersonConsultations,
  listProviderConsultations,
  markConsultationAttendance,
} from "../../models/consultations/bookings";
import { auditLog, consultations, notifications, personSkills } from "../../models/db/schema";
import { mailSettings, renderNotification } from "../../models/notifications/render";
import { resolveRecipient } from "../../models/notifications/recipients";
import { buildPersonalFeed, personalFeedVersion } from "../../models/feeds";
import { monthlyReport } from "../../models/reports/monthly";
import { refusal } from "../support/refusal";
import type { Actor } from "../../models/permissions";
import { translator } from "../../models/i18n";
import { domainMessage } from "../../app/lib/domain-error.server";

const MINUTE = 60_000;

describe("cutting hours into slots", () => {
  it("fits slots and buffers into the window and drops a slot that would run past its end", () => {
    expect(cutSlots(14 * 60, 17 * 60, 45, 15)).toEqual([840, 900, 960]);
    expect(cutSlots(14 * 60, 17 * 60, 20, 0)).toHaveLength(9);
    expect(cutSlots(14 * 60, 14 * 60 + 44, 45, 0)).toEqual([]);
    expect(cutSlots(9 * 60, 12 * 60, 30, 10)).toEqual([540, 580, 620, 660]);
  });
});

for (const backend of backends) {
  describe(`consultations on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll }, { poolSize: 4 });
    let stationId = 0;
    let admin: Actor;
    let coordinator: Actor;
    let lawyer: Actor;
    let secondLawyer: Actor;
    let uncertified: Actor;
    let resident: Actor;
    let neighbour: Actor;
    let service: ConsultationService;
    // Three days ahead, in the station's time; the lawyers keep 14:00–17:00 that weekday.
    const day = DateTime.now().setZone(ZONE).plus({ days: 3 }).startOf("day");
    const date = day.toISODate()!;
    const at = (time: string) => DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toJSDate();
    const ctx = (actor: Actor, now?: Date) => ({ stationId, actor, now });
    /** A booking of the service on this test day (`at`), or at another instant. */
    const book = (actor: Actor, time: string | Date, booking: Omit<Parameters<typeof bookConsultation>[2], "serviceId" | "startsAt">) =>
      bookConsultation(t.db, ctx(actor), { serviceId: service.id, startsAt: typeof time === "string" ? at(time) : time, ...booking });

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      admin = await makeActor(t.db, stationId, ["admin"], "管理员");
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员");
      lawyer = await makeActor(t.db, stationId, ["volunteer"], "李律师");
      secondLawyer = await makeActor(t.db, stationId, ["volunteer"], "赵律师");
      uncertified = await makeActor(t.db, stationId, ["volunteer"], "未确认");
      resident = await makeActor(t.db, stationId, ["resident"], "王阿姨");
      neighbour = await makeActor(t.db, stationId, ["resident"], "邻居");
      const skillId = await makeSkill(t.db, stationId, { restricted: true, nameZh: "律师" });
      await t.db.insert(personSkills).values([
        { personId: lawyer.personId, skillId, confirmedAt: new Date(), confirmedByAccountId: coordinator.accountId },
        { personId: secondLawyer.personId, skillId, confirmedAt: new Date(), confirmedByAccountId: coordinator.accountId },
        { personId: uncertified.personId, skillId },
      ]);
      service = await makeService(t.db, stationId, admin, skillId, {
        slotMinutes: 45,
        bufferMinutes: 15,
        cancelDeadlineMinutes: 120,
        maxUpcoming: 1,
      });
      await giveWeeklyHours(t.db, stationId, lawyer, { service, provider: lawyer, day, from: "14:00", to: "17:00", location: "法律服务室" });
    });

    it("keeps services to admins and hours to confirmed providers or staff", async () => {
      const input = {
        kind: "legal",
        nameZh: "x",
        nameEn: "x",
        skillId: service.skillId,
        slotMinutes: 30,
        bufferMinutes: 0,
        bookAheadDays: 7,
        cancelDeadlineMinutes: 0,
        maxUpcoming: 1,
      };
      expect((await refusal(createConsultationService(t.db, ctx(coordinator), input))).code).toBe("not_allowed");
      expect((await refusal(createConsultationService(t.db, ctx(admin), { ...input, slotMinutes: 7 }))).params).toEqual({ field: "slotMinutes" });
      const hours = { serviceId: service.id, weekday: 1, startTime: "09:00", endTime: "11:00", location: "法律服务室", fromDate: date };
      // A restricted skill counts only once confirmed; a resident cannot keep hours for someone else.
      expect((await refusal(addProviderHours(t.db, ctx(uncertified), { ...hours, providerPersonId: uncertified.personId }))).code).toBe(
        "consultation_not_provider",
      );
      expect((await refusal(addProviderHours(t.db, ctx(resident), { ...hours, providerPersonId: lawyer.personId }))).code).toBe("not_allowed");
      expect((await refusal(addProviderHours(t.db, ctx(lawyer), { ...hours, providerPersonId: lawyer.personId, endTime: "08:00" }))).params).toEqual({
        field: "endTime",
      });
    });

    it("cuts the day's hours into slots with their buffer, minus a day off, plus an extra stretch", async () => {
      const slots = await slotsOf(t.db, service, { fromDate: date, toDate: date, now: new Date() });
      expect(slots.map((s) => DateTime.fromJSDate(s.startsAt, { zone: ZONE }).toFormat("HH:mm"))).toEqual(["14:00", "15:00", "16:00"]);
      expect(slots.every((s) => s.free && s.providerName === "李律师" && s.location === "法律服务室")).toBe(true);
      expect(slots[0]!.endsAt.getTime() - slots[0]!.startsAt.getTime()).toBe(45 * MINUTE);

      const nextWeek = day.plus({ weeks: 1 }).toISODate()!;
      await changeProviderDay(t.db, ctx(coordinator), { serviceId: service.id, providerPersonId: lawyer.personId, localDate: nextWeek, kind: "off" });
      expect(await slotsOf(t.db, service, { fromDate: nextWeek, toDate: nextWeek, now: new Date() })).toEqual([]);
      const extraDay = day.plus({ days: 1 }).toISODate()!;
      await changeProviderDay(t.db, ctx(lawyer), {
        serviceId: service.id,
        providerPersonId: lawyer.personId,
        localDate: extraDay,
        kind: "extra",
        startTime: "09:00",
        endTime: "10:00",
        location: "二楼会议室",
      });
      const extra = await slotsOf(t.db, service, { fromDate: extraDay, toDate: extraDay, now: new Date() });
      expect(extra.map((s) => [DateTime.fromJSDate(s.startsAt, { zone: ZONE }).toFormat("HH:mm"), s.location])).toEqual([["09:00", "二楼会议室"]]);
      // Slots already begun are not offered.
      expect(await slotsOf(t.db, service, { fromDate: date, toDate: date, now: at("15:30") })).toHaveLength(1);
    });

    it("gives one slot to one person: the second is refused, a non-slot time too, and the window holds", async () => {
      const booked = await book(resident, "15:00", { personId: resident.personId, topic: "遗嘱怎么写" });
      expect(booked).toMatchObject({ providerPersonId: lawyer.personId, personId: resident.personId, location: "法律服务室" });
      const [row] = await t.db.select().from(consultations).where(eq(consultations.id, booked.id));
      expect(row).toMatchObject({ topic: "遗嘱怎么写", status: "booked", bookedByAccountId: resident.accountId });

      const taken = await refusal(book(neighbour, "15:00", { personId: neighbour.personId }));
      expect(taken).toMatchObject({ code: "consultation_slot_unavailable", status: 409 });
      const slots = await slotsOf(t.db, service, { fromDate: date, toDate: date, now: new Date() });
      expect(slots.find((s) => s.startsAt.getTime() === at("15:00").getTime())!.free).toBe(false);

      expect((await refusal(book(neighbour, "14:10", { personId: neighbour.personId }))).code).toBe("consultation_slot_unavailable");
      const far = DateTime.now().setZone(ZONE).plus({ days: 20 }).set({ hour: 14, minute: 0 }).toJSDate();
      expect(await refusal(book(neighbour, far, { personId: neighbour.personId }))).toMatchObject({
        code: "consultation_outside_window",
        params: { days: 14 },
      });
      // One upcoming booking of this service per person.
      expect(await refusal(book(resident, "16:00", { personId: resident.personId }))).toMatchObject({
        code: "consultation_limit",
        params: { max: 1 },
      });
      // A resident books only for themself (or their household); staff for anyone.
      expect((await refusal(book(neighbour, "16:00", { personId: resident.personId }))).code).toBe("not_found");
    });

    it("with 'any provider' takes whichever provider is free at that start", async () => {
      await giveWeeklyHours(t.db, stationId, coordinator, {
        service,
        provider: secondLawyer,
        day,
        from: "14:00",
        to: "17:00",
        location: "法律服务室二",
        fromDate: date,
      });
      const [someone] = await makePeople(t.db, stationId, 1, "来电居民");
      const booked = await book(coordinator, "15:00", { personId: someone! });
      expect(booked.providerPersonId).toBe(secondLawyer.personId);
      expect(await refusal(book(coordinator, "15:00", { personId: neighbour.personId }))).toMatchObject({
        code: "consultation_slot_unavailable",
      });
      // A provider cannot book themself.
      expect((await refusal(book(coordinator, "16:00", { providerPersonId: lawyer.personId, personId: lawyer.personId }))).code).toBe(
        "consultation_with_oneself",
      );
    });

    it("meets the commitments ledger both ways, and a clash says only 'a consultation'", async () => {
      // The neighbour attends a talk at 16:00–17:00 that day: the 16:00 slot is refused, naming the talk.
      const talk = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 3, title: "防诈骗讲座" });
      await t.db.execute(
        sql`UPDATE sessions SET starts_at = ${at("16:00").toISOString()}::timestamptz, ends_at = ${at("17:00").toISOString()}::timestamptz WHERE id = ${talk.sessionId}`,
      );
      await signUp(t.db, { stationId, actor: coordinator }, { sessionId: talk.sessionId, personId: neighbour.personId, partySize: 1 });
      const clash = await refusal(book(neighbour, "16:00", { personId: neighbour.personId }));
      expect(clash).toMatchObject({ code: "person_conflict", params: { kind: "attending", title: "防诈骗讲座" } });

      // The resident's 15:00 consultation keeps her out of a session at 15:00, and the message names no topic or service.
      const lecture = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 3, title: "健康讲座" });
      await t.db.execute(
        sql`UPDATE sessions SET starts_at = ${at("15:30").toISOString()}::timestamptz, ends_at = ${at("16:30").toISOString()}::timestamptz WHERE id = ${lecture.sessionId}`,
      );
      const refused = await refusal(
        signUp(t.db, { stationId, actor: coordinator }, { sessionId: lecture.sessionId, personId: resident.personId, partySize: 1 }),
      );
      expect(refused).toMatchObject({ code: "person_conflict", params: { kind: "consultation", title: "" } });
      for (const locale of ["zh-CN", "en"] as const) {
        const text = domainMessage(refused, translator(locale));
        expect(text).toContain("王阿姨");
        expect(text).not.toMatch(/遗嘱|法律|Legal|[{}]/);
      }
      // The provider is held too: the lawyer cannot attend the lecture during her hours (ADR 27),
      // which are named by their service (public anyway), never by the booking inside them.
      const providerClash = await refusal(
        signUp(t.db, { stationId, actor: coordinator }, { sessionId: lecture.sessionId, personId: lawyer.personId, partySize: 1 }),
      );
      expect(providerClash).toMatchObject({ code: "person_conflict", params: { kind: "hours", title: "法律援助" } });
      expect(domainMessage(providerClash, translator("zh-CN"))).toContain("咨询接待时间：法律援助");
      expect(domainMessage(providerClash, translator("en"))).toContain("keeps consultation hours at that time: 法律援助");
    });

    it("cancelling frees the slot at once; the deadline binds the resident, not staff; strangers learn nothing", async () => {
      const [mine] = await listPersonConsultations(t.db, ctx(resident), resident.personId, new Date());
      expect(mine).toMatchObject({ topic: "遗嘱怎么写", providerName: "李律师" });
      expect((await refusal(cancelConsultation(t.db, ctx(neighbour), mine!.id))).code).toBe("not_found");
      // Within two hours of the start the resident is told to phone; staff may still cancel.
      const late = new Date(mine!.startsAt.getTime() - 60 * MINUTE);
      expect(await refusal(cancelConsultation(t.db, ctx(resident, late), mine!.id))).toMatchObject({
        code: "consultation_cancel_too_late",
        params: { minutes: 120 },
      });
      await cancelConsultation(t.db, ctx(resident), mine!.id);
      expect((await refusal(cancelConsultation(t.db, ctx(resident), mine!.id))).code).toBe("consultation_cancelled");

      const again = await book(neighbour, "15:00", { providerPersonId: lawyer.personId, personId: neighbour.personId });
      expect(again.providerPersonId).toBe(lawyer.personId);
      // Staff cancel inside the deadline (someone phoned in ill).
      await cancelConsultation(t.db, ctx(coordinator, new Date(again.startsAt.getTime() - 30 * MINUTE)), again.id);
    });

    it("mails the client and the provider '咨询预约' with time, place and who, never the topic or the service, and withdraws an unsent one on cancel", async () => {
      const booked = await book(admin, "16:00", { providerPersonId: secondLawyer.personId, personId: admin.personId, topic: "离婚财产怎么分" });
      const rows = await t.db.select().from(notifications).where(eq(notifications.consultationId, booked.id));
      expect(rows.map((r) => [r.kind, (r.payload as { role: string }).role, r.personId]).sort()).toEqual(
        [
          ["consultation_booked", "client", booked.personId],
          ["consultation_booked", "provider", booked.providerPersonId],
          // Three days ahead: the client is reminded the day before.
          ["consultation_reminder", "client", booked.personId],
        ].sort(),
      );
      const reminder = rows.find((r) => r.kind === "consultation_reminder")!;
      expect(reminder.dueAt.getTime()).toBe(booked.startsAt.getTime() - 24 * 60 * MINUTE);
      expect(reminder.expiresAt.getTime()).toBe(booked.startsAt.getTime());
      const settings = mailSettings({ MAIL_FROM: "驿站 <no-reply@hearth.test>", PUBLIC_URL: "https://station.example", PORT: 3000 });
      const render = async (row: (typeof rows)[number]) => {
        const decision = await resolveRecipient(t.db, { kind: row.kind, personId: row.personId, signupId: null });
        if (!decision.ok) throw new Error(decision.reason);
        const out = await renderNotification({ db: t.db, row, recipient: decision.recipient, settings });
        if (!("mail" in out)) throw new Error(JSON.stringify(out));
        return out.mail;
      };
      for (const row of rows) {
        const mail = await render(row);
        expect(mail.subject).toMatch(row.kind === "consultation_reminder" ? /^明天的咨询预约 · \d+月\d+日/ : /^咨询预约 · \d+月\d+日/);
        // The room is named (法律服务室二 is on the public hours anyway); the topic and the service are not.
        for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(/离婚|法律援助|Legal aid/);
        expect(mail.text).toContain("法律服务室二");
        const role = (row.payload as { role: string }).role;
        expect(mail.text).toContain(role === "provider" ? "预约人" : "接待人");
      }

      // The personal feeds of both say "咨询预约" with time and place, nothing more.
      const feedOf = (personId: number) => buildPersonalFeed(t.db, { stationId, timeZone: ZONE, personId });
      for (const personId of [booked.personId, booked.providerPersonId]) {
        const feed = (await feedOf(personId)).replace(/\r\n /g, "");
        expect(feed).toContain("SUMMARY:咨询预约");
        expect(feed).toContain("LOCATION:法律服务室二");
        expect(feed).not.toMatch(/离婚|法律援助|管理员/);
      }
      const before = await personalFeedVersion(t.db, { stationId, timeZone: ZONE, personId: booked.personId });

      await cancelConsultation(t.db, ctx(coordinator), booked.id);
      expect((await personalFeedVersion(t.db, { stationId, timeZone: ZONE, personId: booked.personId })).etag).not.toBe(before.etag);
      expect(await feedOf(booked.personId)).toContain("SUMMARY:已取消 咨询预约");
      const after = await t.db.select().from(notifications).where(eq(notifications.consultationId, booked.id));
      // The unsent confirmations and the reminder are withdrawn.
      expect(after.filter((r) => r.kind === "consultation_booked" || r.kind === "consultation_reminder").map((r) => r.status)).toEqual([
        "cancelled",
        "cancelled",
        "cancelled",
      ]);
      const cancelled = after.filter((r) => r.kind === "consultation_cancelled");
      expect(cancelled).toHaveLength(2);
      expect((await render(cancelled[0]!)).subject).toMatch(/^咨询预约已取消 · /);
    });

    it("shows a provider only their own day, takes attendance after the start, and keeps the topic out of the audit log", async () => {
      const booked = await book(resident, "14:00", { providerPersonId: lawyer.personId, personId: resident.personId, topic: "房屋继承纠纷" });
      const dayStart = day.toJSDate();
      const dayEnd = day.plus({ days: 1 }).toJSDate();
      const own = await listProviderConsultations(t.db, ctx(lawyer), lawyer.personId, dayStart, dayEnd);
      expect(own.filter((c) => c.status === "booked").map((c) => [c.personName, c.topic])).toContainEqual(["王阿姨", "房屋继承纠纷"]);
      expect((await refusal(listProviderConsultations(t.db, ctx(secondLawyer), lawyer.personId, dayStart, dayEnd))).code).toBe("not_allowed");

      expect((await refusal(markConsultationAttendance(t.db, ctx(lawyer), booked.id, "attended"))).code).toBe("consultation_not_started");
      expect((await refusal(markConsultationAttendance(t.db, ctx(secondLawyer, at("14:30")), booked.id, "attended"))).code).toBe("not_found");
      await markConsultationAttendance(t.db, ctx(lawyer, at("14:30")), booked.id, "attended");
      const [row] = await t.db.select({ attendance: consultations.attendance }).from(consultations).where(eq(consultations.id, booked.id));
      expect(row!.attendance).toBe("attended");
      // The month's figures count it (seen from that afternoon): by kind, with no names or topics.
      const report = await monthlyReport(t.db, stationId, day.toFormat("yyyy-MM"), at("17:30"));
      expect(report.consultations.attended).toBe(1);
      expect(report.consultations.byKind).toEqual([expect.objectContaining({ kind: "legal", attended: 1 })]);
      expect(report.consultations.booked).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(report.consultations)).not.toMatch(/王阿姨|房屋/);

      const audit = await t.db
        .select({ details: auditLog.details })
        .from(auditLog)
        .where(sql`${auditLog.action} LIKE 'consultation.%'`);
      expect(audit.length).toBeGreaterThan(3);
      expect(JSON.stringify(audit)).not.toMatch(/遗嘱|房屋继承/);
    });
  });
}
