// 我的联系户 (/care) and a person's bookings page over the real guard and models (ADR 19): what a
// caretaker sees with and without the household's consent, cancelling for one of her people,
// and access cut at once by withdrawal or reassignment (404, page and API).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makeSession } from "../support/signup-fixtures";
import { createApiToken } from "../../models/api-tokens";
import { postRequest } from "../support/requests";
import { callSafely, type Handler, loadRoute as page, submitRoute as post } from "../support/routes-kit";
import { callApi } from "../support/api-requests";
import { people, signups } from "../../models/db/schema";
import { createHousehold, setCaretaker } from "../../models/care/households";
import { recordConsent, withdrawConsent } from "../../models/care/consent";
import { signUp } from "../../models/signups";
import type { Actor } from "../../models/permissions";
import * as care from "../../app/routes/care";
import * as personBookings from "../../app/routes/people.$id.bookings";
import * as manage from "../../app/routes/manage.households";
import * as manageOne from "../../app/routes/manage.households_.$id";
import { households, householdConsents } from "../../models/db/schema";

type CareData = Awaited<ReturnType<typeof care.loader>>;

for (const backend of backends) {
  describe(`care routes on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Actor;

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"]);
    });

    it("shows consented households in full, the others by name only; cancels for her people; cut at once", async () => {
      // A login (pages) and an API token (the API) for the same member.
      const member = await makeActor(t.db, stationId, ["volunteer"], "林秀珍");
      const api = (await createApiToken(t.db, { stationId, accountId: member.accountId }, "test")).token;
      const staff = { stationId, actor: coordinator };
      const agreed = await createHousehold(t.db, staff, { label: "富文路 12 号 王家", landline: "0598-8231234", caretakerId: member.personId });
      const notYet = await createHousehold(t.db, staff, { label: "富文路 14 号 李家", caretakerId: member.personId });
      await recordConsent(t.db, staff, agreed, "in_person");
      const [wang, li] = await t.db
        .insert(people)
        .values([
          { stationId, fullName: "王德福", phone: "13900001111", birthYear: 1950, needs: "助听器", householdId: agreed },
          { stationId, fullName: "李秀英", phone: "13800002222", birthYear: 1948, needs: "轮椅", householdId: notYet },
        ])
        .returning({ id: people.id });
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 4, title: "太极拳" });
      const signup = await signUp(t.db, staff, { sessionId, personId: wang!.id, partySize: 1 });

      const res = await page(care, "/care", member.token);
      expect(res.status).toBe(200);
      const data = res.body as CareData;
      const full = data.households.find((h) => h.id === agreed)!;
      expect(full).toMatchObject({ mayAct: true, landline: "0598-8231234" });
      expect(full.people[0]).toMatchObject({ fullName: "王德福", phone: "13900001111", needs: "助听器" });
      expect(full.people[0]!.age).toBeGreaterThan(70);
      expect(full.people[0]!.signups).toEqual([expect.objectContaining({ id: signup.id, title: "太极拳", position: null, canCancel: true })]);
      // Not agreed: the name, nothing more — no phone, age, needs or bookings leave the server.
      const namesOnly = data.households.find((h) => h.id === notYet)!;
      expect(namesOnly).toMatchObject({ mayAct: false, landline: null });
      expect(namesOnly.people).toEqual([{ id: li!.id, fullName: "李秀英", phone: null, age: null, needs: null, signups: [] }]);
      expect(JSON.stringify(data)).not.toContain("轮椅");
      expect((await page(personBookings, `/people/${li!.id}`, member.token, { id: String(li!.id) })).status).toBe(404);

      // Another member, or a resident, sees no households.
      const other = await makeActor(t.db, stationId, ["volunteer"]);
      expect(((await page(care, "/care", other.token)).body as CareData).households).toEqual([]);
      expect((await page(care, "/care", undefined)).status).not.toBe(200);

      // Her history page opens for a consented person.
      expect((await page(personBookings, `/people/${wang!.id}`, member.token, { id: String(wang!.id) })).status).toBe(200);

      // Cancel through the page: the same cancel path as the bookings pages.
      const cancelled = await callSafely(
        care.action as Handler,
        await postRequest("/care", { intent: "cancel", signupId: String(signup.id) }, { token: member.token }),
      );
      expect(cancelled.status).toBe(302);
      expect((await t.db.select().from(signups).where(eq(signups.id, signup.id)))[0]!.status).toBe("cancelled");

      // Withdrawn: 404 on the person's page and on another signup of theirs, page and API.
      const again = await signUp(t.db, staff, {
        sessionId: (await makeSession(t.db, stationId, { capacity: 5, daysAhead: 6 })).sessionId,
        personId: wang!.id,
        partySize: 1,
      });
      await withdrawConsent(t.db, staff, agreed);
      expect((await page(personBookings, `/people/${wang!.id}`, member.token, { id: String(wang!.id) })).status).toBe(404);
      const refused = await callSafely(
        care.action as Handler,
        await postRequest("/care", { intent: "cancel", signupId: String(again.id) }, { token: member.token }),
      );
      expect(refused.status).toBe(404);
      expect((await callApi("api.v1.signups.$id", "DELETE", { token: api, params: { id: String(again.id) } })).status).toBe(404);
      const booking = await callApi("api.v1.sessions.$id.signups", "POST", {
        token: api,
        params: { id: String(sessionId) },
        body: { personId: wang!.id, partySize: 1 },
      });
      expect(booking.status, booking.text).toBe(403);
      expect(((await page(care, "/care", member.token)).body as CareData).households.find((h) => h.id === agreed)!.people[0]!.phone).toBeNull();

      // Consent again, then the household goes to another member: the first loses it at once.
      await recordConsent(t.db, staff, agreed, "phone");
      expect(
        (
          await callApi("api.v1.sessions.$id.signups", "POST", {
            token: api,
            params: { id: String(sessionId) },
            body: { personId: wang!.id, partySize: 1 },
          })
        ).status,
      ).toBe(201);
      await setCaretaker(t.db, staff, agreed, other.personId);
      expect((await page(personBookings, `/people/${wang!.id}`, member.token, { id: String(wang!.id) })).status).toBe(404);
      expect((await callApi("api.v1.signups.$id", "DELETE", { token: api, params: { id: String(again.id) } })).status).toBe(404);
      expect(((await page(care, "/care", member.token)).body as CareData).households.some((h) => h.id === agreed)).toBe(false);
    });

    it("GET /api/v1/me/households: own household first, then those in care by label; phone and birth year only where she may see them", async () => {
      const member = await makeActor(t.db, stationId, ["volunteer"], "陈会员");
      const api = (await createApiToken(t.db, { stationId, accountId: member.accountId }, "test")).token;
      const staff = { stationId, actor: coordinator };
      const home = await createHousehold(t.db, staff, { label: "陈家" });
      const agreed = await createHousehold(t.db, staff, { label: "甲户", caretakerId: member.personId });
      const notYet = await createHousehold(t.db, staff, { label: "乙户", caretakerId: member.personId });
      await recordConsent(t.db, staff, agreed, "paper");
      await t.db.update(people).set({ householdId: home, birthYear: 1960, phone: "13500000000" }).where(eq(people.id, member.personId));
      // A couple sharing a phone in the agreed household; two people of the same name across households.
      await t.db.insert(people).values([
        { stationId, fullName: "陈先生", phone: "13500000001", birthYear: 1958, householdId: home },
        { stationId, fullName: "赵大爷", phone: "13700000000", birthYear: 1941, needs: "轮椅", householdId: agreed },
        { stationId, fullName: "赵奶奶", phone: "13700000000", birthYear: 1943, householdId: agreed },
        { stationId, fullName: "赵大爷", phone: "13600000000", birthYear: 1945, householdId: notYet },
      ]);
      const res = await callApi("api.v1.me.households", "GET", { token: api });
      expect(res.status).toBe(200);
      const byId = new Map((res.json.households as { id: number; people: unknown[] }[]).map((h) => [h.id, h]));
      expect(res.json.households.map((h: { id: number }) => h.id)).toEqual([home, notYet, agreed]);
      expect(byId.get(home)).toMatchObject({ label: "陈家", caretaker: null, consent: false });
      expect(byId.get(home)).toMatchObject({
        people: expect.arrayContaining([{ id: expect.any(Number), fullName: "陈先生", phone: "13500000001", birthYear: 1958 }]),
      });
      expect(byId.get(agreed)).toMatchObject({ consent: true, caretaker: { id: member.personId, fullName: "陈会员" } });
      expect(byId.get(agreed)!.people).toEqual([
        { id: expect.any(Number), fullName: "赵大爷", phone: "13700000000", birthYear: 1941 },
        { id: expect.any(Number), fullName: "赵奶奶", phone: "13700000000", birthYear: 1943 },
      ]);
      expect(byId.get(notYet)!.people).toEqual([{ id: expect.any(Number), fullName: "赵大爷", phone: null, birthYear: null }]);
      expect(res.text).not.toContain("轮椅");
      // Withdrawn: the same household, names only.
      await withdrawConsent(t.db, staff, agreed);
      const after = await callApi("api.v1.me.households", "GET", { token: api });
      const again = (after.json.households as { id: number; consent: boolean; people: { phone: string | null }[] }[]).find((h) => h.id === agreed)!;
      expect(again.consent).toBe(false);
      expect(again.people.every((p) => p.phone === null)).toBe(true);
      // Someone with no household and nobody in care: an empty list.
      const loner = await makeActor(t.db, stationId, ["resident"]);
      const lonerApi = (await createApiToken(t.db, { stationId, accountId: loner.accountId }, "test")).token;
      expect((await callApi("api.v1.me.households", "GET", { token: lonerApi })).json).toEqual({ households: [] });
    });

    it("the households pages: staff create, edit, move, give to another member and record consent; others are refused", async () => {
      const coord = await makeActor(t.db, stationId, ["coordinator"], "周协调");
      const member = await makeActor(t.db, stationId, ["volunteer"], "管页会员");
      const heir = await makeActor(t.db, stationId, ["volunteer"], "接页会员");

      expect((await page(manage, "/manage/households", member.token)).status).toBe(403);
      expect((await post(manage, "/manage/households", { intent: "create", label: "x" }, member.token)).status).toBe(403);
      expect((await post(manage, "/manage/households", { intent: "create", label: "" }, coord.token)).status).toBe(400);
      expect(
        (
          await post(
            manage,
            "/manage/households",
            { intent: "create", label: "管页户", address: "富文路 1 号", landline: "0598-1234567" },
            coord.token,
          )
        ).status,
      ).toBe(200);
      const [created] = await t.db.select().from(households).where(eq(households.label, "管页户"));
      const id = String(created!.id);
      const listed = await page(manage, "/manage/households?q=%E7%AE%A1%E9%A1%B5", coord.token);
      expect((listed.body as Awaited<ReturnType<typeof manage.loader>>).households.map((h) => h.id)).toEqual([created!.id]);
      expect((await page(manageOne, "/manage/households/999999", coord.token, { id: "999999" })).status).toBe(404);

      const one = (form: Record<string, string>) => post(manageOne, `/manage/households/${id}`, form, coord.token, { id });
      expect((await one({ intent: "update", label: "管页户", address: "x".repeat(201) })).status).toBe(400);
      expect((await one({ intent: "update", label: "管页户", address: "富文路 2 号", landline: "" })).status).toBe(200);
      expect((await one({ intent: "consent", method: "phone" })).status).toBe(422);
      expect((await one({ intent: "caretaker", caretakerId: String(coord.personId) })).status).toBe(422);
      expect((await one({ intent: "caretaker", caretakerId: String(member.personId) })).status).toBe(200);
      expect((await one({ intent: "consent", method: "fax" })).status).toBe(400);
      expect((await one({ intent: "consent", method: "paper" })).status).toBe(200);
      const [resident] = await t.db.insert(people).values({ stationId, fullName: "管页居民" }).returning({ id: people.id });
      expect((await one({ intent: "move", personId: String(resident!.id), householdId: id })).status).toBe(200);
      expect((await page(personBookings, `/people/${resident!.id}`, member.token, { id: String(resident!.id) })).status).toBe(200);
      const detail = (await page(manageOne, `/manage/households/${id}`, coord.token, { id })).body as Awaited<ReturnType<typeof manageOne.loader>>;
      expect(detail.household).toMatchObject({ address: "富文路 2 号", landline: null, caretaker: { fullName: "管页会员" } });
      expect(detail.consent[0]).toMatchObject({ active: true });
      expect(detail.consent[0]!.line).toContain("周协调");

      // All of the member's households to another: the consent ends, the first member loses access.
      const handed = await post(
        manage,
        "/manage/households",
        { intent: "reassignAll", fromId: String(member.personId), toId: String(heir.personId), toName: "接页会员" },
        coord.token,
      );
      expect(handed.status).toBe(302);
      expect((await page(personBookings, `/people/${resident!.id}`, member.token, { id: String(resident!.id) })).status).toBe(404);
      const active = await t.db.select().from(householdConsents).where(eq(householdConsents.householdId, created!.id));
      expect(active.every((c) => c.withdrawnAt !== null)).toBe(true);
      expect((await one({ intent: "withdraw" })).status).toBe(409);
      expect((await one({ intent: "move", personId: String(resident!.id), householdId: "" })).status).toBe(200);
      expect((await t.db.select().from(people).where(eq(people.id, resident!.id)))[0]!.householdId).toBeNull();
    });
  });
}
