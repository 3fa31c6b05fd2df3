// The consultation pages (ADR 18) over the real guard and models: booking a slot as a resident
// and for someone as staff, 我的预约 and the services page listing and cancelling it, the
// provider's own day, the staff's hours, and that every refusal is a 4xx in words — and that
// the topic shows only to the person, whoever booked, the provider and staff.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { ZONE, makeActor, makePeople } from "../support/signup-fixtures";
import { makeSkill } from "../support/roster-fixtures";
import { getRequest, postRequest } from "../support/requests";
import { callApi } from "../support/api-requests";
import { createApiToken } from "../../models/api-tokens";
import { callSafely, text, type Handler } from "../support/routes-kit";
import type { ConsultationService } from "../../models/consultations/services";
import { giveWeeklyHours, makeProvider, makeService } from "../support/consultation-fixtures";
import { countingStatements } from "../support/statements";
import { bookConsultation } from "../../models/consultations/bookings";
import { consultations, people, personSkills, providerHours, providerHoursChanges } from "../../models/db/schema";
import type { Actor } from "../../models/permissions";
import * as services from "../../app/routes/consultations._index";
import * as servicePage from "../../app/routes/consultations.$id";
import * as providerDay from "../../app/routes/my.consultations";
import * as manage from "../../app/routes/manage.consultations";
import * as stationDay from "../../app/routes/manage.consultations_.day";
import * as bookings from "../../app/routes/bookings";
import * as calendar from "../../app/routes/calendar._index";
import * as calendarLayout from "../../app/routes/calendar";

type Viewer = Actor & { token: string };

for (const backend of backends) {
  describe(`consultation routes on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let admin: Viewer;
    let coordinator: Viewer;
    let doctor: Viewer;
    let resident: Viewer;
    let neighbour: Viewer;
    let service: ConsultationService;
    const day = DateTime.now().setZone(ZONE).plus({ days: 2 }).startOf("day");
    const date = day.toISODate()!;
    const at = (time: string) => DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toJSDate().toISOString();
    const path = () => `/consultations/${service.id}`;
    const params = () => ({ id: String(service.id) });
    const get = async (mod: { loader: unknown }, url: string, token?: string, p: Record<string, string> = {}) =>
      callSafely(mod.loader as Handler, await getRequest(url, { token }), p);
    const post = async (
      mod: { action: unknown },
      url: string,
      form: Record<string, string>,
      token: string,
      p: Record<string, string> = {},
      locale?: "zh-CN" | "en",
    ) => callSafely(mod.action as Handler, await postRequest(url, form, { token, locale }), p);

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      admin = await makeActor(t.db, stationId, ["admin"]);
      coordinator = await makeActor(t.db, stationId, ["coordinator"]);
      doctor = await makeActor(t.db, stationId, ["doctor"], "李医生");
      resident = await makeActor(t.db, stationId, ["resident"], "王德福");
      neighbour = await makeActor(t.db, stationId, ["resident"], "邻居");
      const skillId = await makeSkill(t.db, stationId, { nameZh: "家庭医生" });
      await t.db.insert(personSkills).values({ personId: doctor.personId, skillId });
      service = await makeService(t.db, stationId, admin, skillId, {
        kind: "family_doctor",
        nameZh: "家庭医生随访",
        nameEn: "Family doctor follow-up",
        slotMinutes: 20,
        cancelDeadlineMinutes: 60,
        maxUpcoming: 2,
      });
      await giveWeeklyHours(t.db, stationId, coordinator, {
        service,
        provider: doctor,
        day,
        from: "09:00",
        to: "10:00",
        location: "全科诊室",
        fromDate: date,
      });
    });

    it("lists the service with its next free slot, and the day's slots by provider", async () => {
      const list = await get(services, "/consultations", resident.token);
      expect(list.status).toBe(200);
      const body = list.body as { services: { name: string; nextFree: string | null }[] };
      expect(body.services.map((s) => s.name)).toContain("家庭医生随访");
      expect(body.services.find((s) => s.name === "家庭医生随访")!.nextFree).toMatch(/09:00/);
      const slots = await get(servicePage, `${path()}?day=${date}`, resident.token, params());
      const view = slots.body as { day: string; groups: { providerName: string; slots: { time: string; free: boolean }[] }[] };
      expect(view.day).toBe(date);
      expect(view.groups).toEqual([{ providerId: doctor.personId, providerName: "李医生", location: "全科诊室", slots: expect.any(Array) }]);
      expect(view.groups[0]!.slots.map((s) => s.time)).toEqual(["09:00", "09:20", "09:40"]);
      // Anonymous visitors are sent to sign in.
      expect((await get(servicePage, path(), undefined, params())).status).toBe(302);
    });

    it("books a slot for the resident, shows it on 我的预约 with its topic, and on nobody else's", async () => {
      const booked = await post(
        servicePage,
        path(),
        { intent: "book", startsAt: at("09:00"), providerId: String(doctor.personId), topic: "血压药怎么调" },
        resident.token,
        params(),
      );
      expect(booked.status).toBe(302);
      expect(booked.headers.get("Location")).toMatch(new RegExp(`^/consultations/${service.id}\\?booked=\\d+$`));
      const after = await get(servicePage, booked.headers.get("Location")!, resident.token, params());
      expect((after.body as { booked: { self: boolean; provider: string } }).booked).toMatchObject({ self: true, provider: "李医生" });

      const mine = await get(bookings, "/bookings", resident.token);
      expect((mine.body as { consultations: { topic: string; provider: string }[] }).consultations).toEqual([
        expect.objectContaining({ service: "家庭医生随访", topic: "血压药怎么调", provider: "李医生", canCancel: true }),
      ]);
      expect((await get(bookings, "/bookings", neighbour.token)).body).toMatchObject({ consultations: [] });
      // The neighbour cannot take the same slot, and is told so in words.
      const taken = await post(
        servicePage,
        path(),
        { intent: "book", startsAt: at("09:00"), providerId: String(doctor.personId) },
        neighbour.token,
        params(),
      );
      expect(taken.status).toBe(409);
      expect(taken.body).toMatchObject({ ok: false, formError: text("zh-CN", "error.consultation_slot_unavailable") });
      // The public calendar never carries a topic; it shows the hours, with no provider's name.
      expect(JSON.stringify((await get(calendar, "/calendar")).body)).not.toContain("血压药");
      const layout = (await get(calendarLayout, "/calendar")).body as { consultationHours: { service: string; time: string; location: string }[] };
      expect(layout.consultationHours).toContainEqual({ service: "家庭医生随访", weekday: day.weekday, time: "09:00–10:00", location: "全科诊室" });
      expect(JSON.stringify(layout)).not.toMatch(/李医生|王德福|血压药/);
    });

    it("shows weekly hours on the calendar until they have ended, though the page's hours are kept between requests", async () => {
      const other = day.plus({ days: 1 });
      const added = await giveWeeklyHours(t.db, stationId, coordinator, {
        service,
        provider: doctor,
        day: other,
        from: "15:00",
        to: "16:00",
        location: "二楼",
        fromDate: other.toISODate()!,
      });
      const times = async () =>
        ((await get(calendarLayout, "/calendar")).body as { consultationHours: { time: string }[] }).consultationHours.map((h) => h.time);
      expect(await times()).toContain("15:00–16:00");
      // Hours that ended yesterday are gone today (the change bumps the calendar version by trigger).
      const today = DateTime.now().setZone(ZONE).startOf("day");
      await t.db
        .update(providerHours)
        .set({ fromDate: today.minus({ days: 14 }).toISODate()!, untilDate: today.minus({ days: 1 }).toISODate()! })
        .where(eq(providerHours.id, added.id));
      expect(await times()).not.toContain("15:00–16:00");
      expect(await times()).toContain("09:00–10:00");
      await t.db.delete(providerHours).where(eq(providerHours.id, added.id)); // the tests below count the hours
    });

    it("refuses bad input with a 400 in words, and books for someone else only as staff", async () => {
      const tooLong = await post(
        servicePage,
        path(),
        { intent: "book", startsAt: at("09:20"), providerId: String(doctor.personId), topic: "很".repeat(501) },
        neighbour.token,
        params(),
      );
      expect(tooLong.status).toBe(400);
      expect((tooLong.body as { fieldErrors: Record<string, string> }).fieldErrors.topic).toBeTruthy();
      const badTime = await post(
        servicePage,
        path(),
        { intent: "book", startsAt: "tomorrow", providerId: String(doctor.personId) },
        neighbour.token,
        params(),
      );
      expect(badTime.status).toBe(400);
      const [caller] = await makePeople(t.db, stationId, 1, "来电居民");
      // A resident booking for a stranger finds nobody (404, as the waitlist answers); staff booking for them is not refused.
      const stranger = await post(
        servicePage,
        path(),
        { intent: "book", startsAt: at("09:20"), providerId: String(doctor.personId), personId: String(caller) },
        neighbour.token,
        params(),
      );
      expect(stranger.status).toBe(404);
      const forCaller = await post(
        servicePage,
        path(),
        { intent: "book", startsAt: at("09:20"), providerId: String(doctor.personId), personId: String(caller) },
        coordinator.token,
        params(),
      );
      expect(forCaller.status).toBe(302);
      const [row] = await t.db.select().from(consultations).where(eq(consultations.personId, caller!));
      expect(row).toMatchObject({ bookedByAccountId: coordinator.accountId, status: "booked" });
    });

    it("after joining the waitlist, promises a mail only to someone a mail reaches, and a phone call to anyone else", async () => {
      const joined = async (viewer: Viewer) =>
        ((await get(servicePage, `${path()}?waiting=joined`, viewer.token, params())).body as { waitingNotice: string }).waitingNotice;
      expect(await joined(neighbour)).toBe("已登记候补。有空位时会发邮件通知您。");
      await t.db
        .update(people)
        .set({ mailOptOuts: ["consultation_offer"] })
        .where(eq(people.id, neighbour.personId));
      expect(await joined(neighbour)).toBe("已登记候补。有空位时，驿站会先为您保留，并打电话通知您。");
      await t.db.update(people).set({ mailOptOuts: [] }).where(eq(people.id, neighbour.personId));
    });

    it("shows the provider their day with names and topics, and takes a cancel with a confirmation", async () => {
      const own = await get(providerDay, `/my/consultations?day=${date}`, doctor.token);
      const appointments = (own.body as { appointments: { name: string; topic: string }[] }).appointments;
      expect(appointments.map((a) => [a.name, a.topic])).toEqual([
        ["王德福", "血压药怎么调"],
        ["来电居民1", ""],
      ]);
      // Staff see every provider's day, topics included; a resident is refused.
      const all = await get(stationDay, `/manage/consultations/day?day=${date}`, coordinator.token);
      expect((all.body as { appointments: { name: string; provider: string; topic: string }[] }).appointments).toContainEqual(
        expect.objectContaining({ name: "王德福", provider: "李医生", topic: "血压药怎么调" }),
      );
      expect((await get(stationDay, `/manage/consultations/day?day=${date}`, resident.token)).status).toBe(403);
      // Anyone else's "my day" is their own, and empty, with no next day to point to.
      expect((await get(providerDay, `/my/consultations?day=${date}`, neighbour.token)).body).toMatchObject({ appointments: [], nextBooked: null });
      // The empty day before points on to the day with appointments; a day with them does not.
      const before = day.minus({ days: 1 }).toISODate()!;
      expect((await get(providerDay, `/my/consultations?day=${before}`, doctor.token)).body).toMatchObject({
        appointments: [],
        nextBooked: { day: date },
      });
      expect((own.body as { nextBooked: unknown }).nextBooked).toBeNull();

      const [mine] = ((await get(bookings, "/bookings", resident.token)).body as { consultations: { id: number }[] }).consultations;
      expect((await post(services, "/consultations", { intent: "cancel", consultationId: String(mine!.id) }, neighbour.token)).status).toBe(404);
      const cancelled = await post(services, "/consultations", { intent: "cancel", consultationId: String(mine!.id) }, resident.token);
      expect(cancelled.status).toBe(302);
      expect(cancelled.headers.get("Location")).toBe("/consultations?done=cancelled");
      expect((await get(bookings, "/bookings", resident.token)).body).toMatchObject({ consultations: [] });
    });

    it("lets staff keep hours and admins add services; a coordinator adding a service is refused in words", async () => {
      const hours = await post(
        manage,
        "/manage/consultations",
        {
          intent: "hours",
          serviceId: String(service.id),
          providerPersonId: String(doctor.personId),
          weekday: "3",
          startTime: "14:00",
          endTime: "15:00",
          location: "全科诊室",
          fromDate: date,
        },
        coordinator.token,
      );
      expect(hours.status).toBe(200);
      expect(await t.db.select().from(providerHours).where(eq(providerHours.serviceId, service.id))).toHaveLength(2);
      const badHours = await post(
        manage,
        "/manage/consultations",
        {
          intent: "hours",
          serviceId: String(service.id),
          providerPersonId: String(doctor.personId),
          weekday: "9",
          startTime: "25:00",
          endTime: "15:00",
          location: "",
          fromDate: date,
        },
        coordinator.token,
      );
      expect(badHours.status).toBe(400);
      const form = {
        intent: "service",
        kind: "legal",
        nameZh: "法律援助",
        nameEn: "Legal aid",
        skillId: String(service.skillId),
        slotMinutes: "30",
        bufferMinutes: "10",
        bookAheadDays: "14",
        cancelDeadlineMinutes: "120",
        maxUpcoming: "1",
      };
      const refused = await post(manage, "/manage/consultations", form, coordinator.token);
      expect(refused.status).toBe(403);
      expect((await post(manage, "/manage/consultations", form, admin.token)).status).toBe(200);
      expect((await get(manage, "/manage/consultations", resident.token)).status).toBe(403);
    });

    it("a day off over a booking lists it (409, in words) and lands only with the provider's OK, cancelling it", async () => {
      const later = day.plus({ days: 8 });
      const laterDate = later.toISODate()!;
      await giveWeeklyHours(t.db, stationId, coordinator, {
        service,
        provider: doctor,
        day: later,
        from: "16:00",
        to: "17:00",
        location: "全科诊室",
        fromDate: laterDate,
        untilDate: laterDate,
      });
      const startsAt = DateTime.fromISO(`${laterDate}T16:00`, { zone: ZONE }).toJSDate();
      const booked = await bookConsultation(
        t.db,
        { stationId, actor: coordinator },
        { serviceId: service.id, startsAt, personId: resident.personId },
      );
      const form = { intent: "dayOff", serviceId: String(service.id), providerPersonId: String(doctor.personId), localDate: laterDate };
      for (const locale of ["zh-CN", "en"] as const) {
        const refused = await post(manage, "/manage/consultations", form, coordinator.token, {}, locale);
        expect(refused.status).toBe(409);
        const body = refused.body as { formError: string; affected: { lines: string[]; cancel: string; needsProviderOk: boolean } };
        expect(body.formError).toBe(text(locale, "error.consultation_hours_bookings_affected", { count: 1 }));
        expect(body.affected).toMatchObject({ cancel: String(booked.id), needsProviderOk: true });
        expect(body.affected.lines).toHaveLength(1);
        expect(body.affected.lines[0]).toContain("王德福");
        expect(body.affected.lines[0]).toContain("16:00");
        expect(body.affected.lines[0]).toContain(locale === "zh-CN" ? "的预约将被取消" : "will be cancelled");
      }
      // Staff confirming without saying how the provider agreed: 422 in words, nothing written.
      const noOk = await post(manage, "/manage/consultations", { ...form, cancel: String(booked.id) }, coordinator.token, {}, "en");
      expect(noOk.status).toBe(422);
      expect((noOk.body as { formError: string }).formError).toBe(text("en", "error.consultation_hours_provider_ok_required"));
      expect(await t.db.select().from(providerHoursChanges).where(eq(providerHoursChanges.localDate, laterDate))).toHaveLength(0);
      const done = await post(manage, "/manage/consultations", { ...form, cancel: String(booked.id), providerOk: "电话确认" }, coordinator.token);
      expect(done.status).toBe(200);
      expect((await t.db.select().from(consultations).where(eq(consultations.id, booked.id)))[0]!.status).toBe("cancelled");
      expect(await t.db.select().from(providerHoursChanges).where(eq(providerHoursChanges.localDate, laterDate))).toHaveLength(1);
    });

    it("the API ends hours: 409 with the affected bookings' ids in words, then with them confirmed, cancels them", async () => {
      const later = day.plus({ days: 9 });
      const laterDate = later.toISODate()!;
      const { id: hoursId } = await giveWeeklyHours(t.db, stationId, coordinator, {
        service,
        provider: doctor,
        day: later,
        from: "17:00",
        to: "18:00",
        location: "全科诊室",
        fromDate: day.toISODate()!,
        untilDate: laterDate,
      });
      const startsAt = DateTime.fromISO(`${laterDate}T17:00`, { zone: ZONE }).toJSDate();
      const booked = await bookConsultation(
        t.db,
        { stationId, actor: coordinator },
        { serviceId: service.id, startsAt, personId: resident.personId },
      );
      const staffApi = (await createApiToken(t.db, { stationId, accountId: coordinator.accountId }, "desk")).token;
      const doctorApi = (await createApiToken(t.db, { stationId, accountId: doctor.accountId }, "phone")).token;
      // The doctor sees her own hours; the resident none.
      const own = await callApi("api.v1.consultation-hours", "GET", { token: doctorApi });
      expect(own.json.hours.map((h: { id: number }) => h.id)).toContain(hoursId);
      const residentApi = (await createApiToken(t.db, { stationId, accountId: resident.accountId }, "phone")).token;
      expect((await callApi("api.v1.consultation-hours", "GET", { token: residentApi })).json.hours).toEqual([]);

      const params = { id: String(hoursId) };
      const untilDate = later.minus({ days: 1 }).toISODate()!;
      for (const lang of ["zh-CN", "en"]) {
        const refused = await callApi("api.v1.consultation-hours.$id.end", "POST", { token: doctorApi, params, body: { untilDate }, lang });
        expect(refused.status).toBe(409);
        expect(refused.json.error).toMatchObject({ code: "consultation_hours_bookings_affected", params: { count: 1, ids: String(booked.id) } });
        expect(refused.json.error.message).toBe(text(lang as "zh-CN" | "en", "error.consultation_hours_bookings_affected", { count: 1 }));
      }
      const bad = await callApi("api.v1.consultation-hours.$id.end", "POST", {
        token: doctorApi,
        params,
        body: { untilDate: "2026-02-30" },
        lang: "en",
      });
      expect(bad.status).toBe(422);
      // Staff without the provider's OK: 422; the provider herself needs none.
      const noOk = await callApi("api.v1.consultation-hours.$id.end", "POST", { token: staffApi, params, body: { untilDate, cancel: [booked.id] } });
      expect(noOk.status).toBe(422);
      expect(noOk.json.error.code).toBe("consultation_hours_provider_ok_required");
      expect((await t.db.select().from(providerHours).where(eq(providerHours.id, hoursId)))[0]!.untilDate).toBe(laterDate);
      const ended = await callApi("api.v1.consultation-hours.$id.end", "POST", {
        token: doctorApi,
        params,
        body: { untilDate, cancel: [booked.id] },
      });
      expect(ended.status).toBe(200);
      expect(ended.json).toEqual({ id: hoursId, untilDate, cancelled: [booked.id] });
      expect((await t.db.select().from(consultations).where(eq(consultations.id, booked.id)))[0]!.status).toBe("cancelled");
    });

    it("the staff's services page reads every service's providers in one statement, however many services there are", async () => {
      const load = () => countingStatements(t.db, () => get(manage, "/manage/consultations", coordinator.token));
      await load();
      const before = await load();
      expect(before.result.status).toBe(200);
      const added = [];
      for (const name of ["张律师", "陈咨询师"]) {
        const { provider, skillId } = await makeProvider(t.db, stationId, name);
        added.push({
          service: await makeService(t.db, stationId, admin, skillId, { nameZh: `${name}的服务`, nameEn: `${name}'s service` }),
          provider,
        });
      }
      await load();
      const after = await load();
      const listed = (after.result.body as { services: { id: number; providers: { id: number }[] }[] }).services;
      for (const { service: s, provider } of added)
        expect(listed.find((l) => l.id === s.id)?.providers).toEqual([{ id: provider.personId, name: expect.any(String) }]);
      expect(after.statements).toBe(before.statements);
    });
  });
}
