// Moving a person between households from /manage/households/$id (issue 10): the person picker
// finds people by name or by the start of a phone, tells two of one name apart, leaves out those
// already in the household; the move is one audit row naming ids only. Staff only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor } from "../support/signup-fixtures";
import { getRequest, postRequest } from "../support/requests";
import { callSafely, type Handler } from "../support/routes-kit";
import { auditLog, people } from "../../models/db/schema";
import { createHousehold } from "../../models/care/households";
import * as manageOne from "../../app/routes/manage.households_.$id";

type PageData = Awaited<ReturnType<typeof manageOne.loader>>;

for (const backend of backends) {
  describe(`moving a person with the picker on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });

    it("finds by name or phone, moves the one picked, and audits the move without personal data", async () => {
      const stationId = (await ensureStation(t.db)).id;
      const coordinator = await makeActor(t.db, stationId, ["coordinator"]);
      const volunteer = await makeActor(t.db, stationId, ["volunteer"]);
      const staff = { stationId, actor: coordinator };
      const here = await createHousehold(t.db, staff, { label: "午街 1 号 钱家" });
      const there = await createHousehold(t.db, staff, { label: "未街 2 号 孙家" });
      const [stays, twinA, twinB] = await t.db
        .insert(people)
        .values([
          { stationId, fullName: "钱小梅", phone: "13800007777", birthYear: 1950, householdId: here },
          { stationId, fullName: "钱小梅", phone: "13800008888", birthYear: 1944, householdId: there },
          { stationId, fullName: "钱小梅", phone: null, birthYear: 1962, householdId: null },
        ])
        .returning({ id: people.id });
      const open = async (query: string, token = coordinator.token) =>
        callSafely(manageOne.loader as Handler, await getRequest(`/manage/households/${here}?pq=${encodeURIComponent(query)}`, { token }), {
          id: String(here),
        });

      // By name: the two elsewhere, each with what tells them apart; the one already here is not offered.
      const byName = (await open("钱小梅")).body as PageData;
      expect(byName.found).toEqual([
        { id: twinA!.id, fullName: "钱小梅", birthYear: 1944, phone: "13800008888", household: "未街 2 号 孙家" },
        { id: twinB!.id, fullName: "钱小梅", birthYear: 1962, phone: null, household: null },
      ]);
      expect(byName.found.some((p) => p.id === stays!.id)).toBe(false);
      // By the start of a phone, spaces and dashes as people type them.
      expect(((await open("138-0000 88")).body as PageData).found.map((p) => p.id)).toEqual([twinA!.id]);
      // Staff only.
      expect((await open("钱小梅", volunteer.token)).status).toBe(403);

      const move = async (token: string) =>
        callSafely(
          manageOne.action as Handler,
          await postRequest(`/manage/households/${here}`, { intent: "move", personId: String(twinA!.id), householdId: String(here) }, { token }),
          { id: String(here) },
        );
      expect((await move(volunteer.token)).status).toBe(403);
      expect((await t.db.select().from(people).where(eq(people.id, twinA!.id)))[0]!.householdId).toBe(there);
      expect((await move(coordinator.token)).status).toBe(200);
      expect((await t.db.select().from(people).where(eq(people.id, twinA!.id)))[0]!.householdId).toBe(here);
      // The other of the same name did not move.
      expect((await t.db.select().from(people).where(eq(people.id, twinB!.id)))[0]!.householdId).toBeNull();
      const audits = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "person.move_household"), eq(auditLog.targetId, twinA!.id)));
      expect(audits).toEqual([
        expect.objectContaining({ actorAccountId: coordinator.accountId, targetType: "person", details: { from: there, to: here } }),
      ]);
    });
  });
}
