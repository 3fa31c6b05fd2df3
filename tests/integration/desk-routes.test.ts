// The front desk's pages and API routes (ADR 10's contract) over the real guard and models:
// who may open what, what each action writes, and that every refusal is a 4xx in words.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { makeDeskVolunteer } from "../support/desk-fixtures";
import { makeApiUser } from "../support/api-fixtures";
import { getRequest } from "../support/requests";
import { refusal, stationDate, text, loadRoute as page, submitRoute as post } from "../support/routes-kit";
import { callApi, expectError } from "../support/api-requests";
import { signUp } from "../../models/signups";
import { checkinCodeFor } from "../../models/desk/codes";
import { listServiceLines, insertServiceLines, DEFAULT_SERVICE_LINES } from "../../models/desk/service-lines";
import { sessions, signups, visits } from "../../models/db/schema";
import type { Actor } from "../../models/permissions";
import * as sheet from "../../app/routes/manage.sessions.$id_.checkin/route";
import * as byCode from "../../app/routes/checkin.$sessionId.$code";
import * as desk from "../../app/routes/desk/route";
import * as reports from "../../app/routes/manage.reports/route";
import * as bookings from "../../app/routes/bookings";
import * as attendees from "../../app/routes/manage.sessions.$id_.attendees";
import * as book from "../../app/routes/manage.sessions.$id_.book";
import * as lines from "../../app/routes/manage.service-lines";
import * as reportCsv from "../../app/routes/manage.reports[.]csv";
import * as reportJson from "../../app/routes/manage.reports[.]json";

const MINUTE = 60_000;

for (const backend of backends) {
  describe(`front-desk routes on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Actor & { token: string };
    let resident: Actor & { token: string };

    /** A session that began 10 minutes ago with `n` people booked (one place each), and its desk volunteer. */
    async function startedSession(n: number, capacity = 10) {
      const s = await makeSession(t.db, stationId, { capacity, maxPartySize: 3 });
      const ids = await makePeople(t.db, stationId, n, `签到${s.sessionId}号`);
      const signupIds: number[] = [];
      for (const personId of ids)
        signupIds.push((await signUp(t.db, { stationId, actor: coordinator }, { sessionId: s.sessionId, personId, partySize: 1 })).id);
      const startsAt = new Date(Date.now() - 10 * MINUTE);
      await t.db
        .update(sessions)
        .set({ startsAt, endsAt: new Date(startsAt.getTime() + 120 * MINUTE) })
        .where(eq(sessions.id, s.sessionId));
      const volunteer = await makeDeskVolunteer(t.db, stationId, s.sessionId);
      return { sessionId: s.sessionId, personIds: ids, signupIds, volunteer };
    }
    const attendanceOf = async (signupId: number) => (await t.db.select().from(signups).where(eq(signups.id, signupId)))[0]!;

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"]);
      resident = await makeActor(t.db, stationId, [], "王德福");
      if ((await listServiceLines(t.db, stationId)).length === 0) await insertServiceLines(t.db, stationId, DEFAULT_SERVICE_LINES);
    });

    it("opens the check-in sheet to staff and the session's desk volunteer, and to no one else", async () => {
      const s = await startedSession(2);
      const path = `/manage/sessions/${s.sessionId}/checkin`;
      const params = { id: String(s.sessionId) };
      const staff = await page(sheet, path, coordinator.token, params);
      expect(staff.status).toBe(200);
      const body = staff.body as { rows: { needs: string | null }[]; staff: boolean; summary: { expected: number } };
      expect(body.rows).toHaveLength(2);
      expect(body.staff).toBe(true);
      expect(body.summary.expected).toBe(2);
      expect((await page(sheet, path, s.volunteer.token, params)).status).toBe(200);
      // Another session's desk volunteer, a resident: 403 in words; anonymous: to the sign-in page.
      const other = await startedSession(1);
      // The model refuses a volunteer of another desk; the guard a resident, naming who may.
      const elsewhere = await page(sheet, path, other.volunteer.token, params);
      expect(elsewhere.status).toBe(403);
      expect(elsewhere.body).toBe(text("zh-CN", "error.not_allowed"));
      const refused = await page(sheet, path, resident.token, params);
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual(refusal("zh-CN", ["volunteer", "coordinator", "admin"]));
      const anonymous = await page(sheet, path, undefined, params);
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get("Location")).toContain("/login?redirectTo=");
      expect((await page(sheet, `/manage/sessions/99999999/checkin`, coordinator.token, { id: "99999999" })).status).toBe(404);
    });

    it("checks in with one tap, twice is harmless, undo takes it back; the search finds by the last 4 phone digits", async () => {
      const s = await startedSession(3);
      const path = `/manage/sessions/${s.sessionId}/checkin`;
      const params = { id: String(s.sessionId) };
      const first = await post(sheet, path, { intent: "checkin", personId: String(s.personIds[0]), name: "甲" }, s.volunteer.token, params);
      expect(first.status, String(first.body)).toBe(200);
      expect((first.body as { message: string }).message).toBe(text("zh-CN", "checkin.done", { name: "甲", count: 1 }));
      expect(await attendanceOf(s.signupIds[0]!)).toMatchObject({ attendance: "attended", attendedCount: 1 });
      const again = await post(sheet, path, { intent: "checkin", personId: String(s.personIds[0]), name: "甲" }, s.volunteer.token, params);
      expect((again.body as { message: string }).message).toBe(text("zh-CN", "checkin.already", { name: "甲" }));
      const undo = await post(sheet, path, { intent: "undo", personId: String(s.personIds[0]) }, s.volunteer.token, params);
      expect((undo.body as { message: string }).message).toBe(text("zh-CN", "checkin.undone"));
      expect((await attendanceOf(s.signupIds[0]!)).attendance).toBeNull();

      await t.db.execute(sql`UPDATE people SET phone = '13800005678' WHERE id = ${s.personIds[1]!}`);
      const found = await page(sheet, `${path}?q=5678`, coordinator.token, params);
      expect((found.body as { rows: { personId: number }[] }).rows.map((r) => r.personId)).toEqual([s.personIds[1]]);
    });

    it("refuses bad sheet input with a 400 in words and writes nothing", async () => {
      const s = await startedSession(1);
      const path = `/manage/sessions/${s.sessionId}/checkin`;
      const params = { id: String(s.sessionId) };
      const forms: Record<string, string>[] = [
        { intent: "checkin", personId: "abc" },
        { intent: "checkin", personId: "99999999999" },
        { intent: "teleport" },
        { intent: "walkin", fullName: "", partySize: "1" },
        { intent: "walkin", fullName: "张三", partySize: "99" },
        { intent: "excuse", signupId: String(s.signupIds[0]), reason: "" },
      ];
      for (const form of forms) {
        const reply = await post(sheet, path, form, coordinator.token, params);
        expect(reply.status, JSON.stringify(form)).toBe(400);
        expect((reply.body as { formError: string }).formError).toBe(text("zh-CN", "error.form"));
      }
      expect((await attendanceOf(s.signupIds[0]!)).attendance).toBeNull();
      // A person of no booking and no such id: the model's 404, in words.
      const ghost = await post(sheet, path, { intent: "checkin", personId: "99999999" }, coordinator.token, params);
      expect(ghost.status).toBe(404);
    });

    it("seats a walk-in, stops the desk volunteer at the capacity, lets staff past it and says so", async () => {
      const s = await startedSession(2, 2);
      const path = `/manage/sessions/${s.sessionId}/checkin`;
      const params = { id: String(s.sessionId) };
      const walkIn = { intent: "walkin", fullName: "李桂英", phone: "13900001111", birthYear: "1950", partySize: "1" };
      const volunteer = await post(sheet, path, walkIn, s.volunteer.token, params);
      expect(volunteer.status).toBe(409);
      expect((volunteer.body as { formError: string }).formError).toBe(text("zh-CN", "error.checkin_over_capacity", { capacity: 2 }));
      const staff = await post(sheet, path, walkIn, coordinator.token, params);
      expect(staff.status, JSON.stringify(staff.body)).toBe(200);
      const message = (staff.body as { message: string }).message;
      expect(message).toContain(text("zh-CN", "checkin.seatedAtDoor"));
      expect(message).toContain(text("zh-CN", "checkin.overCapacity", { expected: 3, capacity: 2 }));
      expect(message).toContain(text("zh-CN", "checkin.registered"));
      const view = (await page(sheet, path, coordinator.token, params)).body as { summary: { arrived: number; expected: number } };
      expect(view.summary).toMatchObject({ arrived: 1, expected: 3 });
    });

    it("结束签到 is staff's: the rest become no-shows; an excuse is recorded after it", async () => {
      const s = await startedSession(2);
      const path = `/manage/sessions/${s.sessionId}/checkin`;
      const params = { id: String(s.sessionId) };
      await post(sheet, path, { intent: "checkin", personId: String(s.personIds[0]) }, coordinator.token, params);
      expect((await post(sheet, path, { intent: "close" }, s.volunteer.token, params)).status).toBe(403);
      const closed = await post(sheet, path, { intent: "close" }, coordinator.token, params);
      expect((closed.body as { message: string }).message).toBe(text("zh-CN", "checkin.closed", { attended: 1, noShows: 1 }));
      expect((await attendanceOf(s.signupIds[1]!)).attendance).toBe("no_show");
      const again = await post(sheet, path, { intent: "close" }, coordinator.token, params);
      expect((again.body as { message: string }).message).toBe(text("zh-CN", "checkin.alreadyClosed"));
      const excused = await post(sheet, path, { intent: "excuse", signupId: String(s.signupIds[1]), reason: "住院" }, coordinator.token, params);
      expect(excused.status).toBe(200);
      expect(await attendanceOf(s.signupIds[1]!)).toMatchObject({ attendance: "no_show_excused", attendanceReason: "住院" });
      // After the close the volunteer may no longer change the sheet.
      const late = await post(sheet, path, { intent: "checkin", personId: String(s.personIds[1]) }, s.volunteer.token, params);
      expect(late.status).toBe(409);
      expect((late.body as { formError: string }).formError).toBe(text("zh-CN", "error.checkin_closed"));
    });

    it("the QR landing checks the holder in for staff only; any bad code is one 404", async () => {
      const s = await startedSession(2);
      const code = (await checkinCodeFor(t.db, stationId, s.signupIds[0]!))!;
      const path = `/checkin/${s.sessionId}/${code}`;
      const params = { sessionId: String(s.sessionId), code };
      // The resident opening the mail's link learns nothing and changes nothing.
      const own = await page(byCode, path, resident.token, params);
      expect(own.status).toBe(200);
      expect(own.body).toEqual({ staff: false, pageTitle: text("zh-CN", "checkinCode.show") });
      expect((await attendanceOf(s.signupIds[0]!)).attendance).toBeNull();
      const scanned = await page(byCode, path, coordinator.token, params);
      expect(scanned.status).toBe(200);
      expect(scanned.body).toMatchObject({ staff: true, personId: s.personIds[0], partySize: 1, already: false });
      expect((await attendanceOf(s.signupIds[0]!)).attendance).toBe("attended");
      expect((await page(byCode, path, coordinator.token, params)).body).toMatchObject({ already: true });
      // Forged, for another session, and cancelled: the same 404, nothing written.
      const other = (await checkinCodeFor(t.db, stationId, s.signupIds[1]!))!;
      const forged = other.slice(0, -2) + (other.endsWith("AA") ? "BB" : "AA");
      for (const [sessionId, c] of [
        [s.sessionId, forged],
        [s.sessionId + 100000, other],
        [s.sessionId, "not-a-code"],
      ] as const) {
        const reply = await page(byCode, `/checkin/${sessionId}/${c}`, coordinator.token, { sessionId: String(sessionId), code: c });
        expect(reply.status, c).toBe(404);
      }
      // Cancelled (a started session's signup can no longer be cancelled through the model: marked as if it was before).
      await t.db.update(signups).set({ status: "cancelled", cancelledAt: new Date() }).where(eq(signups.id, s.signupIds[1]!));
      expect(
        (await page(byCode, `/checkin/${s.sessionId}/${other}`, coordinator.token, { sessionId: String(s.sessionId), code: other })).status,
      ).toBe(404);
      expect((await attendanceOf(s.signupIds[1]!)).attendance).toBeNull();
    });

    it("我的预约 carries a check-in QR for a coming confirmed booking only", async () => {
      // On two days: nobody is in two places at once.
      const coming = await makeSession(t.db, stationId, { capacity: 1, daysAhead: 4 });
      const booked = await signUp(t.db, { stationId, actor: resident }, { sessionId: coming.sessionId, personId: resident.personId, partySize: 1 });
      const full = await makeSession(t.db, stationId, { capacity: 1, daysAhead: 5 });
      const [someone] = await makePeople(t.db, stationId, 1, "占位");
      await signUp(t.db, { stationId, actor: coordinator }, { sessionId: full.sessionId, personId: someone!, partySize: 1 });
      const waiting = await signUp(t.db, { stationId, actor: resident }, { sessionId: full.sessionId, personId: resident.personId, partySize: 1 });
      expect(waiting.status).toBe("waitlisted");
      const view = (await page(bookings, "/bookings", resident.token)).body as { upcoming: { id: number; checkinQr: string | null }[] };
      const qrOf = (id: number) => view.upcoming.find((b) => b.id === id)!.checkinQr;
      expect(qrOf(booked.id)).toMatch(/^<svg /);
      expect(qrOf(waiting.id)).toBeNull();
    });

    it("once a session has begun, staff see attendance and recent no-shows, and 代人报名 is no longer offered or taken", async () => {
      const s = await startedSession(2);
      const params = { id: String(s.sessionId) };
      // The first person missed an earlier session (last week): one no-show in 90 days.
      const earlier = await startedSession(1);
      const lastWeek = new Date(Date.now() - 7 * 24 * 60 * MINUTE);
      await t.db
        .update(sessions)
        .set({ startsAt: lastWeek, endsAt: new Date(lastWeek.getTime() + 120 * MINUTE) })
        .where(eq(sessions.id, earlier.sessionId));
      await t.db
        .update(signups)
        .set({ personId: s.personIds[0]!, attendance: "no_show", attendanceAt: lastWeek })
        .where(eq(signups.id, earlier.signupIds[0]!));
      await post(
        sheet,
        `/manage/sessions/${s.sessionId}/checkin`,
        { intent: "checkin", personId: String(s.personIds[1]) },
        coordinator.token,
        params,
      );
      const list = (await page(attendees, `/manage/sessions/${s.sessionId}/attendees`, coordinator.token, params)).body as {
        session: { started: boolean };
        confirmed: { personId: number; noShows: number; attendance: string | null; canCancel: boolean }[];
      };
      expect(list.session.started).toBe(true);
      const row = (personId: number) => list.confirmed.find((r) => r.personId === personId)!;
      expect(row(s.personIds[0]!)).toMatchObject({ noShows: 1, attendance: null, canCancel: false });
      expect(row(s.personIds[1]!)).toMatchObject({ noShows: 0, attendance: "attended", canCancel: false });
      // The proxy-booking page says it has begun; its search still shows bookings and no-shows, in one batch.
      const found = (
        await page(book, `/manage/sessions/${s.sessionId}/book?q=${encodeURIComponent(`签到${s.sessionId}号`)}`, coordinator.token, params)
      ).body as { session: { started: boolean }; people: { id: number; booking: { status: string } | null; noShows: number }[] };
      expect(found.session.started).toBe(true);
      expect(found.people.find((p) => p.id === s.personIds[0])).toMatchObject({ booking: { status: "confirmed" }, noShows: 1 });
      const [stranger] = await makePeople(t.db, stationId, 1, "迟到");
      const late = await post(
        book,
        `/manage/sessions/${s.sessionId}/book`,
        { intent: "book", personId: String(stranger), partySize: "1" },
        coordinator.token,
        params,
      );
      expect(late.status).toBe(409);
      expect(await t.db.select().from(signups).where(eq(signups.personId, stranger!))).toHaveLength(0);
    });

    it("the tally counts a tap per line for volunteers and staff; residents are refused; undo is one's own", async () => {
      const volunteer = await makeActor(t.db, stationId, ["volunteer"], "前台志愿者");
      const [line] = await listServiceLines(t.db, stationId);
      const before = (await page(desk, "/desk", volunteer.token)).body as { lines: { id: number; today: number }[] };
      const todayBefore = before.lines.find((l) => l.id === line!.id)!.today;
      const tapped = await post(desk, "/desk", { intent: "tally", serviceLineId: String(line!.id), count: "3" }, volunteer.token);
      expect((tapped.body as { message: string }).message).toBe(text("zh-CN", "tally.done", { count: 3 }));
      const after = (await page(desk, "/desk", volunteer.token)).body as {
        lines: { id: number; today: number }[];
        recent: { id: number; mine: boolean }[];
      };
      expect(after.lines.find((l) => l.id === line!.id)!.today).toBe(todayBefore + 3);
      expect((await page(desk, "/desk", resident.token)).status).toBe(403);
      expect((await post(desk, "/desk", { intent: "tally", serviceLineId: String(line!.id), count: "1" }, resident.token)).status).toBe(403);
      expect((await post(desk, "/desk", { intent: "tally", serviceLineId: String(line!.id), count: "0" }, volunteer.token)).status).toBe(400);
      const mine = after.recent.find((v) => v.mine)!;
      const other = await makeActor(t.db, stationId, ["volunteer"], "另一位志愿者");
      expect((await post(desk, "/desk", { intent: "undo", visitId: String(mine.id) }, other.token)).status).toBe(403);
      expect((await post(desk, "/desk", { intent: "undo", visitId: String(mine.id) }, volunteer.token)).status).toBe(200);
      expect(await t.db.select().from(visits).where(eq(visits.id, mine.id))).toHaveLength(0);

      // A tap for a resident found by name: the visit names them; the desk sees only the phone's last four digits.
      const [served] = await makePeople(t.db, stationId, 1, "来访居民");
      await t.db.execute(sql`UPDATE people SET phone = '13700009876' WHERE id = ${served!}`);
      const search = (await page(desk, `/desk?q=${encodeURIComponent("来访居民")}`, volunteer.token)).body as { found: Record<string, unknown>[] };
      expect(search.found).toEqual([{ id: served, name: "来访居民1", born: null, phoneLast4: "9876" }]);
      const chosen = (await page(desk, `/desk?person=${served}`, volunteer.token)).body as { person: { id: number; name: string } };
      expect(chosen.person).toEqual({ id: served, name: "来访居民1" });
      const forPerson = await post(
        desk,
        "/desk",
        { intent: "tally", serviceLineId: String(line!.id), count: "1", personId: String(served) },
        volunteer.token,
      );
      expect(forPerson.body).toMatchObject({ ok: true, forPerson: true, message: text("zh-CN", "tally.doneForPerson", { count: 1 }) });
      expect(await t.db.select({ personId: visits.personId }).from(visits).where(eq(visits.personId, served!))).toEqual([{ personId: served }]);
    });

    it("admins add a service line and remove one; a duplicate live name is a 409 in words; the tally no longer shows a removed line", async () => {
      const admin = await makeActor(t.db, stationId, ["admin"]);
      const addOxygen = () =>
        post(lines, "/manage/service-lines", { intent: "create", nameZh: "量血氧", nameEn: "Oxygen", reportingLine: "健康监测" }, admin.token);
      const added = await addOxygen();
      expect(added.status).toBe(200);
      const twice = await addOxygen();
      expect(twice.status).toBe(409);
      expect((twice.body as { formError: string }).formError).toBe(text("zh-CN", "error.service_line_exists"));
      const line = (await listServiceLines(t.db, stationId)).find((l) => l.nameZh === "量血氧")!;
      expect((await post(lines, "/manage/service-lines", { intent: "remove", lineId: String(line.id) }, admin.token)).status).toBe(200);
      const volunteer = await makeActor(t.db, stationId, ["volunteer"]);
      const tally = (await page(desk, "/desk", volunteer.token)).body as { lines: { id: number }[] };
      expect(tally.lines.map((l) => l.id)).not.toContain(line.id);
      expect(
        (await post(lines, "/manage/service-lines", { intent: "create", nameZh: "", nameEn: "x", reportingLine: "y" }, admin.token)).status,
      ).toBe(400);
    });

    it("the monthly figures are staff's; a bad or future month is a 422 page in words", async () => {
      const ok = await page(reports, "/manage/reports", coordinator.token);
      expect(ok.status).toBe(200);
      expect((ok.body as { month: { figures: { held: number } } }).month.figures.held).toBeGreaterThanOrEqual(0);
      expect((await page(reports, "/manage/reports", resident.token)).status).toBe(403);
      for (const month of ["2026-13", "abc", "2999-01"]) {
        const bad = await page(reports, `/manage/reports?month=${month}`, coordinator.token);
        expect(bad.status, month).toBe(422);
        expect(bad.body).toBe(text("zh-CN", "error.report_period_invalid"));
      }
    });

    it("the 月报 downloads as CSV (BOM, formula cells neutralised) and JSON; a bad month is a 422 in words", async () => {
      const admin = await makeActor(t.db, stationId, ["admin"]);
      await post(lines, "/manage/service-lines", { intent: "create", nameZh: "=SUM(A1)", nameEn: "Formula", reportingLine: "+测试" }, admin.token);
      const line = (await listServiceLines(t.db, stationId)).find((l) => l.nameZh === "=SUM(A1)")!;
      await t.db.insert(visits).values({
        stationId,
        serviceLineId: line.id,
        localDay: stationDate(0),
        count: 4,
        recordedByAccountId: coordinator.accountId,
        at: new Date(),
      });
      const month = stationDate(0).slice(0, 7);
      const csv = await page(reportCsv, `/manage/reports.csv?month=${month}`, coordinator.token);
      expect(csv.status).toBe(200);
      expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
      const body = csv.body as string;
      // The BOM, in the bytes (Response.text() drops it when it decodes).
      const raw = new Uint8Array(
        await (
          await reportCsv.loader({
            request: await getRequest(`/manage/reports.csv?month=${month}`, { token: coordinator.token }),
            params: {},
            context: {},
          } as never)
        ).arrayBuffer(),
      );
      expect([...raw.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(body).toContain(`${text("zh-CN", "report.heading")},${month}`);
      // The formula-like name and reporting line are text in a spreadsheet, never run.
      expect(body).toContain("'=SUM(A1),'+测试,4");
      const json = await page(reportJson, `/manage/reports.json?month=${month}`, coordinator.token);
      expect(JSON.parse(json.body as string)).toMatchObject({
        month,
        visits: expect.arrayContaining([expect.objectContaining({ serviceLineId: line.id, count: 4 })]),
      });
      for (const mod of [reportCsv, reportJson]) {
        const bad = await page(mod, "/manage/reports.csv?month=2026-13", coordinator.token);
        expect(bad.status).toBe(422);
        expect(bad.body).toBe(text("zh-CN", "error.report_period_invalid"));
      }
      expect((await page(reportCsv, "/manage/reports.csv", resident.token)).status).toBe(403);
    });

    describe("the API", () => {
      it("checks in by person or by code, refuses both or neither, undoes, and staff set attendance", async () => {
        const s = await startedSession(2);
        const staff = await makeApiUser(t.db, stationId, ["coordinator"]);
        const params = { id: String(s.sessionId) };
        const byPerson = await callApi("api.v1.sessions.$id.checkins", "POST", { token: staff.token, params, body: { personId: s.personIds[0] } });
        expect(byPerson.status).toBe(201);
        expect(byPerson.json).toMatchObject({ personId: s.personIds[0], alreadyCheckedIn: false, checkedInAt: expect.stringMatching(/\+08:00$/) });
        const twice = await callApi("api.v1.sessions.$id.checkins", "POST", { token: staff.token, params, body: { personId: s.personIds[0] } });
        expect(twice.status).toBe(200);
        expect(twice.json.alreadyCheckedIn).toBe(true);
        const code = (await checkinCodeFor(t.db, stationId, s.signupIds[1]!))!;
        const both = await callApi("api.v1.sessions.$id.checkins", "POST", { token: staff.token, params, body: { personId: s.personIds[1], code } });
        expectError(both, 422, "invalid_input");
        expectError(await callApi("api.v1.sessions.$id.checkins", "POST", { token: staff.token, params, body: {} }), 422, "invalid_input");
        const scanned = await callApi("api.v1.sessions.$id.checkins", "POST", { token: staff.token, params, body: { code } });
        expect(scanned.status).toBe(201);
        // A resident with a stolen code gets nothing.
        const residentApi = await makeApiUser(t.db, stationId, []);
        expectError(await callApi("api.v1.sessions.$id.checkins", "POST", { token: residentApi.token, params, body: { code } }), 403, "not_allowed");
        const undone = await callApi("api.v1.sessions.$id.checkins.$personId", "DELETE", {
          token: staff.token,
          params: { id: String(s.sessionId), personId: String(s.personIds[1]) },
        });
        expect(undone.json).toEqual({ signupId: s.signupIds[1], attendance: null, walkInRemoved: false });
        const excused = await callApi("api.v1.signups.$id", "PATCH", {
          token: staff.token,
          params: { id: String(s.signupIds[1]) },
          body: { attendance: "no_show_excused", reason: "感冒" },
        });
        expect(excused.json).toEqual({ signupId: s.signupIds[1], attendance: "no_show_excused", attendedCount: null, reason: "感冒" });
        expectError(
          await callApi("api.v1.signups.$id", "PATCH", {
            token: residentApi.token,
            params: { id: String(s.signupIds[1]) },
            body: { attendance: "attended" },
          }),
          403,
        );
        expectError(
          await callApi("api.v1.signups.$id", "PATCH", { token: staff.token, params: { id: String(s.signupIds[1]) }, body: { attendance: "maybe" } }),
          422,
          "invalid_input",
        );
      });

      it("lists service lines, counts and undoes a visit, and answers the monthly figures to staff", async () => {
        const volunteer = await makeApiUser(t.db, stationId, ["volunteer"]);
        const lines = await callApi("api.v1.service-lines", "GET", { token: volunteer.token });
        const first = (lines.json as { serviceLines: { id: number; name: string }[] }).serviceLines[0]!;
        expect(first.name).toBe(DEFAULT_SERVICE_LINES[0].nameZh);
        const visit = await callApi("api.v1.visits", "POST", { token: volunteer.token, body: { serviceLineId: first.id, count: 2 } });
        expect(visit.status).toBe(201);
        expect(visit.json).toMatchObject({ serviceLineId: first.id, count: 2 });
        expectError(
          await callApi("api.v1.visits", "POST", { token: volunteer.token, body: { serviceLineId: first.id, count: 51 } }),
          422,
          "invalid_input",
        );
        const residentApi = await makeApiUser(t.db, stationId, []);
        expectError(await callApi("api.v1.visits", "POST", { token: residentApi.token, body: { serviceLineId: first.id } }), 403);
        const undone = await callApi("api.v1.visits.$id", "DELETE", { token: volunteer.token, params: { id: String(visit.json.id) } });
        expect(undone.json).toEqual({ id: visit.json.id, undone: true });
        expect(
          await t.db
            .select()
            .from(visits)
            .where(and(eq(visits.id, visit.json.id))),
        ).toHaveLength(0);

        const staff = await makeApiUser(t.db, stationId, ["coordinator"]);
        const report = await callApi("api.v1.reports.monthly", "GET", { token: staff.token });
        expect(report.status).toBe(200);
        expect(report.json.month).toMatch(/^\d{4}-\d{2}$/);
        expectError(await callApi("api.v1.reports.monthly", "GET", { token: staff.token, query: "month=2026-13" }), 422, "report_period_invalid");
        expectError(await callApi("api.v1.reports.monthly", "GET", { token: volunteer.token }), 403);
      });
    });
  });
}
