import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makePeople } from "../support/signup-fixtures";
import { makeAvailability, makeBlackout } from "../support/roster-fixtures";
import {
  addBlackout,
  AvailabilityOverlap,
  InvalidAvailability,
  InvalidBlackout,
  listAvailability,
  listBlackouts,
  removeBlackout,
  setWeeklyAvailability,
} from "../../models/rosters/availability";
import { auditLog, availability, blackouts } from "../../models/db/schema";
import { NotAllowed, NotFound } from "../../models/errors";
import type { Actor } from "../../models/permissions";

for (const backend of backends) {
  describe(`availability on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let otherStationId = 0;
    let coordinator: Actor;
    let volunteer: Actor;
    let other: Actor;
    const ctx = (actor: Actor) => ({ stationId, actor });
    const rowsOf = (personId: number) => t.db.select().from(availability).where(eq(availability.personId, personId));
    const auditsOf = (personId: number, action: string) =>
      t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.targetId, personId), eq(auditLog.action, action)));

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      otherStationId = (await ensureStation(t.db, "elsewhere")).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"]);
      volunteer = await makeActor(t.db, stationId, ["volunteer"], "王志愿");
      other = await makeActor(t.db, stationId, ["volunteer"], "李志愿");
    });

    it("replaces the person's windows, sorted by day and time, and audits the change", async () => {
      await makeAvailability(t.db, volunteer.personId, [{ weekday: 5, startTime: "08:00", endTime: "10:00" }]);
      await setWeeklyAvailability(t.db, ctx(volunteer), volunteer.personId, [
        { weekday: 3, startTime: "14:00", endTime: "17:00" },
        { weekday: 1, startTime: "12:00", endTime: "14:00" },
        // Touching the window before it is not an overlap.
        { weekday: 1, startTime: "08:30", endTime: "12:00" },
        { weekday: 7, startTime: "20:00", endTime: "24:00" },
      ]);
      expect(await listAvailability(t.db, stationId, volunteer.personId)).toEqual([
        { weekday: 1, startTime: "08:30", endTime: "12:00" },
        { weekday: 1, startTime: "12:00", endTime: "14:00" },
        { weekday: 3, startTime: "14:00", endTime: "17:00" },
        { weekday: 7, startTime: "20:00", endTime: "24:00" },
      ]);
      const audits = await auditsOf(volunteer.personId, "availability.set");
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({ actorAccountId: volunteer.accountId, stationId, details: { slots: 4 } });
    });

    it("clears every window with an empty list", async () => {
      const [person] = await makePeople(t.db, stationId, 1);
      await makeAvailability(t.db, person!, [{ weekday: 2, startTime: "09:00", endTime: "11:00" }]);
      await setWeeklyAvailability(t.db, ctx(coordinator), person!, []);
      expect(await rowsOf(person!)).toEqual([]);
    });

    const bad: [string, { weekday: number; startTime: string; endTime: string }[], unknown][] = [
      ["weekday 0", [{ weekday: 0, startTime: "09:00", endTime: "10:00" }], new InvalidAvailability("weekday", 0)],
      ["weekday 8", [{ weekday: 8, startTime: "09:00", endTime: "10:00" }], new InvalidAvailability("weekday", 0)],
      ["fractional weekday", [{ weekday: 1.5, startTime: "09:00", endTime: "10:00" }], new InvalidAvailability("weekday", 0)],
      ["start 24:00", [{ weekday: 1, startTime: "24:00", endTime: "24:00" }], new InvalidAvailability("startTime", 0)],
      ["start 9:00", [{ weekday: 1, startTime: "9:00", endTime: "10:00" }], new InvalidAvailability("startTime", 0)],
      ["end 10:60", [{ weekday: 1, startTime: "09:00", endTime: "10:60" }], new InvalidAvailability("endTime", 0)],
      ["end before start", [{ weekday: 1, startTime: "11:00", endTime: "10:00" }], new InvalidAvailability("endTime", 0)],
      ["end equal to start", [{ weekday: 1, startTime: "10:00", endTime: "10:00" }], new InvalidAvailability("endTime", 0)],
      [
        "overlap",
        [
          { weekday: 4, startTime: "09:00", endTime: "12:00" },
          { weekday: 2, startTime: "09:00", endTime: "10:00" },
          { weekday: 4, startTime: "11:59", endTime: "13:00" },
        ],
        new AvailabilityOverlap(4),
      ],
      [
        "a window inside another",
        [
          { weekday: 6, startTime: "08:00", endTime: "18:00" },
          { weekday: 6, startTime: "10:00", endTime: "11:00" },
        ],
        new AvailabilityOverlap(6),
      ],
      [
        "too many windows",
        Array.from({ length: 36 }, (_, i) => ({
          weekday: (i % 7) + 1,
          startTime: `${String(Math.floor(i / 7)).padStart(2, "0")}:00`,
          endTime: `${String(Math.floor(i / 7)).padStart(2, "0")}:30`,
        })),
        new InvalidAvailability("slots", 35),
      ],
    ];
    for (const [name, slots, error] of bad) {
      it(`refuses ${name} and keeps the old windows`, async () => {
        const before = await listAvailability(t.db, stationId, volunteer.personId);
        const audits = (await auditsOf(volunteer.personId, "availability.set")).length;
        const failure = await setWeeklyAvailability(t.db, ctx(volunteer), volunteer.personId, slots).catch((e: unknown) => e);
        expect(failure).toEqual(error);
        expect((failure as { params: unknown }).params).toEqual((error as { params: unknown }).params);
        expect(await listAvailability(t.db, stationId, volunteer.personId)).toEqual(before);
        expect(before.length).toBeGreaterThan(0);
        expect(await auditsOf(volunteer.personId, "availability.set")).toHaveLength(audits);
      });
    }

    it("lets staff edit anyone's windows but a volunteer only their own", async () => {
      await setWeeklyAvailability(t.db, ctx(coordinator), other.personId, [{ weekday: 2, startTime: "09:00", endTime: "10:00" }]);
      expect(await listAvailability(t.db, stationId, other.personId)).toEqual([{ weekday: 2, startTime: "09:00", endTime: "10:00" }]);
      await expect(setWeeklyAvailability(t.db, ctx(volunteer), other.personId, [])).rejects.toBeInstanceOf(NotAllowed);
      expect(await rowsOf(other.personId)).toHaveLength(1);
    });

    it("keeps stations apart: a person of another station is unknown to staff and invisible in lists", async () => {
      const [foreign] = await makePeople(t.db, otherStationId, 1);
      await makeAvailability(t.db, foreign!, [{ weekday: 1, startTime: "09:00", endTime: "10:00" }]);
      await expect(setWeeklyAvailability(t.db, ctx(coordinator), foreign!, [])).rejects.toBeInstanceOf(NotFound);
      await expect(setWeeklyAvailability(t.db, ctx(volunteer), foreign!, [])).rejects.toBeInstanceOf(NotAllowed);
      expect(await rowsOf(foreign!)).toHaveLength(1);
      expect(await listAvailability(t.db, stationId, foreign!)).toEqual([]);
      expect(await listAvailability(t.db, otherStationId, foreign!)).toHaveLength(1);
      await makeBlackout(t.db, foreign!, "2027-01-01");
      expect(await listBlackouts(t.db, stationId, foreign!)).toEqual([]);
    });

    describe("blackouts", () => {
      it("adds a range, lists it, and removes it, with audit rows", async () => {
        const { id } = await addBlackout(t.db, ctx(volunteer), { personId: volunteer.personId, fromDate: "2027-02-10", toDate: "2027-02-17" });
        const single = await addBlackout(t.db, ctx(volunteer), { personId: volunteer.personId, fromDate: "2027-01-05", toDate: "2027-01-05" });
        expect(await listBlackouts(t.db, stationId, volunteer.personId)).toEqual([
          { id: single.id, fromDate: "2027-01-05", toDate: "2027-01-05" },
          { id, fromDate: "2027-02-10", toDate: "2027-02-17" },
        ]);
        // Past ranges drop out of the list when asked from a date on.
        expect((await listBlackouts(t.db, stationId, volunteer.personId, { from: "2027-01-06" })).map((b) => b.id)).toEqual([id]);
        await removeBlackout(t.db, ctx(volunteer), id, { personId: volunteer.personId });
        expect((await listBlackouts(t.db, stationId, volunteer.personId)).map((b) => b.id)).toEqual([single.id]);
        expect(await auditsOf(volunteer.personId, "blackout.add")).toHaveLength(2);
        expect(await auditsOf(volunteer.personId, "blackout.remove")).toHaveLength(1);
      });

      const badRanges: [string, string, string][] = [
        ["to before from", "2027-03-10", "2027-03-09"],
        ["February 30", "2027-02-30", "2027-03-01"],
        ["not a date", "tomorrow", "2027-03-01"],
        ["over a year", "2027-01-01", "2028-01-02"],
        ["year 1999", "1999-12-31", "1999-12-31"],
      ];
      for (const [name, fromDate, toDate] of badRanges) {
        it(`refuses ${name} and writes nothing`, async () => {
          const before = await t.db.select().from(blackouts);
          await expect(addBlackout(t.db, ctx(volunteer), { personId: volunteer.personId, fromDate, toDate })).rejects.toEqual(new InvalidBlackout());
          expect(await t.db.select().from(blackouts)).toEqual(before);
        });
      }

      it("lets staff add and remove another person's, not a volunteer", async () => {
        const { id } = await addBlackout(t.db, ctx(coordinator), { personId: other.personId, fromDate: "2027-04-01", toDate: "2027-04-02" });
        await expect(
          addBlackout(t.db, ctx(volunteer), { personId: other.personId, fromDate: "2027-04-05", toDate: "2027-04-05" }),
        ).rejects.toBeInstanceOf(NotAllowed);
        // Another's blackout id is, to a volunteer, one that does not exist.
        await expect(removeBlackout(t.db, ctx(volunteer), id)).rejects.toBeInstanceOf(NotFound);
        // A page scoped to one person cannot remove another's by a forged id, even for staff.
        await expect(removeBlackout(t.db, ctx(coordinator), id, { personId: volunteer.personId })).rejects.toBeInstanceOf(NotFound);
        expect((await listBlackouts(t.db, stationId, other.personId)).map((b) => b.id)).toEqual([id]);
        await removeBlackout(t.db, ctx(coordinator), id);
        expect(await listBlackouts(t.db, stationId, other.personId)).toEqual([]);
        await expect(removeBlackout(t.db, ctx(coordinator), id)).rejects.toBeInstanceOf(NotFound);
      });

      it("does not reach another station's blackout", async () => {
        const [foreign] = await makePeople(t.db, otherStationId, 1);
        const id = await makeBlackout(t.db, foreign!, "2027-05-01");
        await expect(removeBlackout(t.db, ctx(coordinator), id)).rejects.toBeInstanceOf(NotFound);
        await expect(
          addBlackout(t.db, ctx(coordinator), { personId: foreign!, fromDate: "2027-05-02", toDate: "2027-05-02" }),
        ).rejects.toBeInstanceOf(NotFound);
        expect(await t.db.select().from(blackouts).where(eq(blackouts.personId, foreign!))).toHaveLength(1);
      });
    });
  });
}
