// Bad input on the shifts pages: every refusal is an exact 4xx with the message in the user's
// language, and writes nothing (row counts of every table the pages touch stay the same).
// A few good requests prove the same forms do write when they should.
import { listAdminNames } from "../../models/station-admins";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { makeBlackout, makeNeed, makeSkill, makeVolunteer } from "../support/roster-fixtures";
import { getRequest, postRequest } from "../support/requests";
import { callSafely, countRows, text, type Form, type Handler, type Locale, type TableName } from "../support/routes-kit";
import { assign } from "../../models/rosters";
import { assignments, availability, blackouts, personSkills, serviceGroupMembers, serviceGroups } from "../../models/db/schema";
import type { Actor } from "../../models/permissions";
import type { MessageKey } from "../../models/i18n";
import * as shifts from "../../app/routes/shifts";
import * as availabilityPage from "../../app/routes/shifts_.availability/route";
import * as hoursPage from "../../app/routes/shifts_.hours";
import * as skillsPage from "../../app/routes/manage.skills";
import * as manualHoursPage from "../../app/routes/manage.hours";
import * as hoursCsv from "../../app/routes/manage.hours[.]csv";

const TABLES: TableName[] = ["assignments", "person_skills", "skills", "manual_hours", "availability", "blackouts", "audit_log"];

for (const backend of backends) {
  describe(`shifts pages' bad input on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Actor & { token: string };
    let admin: Actor & { token: string };
    let volunteer: Actor & { token: string };
    let otherVolunteer: Actor & { token: string };
    let foreignPerson = 0;
    let skillId = 0;
    let doctorSkill = 0;

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      const elsewhere = (await ensureStation(t.db, "elsewhere")).id;
      [foreignPerson] = (await makePeople(t.db, elsewhere, 1)) as [number];
      coordinator = await makeActor(t.db, stationId, ["coordinator"]);
      admin = await makeActor(t.db, stationId, ["admin"]);
      skillId = await makeSkill(t.db, stationId, { slug: "bp", nameZh: "量血压", nameEn: "Blood pressure" });
      doctorSkill = await makeSkill(t.db, stationId, { slug: "doctor", restricted: true, nameZh: "医生", nameEn: "Doctor" });
      volunteer = await makeVolunteer(t.db, stationId, { skills: [{ skillId }], name: "王阿姨" });
      otherVolunteer = await makeVolunteer(t.db, stationId, { skills: [{ skillId }], name: "李叔叔" });
    });

    /** Posts a form as `who`, and checks the reply is `status` with `message` (catalog key or text) and nothing written. */
    async function refused(
      handler: Handler,
      path: string,
      form: Form,
      who: { token: string },
      status: number,
      message: string,
      locale: Locale = "zh-CN",
    ) {
      const before = await countRows(t.db, TABLES);
      const result = await callSafely(handler, await postRequest(path, form, { token: who.token, locale }));
      expect(result.status, String(result.body)).toBe(status);
      const body = result.body as { formError?: string; fieldErrors?: Record<string, string> } | string;
      const messages = typeof body === "string" ? [body] : [body.formError, ...Object.values(body.fieldErrors ?? {})];
      expect(messages).toContain(message);
      expect(await countRows(t.db, TABLES)).toEqual(before);
      return result;
    }
    const msg = (key: MessageKey, params: Record<string, string | number> = {}, locale: Locale = "zh-CN") => text(locale, key, params);

    describe("availability", () => {
      const post = (form: Form, status: number, message: string, locale?: Locale) =>
        refused(availabilityPage.action as Handler, "/shifts/availability", form, volunteer, status, message, locale);
      const week = (rows: [string, string, string][]) => ({
        intent: "week",
        weekday: rows.map((r) => r[0]),
        start: rows.map((r) => r[1]),
        end: rows.map((r) => r[2]),
      });

      beforeAll(async () => {
        await t.db.insert(availability).values({ personId: volunteer.personId, weekday: 2, startTime: "08:00", endTime: "10:00" });
      });

      it("saves a good week (empty rows skipped) and shows it", async () => {
        const result = await callSafely(
          availabilityPage.action as Handler,
          await postRequest(
            "/shifts/availability",
            week([
              ["1", "09:00", "11:30"],
              ["1", "", ""],
              ["5", "14:00", "24:00"],
            ]),
            { token: otherVolunteer.token },
          ),
        );
        expect(result.status).toBe(302);
        expect(result.headers.get("Location")).toBe("/shifts/availability?done=week");
        const page = await callSafely(availabilityPage.loader as Handler, await getRequest("/shifts/availability", { token: otherVolunteer.token }));
        const days = (page.body as { days: { weekday: number; name: string; windows: unknown[] }[] }).days;
        expect(days.find((d) => d.weekday === 1)).toEqual({ weekday: 1, name: "星期一", windows: [{ startTime: "09:00", endTime: "11:30" }] });
        expect(days.find((d) => d.weekday === 5)!.windows).toEqual([{ startTime: "14:00", endTime: "24:00" }]);
      });

      it("refuses a half-filled row", async () => {
        const result = await post(week([["1", "09:00", ""]]), 400, msg("availability.pairMissing"));
        expect((result.body as { fieldErrors: Record<string, string> }).fieldErrors).toEqual({ "start.0": msg("availability.pairMissing") });
      });
      it("refuses 25:00 as a start", () => post(week([["1", "25:00", "26:00"]]), 400, msg("field.time")));
      it("refuses an end like 9.30", () => post(week([["3", "08:00", "9.30"]]), 400, msg("field.time")));
      it("refuses an end before the start, on that row", async () => {
        const result = await post(
          week([
            ["1", "09:00", "10:00"],
            ["2", "11:00", "10:00"],
          ]),
          400,
          msg("availability.endAfterStart"),
        );
        expect((result.body as { fieldErrors: Record<string, string> }).fieldErrors).toEqual({ "end.1": msg("availability.endAfterStart") });
      });
      it("refuses weekday 8 and weekday 0", async () => {
        await post(week([["8", "09:00", "10:00"]]), 400, msg("field.choice"));
        await post(week([["0", "09:00", "10:00"]]), 400, msg("field.choice"));
      });
      it("refuses lists of different lengths", () =>
        post({ intent: "week", weekday: ["1", "2"], start: ["09:00"], end: ["10:00"] }, 400, msg("error.badRequest")));
      it("refuses a forged form with too many rows", () =>
        post(week(Array.from({ length: 61 }, () => ["1", "", ""] as [string, string, string])), 400, msg("error.badRequest")));
      it("refuses overlapping windows, naming the day in the user's language", async () => {
        const rows: [string, string, string][] = [
          ["4", "09:00", "12:00"],
          ["4", "11:00", "13:00"],
        ];
        await post(week(rows), 422, "星期四有两个时间段重叠了，请修改。");
        await post(week(rows), 422, "Two times on Thursday overlap. Please change them.", "en");
      });
      it("refuses an unknown intent", () => post({ intent: "erase" }, 400, msg("field.choice")));
      it("refuses bad blackout dates", async () => {
        await post({ intent: "add-blackout", fromDate: "2027-02-30", toDate: "2027-03-01" }, 400, msg("field.date"));
        await post({ intent: "add-blackout", fromDate: "next week", toDate: "2027-03-01" }, 400, msg("field.date"));
        await post({ intent: "add-blackout", fromDate: "2027-03-10", toDate: "2027-03-01" }, 422, msg("error.blackout_invalid"));
        await post({ intent: "add-blackout", fromDate: "2027-03-10", toDate: "2027-03-01" }, 422, msg("error.blackout_invalid", {}, "en"), "en");
      });
      it("adds and removes one's own blackout", async () => {
        const added = await callSafely(
          availabilityPage.action as Handler,
          await postRequest(
            "/shifts/availability",
            { intent: "add-blackout", fromDate: "2027-03-01", toDate: "2027-03-03" },
            { token: volunteer.token },
          ),
        );
        expect(added.headers.get("Location")).toBe("/shifts/availability?done=added");
        const [row] = await t.db.select().from(blackouts).where(eq(blackouts.personId, volunteer.personId));
        const removed = await callSafely(
          availabilityPage.action as Handler,
          await postRequest("/shifts/availability", { intent: "remove-blackout", blackoutId: String(row!.id) }, { token: volunteer.token }),
        );
        expect(removed.headers.get("Location")).toBe("/shifts/availability?done=removed");
        expect(await t.db.select().from(blackouts).where(eq(blackouts.personId, volunteer.personId))).toEqual([]);
      });
      it("refuses to remove an unknown or someone else's blackout (also for staff on their own page)", async () => {
        const theirs = await makeBlackout(t.db, otherVolunteer.personId, "2027-04-01");
        await post({ intent: "remove-blackout", blackoutId: "99999" }, 404, msg("error.not_found"));
        await post({ intent: "remove-blackout", blackoutId: String(theirs) }, 404, msg("error.not_found"));
        await refused(
          availabilityPage.action as Handler,
          "/shifts/availability",
          { intent: "remove-blackout", blackoutId: String(theirs) },
          coordinator,
          404,
          msg("error.not_found"),
        );
        await post({ intent: "remove-blackout", blackoutId: "x" }, 400, msg("field.number"));
      });
    });

    describe("我的排班", () => {
      let sessionId = 0;
      let needId = 0;
      let clashSession = 0;
      let clashNeed = 0;

      beforeAll(async () => {
        ({ sessionId } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 5, title: "公益义诊" }));
        needId = await makeNeed(t.db, stationId, { sessionId, skillId, headCount: 3 });
        // The same hours another day is no clash; the same day and hours is.
        ({ sessionId: clashSession } = await makeSession(t.db, stationId, { capacity: 10, daysAhead: 5, title: "健康讲座" }));
        clashNeed = await makeNeed(t.db, stationId, { sessionId: clashSession, skillId, headCount: 3 });
      });
      const post = (form: Form, status: number, message: string, who = volunteer, locale?: Locale) =>
        refused(shifts.action as Handler, "/shifts", form, who, status, message, locale);

      it("refuses malformed ids and unknown intents", async () => {
        await post({ intent: "confirm", assignmentId: "abc" }, 400, msg("field.number"));
        await post({ intent: "take", needId: String(needId) }, 400, msg("field.required"));
        await post({ intent: "attended", assignmentId: "1" }, 400, msg("error.badRequest"));
      });

      it("takes an open shift, then refuses the clashing one with the reason", async () => {
        const open = await callSafely(shifts.loader as Handler, await getRequest("/shifts", { token: volunteer.token }));
        const offered = (open.body as { open: { needId: number; sessionId: number }[] }).open;
        expect(offered).toContainEqual(expect.objectContaining({ needId, sessionId }));
        const taken = await callSafely(
          shifts.action as Handler,
          await postRequest("/shifts", { intent: "take", needId: String(needId), sessionId: String(sessionId) }, { token: volunteer.token }),
        );
        expect(taken.headers.get("Location")).toBe("/shifts?done=take");
        const [row] = await t.db.select().from(assignments).where(eq(assignments.personId, volunteer.personId));
        expect(row).toMatchObject({ needId, sessionId, status: "confirmed" });
        const before = await countRows(t.db, TABLES);
        // The message names the commitment that collides; the reply says which shift it concerns.
        const result = await callSafely(
          shifts.action as Handler,
          await postRequest("/shifts", { intent: "take", needId: String(clashNeed), sessionId: String(clashSession) }, { token: volunteer.token }),
        );
        expect(result.status).toBe(409);
        const body = result.body as { formError: string; target: string };
        expect(body.formError).toMatch(/^这个时间已经排了班：公益义诊（.+）。一个人不能同时在两个地方。$/);
        expect(body.target).toBe(`open-${clashNeed}-${clashSession}`);
        expect(await countRows(t.db, TABLES)).toEqual(before);
      });

      it("refuses an unknown need and a need of another session", async () => {
        await post({ intent: "take", needId: "999999", sessionId: String(sessionId) }, 404, msg("error.not_found"));
        await post({ intent: "take", needId: String(needId), sessionId: String(clashSession) }, 422, msg("error.need_session_mismatch"));
      });

      it("refuses a shift the person has no skill for", async () => {
        const need = await makeNeed(t.db, stationId, { sessionId: clashSession, skillId: doctorSkill, headCount: 1 });
        await post({ intent: "take", needId: String(need), sessionId: String(clashSession) }, 409, msg("error.not_qualified"));
      });

      it("answers only one's own assignment: someone else's is not found, even to a coordinator", async () => {
        const proposal = await assign(
          t.db,
          { stationId, actor: coordinator },
          { needId: clashNeed, sessionId: clashSession, personId: otherVolunteer.personId },
        );
        expect(proposal.status).toBe("proposed");
        await post({ intent: "confirm", assignmentId: String(proposal.id) }, 404, msg("error.not_found"));
        await post({ intent: "decline", assignmentId: String(proposal.id) }, 404, msg("error.not_found"), coordinator);
        await post({ intent: "cancel", assignmentId: "999999999" }, 404, msg("error.not_found"));
        // Its owner can, and the page then lists it as confirmed.
        const ok = await callSafely(
          shifts.action as Handler,
          await postRequest("/shifts", { intent: "confirm", assignmentId: String(proposal.id) }, { token: otherVolunteer.token }),
        );
        expect(ok.headers.get("Location")).toBe("/shifts?done=confirm");
        const page = await callSafely(shifts.loader as Handler, await getRequest("/shifts", { token: otherVolunteer.token }));
        expect((page.body as { upcoming: { id: number; status: string; canCancel: boolean }[] }).upcoming).toContainEqual(
          expect.objectContaining({ id: proposal.id, status: "confirmed", canCancel: true }),
        );
        // Declining a confirmed one (a stale page) is a state error, not a 500.
        await post({ intent: "decline", assignmentId: String(proposal.id) }, 409, msg("error.assignment_state"), otherVolunteer);
        // Once cancelled it leaves the page, and a stale button finds nothing.
        const cancelled = await callSafely(
          shifts.action as Handler,
          await postRequest("/shifts", { intent: "cancel", assignmentId: String(proposal.id) }, { token: otherVolunteer.token }),
        );
        expect(cancelled.headers.get("Location")).toBe("/shifts?done=cancel");
        await post({ intent: "confirm", assignmentId: String(proposal.id) }, 404, msg("error.not_found"), otherVolunteer);
      });

      it("shows a resident the explanation, not a roster", async () => {
        const resident = await makeActor(t.db, stationId, ["resident"]);
        const page = await callSafely(shifts.loader as Handler, await getRequest("/shifts", { token: resident.token }));
        expect(page.body).toEqual({ rostered: false, upcoming: [], past: [], open: [], tally: false });
      });
    });

    describe("my hours", () => {
      it("refuses a year that is not a year", async () => {
        for (const year of ["abc", "1999", "20260", "2101"]) {
          const result = await callSafely(hoursPage.loader as Handler, await getRequest(`/shifts/hours?year=${year}`, { token: volunteer.token }));
          expect(result.status).toBe(400);
          expect(result.body).toBe(msg("error.badRequest"));
        }
      });
    });

    describe("skills admin", () => {
      const post = (form: Form, status: number, message: string, who = admin) =>
        refused(skillsPage.action as Handler, "/manage/skills", form, who, status, message);
      it("refuses a bad slug, empty names and a taken slug", async () => {
        await post({ intent: "create", slug: "Blood Pressure", nameZh: "量血压", nameEn: "BP" }, 400, msg("field.slug"));
        await post({ intent: "create", slug: "tea", nameZh: "", nameEn: "Tea" }, 400, msg("field.required"));
        await post({ intent: "create", slug: "bp", nameZh: "量血压", nameEn: "BP" }, 409, msg("error.skill_slug_taken"));
      });
      it("refuses an intent that is none of the page's with a 400 that says so", async () => {
        await post({ intent: "rename", skillId: String(skillId) }, 400, msg("error.unknownIntent"));
        await post({ skillId: String(skillId) }, 400, msg("error.unknownIntent"), coordinator);
        await post({ intent: ["confirm", "remove"], personId: "1", skillId: "1" }, 400, msg("error.unknownIntent"), coordinator);
        await refused(skillsPage.action as Handler, "/manage/skills", { intent: "rename" }, admin, 400, msg("error.unknownIntent", {}, "en"), "en");
      });
      it("refuses list changes from a coordinator with 403, confirmations not", async () => {
        const before = await countRows(t.db, TABLES);
        const result = await callSafely(
          skillsPage.action as Handler,
          await postRequest(
            "/manage/skills",
            { intent: "update", skillId: String(skillId), nameZh: "改名", nameEn: "Renamed" },
            { token: coordinator.token },
          ),
        );
        expect(result.status).toBe(403);
        // A coordinator is told who can (ADR 30): the station's admins by name.
        const admins = await listAdminNames(t.db, stationId);
        expect(admins.length).toBeGreaterThan(0);
        expect(result.body).toEqual({ code: "not_allowed", roles: ["admin"], admins, message: msg("error.notAllowed") });
        expect(await countRows(t.db, TABLES)).toEqual(before);
        const [claimant] = (await makePeople(t.db, stationId, 1)) as [number];
        await t.db.insert(personSkills).values({ personId: claimant, skillId: doctorSkill, specialty: "内科" });
        const view = await callSafely(skillsPage.loader as Handler, await getRequest("/manage/skills", { token: coordinator.token }));
        expect((view.body as { pending: unknown[]; canEditList: boolean }).pending).toContainEqual(
          expect.objectContaining({ personId: claimant, skillId: doctorSkill, specialty: "内科", skill: "医生" }),
        );
        expect((view.body as { canEditList: boolean }).canEditList).toBe(false);
        const ok = await callSafely(
          skillsPage.action as Handler,
          await postRequest(
            "/manage/skills",
            { intent: "confirm", personId: String(claimant), skillId: String(doctorSkill) },
            { token: coordinator.token },
          ),
        );
        expect(ok.headers.get("Location")).toBe("/manage/skills?done=confirmed");
        const after = await callSafely(skillsPage.loader as Handler, await getRequest("/manage/skills", { token: coordinator.token }));
        expect((after.body as { pending: { personId: number }[] }).pending.map((p) => p.personId)).not.toContain(claimant);
      });
      it("refuses unknown and foreign people and skills", async () => {
        await post({ intent: "confirm", personId: "999999", skillId: String(doctorSkill) }, 404, msg("error.not_found"), coordinator);
        await post({ intent: "confirm", personId: String(foreignPerson), skillId: String(doctorSkill) }, 404, msg("error.not_found"), coordinator);
        await post(
          { intent: "confirm", personId: String(volunteer.personId), skillId: String(doctorSkill) },
          404,
          msg("error.not_found"),
          coordinator,
        );
        await post(
          { intent: "give", personId: String(volunteer.personId), skillId: "999999", specialty: "" },
          404,
          msg("error.not_found"),
          coordinator,
        );
        await post(
          { intent: "give", personId: String(foreignPerson), skillId: String(skillId), specialty: "" },
          404,
          msg("error.not_found"),
          coordinator,
        );
        await post({ intent: "update", skillId: "999999", nameZh: "x", nameEn: "x" }, 404, msg("error.not_found"));
      });
      it("never sends health notes with the people found", async () => {
        const view = await callSafely(
          skillsPage.loader as Handler,
          await getRequest(`/manage/skills?q=${encodeURIComponent("王阿姨")}`, { token: coordinator.token }),
        );
        const found = (view.body as { found: Record<string, unknown>[] }).found;
        expect(found.map((p) => p.name)).toEqual(["王阿姨"]);
        expect(found[0]).not.toHaveProperty("needs");
        expect(found[0]).not.toHaveProperty("phone");
      });
    });

    describe("manual hours", () => {
      const post = (form: Form, status: number, message: string) =>
        refused(manualHoursPage.action as Handler, "/manage/hours", form, coordinator, status, message);
      const good = () => ({ personId: String(volunteer.personId), workDate: "2026-11-20", minutes: "90", note: "" });
      it("refuses bad minutes, dates and people", async () => {
        await post({ ...good(), minutes: "0" }, 400, msg("field.range", { min: 1, max: 1440 }));
        await post({ ...good(), minutes: "1441" }, 400, msg("field.range", { min: 1, max: 1440 }));
        await post({ ...good(), minutes: "一小时" }, 400, msg("field.number"));
        await post({ ...good(), workDate: "2026-13-01" }, 400, msg("field.date"));
        await post({ ...good(), personId: "999999" }, 404, msg("error.not_found"));
        await post({ ...good(), personId: String(foreignPerson) }, 404, msg("error.not_found"));
        await post({ ...good(), note: "x".repeat(201) }, 400, msg("field.tooLong", { max: 200 }));
      });
      it("records good hours and lists them for the person", async () => {
        const ok = await callSafely(manualHoursPage.action as Handler, await postRequest("/manage/hours", good(), { token: coordinator.token }));
        expect(ok.headers.get("Location")).toBe(`/manage/hours?personId=${volunteer.personId}&done=1`);
        const staffView = await callSafely(
          manualHoursPage.loader as Handler,
          await getRequest(`/manage/hours?personId=${volunteer.personId}`, { token: coordinator.token }),
        );
        expect((staffView.body as { entries: unknown[] }).entries).toEqual([expect.objectContaining({ duration: "1 小时 30 分", note: "" })]);
        // The volunteer's own hours page marks them as entered by staff, in November 2026.
        const mine = await callSafely(hoursPage.loader as Handler, await getRequest("/shifts/hours?year=2026", { token: volunteer.token }));
        const { rows, totals } = mine.body as {
          rows: { month: number; attended: string; manual: string; total: string; hasManual: boolean }[];
          totals: Record<string, string>;
        };
        expect(rows[10]).toEqual({ month: 11, attended: "—", manual: "1 小时 30 分", total: "1 小时 30 分", hasManual: true });
        expect(rows.filter((r) => r.hasManual)).toHaveLength(1);
        expect(totals).toEqual({ attended: "—", manual: "1 小时 30 分", total: "1 小时 30 分" });
        // Another year has none.
        const other = await callSafely(hoursPage.loader as Handler, await getRequest("/shifts/hours?year=2025", { token: volunteer.token }));
        expect((other.body as { totals: Record<string, string> }).totals.total).toBe("—");
      });
    });

    describe("hours CSV", () => {
      const csv = (search: string) => getRequest(`/manage/hours.csv${search}`, { token: admin.token });
      it("refuses a bad grouping or range with 400 and the message", async () => {
        for (const search of [
          "?by=team&from=2026-01-01&to=2026-12-31",
          "?by=person&from=2026-12-31&to=2026-01-01",
          "?by=person&from=2026-02-30&to=2026-03-01",
          "?by=group",
          "?by=person&from=2020-01-01&to=2026-01-01",
          "?by=person&from=2026-13-01&to=2026-12-31",
          "?by=person&from=2026-01-01&to=2026-00-10",
          "?by=person&from=2026-01-99&to=2026-12-31",
        ]) {
          const result = await callSafely(hoursCsv.loader as Handler, await csv(search));
          expect(result.status, search).toBe(400);
          expect(result.body).toBe(msg("manualHours.badRange"));
        }
      });
      it("exports with a BOM and neutralised formula cells", async () => {
        const formula = await makeVolunteer(t.db, stationId, { name: "=HYPERLINK(1)" });
        const added = await callSafely(
          manualHoursPage.action as Handler,
          await postRequest(
            "/manage/hours",
            { personId: String(formula.personId), workDate: "2026-11-21", minutes: "30", note: "" },
            { token: coordinator.token },
          ),
        );
        expect(added.status).toBe(302);
        const response = (await hoursCsv.loader({
          request: await csv("?by=person&from=2026-11-01&to=2026-11-30"),
          params: {},
          context: {},
        })) as Response;
        expect(response.status).toBe(200);
        expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
        // The BOM's bytes (a TextDecoder would hide it), so Excel reads the file as UTF-8.
        const body = new TextDecoder("utf-8", { ignoreBOM: true }).decode(new Uint8Array(await response.arrayBuffer()));
        expect(body.startsWith("\uFEFF姓名,班次数,出勤小时,补记小时,合计小时\r\n")).toBe(true);
        expect(body).toContain("王阿姨,0,0.00,1.50,1.50\r\n");
        expect(body).toContain("'=HYPERLINK(1),0,0.00,0.50,0.50\r\n");
      });
      it("exports per group in the user's language, summing the members' hours", async () => {
        const [group] = await t.db
          .insert(serviceGroups)
          .values({ stationId, nameZh: "健康服务组", nameEn: "Health team" })
          .returning({ id: serviceGroups.id });
        await t.db.insert(serviceGroupMembers).values([
          { groupId: group!.id, personId: volunteer.personId },
          { groupId: group!.id, personId: otherVolunteer.personId },
        ]);
        for (const [locale, line] of [
          ["zh-CN", "健康服务组,2,0.00,1.50,1.50"],
          ["en", "Health team,2,0.00,1.50,1.50"],
        ] as const) {
          const request = await getRequest("/manage/hours.csv?by=group&from=2026-11-01&to=2026-11-30", { token: admin.token, locale });
          const response = (await hoursCsv.loader({ request, params: {}, context: {} })) as Response;
          const rows = (await response.text()).split("\r\n");
          expect(rows[0]).toBe(locale === "en" ? "Group,People,Hours attended,Hours entered,Total hours" : "小组,人数,出勤小时,补记小时,合计小时");
          expect(rows).toContain(line);
        }
      });
    });
  });
}
