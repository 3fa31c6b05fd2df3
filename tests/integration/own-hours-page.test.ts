// A provider's own hours page (/my/consultations/hours, ADR 28) over the real guard and models:
// the provider lists and changes their own hours, another provider's are a 404 and stay as they
// were, staff open the page for a provider; a day off over a booking lists it and lands only
// when confirmed (the provider needs no note, staff do); a clash is refused naming it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { ZONE, makeActor } from "../support/signup-fixtures";
import { makeSkill } from "../support/roster-fixtures";
import { getRequest, postRequest } from "../support/requests";
import { callSafely, text, type Handler } from "../support/routes-kit";
import type { ConsultationService } from "../../models/consultations/services";
import { giveWeeklyHours, makeService } from "../support/consultation-fixtures";
import { bookConsultation } from "../../models/consultations/bookings";
import { slotsOf } from "../../models/consultations/slots";
import { consultations, personSkills, providerHours, providerHoursChanges } from "../../models/db/schema";
import type { Actor } from "../../models/permissions";
import * as ownHours from "../../app/routes/my.consultations_.hours";

type Viewer = Actor & { token: string };
type Page = { hours: { id: number; weekday: number; time: string }[]; services: { name: string }[]; pageTitle: string };
type Reply = {
  ok: boolean;
  message?: string;
  formError?: string;
  affected?: { lines: string[]; cancel: string; needsProviderOk: boolean; replay: Record<string, string> };
};

for (const backend of backends) {
  describe(`own hours page on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Viewer;
    let lawyer: Viewer;
    let other: Viewer;
    let resident: Viewer;
    let legal: ConsultationService;
    let lawyerHours = 0;
    let otherHours = 0;
    const day = DateTime.now().setZone(ZONE).plus({ days: 3 }).startOf("day");
    const date = day.toISODate()!;
    const at = (d: DateTime, time: string) => DateTime.fromISO(`${d.toISODate()}T${time}`, { zone: ZONE }).toJSDate();
    const get = async (url: string, token: string) => callSafely(ownHours.loader as Handler, await getRequest(url, { token }), {});
    const post = async (url: string, form: Record<string, string>, token: string) =>
      callSafely(ownHours.action as Handler, await postRequest(url, form, { token }), {});
    const book = (provider: Viewer, startsAt: Date) =>
      bookConsultation(
        t.db,
        { stationId, actor: coordinator },
        { serviceId: legal.id, startsAt, providerPersonId: provider.personId, personId: resident.personId },
      );
    const status = async (id: number) => (await t.db.select({ s: consultations.status }).from(consultations).where(eq(consultations.id, id)))[0]!.s;
    const daysOff = async (personId: number, localDate: string) =>
      t.db
        .select()
        .from(providerHoursChanges)
        .where(and(eq(providerHoursChanges.providerPersonId, personId), eq(providerHoursChanges.localDate, localDate)));

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      const admin = await makeActor(t.db, stationId, ["admin"]);
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员");
      lawyer = await makeActor(t.db, stationId, ["resident"], "周律师");
      other = await makeActor(t.db, stationId, ["resident"], "吴律师");
      resident = await makeActor(t.db, stationId, ["resident"], "王德福");
      const skillId = await makeSkill(t.db, stationId, { nameZh: "律师" });
      await t.db.insert(personSkills).values([
        { personId: lawyer.personId, skillId, confirmedAt: new Date() },
        { personId: other.personId, skillId, confirmedAt: new Date() },
      ]);
      legal = await makeService(t.db, stationId, admin, skillId, { bookAheadDays: 30, maxUpcoming: 5 });
      const hours = (provider: Viewer, location: string) =>
        giveWeeklyHours(t.db, stationId, coordinator, { service: legal, provider, day, from: "14:00", to: "16:00", location, fromDate: date });
      lawyerHours = (await hours(lawyer, "法律服务室")).id;
      otherHours = (await hours(other, "调解室")).id;
    });

    it("shows the provider their own hours and services; another's page is a 404; staff open a provider's", async () => {
      const own = await get("/my/consultations/hours", lawyer.token);
      expect(own.status).toBe(200);
      const body = own.body as Page;
      expect(body.hours.map((h) => h.id)).toEqual([lawyerHours]);
      expect(body.services.map((s) => s.name)).toEqual(["法律援助"]);
      expect((await get(`/my/consultations/hours?provider=${other.personId}`, lawyer.token)).status).toBe(404);
      expect((await get("/my/consultations/hours?provider=abc", lawyer.token)).status).toBe(404);
      const staff = await get(`/my/consultations/hours?provider=${other.personId}`, coordinator.token);
      expect(staff.status).toBe(200);
      expect((staff.body as Page).hours.map((h) => h.id)).toEqual([otherHours]);
      expect((staff.body as Page).pageTitle).toContain("吴律师");
      // A resident who gives no service sees an empty page of their own.
      expect((await get("/my/consultations/hours", resident.token)).body).toMatchObject({ hours: [], services: [] });
    });

    it("cannot touch another provider's hours: 404, and they stay", async () => {
      const forms: Record<string, string>[] = [
        { intent: "removeHours", hoursId: String(otherHours) },
        { intent: "endHours", hoursId: String(otherHours), untilDate: date },
      ];
      for (const form of forms) {
        const refused = await post("/my/consultations/hours", form, lawyer.token);
        expect(refused.status).toBe(404);
      }
      // Nor through the page opened for them.
      expect(
        (
          await post(
            `/my/consultations/hours?provider=${other.personId}`,
            { intent: "dayOff", serviceId: String(legal.id), localDate: date },
            lawyer.token,
          )
        ).status,
      ).toBe(404);
      const [row] = await t.db.select().from(providerHours).where(eq(providerHours.id, otherHours));
      expect(row).toMatchObject({ untilDate: null });
      expect(await daysOff(other.personId, date)).toHaveLength(0);
    });

    it("adds weekly hours and an extra stretch; a clash is refused naming the hours, and bad input in words", async () => {
      const next = day.plus({ days: 1 });
      const weekly = {
        intent: "hours",
        serviceId: String(legal.id),
        weekday: String(next.weekday),
        startTime: "09:00",
        endTime: "10:00",
        location: "法律服务室",
        fromDate: next.toISODate()!,
      };
      const added = await post("/my/consultations/hours", weekly, lawyer.token);
      expect(added).toMatchObject({ status: 200, body: { ok: true, message: text("zh-CN", "consult.hoursAdded") } });
      expect((await get("/my/consultations/hours", lawyer.token)).body).toMatchObject({ hours: [expect.anything(), expect.anything()] });

      // Over her own Thursday-like hours on `date`: named, nothing written.
      const clash = await post(
        "/my/consultations/hours",
        { intent: "extra", serviceId: String(legal.id), localDate: date, startTime: "15:00", endTime: "17:00", location: "法律服务室" },
        lawyer.token,
      );
      expect(clash.status).toBe(409);
      expect((clash.body as Reply).formError).toMatch(/周律师 在这个时间有咨询接待时间：法律援助/);
      expect((await daysOff(lawyer.personId, date)).filter((c) => c.kind === "extra")).toHaveLength(0);
      const overWeekly = await post("/my/consultations/hours", { ...weekly, startTime: "09:30", endTime: "11:00" }, lawyer.token);
      expect(overWeekly.status).toBe(409);
      expect((overWeekly.body as Reply).formError).toContain("法律援助");

      const extra = await post(
        "/my/consultations/hours",
        { intent: "extra", serviceId: String(legal.id), localDate: date, startTime: "16:00", endTime: "17:00", location: "法律服务室" },
        lawyer.token,
      );
      expect(extra).toMatchObject({ status: 200, body: { ok: true } });
      expect(await daysOff(lawyer.personId, date)).toEqual([expect.objectContaining({ kind: "extra", startTime: "16:00" })]);

      const badTime = await post("/my/consultations/hours", { ...weekly, startTime: "25:00" }, lawyer.token);
      expect(badTime.status).toBe(400);
      const backwards = await post("/my/consultations/hours", { ...weekly, startTime: "11:00", endTime: "10:00" }, lawyer.token);
      expect(backwards.status).toBe(422);
      expect((backwards.body as Reply).formError).toBe(text("zh-CN", "error.consultation_input_invalid", { field: "endTime" }));
    });

    it("a day off over a booking lists it; the provider confirms without a note and the booking is cancelled with it", async () => {
      const later = day.plus({ weeks: 1 });
      const booked = await book(lawyer, at(later, "14:00"));
      const form = { intent: "dayOff", serviceId: String(legal.id), localDate: later.toISODate()! };
      const asked = await post("/my/consultations/hours", form, lawyer.token);
      expect(asked.status).toBe(409);
      const reply = asked.body as Reply;
      expect(reply.formError).toBe(text("zh-CN", "error.consultation_hours_bookings_affected", { count: 1 }));
      expect(reply.affected).toMatchObject({ cancel: String(booked.id), needsProviderOk: false, replay: form });
      expect(reply.affected!.lines).toEqual([expect.stringMatching(/^王德福 .*14:00 的预约将被取消$/)]);
      expect(await daysOff(lawyer.personId, later.toISODate()!)).toHaveLength(0);
      expect(await status(booked.id)).toBe("booked");

      const done = await post("/my/consultations/hours", { ...reply.affected!.replay, cancel: reply.affected!.cancel }, lawyer.token);
      expect(done.status).toBe(200);
      expect((done.body as Reply).message).toContain(text("zh-CN", "consult.cancelledWithChange", { count: 1 }));
      expect(await status(booked.id)).toBe("cancelled");
      expect(await daysOff(lawyer.personId, later.toISODate()!)).toEqual([expect.objectContaining({ kind: "off" })]);
    });

    it("undoes a day off (the day's hours bookable again) unless something now clashes; undoes an extra stretch asking first for its bookings", async () => {
      const weeks3 = day.plus({ weeks: 3 });
      const localDate = weeks3.toISODate()!;
      const freeSlots = async () =>
        (await slotsOf(t.db, legal, { fromDate: localDate, toDate: localDate, now: new Date() })).filter(
          (s) => s.providerPersonId === lawyer.personId,
        );
      const hoursRows = async () =>
        (
          await t.db.execute<{ n: number }>(
            sql`SELECT count(*)::int AS n FROM commitments WHERE provider_hours_id = ${lawyerHours} AND local_date = ${localDate}::date`,
          )
        ).rows[0]!.n;
      expect((await post("/my/consultations/hours", { intent: "dayOff", serviceId: String(legal.id), localDate }, lawyer.token)).status).toBe(200);
      expect(await freeSlots()).toEqual([]);
      expect(await hoursRows()).toBe(0);
      const [off] = await daysOff(lawyer.personId, localDate);

      // Another provider cannot undo it: 404, and it stays.
      expect((await post("/my/consultations/hours", { intent: "undoChange", changeId: String(off!.id) }, other.token)).status).toBe(404);
      expect(await daysOff(lawyer.personId, localDate)).toHaveLength(1);

      // Meanwhile he added an extra stretch at 14:00–15:00 that day: undoing the day off would
      // put his weekly 14:00–16:00 over it, so it is refused, naming the clash, and nothing changes.
      const extra = { intent: "extra", serviceId: String(legal.id), localDate, startTime: "14:00", endTime: "15:00", location: "调解室" };
      expect((await post("/my/consultations/hours", extra, lawyer.token)).status).toBe(200);
      const clash = await post("/my/consultations/hours", { intent: "undoChange", changeId: String(off!.id) }, lawyer.token);
      expect(clash.status).toBe(409);
      expect((clash.body as Reply).formError).toContain("14:00");
      expect(await daysOff(lawyer.personId, localDate)).toEqual([
        expect.objectContaining({ kind: "off" }),
        expect.objectContaining({ kind: "extra" }),
      ]);

      // The extra stretch has a booking: undoing it lists the booking first, then cancels it with it.
      const [stretch] = (await daysOff(lawyer.personId, localDate)).filter((c) => c.kind === "extra");
      const booked = await book(lawyer, at(weeks3, "14:00"));
      const asked = await post("/my/consultations/hours", { intent: "undoChange", changeId: String(stretch!.id) }, lawyer.token);
      expect(asked.status).toBe(409);
      const reply = asked.body as Reply;
      expect(reply.affected).toMatchObject({ cancel: String(booked.id), needsProviderOk: false });
      expect(await status(booked.id)).toBe("booked");
      const done = await post("/my/consultations/hours", { ...reply.affected!.replay, cancel: reply.affected!.cancel }, lawyer.token);
      expect(done.status).toBe(200);
      expect(await status(booked.id)).toBe("cancelled");

      // Now the day off undoes cleanly: his weekly hours are back in the ledger and bookable.
      expect((await post("/my/consultations/hours", { intent: "undoChange", changeId: String(off!.id) }, lawyer.token)).status).toBe(200);
      expect(await daysOff(lawyer.personId, localDate)).toEqual([]);
      expect(await hoursRows()).toBe(1);
      expect((await freeSlots()).map((s) => s.startsAt)).toContainEqual(at(weeks3, "14:00"));
    });

    it("staff on a provider's page confirm with a note of how the provider agreed, and can remove their hours", async () => {
      const later = day.plus({ weeks: 2 });
      const booked = await book(other, at(later, "15:00"));
      const url = `/my/consultations/hours?provider=${other.personId}`;
      const form = { intent: "dayOff", serviceId: String(legal.id), localDate: later.toISODate()! };
      const asked = await post(url, form, coordinator.token);
      expect(asked.status).toBe(409);
      expect((asked.body as Reply).affected).toMatchObject({ needsProviderOk: true });
      const noNote = await post(url, { ...form, cancel: String(booked.id) }, coordinator.token);
      expect(noNote.status).toBe(422);
      expect(await status(booked.id)).toBe("booked");
      const done = await post(url, { ...form, cancel: String(booked.id), providerOk: "电话确认" }, coordinator.token);
      expect(done.status).toBe(200);
      expect(await status(booked.id)).toBe("cancelled");

      const removed = await post(url, { intent: "removeHours", hoursId: String(otherHours) }, coordinator.token);
      expect(removed).toMatchObject({ status: 200, body: { ok: true } });
      expect(await t.db.select().from(providerHours).where(eq(providerHours.id, otherHours))).toHaveLength(0);
    });
  });
}
