// 代人报名 for a walk-in: registering the person and booking them is one transaction. A
// failure after the person was written (here a trigger that refuses the signup row, standing
// in for anything that can fail inside the signup statement) leaves no person behind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { bookWalkIn } from "../../models/walk-ins";
import { createPerson } from "../../models/people";
import { signUp } from "../../models/signups";
import { auditLog, people, signups } from "../../models/db/schema";
import { AlreadySignedUp, PartyTooLarge } from "../../models/errors";
import type { Actor } from "../../models/permissions";

const DOOMED = "触发失败的来电者";

for (const backend of backends) {
  describe(`walk-in booking on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Actor;
    const peopleNamed = async (name: string) => t.db.select({ id: people.id }).from(people).where(eq(people.fullName, name));
    const personAudits = async () => (await t.db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.action, "person.create"))).length;

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"]);
      // A signup for this one name fails inside the signup statement, after the person exists.
      await t.db.execute(
        sql.raw(`
        CREATE FUNCTION refuse_doomed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF (SELECT full_name FROM people WHERE id = NEW.person_id) = '${DOOMED}' THEN
            RAISE EXCEPTION 'refused for the test';
          END IF;
          RETURN NEW;
        END $$`),
      );
      await t.db.execute(sql`CREATE TRIGGER refuse_doomed BEFORE INSERT ON signups FOR EACH ROW EXECUTE FUNCTION refuse_doomed()`);
    });

    it("registers and books a new caller, and books the same person again rather than a twin", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 5 });
      const ctx = { stationId, actor: coordinator };
      const first = await bookWalkIn(t.db, ctx, {
        sessionId,
        partySize: 2,
        person: { newPerson: { fullName: "来电的林阿姨", phone: "139 1234-0001" } },
      });
      expect(first).toMatchObject({ status: "confirmed", partySize: 2, name: "来电的林阿姨" });
      const { sessionId: next } = await makeSession(t.db, stationId, { capacity: 5, daysAhead: 4 });
      const again = await bookWalkIn(t.db, ctx, {
        sessionId: next,
        partySize: 1,
        person: { newPerson: { fullName: "来电的林阿姨", phone: "13912340001" } },
      });
      expect(again.personId).toBe(first.personId);
      expect(await peopleNamed("来电的林阿姨")).toHaveLength(1);
    });

    it("a failure after the person is written leaves no person, no audit row and no signup", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 5 });
      const audits = await personAudits();
      await expect(
        bookWalkIn(t.db, { stationId, actor: coordinator }, { sessionId, partySize: 1, person: { newPerson: { fullName: DOOMED } } }),
      ).rejects.toThrow();
      expect(await peopleNamed(DOOMED)).toEqual([]);
      expect(await personAudits()).toBe(audits);
      expect(await t.db.select().from(signups).where(eq(signups.sessionId, sessionId))).toEqual([]);
    });

    it("negative control: the same two steps apart (as the page once did) leave a stray person", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 5 });
      const ctx = { stationId, actorAccountId: coordinator.accountId };
      const personId = await createPerson(t.db, ctx, { fullName: DOOMED });
      await expect(signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId, partySize: 1 })).rejects.toThrow();
      expect(await peopleNamed(DOOMED)).toHaveLength(1);
      await t.db.delete(people).where(eq(people.id, personId));
    });

    it("refuses before writing anything when the booking cannot happen, and names an existing signup", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 5, maxPartySize: 2 });
      const ctx = { stationId, actor: coordinator };
      await expect(bookWalkIn(t.db, ctx, { sessionId, partySize: 3, person: { newPerson: { fullName: "人太多的来电者" } } })).rejects.toBeInstanceOf(
        PartyTooLarge,
      );
      expect(await peopleNamed("人太多的来电者")).toEqual([]);
      const [known] = await makePeople(t.db, stationId, 1, "老熟人");
      const booked = await bookWalkIn(t.db, ctx, { sessionId, partySize: 1, person: { personId: known! } });
      await expect(bookWalkIn(t.db, ctx, { sessionId, partySize: 1, person: { personId: known! } })).rejects.toEqual(new AlreadySignedUp(booked.id));
    });
  });
}
