// Booking for family and households from the session page and the API (ADR 25), over the real
// guard and models on both databases: whom the picker offers (oneself, one's household, the
// households in one's care that agreed), the answer person by person, and the whole request
// refused as not found — with nothing written — once a household withdraws its consent or is
// handed to another member. Also the API's undo of a call mark.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makeSession } from "../support/signup-fixtures";
import { getRequest, postRequest } from "../support/requests";
import { callSafely, countRows, type Handler } from "../support/routes-kit";
import { callApi } from "../support/api-requests";
import { auditLog, people, signups } from "../../models/db/schema";
import { createHousehold, setCaretaker } from "../../models/care/households";
import { recordConsent, withdrawConsent } from "../../models/care/consent";
import { createApiToken } from "../../models/api-tokens";
import { canActFor, SESSION_BOOKINGS, type Actor } from "../../models/permissions";
import { markCalled } from "../../models/reach/calls";
import * as sessionPage from "../../app/routes/sessions.$id";

type PageData = Awaited<ReturnType<typeof sessionPage.loader>>;

for (const backend of backends) {
  describe(`booking for family and households on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Actor;
    let member: Actor & { token: string };
    let api = "";
    let other: Actor;
    let husband = 0;
    let wang = 0;
    let wangWife = 0;
    let li = 0;
    let agreed = 0;
    const staff = () => ({ stationId, actor: coordinator });

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"]);
      member = await makeActor(t.db, stationId, ["volunteer"], "林秀珍");
      other = await makeActor(t.db, stationId, ["volunteer"], "陈会员");
      api = (await createApiToken(t.db, { stationId, accountId: member.accountId }, "test")).token;
      // Her own household, where her husband lives; one household in her care that agreed, one that has not.
      const home = await createHousehold(t.db, staff(), { label: "林家" });
      await t.db.update(people).set({ householdId: home }).where(eq(people.id, member.personId));
      agreed = await createHousehold(t.db, staff(), { label: "富文路 12 号 王家", caretakerId: member.personId });
      const notYet = await createHousehold(t.db, staff(), { label: "富文路 14 号 李家", caretakerId: member.personId });
      await recordConsent(t.db, staff(), agreed, "in_person");
      const rows = await t.db
        .insert(people)
        .values([
          { stationId, fullName: "林先生", householdId: home, birthYear: 1950 },
          { stationId, fullName: "王德福", phone: "13900001111", needs: "助听器", householdId: agreed, birthYear: 1946 },
          { stationId, fullName: "王老伴", householdId: agreed, birthYear: 1948 },
          { stationId, fullName: "李秀英", needs: "轮椅", householdId: notYet, birthYear: 1944 },
        ])
        .returning({ id: people.id });
      [husband, wang, wangWife, li] = rows.map((r) => r.id) as [number, number, number, number];
    });

    const load = async (sessionId: number, token = member.token) =>
      callSafely(sessionPage.loader as Handler, await getRequest(`/sessions/${sessionId}`, { token }), { id: String(sessionId) });
    const book = async (sessionId: number, rows: [number, number][], token = member.token) => {
      const form: Record<string, string> = { intent: "book" };
      rows.forEach(([personId, partySize], i) => {
        form[`people[${i}].personId`] = String(personId);
        form[`people[${i}].partySize`] = String(partySize);
      });
      return callSafely(sessionPage.action as Handler, await postRequest(`/sessions/${sessionId}`, form, { token }), { id: String(sessionId) });
    };

    it("offers herself, her household and the household that agreed — names only — and answers person by person", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 3, maxPartySize: 3, title: "太极拳" });
      const page = await load(sessionId);
      expect(page.status).toBe(200);
      const picker = (page.body as PageData).picker!;
      expect(picker.groups.map((g) => ({ own: g.own, label: g.label, people: g.people.map((p) => p.name) }))).toEqual([
        { own: true, label: "林家", people: ["林秀珍", "林先生"] },
        { own: false, label: "富文路 12 号 王家", people: ["王德福", "王老伴"] },
      ]);
      // No phone, needs or the household that has not agreed leave the server.
      expect(JSON.stringify(picker)).not.toMatch(/13900001111|助听器|轮椅|李秀英/);

      // Four ticked in one action, three places: the fourth (a party of two) waits.
      const res = await book(sessionId, [
        [member.personId, 1],
        [husband, 1],
        [wang, 1],
        [wangWife, 2],
      ]);
      expect(res.status, String(res.body)).toBe(200);
      const lines = (res.body as { booked: { name: string; status: string; position: number | null }[] }).booked;
      expect(lines.map((l) => [l.name, l.status, l.position])).toEqual([
        ["林秀珍", "confirmed", null],
        ["林先生", "confirmed", null],
        ["王德福", "confirmed", null],
        ["王老伴", "waitlisted", 1],
      ]);
      // The page now shows where each stands, and the model booked each as a proxy of hers.
      const after = (await load(sessionId)).body as PageData;
      expect(after.picker!.groups[1]!.people.map((p) => p.booked)).toEqual([
        { status: "confirmed", position: null },
        { status: "waitlisted", position: 1 },
      ]);
      const rows = await t.db.select().from(signups).where(eq(signups.sessionId, sessionId));
      expect(rows.every((r) => r.bookedByAccountId === member.accountId)).toBe(true);

      // Booked again: refused for that person, with the reason in words; nothing new written.
      const again = await book(sessionId, [[wang, 1]]);
      expect(again.status).toBe(200);
      expect((again.body as { booked: { status: string; reason: string }[] }).booked[0]).toMatchObject({
        status: "refused",
        reason: "已经报过名了，不用重复报名。",
      });
      // Nobody ticked: a 400 that says so.
      const none = await callSafely(
        sessionPage.action as Handler,
        await postRequest(`/sessions/${sessionId}`, { intent: "book", "people[0].partySize": "1" }, { token: member.token }),
        { id: String(sessionId) },
      );
      expect(none.status).toBe(400);
      expect(JSON.stringify(none.body)).toContain("请至少勾选一个人");
    });

    it("refuses the whole booking as not found, writing nothing, for a household that has not agreed, withdrew, or went to another member", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 5 });
      const before = await countRows(t.db);
      // Not agreed: even beside people she may book.
      expect(
        (
          await book(sessionId, [
            [member.personId, 1],
            [li, 1],
          ])
        ).status,
      ).toBe(404);
      expect(await countRows(t.db)).toEqual(before);

      await withdrawConsent(t.db, staff(), agreed);
      const withdrawn = await countRows(t.db);
      expect((await book(sessionId, [[wang, 1]])).status).toBe(404);
      const viaApi = await callApi("api.v1.sessions.$id.signups", "POST", {
        token: api,
        params: { id: String(sessionId) },
        body: { people: [{ personId: member.personId }, { personId: wang }] },
      });
      expect(viaApi.status, viaApi.text).toBe(404);
      expect(await countRows(t.db)).toEqual(withdrawn);
      // The picker drops the household at once.
      expect(((await load(sessionId)).body as PageData).picker!.groups.map((g) => g.label)).toEqual(["林家"]);

      // Agreed again, then handed to another member: the first loses it at once.
      await recordConsent(t.db, staff(), agreed, "phone");
      expect(((await load(sessionId)).body as PageData).picker!.groups).toHaveLength(2);
      await setCaretaker(t.db, staff(), agreed, other.personId);
      const reassigned = await countRows(t.db);
      expect((await book(sessionId, [[wangWife, 1]])).status).toBe(404);
      expect(await countRows(t.db)).toEqual(reassigned);
      expect(((await load(sessionId)).body as PageData).picker!.groups.map((g) => g.label)).toEqual(["林家"]);
      // Back to her, with consent, for the tests below.
      await setCaretaker(t.db, staff(), agreed, member.personId);
      await recordConsent(t.db, staff(), agreed, "in_person");
    });

    it("a household's people book each other's group sessions, not consultations; a resident too", async () => {
      const resident = await makeActor(t.db, stationId, ["resident"], "张居民");
      const home = await createHousehold(t.db, staff(), { label: "张家" });
      const [spouse] = await t.db.insert(people).values({ stationId, fullName: "张老伴", householdId: home }).returning({ id: people.id });
      await t.db.update(people).set({ householdId: home }).where(eq(people.id, resident.personId));
      expect(await canActFor(t.db, stationId, resident, spouse!.id, SESSION_BOOKINGS)).toBe(true);
      // A consultation's topic is not a housemate's (ADR 18): the default scope leaves them out.
      expect(await canActFor(t.db, stationId, resident, spouse!.id)).toBe(false);
      // Someone of another household stays out of reach.
      expect(await canActFor(t.db, stationId, resident, wang, SESSION_BOOKINGS)).toBe(false);
      const token = (await createApiToken(t.db, { stationId, accountId: resident.accountId }, "test")).token;
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 1, daysAhead: 6 });
      const res = await callApi("api.v1.sessions.$id.signups", "POST", {
        token,
        params: { id: String(sessionId) },
        body: { people: [{ personId: spouse!.id, partySize: 1 }, { personId: resident.personId }] },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.json).toEqual({
        sessionId,
        people: [
          { personId: spouse!.id, partySize: 1, status: "confirmed", signupId: expect.any(Number) },
          { personId: resident.personId, partySize: 1, status: "waitlisted", signupId: expect.any(Number), waitlistPosition: 1 },
        ],
      });
    });

    it("API: refuses a repeated person, both forms at once, too many people and a party over the activity's limit, writing nothing", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, maxPartySize: 2, daysAhead: 8 });
      const before = await countRows(t.db);
      const post = (body: unknown) => callApi("api.v1.sessions.$id.signups", "POST", { token: api, params: { id: String(sessionId) }, body });
      expect((await post({ people: [{ personId: wang }, { personId: wang }] })).json.error.fields).toEqual({ people: "同一个人只能出现一次。" });
      expect((await post({ people: [{ personId: wang }], personId: wang })).status).toBe(422);
      expect((await post({ people: [] })).status).toBe(422);
      expect((await post({ people: Array.from({ length: 41 }, (_, i) => ({ personId: i + 1 })) })).status).toBe(422);
      const tooMany = await post({
        people: [
          { personId: wang, partySize: 1 },
          { personId: wangWife, partySize: 3 },
        ],
      });
      expect(tooMany.status).toBe(422);
      expect(tooMany.json.error.code).toBe("party_too_large");
      expect(await countRows(t.db)).toEqual(before);
      // A person already there is refused alone, with the reason; the other is booked.
      const first = await post({ people: [{ personId: wang }] });
      expect(first.json.people[0].status).toBe("confirmed");
      const mixed = await post({ people: [{ personId: wang }, { personId: wangWife, partySize: 2 }] });
      expect(mixed.status).toBe(200);
      expect(mixed.json.people[0]).toMatchObject({ status: "refused", error: { code: "already_signed_up", status: 409 } });
      expect(mixed.json.people[1]).toMatchObject({ status: "confirmed", partySize: 2 });
    });

    it("API: a call mark is taken back by DELETE, once; the audit log says so", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 1 });
      await callApi("api.v1.sessions.$id.signups", "POST", { token: api, params: { id: String(sessionId) }, body: { people: [{ personId: wang }] } });
      await markCalled(t.db, { stationId, timeZone: "Asia/Shanghai", actor: member }, { personId: wang, sessionId });
      const params = { personId: String(wang), sessionId: String(sessionId) };
      const undo = await callApi("api.v1.call-list.$personId.calls.$sessionId", "DELETE", { token: api, params });
      expect(undo.status, undo.text).toBe(200);
      expect(undo.json).toEqual({ personId: wang, sessionId, removed: true });
      expect((await callApi("api.v1.call-list.$personId.calls.$sessionId", "DELETE", { token: api, params })).json.removed).toBe(false);
      const audit = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "call.unmarked"), eq(auditLog.targetId, wang)));
      expect(audit).toHaveLength(1);
      // Someone not on her list: not found.
      const stranger = await callApi("api.v1.call-list.$personId.calls.$sessionId", "DELETE", {
        token: api,
        params: { personId: String(li), sessionId: String(sessionId) },
      });
      expect(stranger.status).toBe(404);
    });
  });
}
