/**
 * Weekly roster limits: the station's default and a person's own, set on their page, read by
 * assign(). Bad input is a 400 with the message, and nothing changes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { postRequest, call, getRequest } from "../support/requests";
import { makeActor, makeSession } from "../support/signup-fixtures";
import { makeNeed, makeSkill, makeVolunteer } from "../support/roster-fixtures";
import { assign } from "../../models/rosters/assignments";
import { people, stations } from "../../models/db/schema";
import * as limitsPage from "../../app/routes/manage.roster_.limits/route";

for (const backend of backends) {
  describe(`weekly roster limits on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Awaited<ReturnType<typeof makeActor>>;

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员");
    });

    const post = async (form: Record<string, string>, locale?: "en") =>
      call(limitsPage.action as never, await postRequest("/manage/roster/limits", form, { token: coordinator.token, locale }));
    const stationMinutes = async () =>
      (await t.db.select({ m: stations.maxWeeklyShiftMinutes }).from(stations).where(eq(stations.id, stationId)))[0]!.m;

    it("a person's own limit is what assign() holds them to, and clearing it goes back to the station's", async () => {
      const skillId = await makeSkill(t.db, stationId);
      const volunteer = await makeVolunteer(t.db, stationId, { skills: [{ skillId }], name: "上限志愿者" });
      // One two-hour shift against a one-hour limit.
      const session = await makeSession(t.db, stationId, { capacity: 5, daysAhead: 2 });
      const needId = await makeNeed(t.db, stationId, { sessionId: session.sessionId, skillId });

      expect((await post({ intent: "person", personId: String(volunteer.personId), hours: "1" })).status).toBe(302);
      const [row] = await t.db.select({ m: people.maxWeeklyShiftMinutes }).from(people).where(eq(people.id, volunteer.personId));
      expect(row!.m).toBe(60);
      await expect(
        assign(t.db, { stationId, actor: coordinator }, { needId, sessionId: session.sessionId, personId: volunteer.personId }),
      ).rejects.toMatchObject({ code: "weekly_limit" });

      expect((await post({ intent: "clear", personId: String(volunteer.personId) })).status).toBe(302);
      const page = await call(limitsPage.loader as never, await getRequest("/manage/roster/limits", { token: coordinator.token }));
      expect((page.body as { people: { id: number }[] }).people.map((p) => p.id)).not.toContain(volunteer.personId);
      // Back on the station's 12 hours: the two-hour shift fits.
      await expect(
        assign(t.db, { stationId, actor: coordinator }, { needId, sessionId: session.sessionId, personId: volunteer.personId }),
      ).resolves.toMatchObject({ status: "proposed" });
    });

    it("sets the station's default", async () => {
      expect((await post({ intent: "station", hours: "8" })).status).toBe(302);
      expect(await stationMinutes()).toBe(480);
      const page = await call(limitsPage.loader as never, await getRequest("/manage/roster/limits", { token: coordinator.token }));
      expect(page.body).toMatchObject({ stationHours: 8 });
      await post({ intent: "station", hours: "12" });
    });

    it.each([
      [{ intent: "station", hours: "0" }, "hours"],
      [{ intent: "station", hours: "61" }, "hours"],
      [{ intent: "station", hours: "2.5" }, "hours"],
      [{ intent: "station", hours: "很多" }, "hours"],
      [{ intent: "person", personId: "0", hours: "5" }, "personId"],
      [{ intent: "person", personId: "abc", hours: "5" }, "personId"],
      [{ intent: "wipe" }, "intent"],
    ])("refuses %o with a 400 and changes nothing", async (form, field) => {
      const before = await stationMinutes();
      const result = await post(form as Record<string, string>);
      expect(result.status).toBe(400);
      const body = result.body as { ok: false; formError: string; fieldErrors: Record<string, string> };
      expect(body.formError).toBeTruthy();
      expect(Object.keys(body.fieldErrors)).toContain(field);
      if (field === "hours") expect(body.fieldErrors.hours).toBe("请填写 1 到 60 之间的整数小时。");
      expect(await stationMinutes()).toBe(before);
    });

    it("says so in English", async () => {
      const result = await post({ intent: "station", hours: "99" }, "en");
      expect((result.body as { fieldErrors: Record<string, string> }).fieldErrors.hours).toBe("Please enter whole hours from 1 to 60.");
    });

    it("a person of another station is not found, and nothing is written", async () => {
      const elsewhere = (await ensureStation(t.db, "limits-elsewhere")).id;
      const stranger = await makeVolunteer(t.db, elsewhere, { name: "外站志愿者" });
      const result = await post({ intent: "person", personId: String(stranger.personId), hours: "5" });
      expect(result.status).toBe(404);
      const [row] = await t.db.select({ m: people.maxWeeklyShiftMinutes }).from(people).where(eq(people.id, stranger.personId));
      expect(row!.m).toBeNull();
    });
  });
}
