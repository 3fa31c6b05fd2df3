// The care net's domain (ADR 19): households, caretakers who must be members, consent that
// opens and closes a caretaker's access at once, and the audit rows that name no personal data.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray, sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { auditLog, householdConsents, households, people, serviceGroupMembers, serviceGroups } from "../../models/db/schema";
import {
  createHousehold,
  getHousehold,
  memberLoads,
  movePerson,
  reassignAllHouseholds,
  searchHouseholds,
  setCaretaker,
  updateHousehold,
} from "../../models/care/households";
import { consentHistory, recordConsent, withdrawConsent } from "../../models/care/consent";
import { householdsOf, upcomingSignupsOf } from "../../models/care/mine";
import { canActFor, type Actor } from "../../models/permissions";
import { cancelSignup, signUp } from "../../models/signups";
import { NotAllowed, NotFound } from "../../models/errors";
import { refusal } from "../support/refusal";

for (const backend of backends) {
  describe(`households and consent on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let otherStationId = 0;
    let coordinator: Actor;
    let caretaker: Actor;
    let second: Actor;
    let resident: Actor;
    const staff = () => ({ stationId, actor: coordinator });

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      otherStationId = (await ensureStation(t.db, "elsewhere")).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "周协调");
      caretaker = await makeActor(t.db, stationId, ["volunteer"], "林秀珍");
      second = await makeActor(t.db, stationId, ["volunteer"], "陈会员");
      resident = await makeActor(t.db, stationId, ["resident"], "王居民");
    });

    const personIn = async (householdId: number | null, fullName: string, phone: string | null = null) => {
      const [row] = await t.db.insert(people).values({ stationId, fullName, phone, householdId, birthYear: 1950 }).returning({ id: people.id });
      return row!.id;
    };

    it("creates, edits and finds households by label, address, a person's name or a phone", async () => {
      const id = await createHousehold(t.db, staff(), {
        label: "富文路 12 号 3 单元 王家",
        address: "富文路 12 号 3 单元 201",
        landline: "0598-823 1234",
        caretakerId: caretaker.personId,
      });
      await personIn(id, "王德福", "13900001111");
      // A couple sharing one phone, and a namesake in another household.
      const other = await createHousehold(t.db, staff(), { label: "新市北路 5 幢 李家" });
      await personIn(other, "李秀英", "13811112222");
      await personIn(other, "李建国", "13811112222");
      await personIn(null, "王德福");
      expect((await searchHouseholds(t.db, stationId, "王家")).map((h) => h.id)).toEqual([id]);
      expect((await searchHouseholds(t.db, stationId, "201")).map((h) => h.id)).toEqual([id]);
      expect((await searchHouseholds(t.db, stationId, "德福")).map((h) => h.id)).toEqual([id]);
      expect((await searchHouseholds(t.db, stationId, "139 0000")).map((h) => h.id)).toEqual([id]);
      expect((await searchHouseholds(t.db, stationId, "0598-8231")).map((h) => h.id)).toEqual([id]);
      // The shared phone finds the household once, counting both.
      const shared = await searchHouseholds(t.db, stationId, "1381111");
      expect(shared).toEqual([expect.objectContaining({ id: other, peopleCount: 2, caretaker: null, consent: false })]);
      expect(await searchHouseholds(t.db, otherStationId, "王家")).toEqual([]);
      expect((await searchHouseholds(t.db, stationId, "%")).length).toBe(0);

      await updateHousehold(t.db, staff(), id, { label: "富文路 12 号 3 单元 王家", address: "富文路 12 号 3 单元 202", landline: null });
      const detail = (await getHousehold(t.db, stationId, id))!;
      expect(detail).toMatchObject({ address: "富文路 12 号 3 单元 202", landline: null, caretaker: { id: caretaker.personId, fullName: "林秀珍" } });
      const [entry] = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, "household.update"), eq(auditLog.targetId, id)));
      // Which fields changed, never their contents.
      expect(entry!.details).toEqual({ changed: ["address", "landline"] });
    });

    it("refuses bad input with a typed error and writes nothing; non-staff may not manage", async () => {
      const before = await t.db.select({ n: sql<number>`count(*)::int` }).from(households);
      for (const input of [
        { label: "" },
        { label: "x".repeat(201) },
        { label: "ok", address: "x".repeat(201) },
        { label: "ok", landline: "abc" },
        { label: 7 },
      ]) {
        expect((await refusal(createHousehold(t.db, staff(), input))).code).toBe("care_input_invalid");
      }
      expect(await refusal(createHousehold(t.db, { stationId, actor: caretaker }, { label: "ok" }))).toBeInstanceOf(NotAllowed);
      // A resident, someone of another station, or a person who does not exist cannot be a caretaker.
      const elsewhere = await makeActor(t.db, otherStationId, ["volunteer"]);
      for (const caretakerId of [resident.personId, elsewhere.personId, 99_999_999]) {
        expect((await refusal(createHousehold(t.db, staff(), { label: "ok", caretakerId }))).code).toBe("caretaker_not_member");
      }
      const after = await t.db.select({ n: sql<number>`count(*)::int` }).from(households);
      expect(after).toEqual(before);
    });

    it("a member of a service group counts as a member without an account", async () => {
      const [member] = await makePeople(t.db, stationId, 1, "组员");
      const [group] = await t.db
        .insert(serviceGroups)
        .values({ stationId, nameZh: "关爱帮扶组", nameEn: "Care" })
        .returning({ id: serviceGroups.id });
      await t.db.insert(serviceGroupMembers).values({ groupId: group!.id, personId: member! });
      const id = await createHousehold(t.db, staff(), { label: "组员的户", caretakerId: member! });
      expect((await getHousehold(t.db, stationId, id))!.caretaker!.id).toBe(member);
    });

    it("consent opens the caretaker's access; withdrawal and reassignment close it at once", async () => {
      const id = await createHousehold(t.db, staff(), { label: "三明路 1 号", caretakerId: caretaker.personId });
      const cared = await personIn(id, "张福生", "13700001234");
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 5 });
      const ctx = { stationId, actor: caretaker };
      // Without consent: names only, no booking.
      expect(await canActFor(t.db, stationId, caretaker, cared)).toBe(false);
      expect(await refusal(signUp(t.db, ctx, { sessionId, personId: cared, partySize: 1 }))).toBeInstanceOf(NotAllowed);
      const mine = (await householdsOf(t.db, stationId, caretaker)).find((h) => h.id === id)!;
      expect(mine).toMatchObject({ consent: false, inCare: true, mayAct: false, own: false });
      expect(mine.people.map((p) => p.fullName)).toEqual(["张福生"]);

      expect((await refusal(withdrawConsent(t.db, staff(), id))).code).toBe("consent_not_given");
      await recordConsent(t.db, staff(), id, "phone");
      expect((await refusal(recordConsent(t.db, staff(), id, "paper"))).code).toBe("consent_already_given");
      expect((await refusal(recordConsent(t.db, staff(), id, "email"))).code).toBe("care_input_invalid");
      expect(await canActFor(t.db, stationId, caretaker, cared)).toBe(true);
      const signup = await signUp(t.db, ctx, { sessionId, personId: cared, partySize: 1 });
      expect((await upcomingSignupsOf(t.db, stationId, [cared])).map((s) => s.id)).toEqual([signup.id]);

      // Withdrawn: the signup she made is no longer hers to cancel (404), nor the person to book.
      await withdrawConsent(t.db, staff(), id);
      expect(await canActFor(t.db, stationId, caretaker, cared)).toBe(false);
      expect(await refusal(cancelSignup(t.db, ctx, signup.id))).toBeInstanceOf(NotFound);

      // Recorded again, then the household goes to another member: the consent ends with it.
      await recordConsent(t.db, staff(), id, "in_person");
      expect(await canActFor(t.db, stationId, caretaker, cared)).toBe(true);
      await setCaretaker(t.db, staff(), id, second.personId);
      expect(await canActFor(t.db, stationId, caretaker, cared)).toBe(false);
      expect(await canActFor(t.db, stationId, second, cared)).toBe(false);
      expect((await householdsOf(t.db, stationId, caretaker)).some((h) => h.id === id)).toBe(false);
      await recordConsent(t.db, staff(), id, "paper");
      expect(await canActFor(t.db, stationId, second, cared)).toBe(true);
      await cancelSignup(t.db, { stationId, actor: second }, signup.id);

      const history = await consentHistory(t.db, stationId, id);
      expect(history.map((h) => [h.method, h.caretaker, h.withdrawnAt === null, h.recordedBy])).toEqual([
        ["paper", "陈会员", true, "周协调"],
        ["in_person", "林秀珍", false, "周协调"],
        ["phone", "林秀珍", false, "周协调"],
      ]);
      expect(history[1]!.withdrawnBy).toBe("周协调");
      expect(await consentHistory(t.db, otherStationId, id)).toEqual([]);
      const actions = await t.db
        .select({ action: auditLog.action, details: auditLog.details })
        .from(auditLog)
        .where(and(eq(auditLog.targetType, "household"), eq(auditLog.targetId, id)));
      expect(actions.map((a) => a.action)).toEqual([
        "household.create",
        "household.consent",
        "household.consent_withdrawn",
        "household.consent",
        "household.caretaker",
        "household.consent",
      ]);
      expect(JSON.stringify(actions)).not.toContain("13700001234");
      // The engine holds one consent in force per household.
      await expect(
        t.db.insert(householdConsents).values({ stationId, householdId: id, caretakerId: second.personId, method: "phone" }),
      ).rejects.toThrow();
    });

    it("a household with no caretaker takes no consent; a person in no household has no caretaker", async () => {
      const id = await createHousehold(t.db, staff(), { label: "无人联系的户" });
      expect((await refusal(recordConsent(t.db, staff(), id, "phone"))).code).toBe("care_input_invalid");
      const loner = await personIn(null, "孤身老人");
      expect(await canActFor(t.db, stationId, caretaker, loner)).toBe(false);
      expect(await canActFor(t.db, stationId, coordinator, loner)).toBe(true);
    });

    it("a caretaker who lives in another household acts for her cared household, not her own housemates", async () => {
      const home = await createHousehold(t.db, staff(), { label: "林家" });
      await t.db.update(people).set({ householdId: home }).where(eq(people.id, second.personId));
      const husband = await personIn(home, "林先生");
      const cared = await createHousehold(t.db, staff(), { label: "陈会员照看的户", caretakerId: second.personId });
      await recordConsent(t.db, staff(), cared, "paper");
      const neighbour = await personIn(cared, "赵奶奶", "13600000000");
      expect(await canActFor(t.db, stationId, second, neighbour)).toBe(true);
      expect(await canActFor(t.db, stationId, second, husband)).toBe(false);
      expect(await canActFor(t.db, stationId, second, second.personId)).toBe(true);
      const list = await householdsOf(t.db, stationId, second);
      const own = list.find((h) => h.id === home)!;
      expect(own).toMatchObject({ own: true, inCare: false, mayAct: false });
      expect(list.find((h) => h.id === cared)).toMatchObject({ own: false, inCare: true, mayAct: true });
      // Her own household comes first.
      expect(list[0]!.id).toBe(home);
    });

    it("moves people between households, and out of any", async () => {
      const a = await createHousehold(t.db, staff(), { label: "甲户", caretakerId: caretaker.personId });
      const b = await createHousehold(t.db, staff(), { label: "乙户" });
      await recordConsent(t.db, staff(), a, "in_person");
      // Two people of the same name: the move touches the one by id only.
      const first = await personIn(a, "刘芳");
      const twin = await personIn(a, "刘芳");
      await movePerson(t.db, staff(), first, b);
      expect(await canActFor(t.db, stationId, caretaker, first)).toBe(false);
      expect(await canActFor(t.db, stationId, caretaker, twin)).toBe(true);
      expect((await getHousehold(t.db, stationId, b))!.people.map((p) => p.id)).toEqual([first]);
      await movePerson(t.db, staff(), twin, null);
      expect((await getHousehold(t.db, stationId, a))!.people).toEqual([]);
      expect(await refusal(movePerson(t.db, staff(), first, 99_999_999))).toBeInstanceOf(NotFound);
      const foreign = await createHousehold(t.db, { stationId: otherStationId, actor: coordinator }, { label: "别处的户" });
      expect(await refusal(movePerson(t.db, staff(), first, foreign))).toBeInstanceOf(NotFound);
      expect(await refusal(movePerson(t.db, { stationId, actor: caretaker }, first, a))).toBeInstanceOf(NotAllowed);
    });

    it("reassigns all of one member's households in one go, with the members' load", async () => {
      const leaver = await makeActor(t.db, stationId, ["volunteer"], "要走的会员");
      const heir = await makeActor(t.db, stationId, ["volunteer"], "接手的会员");
      const ids = [];
      for (const label of ["一户", "二户", "三户"]) {
        const id = await createHousehold(t.db, staff(), { label, caretakerId: leaver.personId });
        await personIn(id, `${label}的人`);
        await recordConsent(t.db, staff(), id, "phone");
        ids.push(id);
      }
      const load = await memberLoads(t.db, stationId, "要走");
      expect(load).toEqual([{ personId: leaver.personId, fullName: "要走的会员", member: true, households: 3, people: 3 }]);
      expect((await refusal(reassignAllHouseholds(t.db, staff(), leaver.personId, resident.personId))).code).toBe("caretaker_not_member");
      expect((await refusal(reassignAllHouseholds(t.db, staff(), leaver.personId, leaver.personId))).code).toBe("care_input_invalid");
      expect(await reassignAllHouseholds(t.db, staff(), leaver.personId, heir.personId)).toBe(3);
      const moved = await t.db.select({ caretakerId: households.caretakerId }).from(households).where(inArray(households.id, ids));
      expect(moved.every((h) => h.caretakerId === heir.personId)).toBe(true);
      const active = await t.db
        .select({ n: sql<number>`count(*)::int` })
        .from(householdConsents)
        .where(and(inArray(householdConsents.householdId, ids), sql`${householdConsents.withdrawnAt} is null`));
      expect(active[0]!.n).toBe(0);
      expect((await memberLoads(t.db, stationId, "接手"))[0]).toMatchObject({ households: 3, people: 3 });
      expect(await memberLoads(t.db, stationId, "要走")).toEqual([expect.objectContaining({ households: 0 })]);
      expect(await reassignAllHouseholds(t.db, staff(), leaver.personId, heir.personId)).toBe(0);
    });
  });
}
