// The call list pages and the station's contact details over the real guard and models: a
// caretaker's /care/calls (her households only, tomorrow by default) and its 已电话通知 mark,
// the station's list, the not-reached report's refusals in words, and the station's phone
// and address reaching the "不方便上网？" hint through the root loader.
import { consentAll } from "../support/care-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { ZONE, makeActor, makeSession } from "../support/signup-fixtures";
import { countRows, text, loadRoute as get, submitRoute as post } from "../support/routes-kit";
import { households, people, stations } from "../../models/db/schema";
import { signUp } from "../../models/signups";
import * as careCalls from "../../app/routes/care_.calls";
import * as manageCalls from "../../app/routes/manage.calls";
import * as notReached from "../../app/routes/manage.calls_.not-reached";
import * as station from "../../app/routes/manage.station";
import * as root from "../../app/root";

interface View {
  date: string;
  count: number;
  groups: {
    sessionId: number;
    people: { personId: number; name: string; phone: string | null; route: string; called: { by: string } | null; mayUndo: boolean }[];
  }[];
}

for (const backend of backends) {
  describe(`call list routes on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let admin: Awaited<ReturnType<typeof makeActor>>;
    let coordinator: Awaited<ReturnType<typeof makeActor>>;
    let carer: Awaited<ReturnType<typeof makeActor>>;
    let other: Awaited<ReturnType<typeof makeActor>>;
    let mine = 0;
    let theirs = 0;
    let sessionId = 0;
    const tomorrow = DateTime.now().setZone(ZONE).plus({ days: 1 }).toISODate()!;

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      admin = await makeActor(t.db, stationId, ["admin"]);
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员");
      carer = await makeActor(t.db, stationId, ["volunteer"], "会员林");
      other = await makeActor(t.db, stationId, ["volunteer"], "会员周");
      const [h1] = await t.db.insert(households).values({ stationId, label: "林的户", caretakerId: carer.personId }).returning();
      const [h2] = await t.db.insert(households).values({ stationId, label: "周的户", caretakerId: other.personId }).returning();
      await consentAll(t.db, stationId);
      const [a] = await t.db.insert(people).values({ stationId, fullName: "王德福", phone: "138 0000 1111", householdId: h1!.id }).returning();
      const [b] = await t.db.insert(people).values({ stationId, fullName: "李阿婆", householdId: h2!.id }).returning();
      mine = a!.id;
      theirs = b!.id;
      sessionId = (await makeSession(t.db, stationId, { capacity: 10, title: "太极拳", daysAhead: 1 })).sessionId;
      for (const personId of [mine, theirs]) await signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId, partySize: 1 });
    });

    it("gives a caretaker tomorrow's list of her own households, and lets her mark and undo a call", async () => {
      const page = await get(careCalls, "/care/calls", carer.token);
      expect(page.status).toBe(200);
      const view = (page.body as { view: View }).view;
      expect(view.date).toBe(tomorrow);
      expect(view.groups.flatMap((g) => g.people.map((p) => p.name))).toEqual(["王德福"]);
      expect(view.groups[0]!.people[0]).toMatchObject({ phone: "138 0000 1111", route: "caretaker", called: null });
      const marked = await post(careCalls, "/care/calls", { intent: "mark", personId: String(mine), sessionId: String(sessionId) }, carer.token);
      expect(marked.status).toBe(200);
      const after = ((await get(careCalls, "/care/calls", carer.token)).body as { view: View }).view;
      expect(after.groups[0]!.people[0]).toMatchObject({ called: { by: "会员林" }, mayUndo: true });
      // The other caretaker's person is not hers: 404 in words, nothing written.
      const before = await countRows(t.db, ["call_marks", "audit_log"]);
      const refused = await post(careCalls, "/care/calls", { intent: "mark", personId: String(theirs), sessionId: String(sessionId) }, carer.token);
      expect(refused.status).toBe(404);
      expect(JSON.stringify(refused.body)).toContain(text("zh-CN", "error.call_not_on_list"));
      expect(await countRows(t.db, ["call_marks", "audit_log"])).toEqual(before);
      const undone = await post(careCalls, "/care/calls", { intent: "unmark", personId: String(mine), sessionId: String(sessionId) }, carer.token);
      expect(undone.status).toBe(200);
      const bad = await post(careCalls, "/care/calls", { intent: "mark", personId: "x", sessionId: String(sessionId) }, carer.token);
      expect(bad.status).toBe(400);
    });

    it("gives staff everyone on /manage/calls; a malformed date falls back to tomorrow", async () => {
      const view = ((await get(manageCalls, `/manage/calls?date=${tomorrow}`, coordinator.token)).body as { view: View }).view;
      expect(view.groups.flatMap((g) => g.people.map((p) => p.name)).sort()).toEqual(["李阿婆", "王德福"].sort());
      const fallback = ((await get(manageCalls, "/manage/calls?date=2026-02-31", coordinator.token)).body as { view: View }).view;
      expect(fallback.date).toBe(tomorrow);
      const other = ((await get(manageCalls, "/manage/calls?date=2001-01-01", coordinator.token)).body as { view: View }).view;
      expect(other.count).toBe(0);
      expect((await get(manageCalls, "/manage/calls", carer.token)).status).toBe(403);
    });

    it("reports not reached over a range, and refuses a reversed or too long one in words", async () => {
      const ok = await get(notReached, `/manage/calls/not-reached?from=${tomorrow}&to=${tomorrow}`, coordinator.token);
      expect(ok.status).toBe(200);
      expect((ok.body as { total: number }).total).toBe(2);
      const reversed = await get(notReached, `/manage/calls/not-reached?from=${tomorrow}&to=2001-01-01`, coordinator.token);
      expect(reversed.status).toBe(422);
      expect(String(reversed.body)).toContain("填写的内容不符合要求");
    });

    it("keeps the station's phone and address, and the hint under every 不方便上网？ shows them", async () => {
      const tooLong = await post(station, "/manage/station", { phone: "1".repeat(21), address: "" }, admin.token);
      expect(tooLong.status).toBe(400);
      const letters = await post(station, "/manage/station", { phone: "call me", address: "" }, admin.token);
      expect(letters.status).toBe(400);
      const saved = await post(station, "/manage/station", { phone: "0598-1234567", address: "富文路 12 号" }, admin.token);
      expect(saved.status).toBe(200);
      const [row] = await t.db.select().from(stations).where(eq(stations.id, stationId));
      expect(row).toMatchObject({ phone: "0598-1234567", address: "富文路 12 号" });
      const rootData = (await get(root, "/calendar")).body as { station: { phone: string; address: string } };
      expect(rootData.station).toMatchObject({ phone: "0598-1234567", address: "富文路 12 号" });
      expect((await get(station, "/manage/station", coordinator.token)).status).toBe(403);
    });
  });
}
