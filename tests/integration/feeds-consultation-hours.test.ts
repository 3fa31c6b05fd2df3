/**
 * Consultations' open hours in the public feeds (issue 12): "法律援助（可预约）" at the hours and
 * room, joined across providers, never a provider's or a client's name nor a topic; gone on a
 * day off and past how far ahead the service can be booked; and any change to the hours moves
 * the feed's ETag and the station's calendar version (the page cache's key).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { ZONE, makeActor } from "../support/signup-fixtures";
import { makeSkill } from "../support/roster-fixtures";
import { iso, parseAll } from "./feeds-parsers";
import type { ConsultationService } from "../../models/consultations/services";
import { giveWeeklyHours, makeService } from "../support/consultation-fixtures";
import { changeProviderDay } from "../../models/consultations/hours";
import { bookConsultation } from "../../models/consultations/bookings";
import { slotsOf } from "../../models/consultations/slots";
import { publicHours } from "../../models/consultations/public-hours";
import { buildFeed, feedVersion } from "../../models/feeds";
import { calendarVersion } from "../../models/calendar-cache";
import { personSkills } from "../../models/db/schema";
import type { Actor } from "../../models/permissions";

for (const backend of backends) {
  describe(`consultation hours in the public feeds on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll }, { poolSize: 4 });
    let stationId = 0;
    let admin: Actor;
    let lawyer: Actor;
    let secondLawyer: Actor;
    let resident: Actor;
    let service: ConsultationService;
    // Two days ahead, and the same weekday a week later; the service books 10 days ahead.
    const today = DateTime.now().setZone(ZONE).startOf("day");
    const day = today.plus({ days: 2 });
    const date = day.toISODate()!;
    const nextWeek = day.plus({ days: 7 }).toISODate()!;
    const at = (d: string, time: string) => DateTime.fromISO(`${d}T${time}`, { zone: ZONE }).toJSDate();
    const ctx = (actor: Actor) => ({ stationId, actor });
    const feed = (categorySlug?: string) => buildFeed(t.db, { stationId, timeZone: ZONE, categorySlug, baseUrl: "https://hearth.example" });
    const etag = async () => (await feedVersion(t.db, { stationId, timeZone: ZONE })).etag;
    const hoursEvents = (text: string) =>
      Object.values(parseAll(text)[0]!.events).filter((e) => e.uid.startsWith("hours-") && e.summary === "法律援助（可预约）");

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      admin = await makeActor(t.db, stationId, ["admin"], "管理员");
      lawyer = await makeActor(t.db, stationId, ["volunteer"], "李律师甲");
      secondLawyer = await makeActor(t.db, stationId, ["volunteer"], "赵律师乙");
      resident = await makeActor(t.db, stationId, ["resident"], "王阿姨丙");
      const skillId = await makeSkill(t.db, stationId, { restricted: false, nameZh: "律师" });
      await t.db.insert(personSkills).values([
        { personId: lawyer.personId, skillId },
        { personId: secondLawyer.personId, skillId },
      ]);
      service = await makeService(t.db, stationId, admin, skillId, { bookAheadDays: 10, cancelDeadlineMinutes: 60, maxUpcoming: 2 });
      // 李 keeps 14:00–16:00 and 赵 15:00–17:00 in the same room: the public sees 14:00–17:00.
      for (const [who, from, to] of [
        [lawyer, "14:00", "16:00"],
        [secondLawyer, "15:00", "17:00"],
      ] as const) {
        await giveWeeklyHours(t.db, stationId, who, { service, provider: who, day, from, to, location: "法律服务室", fromDate: today.toISODate()! });
      }
      const [slot] = await slotsOf(t.db, service, { fromDate: date, toDate: date, now: new Date(), providerPersonId: lawyer.personId });
      await bookConsultation(t.db, ctx(resident), {
        serviceId: service.id,
        providerPersonId: lawyer.personId,
        startsAt: slot!.startsAt,
        personId: resident.personId,
        topic: "遗产纠纷咨询丁",
      });
    });

    it("joins the providers' hours at one place into one line per day, within the days the service can be booked", async () => {
      const lines = await publicHours(t.db, { stationId, zone: ZONE, fromDate: today.toISODate()!, toDate: today.plus({ days: 30 }).toISODate()! });
      // The weekday two days ahead, and a week later; two weeks later is past the 10 bookable days.
      expect(lines.map((l) => [l.date, l.location, iso(l.startsAt), iso(l.endsAt)])).toEqual([
        [date, "法律服务室", iso(at(date, "14:00")), iso(at(date, "17:00"))],
        [nextWeek, "法律服务室", iso(at(nextWeek, "14:00")), iso(at(nextWeek, "17:00"))],
      ]);
    });

    it("puts them in the station's feed and the 咨询 category's, with no name or topic, and not in another category's", async () => {
      const text = await feed();
      for (const parsed of parseAll(text)) {
        const events = Object.values(parsed.events).filter((e) => e.uid.startsWith("hours-"));
        expect(
          events.map((e) => [e.summary, e.start, e.end]),
          parsed.parser,
        ).toEqual([
          ["法律援助（可预约）", iso(at(date, "14:00")), iso(at(date, "17:00"))],
          ["法律援助（可预约）", iso(at(nextWeek, "14:00")), iso(at(nextWeek, "17:00"))],
        ]);
      }
      expect(text).toContain("LOCATION:法律服务室");
      for (const secret of ["李律师甲", "赵律师乙", "王阿姨丙", "遗产纠纷咨询丁"]) expect(text).not.toContain(secret);
      expect(hoursEvents(await feed("consultation"))).toHaveLength(2);
      expect(hoursEvents(await feed("tai-chi"))).toHaveLength(0);
    });

    it("leaves a day out when every provider is off, and the ETag and calendar version move with each change", async () => {
      const [etagBefore, versionBefore] = [await etag(), await calendarVersion(t.db, stationId)];
      await changeProviderDay(t.db, ctx(lawyer), { serviceId: service.id, providerPersonId: lawyer.personId, localDate: nextWeek, kind: "off" });
      const [etagOneOff, versionOneOff] = [await etag(), await calendarVersion(t.db, stationId)];
      expect(etagOneOff).not.toBe(etagBefore);
      expect(versionOneOff).toBeGreaterThan(versionBefore);
      // 赵 still keeps 15:00–17:00 that day.
      expect(hoursEvents(await feed()).map((e) => [e.start, e.end])).toEqual([
        [iso(at(date, "14:00")), iso(at(date, "17:00"))],
        [iso(at(nextWeek, "15:00")), iso(at(nextWeek, "17:00"))],
      ]);
      await changeProviderDay(t.db, ctx(secondLawyer), {
        serviceId: service.id,
        providerPersonId: secondLawyer.personId,
        localDate: nextWeek,
        kind: "off",
      });
      expect(await etag()).not.toBe(etagOneOff);
      expect(hoursEvents(await feed()).map((e) => e.start)).toEqual([iso(at(date, "14:00"))]);
      // Nothing changed, nothing moves.
      expect(await etag()).toBe(await etag());
    });
  });
}
