// The call list's API (ADR 20): a member's list of her households and a staff list of
// everyone, in the documented shape; marking a call is 201 once, then 200 with the first mark;
// malformed dates and bodies are 422 in words and write nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeSession } from "../support/signup-fixtures";
import { countApiRows, makeApiUser, makeCaretaker, type ApiUser } from "../support/api-fixtures";
import { callApi } from "../support/api-requests";
import { people } from "../../models/db/schema";
import { signUp } from "../../models/signups";
import { eq } from "drizzle-orm";
import { DateTime } from "luxon";

for (const backend of backends) {
  describe(`call list API on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let carer: ApiUser;
    let coordinator: ApiUser;
    let elder = 0;
    let stranger = 0;
    let sessionId = 0;
    let date = "";

    beforeAll(async () => {
      const stationId = (await ensureStation(t.db)).id;
      carer = await makeApiUser(t.db, stationId, ["volunteer"], "会员林");
      coordinator = await makeApiUser(t.db, stationId, ["coordinator"]);
      const [a] = await t.db.insert(people).values({ stationId, fullName: "王德福", phone: "13800001111" }).returning();
      const [b] = await t.db.insert(people).values({ stationId, fullName: "陌生人" }).returning();
      elder = a!.id;
      stranger = b!.id;
      await makeCaretaker(t.db, stationId, elder, carer.personId);
      const session = await makeSession(t.db, stationId, { capacity: 5, title: "太极拳", daysAhead: 1 });
      sessionId = session.sessionId;
      date = DateTime.fromJSDate(session.startsAt, { zone: "Asia/Shanghai" }).toISODate()!;
      const actor = { accountId: coordinator.accountId, personId: coordinator.personId, roles: coordinator.roles };
      for (const personId of [elder, stranger]) await signUp(t.db, { stationId, actor }, { sessionId, personId, partySize: 1 });
    });

    it("lists a member's households only, staff everyone, tomorrow by default", async () => {
      const mine = await callApi("api.v1.call-list", "GET", { token: carer.token });
      expect(mine.status).toBe(200);
      expect(mine.json).toMatchObject({
        date,
        people: [
          {
            personId: elder,
            fullName: "王德福",
            phone: "13800001111",
            sessionId,
            title: "太极拳",
            status: "confirmed",
            reach: "caretaker",
            caretaker: { id: carer.personId, fullName: "会员林" },
            called: null,
          },
        ],
      });
      const all = await callApi("api.v1.call-list", "GET", { token: coordinator.token, query: `date=${date}` });
      expect((all.json as { people: { personId: number; reach: string }[] }).people.map((p) => [p.personId, p.reach]).sort()).toEqual(
        [
          [elder, "caretaker"],
          [stranger, "none"],
        ].sort(),
      );
      for (const bad of ["2026-02-30", "tomorrow", "2026-1-1"]) {
        const refused = await callApi("api.v1.call-list", "GET", { token: coordinator.token, query: `date=${bad}` });
        expect(refused.status).toBe(422);
      }
    });

    it("marks a call once: 201, then 200 with the first mark; refuses a stranger and a bad body", async () => {
      const first = await callApi("api.v1.call-list.$personId.calls", "POST", {
        token: carer.token,
        params: { personId: String(elder) },
        body: { sessionId },
      });
      expect(first.status).toBe(201);
      expect(first.json).toMatchObject({ personId: elder, sessionId, created: true });
      const again = await callApi("api.v1.call-list.$personId.calls", "POST", {
        token: coordinator.token,
        params: { personId: String(elder) },
        body: { sessionId },
      });
      expect(again.status).toBe(200);
      expect(again.json).toMatchObject({ created: false, at: (first.json as { at: string }).at });
      const listed = await callApi("api.v1.call-list", "GET", { token: carer.token, query: `date=${date}` });
      expect((listed.json as { people: { called: unknown }[] }).people[0]!.called).toMatchObject({ by: "会员林" });
      const before = await countApiRows(t.db);
      const stray = await callApi("api.v1.call-list.$personId.calls", "POST", {
        token: carer.token,
        params: { personId: String(stranger) },
        body: { sessionId },
      });
      expect(stray.status).toBe(404);
      expect((stray.json as { error: { code: string } }).error.code).toBe("call_not_on_list");
      const bad = await callApi("api.v1.call-list.$personId.calls", "POST", {
        token: carer.token,
        params: { personId: String(elder) },
        body: { sessionId: "x" },
      });
      expect(bad.status).toBe(422);
      const extra = await callApi("api.v1.call-list.$personId.calls", "POST", {
        token: carer.token,
        params: { personId: String(elder) },
        body: { sessionId, note: 1 },
      });
      expect(extra.status).toBe(422);
      expect(await countApiRows(t.db)).toEqual(before);
      await t.db.update(people).set({ householdId: null }).where(eq(people.id, elder));
      const gone = await callApi("api.v1.call-list", "GET", { token: carer.token, query: `date=${date}` });
      expect((gone.json as { people: unknown[] }).people).toEqual([]);
    });
  });
}
