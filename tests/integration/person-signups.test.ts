import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { listPersonSignups, signUp } from "../../models/signups";

/** A person's bookings list their waitlist positions, counted in the list's one statement. */
for (const backend of backends) {
  describe(`a person's signups on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });

    it("gives each waitlisted booking its own position and the confirmed ones none", async () => {
      const stationId = (await ensureStation(t.db)).id;
      const coordinator = await makeActor(t.db, stationId, ["coordinator"]);
      const [other1, other2, me] = await makePeople(t.db, stationId, 3);
      const book = (sessionId: number, personId: number) => signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId, partySize: 1 });
      // Session A: full before me, one ahead of me on the list: I am second.
      const a = await makeSession(t.db, stationId, { capacity: 1, daysAhead: 3, title: "甲" });
      await book(a.sessionId, other1!);
      await book(a.sessionId, other2!);
      const mineA = await book(a.sessionId, me!);
      // Session B: full, I am first on its list. Session C: I have a place.
      const b = await makeSession(t.db, stationId, { capacity: 1, daysAhead: 4, title: "乙" });
      await book(b.sessionId, other1!);
      const mineB = await book(b.sessionId, me!);
      const c = await makeSession(t.db, stationId, { capacity: 5, daysAhead: 5, title: "丙" });
      const mineC = await book(c.sessionId, me!);

      const list = await listPersonSignups(t.db, stationId, me!);
      const byId = new Map(list.map((s) => [s.id, s]));
      expect(byId.get(mineA.id)).toMatchObject({ status: "waitlisted", waitlistPosition: 2 });
      expect(byId.get(mineB.id)).toMatchObject({ status: "waitlisted", waitlistPosition: 1 });
      expect(byId.get(mineC.id)).toMatchObject({ status: "confirmed", waitlistPosition: null });
      expect(list).toHaveLength(3);
    });
  });
}
