import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { ZONE, makeActor, makePeople } from "../support/signup-fixtures";
import { giveWeeklyHours, makeProvider, makeService } from "../support/consultation-fixtures";
import { createConsultationService, type ConsultationService } from "../../models/consultations/services";
import { changeProviderDay } from "../../models/consultations/hours";
import { slotsOf } from "../../models/consultations/slots";
import { bookConsultation, cancelConsultation, listPersonConsultations } from "../../models/consultations/bookings";
import { expireHolds, joinWaitlist, leaveWaitlist, listPersonWaitlist, listServiceWaitlist } from "../../models/consultations/waitlist";
import { acceptOffer, declineOffer, getOffer } from "../../models/consultations/offers";
import { consultations, consultationWaitlist, notifications } from "../../models/db/schema";
import { mailSettings, renderNotification } from "../../models/notifications/render";
import { resolveRecipient } from "../../models/notifications/recipients";
import { refusal } from "../support/refusal";
import { erasePerson } from "../../models/privacy/erasure";
import type { Actor } from "../../models/permissions";
import { translator } from "../../models/i18n";
import { countApiRows, makeApiUser } from "../support/api-fixtures";
import { callApi, expectError } from "../support/api-requests";
import { domainMessage } from "../../app/lib/domain-error.server";

const MINUTE = 60_000;

for (const backend of backends) {
  describe(`the consultation waitlist on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll }, { poolSize: 4 });
    let stationId = 0;
    let admin: Actor;
    let coordinator: Actor;
    let counsellor: Actor;
    let booker: Actor;
    let first: Actor;
    let second: Actor;
    let stranger: Actor;
    let service: ConsultationService;
    // Three days ahead; the counsellor keeps 09:00–12:00 that weekday.
    const day = DateTime.now().setZone(ZONE).plus({ days: 3 }).startOf("day");
    const date = day.toISODate()!;
    const at = (time: string) => DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toJSDate();
    const ctx = (actor: Actor, now?: Date) => ({ stationId, actor, now });
    const entryOf = async (personId: number) =>
      (await t.db.select().from(consultationWaitlist).where(eq(consultationWaitlist.personId, personId))).sort((a, b) => b.id - a.id)[0];
    const rowsAt = (startsAt: Date) =>
      t.db
        .select({ id: consultations.id, personId: consultations.personId, status: consultations.status })
        .from(consultations)
        .where(and(eq(consultations.serviceId, service.id), eq(consultations.startsAt, startsAt)))
        .orderBy(consultations.id);

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      admin = await makeActor(t.db, stationId, ["admin"], "管理员");
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员");
      const made = await makeProvider(t.db, stationId, "陈老师", { nameZh: "心理" });
      counsellor = made.provider;
      booker = await makeActor(t.db, stationId, ["resident"], "先约者");
      first = await makeActor(t.db, stationId, ["resident"], "排第一");
      second = await makeActor(t.db, stationId, ["resident"], "排第二");
      stranger = await makeActor(t.db, stationId, ["resident"], "旁人");
      service = await makeService(t.db, stationId, admin, made.skillId, {
        kind: "counselling",
        nameZh: "心理咨询",
        nameEn: "Counselling",
        slotMinutes: 45,
        bufferMinutes: 15,
        maxUpcoming: 1,
        holdMinutes: 120,
      });
      await giveWeeklyHours(t.db, stationId, counsellor, { service, provider: counsellor, day, from: "09:00", to: "12:00", location: "二号谈话室" });
    });

    it("refuses bad days, strangers and unknown services, in both languages, and writes nothing", async () => {
      const today = DateTime.now().setZone(ZONE);
      const cases: [Record<string, unknown>, string][] = [
        [{ fromDate: today.minus({ days: 1 }).toISODate() }, "fromDate"],
        [{ fromDate: date, toDate: today.plus({ days: 1 }).toISODate() }, "toDate"],
        [{ toDate: today.plus({ days: 15 }).toISODate() }, "toDate"],
        [{ fromDate: "2026-02-30" }, "fromDate"],
        [{ providerPersonId: stranger.personId }, "providerId"],
      ];
      for (const [input, field] of cases) {
        const refused = await refusal(joinWaitlist(t.db, ctx(first), { serviceId: service.id, personId: first.personId, ...input }));
        expect(refused.code).toBe("consultation_waitlist_input_invalid");
        expect(refused.params).toEqual({ field, days: 14 });
        for (const locale of ["zh-CN", "en"] as const)
          expect(domainMessage(refused, translator(locale))).toMatch(locale === "en" ? /14 days/ : /14 天/);
      }
      // Someone they may not act for, and a service that is not this station's: as if absent.
      expect((await refusal(joinWaitlist(t.db, ctx(stranger), { serviceId: service.id, personId: first.personId }))).status).toBe(404);
      expect((await refusal(joinWaitlist(t.db, ctx(first), { serviceId: 999_999, personId: first.personId }))).status).toBe(404);
      const other = (await ensureStation(t.db, "other-waitlist")).id;
      expect(
        (await refusal(joinWaitlist(t.db, { stationId: other, actor: first }, { serviceId: service.id, personId: first.personId }))).status,
      ).toBe(404);
      expect(await t.db.select().from(consultationWaitlist)).toEqual([]);
      // The service's hold: 15 minutes to a day.
      const hold = { ...service, kind: "counselling", nameZh: "短保留", nameEn: "Short hold", holdMinutes: 5 };
      expect((await refusal(createConsultationService(t.db, ctx(admin), hold))).params).toEqual({ field: "holdMinutes" });
      expect(service.holdMinutes).toBe(120);
    });

    it("answers bad input to the API with a 4xx in the caller's language, and writes nothing", async () => {
      const caller = await makeApiUser(t.db, stationId, ["resident"], "接口");
      const today = DateTime.now().setZone(ZONE);
      const wait = (body: unknown, lang: string, id = service.id) =>
        callApi("api.v1.consultation-services.$id.waitlist", "POST", { token: caller.token, params: { id: String(id) }, body, lang });
      const before = await countApiRows(t.db);
      const bad: [unknown, number, string][] = [
        [{ fromDate: today.minus({ days: 2 }).toISODate() }, 422, "consultation_waitlist_input_invalid"],
        [{ fromDate: today.plus({ days: 5 }).toISODate(), toDate: today.plus({ days: 3 }).toISODate() }, 422, "consultation_waitlist_input_invalid"],
        [{ toDate: today.plus({ days: 40 }).toISODate() }, 422, "consultation_waitlist_input_invalid"],
        [{ fromDate: "next tuesday" }, 422, "invalid_input"],
      ];
      for (const [body, status, code] of bad) {
        const zh = expectError(await wait(body, "zh-CN"), status);
        const en = expectError(await wait(body, "en"), status);
        if (code !== "invalid_input") {
          expect([zh.code, en.code]).toEqual([code, code]);
          expect(zh.message).toContain("14 天");
          expect(en.message).toContain("14 days");
        }
        expect(zh.message).toMatch(/[\u4e00-\u9fff]/);
        expect(en.message).not.toMatch(/[\u4e00-\u9fff]/);
      }
      expectError(await wait({}, "en", 999_999), 404);
      expect(await countApiRows(t.db)).toEqual(before);
      expect(await t.db.select().from(consultationWaitlist)).toEqual([]);
    });

    it("keeps one active entry per person and service, defaults to every bookable day, and staff see the line", async () => {
      const entry = await joinWaitlist(t.db, ctx(first), { serviceId: service.id, personId: first.personId });
      expect(entry).toMatchObject({
        fromDate: DateTime.now().setZone(ZONE).toISODate(),
        toDate: DateTime.now().setZone(ZONE).plus({ days: 14 }).toISODate(),
      });
      expect((await refusal(joinWaitlist(t.db, ctx(first), { serviceId: service.id, personId: first.personId, toDate: date }))).code).toBe(
        "consultation_already_waiting",
      );
      // Staff put someone on the line for them (a phone call), for that one day.
      await joinWaitlist(t.db, ctx(coordinator), { serviceId: service.id, personId: second.personId, fromDate: date, toDate: date });
      expect((await listServiceWaitlist(t.db, ctx(coordinator), service.id)).map((e) => e.personName)).toEqual(["排第一", "排第二"]);
      expect((await refusal(listServiceWaitlist(t.db, ctx(first), service.id))).status).toBe(404);
      expect((await refusal(listPersonWaitlist(t.db, ctx(stranger), first.personId))).status).toBe(404);
    });

    it("holds a cancelled slot for the first in line, nobody else can book it, and they accept it", async () => {
      const booked = await bookConsultation(t.db, ctx(booker), {
        serviceId: service.id,
        startsAt: at("09:00"),
        personId: booker.personId,
        topic: "私事",
      });
      await cancelConsultation(t.db, ctx(booker), booked.id);
      const [, held] = await rowsAt(at("09:00"));
      expect(held).toMatchObject({ personId: first.personId, status: "held" });
      expect((await entryOf(first.personId))!.status).toBe("offered");
      // Shown as taken, and refused to anyone else (the engine's index, not only the list).
      const slot = (await slotsOf(t.db, service, { fromDate: date, toDate: date, now: new Date() })).find(
        (s) => s.startsAt.getTime() === at("09:00").getTime(),
      );
      expect(slot!.free).toBe(false);
      expect(
        (await refusal(bookConsultation(t.db, ctx(stranger), { serviceId: service.id, startsAt: at("09:00"), personId: stranger.personId }))).code,
      ).toBe("consultation_slot_unavailable");
      const direct = await t.db
        .insert(consultations)
        .values({
          stationId,
          serviceId: service.id,
          providerPersonId: counsellor.personId,
          personId: stranger.personId,
          startsAt: at("09:00"),
          endsAt: at("09:45"),
          location: "x",
        })
        .then(
          () => "inserted",
          (e: unknown) => String((e as { cause?: { code?: string } }).cause?.code),
        );
      expect(direct).toBe("23505");
      // The offer is theirs and not a booking yet: not in their consultations, but on their waitlist.
      expect(await listPersonConsultations(t.db, ctx(first), first.personId, new Date())).toEqual([]);
      const [mine] = await listPersonWaitlist(t.db, ctx(first), first.personId);
      expect(mine!.offer).toMatchObject({ id: held!.id, location: "二号谈话室", providerName: "陈老师" });
      expect(mine!.offer!.heldUntil.getTime()).toBeLessThanOrEqual(Date.now() + 120 * MINUTE + 5_000);
      expect((await refusal(getOffer(t.db, ctx(stranger), held!.id))).status).toBe(404);
      expect((await refusal(acceptOffer(t.db, ctx(stranger), held!.id))).status).toBe(404);

      // The mail: "咨询空位" with the time, the place and the hold; never the service or a topic.
      const [mail] = await t.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.consultationId, held!.id), eq(notifications.kind, "consultation_offer")));
      const settings = mailSettings({ MAIL_FROM: "驿站 <no-reply@hearth.test>", PUBLIC_URL: "https://station.example", PORT: 3000 });
      const decision = await resolveRecipient(t.db, { kind: mail!.kind, personId: mail!.personId, signupId: null });
      if (!decision.ok) throw new Error(decision.reason);
      for (const locale of ["zh-CN", "en"] as const) {
        const out = await renderNotification({ db: t.db, row: mail!, recipient: { ...decision.recipient, locale }, settings });
        if (!("mail" in out)) throw new Error(JSON.stringify(out));
        expect(out.mail.subject).toMatch(locale === "en" ? /^Consultation slot free · / : /^咨询空位 · \d+月\d+日/);
        expect(`${out.mail.subject}${out.mail.text}`).not.toMatch(/心理|Counsel|私事/);
        expect(out.mail.text).toContain("二号谈话室");
        expect(out.mail.text).toContain(`/consultations/offers/${held!.id}`);
      }

      await acceptOffer(t.db, ctx(first), held!.id, { topic: "睡不好" });
      expect((await rowsAt(at("09:00"))).map((r) => r.status)).toEqual(["cancelled", "booked"]);
      expect((await entryOf(first.personId))!.status).toBe("booked");
      expect((await listPersonConsultations(t.db, ctx(first), first.personId, new Date())).map((c) => c.topic)).toEqual(["睡不好"]);
      expect((await refusal(acceptOffer(t.db, ctx(first), held!.id))).code).toBe("consultation_offer_gone");
    });

    it("passes a declined slot to the next, and a run-out hold too (the one who let it run out leaves the line), never back to a decliner", async () => {
      await joinWaitlist(t.db, ctx(stranger), { serviceId: service.id, personId: stranger.personId });
      const booked = await bookConsultation(t.db, ctx(booker), { serviceId: service.id, startsAt: at("10:00"), personId: booker.personId });
      await cancelConsultation(t.db, ctx(booker), booked.id);
      // 排第一 now holds a booking; 排第二 is next (they wait for this very day).
      const held = (await rowsAt(at("10:00"))).find((r) => r.status === "held")!;
      expect(held.personId).toBe(second.personId);
      await declineOffer(t.db, ctx(coordinator), held.id);
      const next = (await rowsAt(at("10:00"))).find((r) => r.status === "held")!;
      expect(next.personId).toBe(stranger.personId);
      expect((await entryOf(second.personId))!.status).toBe("waiting");
      // Its time runs out: the worker passes it on — not back to 排第二, who declined this very
      // slot (still waiting, in their place, for another time) — so, nobody else waiting, it is free.
      expect(await expireHolds(t.db, new Date(Date.now() + 3 * 60 * MINUTE))).toBe(1);
      expect((await entryOf(stranger.personId))!.status).toBe("lapsed");
      expect((await rowsAt(at("10:00"))).some((r) => r.status === "held")).toBe(false);
      expect((await entryOf(second.personId))!.status).toBe("waiting");
      expect(await leaveWaitlist(t.db, ctx(second), { serviceId: service.id, personId: second.personId })).toBe(true);
      const slot = (await slotsOf(t.db, service, { fromDate: date, toDate: date, now: new Date() })).find(
        (s) => s.startsAt.getTime() === at("10:00").getTime(),
      );
      expect(slot!.free).toBe(true);
    });

    it("with nobody waiting the slot is free at once, and the booking limit still applies on accepting", async () => {
      const booked = await bookConsultation(t.db, ctx(booker), { serviceId: service.id, startsAt: at("11:00"), personId: booker.personId });
      await cancelConsultation(t.db, ctx(booker), booked.id);
      expect((await rowsAt(at("11:00"))).map((r) => r.status)).toEqual(["cancelled"]);
      // 排第一 holds a booking (limit 1); a waitlist entry for them, offered a slot, cannot accept it.
      const [extra] = await makePeople(t.db, stationId, 1, "再约");
      await bookConsultation(t.db, ctx(coordinator), { serviceId: service.id, startsAt: at("11:00"), personId: extra! });
      await joinWaitlist(t.db, ctx(first), { serviceId: service.id, personId: first.personId });
      await cancelConsultation(t.db, ctx(coordinator), (await rowsAt(at("11:00"))).find((r) => r.status === "booked")!.id);
      const held = (await rowsAt(at("11:00"))).find((r) => r.status === "held")!;
      expect(held.personId).toBe(first.personId);
      expect((await refusal(acceptOffer(t.db, ctx(first), held.id))).code).toBe("consultation_limit");
    });
    it("an erasure frees its person's slots to the line and takes them off every line", async () => {
      const [gone, waiting] = await makePeople(t.db, stationId, 2, "擦除");
      const booked = await bookConsultation(t.db, ctx(coordinator), { serviceId: service.id, startsAt: at("10:00"), personId: gone! });
      await joinWaitlist(t.db, ctx(coordinator), { serviceId: service.id, personId: waiting!, fromDate: date, toDate: date });
      await erasePerson(t.db, ctx(coordinator), gone!, { via: "phone" });
      expect((await rowsAt(at("10:00"))).filter((r) => r.id >= booked.id).map((r) => [r.personId, r.status])).toEqual([
        [gone, "cancelled"],
        [waiting, "held"],
      ]);
      // Erased while holding it: the hold passes on (nobody else waits: the slot is free).
      await erasePerson(t.db, ctx(coordinator), waiting!, { via: "phone" });
      expect((await entryOf(waiting!))!.status).toBe("left");
      expect((await rowsAt(at("10:00"))).some((r) => r.status === "held")).toBe(false);
    });
    it("refuses, not fails, a held slot whose day of hours left the ledger behind the page's check", async () => {
      // The trigger's own check (ADR 27) is the last word: here the ledger's day of hours no longer
      // covers 10:00 (as when hours end between the page's check and the update), while
      // provider_hours still shows it. (The day keeps 09:00–10:00 for the next test.)
      const later = day.plus({ weeks: 1 });
      const startsAt = later.set({ hour: 10 }).toJSDate();
      const [holder, waiter] = await makePeople(t.db, stationId, 2, "账外");
      await joinWaitlist(t.db, ctx(coordinator), { serviceId: service.id, personId: waiter! });
      const booked = await bookConsultation(t.db, ctx(coordinator), { serviceId: service.id, startsAt, personId: holder! });
      await cancelConsultation(t.db, ctx(coordinator), booked.id);
      const held = (await rowsAt(startsAt)).find((r) => r.status === "held")!;
      await t.db.execute(sql`
        UPDATE commitments SET during = tstzrange(lower(during), lower(during) + interval '1 hour', '[)')
        WHERE person_id = ${counsellor.personId} AND kind = 'hours' AND local_date = ${later.toISODate()!}::date`);
      expect((await refusal(acceptOffer(t.db, ctx(coordinator), held.id))).code).toBe("consultation_slot_unavailable");
    });

    it("lets a held slot go when a day off takes it out of the hours, the person keeping their place", async () => {
      const later = day.plus({ weeks: 1 });
      const startsAt = later.set({ hour: 9 }).toJSDate();
      const [holder, waiter] = await makePeople(t.db, stationId, 2, "改时间");
      await joinWaitlist(t.db, ctx(coordinator), { serviceId: service.id, personId: waiter! });
      const booked = await bookConsultation(t.db, ctx(coordinator), { serviceId: service.id, startsAt, personId: holder! });
      await cancelConsultation(t.db, ctx(coordinator), booked.id);
      const held = (await rowsAt(startsAt)).find((r) => r.status === "held")!;
      expect(held.personId).toBe(waiter);
      await changeProviderDay(t.db, ctx(coordinator), {
        serviceId: service.id,
        providerPersonId: counsellor.personId,
        localDate: later.toISODate()!,
        kind: "off",
      });
      expect((await refusal(acceptOffer(t.db, ctx(coordinator), held.id))).code).toBe("consultation_offer_gone");
      expect((await entryOf(waiter!))!.status).toBe("waiting");
    });
  });
}
