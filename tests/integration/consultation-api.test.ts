// Issue 12's contract for the consultation API: slots with stable ids, booking a slot by its id,
// the refusals' codes (slot_taken, slot_past, booking_limit, person_conflict with the clash
// named), bad topics and strangers, and 我的咨询's canCancel agreeing with DELETE.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { ZONE, makeActor, makeSession } from "../support/signup-fixtures";
import { makeApiUser, type ApiUser } from "../support/api-fixtures";
import { callApi, expectError } from "../support/api-requests";
import type { ConsultationService } from "../../models/consultations/services";
import { giveWeeklyHours, makeProvider, makeService } from "../support/consultation-fixtures";
import { parseSlotId, slotIdOf } from "../../models/consultations/slot-ids";
import { signUp } from "../../models/signups";
import { consultationServices, consultations } from "../../models/db/schema";
import type { Actor } from "../../models/permissions";

type SlotJson = { id: string; startsAt: string; endsAt: string; providerId: number; providerName: string; free: boolean };

for (const backend of backends) {
  describe(`the consultation API contract on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let lawyer: Actor;
    let service: ConsultationService;
    let resident: ApiUser;
    let neighbour: ApiUser;
    let coordinator: ApiUser;
    // Three days ahead (the day makeSession's session is on, 09:00): the lawyer keeps 09:00–11:00.
    const day = DateTime.now().setZone(ZONE).plus({ days: 3 }).startOf("day");
    const date = day.toISODate()!;
    const at = (time: string) => DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toJSDate();
    const slotAt = (time: string) => slotIdOf({ serviceId: service.id, providerPersonId: lawyer.personId, startsAt: at(time) });
    const count = async () => (await t.db.select({ n: sql<number>`count(*)::int` }).from(consultations))[0]!.n;
    const book = (user: ApiUser, id: string, body: unknown = {}, lang?: string) =>
      callApi("api.v1.consultation-slots.$id.booking", "POST", { token: user.token, params: { id }, body, lang });
    const slots = async (user: ApiUser, query = `from=${date}&to=${date}`) => {
      const res = await callApi("api.v1.consultation-services.$id.slots", "GET", { token: user.token, params: { id: String(service.id) }, query });
      expect(res.status, res.text).toBe(200);
      return (res.json as { slots: SlotJson[] }).slots;
    };

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      const admin = await makeActor(t.db, stationId, ["admin"], "管理员");
      resident = await makeApiUser(t.db, stationId, ["resident"], "接口居民");
      neighbour = await makeApiUser(t.db, stationId, ["resident"], "接口邻居");
      coordinator = await makeApiUser(t.db, stationId, ["coordinator"], "接口协调员");
      const made = await makeProvider(t.db, stationId, "接口律师", { nameZh: "法律" });
      lawyer = made.provider;
      service = await makeService(t.db, stationId, admin, made.skillId, { cancelDeadlineMinutes: 120, maxUpcoming: 1 });
      await giveWeeklyHours(t.db, stationId, admin, { service, provider: lawyer, day, from: "09:00", to: "11:00", location: "法律服务室" });
    });

    it("lists the asked day's slots with ids that name the same slot on every call", async () => {
      const first = await slots(resident);
      expect(first.map((s) => s.startsAt)).toEqual(["09:00", "09:30", "10:00", "10:30"].map((h) => `${date}T${h}:00+08:00`));
      expect(first[0]).toEqual({
        id: slotAt("09:00"),
        startsAt: `${date}T09:00:00+08:00`,
        endsAt: `${date}T09:30:00+08:00`,
        providerId: lawyer.personId,
        providerName: "接口律师",
        location: "法律服务室",
        free: true,
      });
      expect(parseSlotId(first[0]!.id)).toEqual({ serviceId: service.id, providerPersonId: lawyer.personId, startsAt: at("09:00") });
      // Another caller, another call: the same ids.
      expect((await slots(coordinator)).map((s) => s.id)).toEqual(first.map((s) => s.id));
      // A day without hours lists none; the days are reversed: 422.
      expect(await slots(resident, `from=${day.plus({ days: 1 }).toISODate()}&to=${day.plus({ days: 1 }).toISODate()}`)).toEqual([]);
      const reversed = await callApi("api.v1.consultation-services.$id.slots", "GET", {
        token: resident.token,
        params: { id: String(service.id) },
        query: `from=${date}&to=${day.minus({ days: 1 }).toISODate()}`,
      });
      expect(expectError(reversed, 422, "invalid_input").fields).toHaveProperty("to");
    });

    it("refuses a bad topic, a stranger, a past slot and a made-up id, and writes nothing", async () => {
      const before = await count();
      const long = expectError(await book(resident, slotAt("10:30"), { topic: "字".repeat(10_000) }), 422, "invalid_input");
      expect(long.fields).toHaveProperty("topic");
      expect(long.message).toContain("topic");
      expect(expectError(await book(resident, slotAt("10:30"), { topic: "遗嘱\u0007" }), 422, "invalid_input").fields).toHaveProperty("topic");
      // Someone the caller may not act for: as if they did not exist.
      expectError(await book(neighbour, slotAt("10:30"), { personId: resident.personId }), 404, "not_found");
      const yesterday = slotIdOf({
        serviceId: service.id,
        providerPersonId: lawyer.personId,
        startsAt: DateTime.now().minus({ days: 1 }).toJSDate(),
      });
      const past = expectError(await book(resident, yesterday, {}, "en"), 409, "slot_past");
      expect(past.message).toMatch(/already begun or passed/);
      expectError(await book(resident, "12-nonsense"), 404, "not_found");
      expectError(await book(resident, `${service.id}-${lawyer.personId}-20261399T0900Z`), 404, "not_found");
      expect(await count()).toBe(before);
    });

    it("books a slot by its id; then slot_taken, booking_limit and person_conflict naming the clash", async () => {
      const booked = await book(resident, slotAt("09:30"), { topic: "遗嘱怎么写" });
      expect(booked.status, booked.text).toBe(201);
      expect(booked.json).toMatchObject({ id: expect.any(Number), status: "confirmed", personId: resident.personId, topic: "遗嘱怎么写" });
      expect((await slots(resident)).find((s) => s.id === slotAt("09:30"))!.free).toBe(false);

      expectError(await book(neighbour, slotAt("09:30")), 409, "slot_taken");
      expect(expectError(await book(resident, slotAt("10:00")), 409, "booking_limit").params).toEqual({ max: 1 });

      // The neighbour is signed up for the session at 09:00 that day: the slot at 09:00 clashes, told by name.
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 5, title: "接口义诊" });
      await signUp(
        t.db,
        { stationId, actor: { accountId: neighbour.accountId, personId: neighbour.personId, roles: ["resident"] } },
        {
          sessionId,
          personId: neighbour.personId,
          partySize: 1,
        },
      );
      const clash = expectError(await book(neighbour, slotAt("09:00")), 409, "person_conflict");
      expect(clash.params).toMatchObject({ kind: "attending", title: "接口义诊", name: "接口邻居" });
      expect(clash.message).toContain("接口义诊");
      expect((await slots(resident)).find((s) => s.id === slotAt("09:00"))!.free).toBe(true);
    });

    it("我的咨询 says whether each booking may be cancelled, as DELETE /consultation-bookings/{id} then does", async () => {
      const listed = async () => {
        const mine = await callApi("api.v1.me.consultations", "GET", { token: resident.token });
        expect(mine.status, mine.text).toBe(200);
        const rows = (mine.json as { consultations: { id: number; startsAt: string; status: string; canCancel: boolean }[] }).consultations;
        return rows.find((r) => r.startsAt === `${date}T09:30:00+08:00` && r.status === "confirmed")!;
      };
      const cancel = (id: number) => callApi("api.v1.consultation-bookings.$id", "DELETE", { token: resident.token, params: { id: String(id) } });
      expect(await listed()).toMatchObject({ status: "confirmed", canCancel: true });
      // The station now wants four days' notice: the booking three days ahead is past its deadline.
      await t.db
        .update(consultationServices)
        .set({ cancelDeadlineMinutes: 4 * 24 * 60 })
        .where(eq(consultationServices.id, service.id));
      const late = await listed();
      expect(late.canCancel).toBe(false);
      expectError(await cancel(late.id), 409, "consultation_cancel_too_late");
      await t.db.update(consultationServices).set({ cancelDeadlineMinutes: 120 }).where(eq(consultationServices.id, service.id));
      expect((await listed()).canCancel).toBe(true);
      const cancelled = await cancel(late.id);
      expect(cancelled.status, cancelled.text).toBe(200);
      expect(cancelled.json).toMatchObject({ id: late.id, status: "cancelled" });
      expect((await slots(resident)).find((s) => s.id === slotAt("09:30"))!.free).toBe(true);
    });
  });
}
