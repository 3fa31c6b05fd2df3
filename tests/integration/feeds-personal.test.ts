// A person's own calendar feed at /feeds/me/<token>.ics: made, replaced and turned off from
// the account page; read back with ical.js, node-ical and Python's icalendar.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, like } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makeSession, ZONE } from "../support/signup-fixtures";
import { getRequest, postRequest } from "../support/requests";
import { callSafely, text, type Handler } from "../support/routes-kit";
import { cancelSignup, signUp } from "../../models/signups";
import { updateSession } from "../../models/sessions";
import { auditLog, feedTokens, people } from "../../models/db/schema";
import * as personalFeed from "../../app/routes/feeds.me.$token[.]ics";
import * as account from "../../app/routes/account";
import { iso, parseAll, skipWithoutPython, structureProblems } from "./feeds-parsers";

const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");

for (const backend of backends) {
  describe(`personal feed on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let me: Awaited<ReturnType<typeof makeActor>>;
    let other: Awaited<ReturnType<typeof makeActor>>;
    const ids = { confirmed: 0, waitlisted: 0, cancelled: 0, othersOnly: 0 };
    let confirmedStarts: Date;
    const uid = (id: number) => `session-${id}-me@fuwen.hearth`;

    const feed = (token: string, headers: Record<string, string> = {}) =>
      getRequest(`/feeds/me/${token}.ics`, { headers }).then((request) => callSafely(personalFeed.loader as Handler, request, { token }));
    const act = (intent: string, who = me) =>
      postRequest("/account", { intent }, { token: who.token }).then((request) => callSafely(account.action as Handler, request));
    async function createLink(who = me) {
      const result = await act("create-feed", who);
      expect(result.status).toBe(200);
      const links = (result.body as { feed: { url: string; webcal: string; qr: string } }).feed;
      const token = /\/feeds\/me\/([A-Za-z0-9_-]+)\.ics$/.exec(links.url)![1]!;
      return { ...links, token };
    }

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      me = await makeActor(t.db, stationId, ["resident"], "林秀珍");
      other = await makeActor(t.db, stationId, ["resident"], "张建国");
      await t.db.update(people).set({ phone: "13912345678", needs: "需要轮椅" }).where(eq(people.id, me.personId));
      const a = await makeSession(t.db, stationId, { capacity: 5, daysAhead: 3, title: "公益义诊" });
      const b = await makeSession(t.db, stationId, { capacity: 1, daysAhead: 4, title: "血压测量" });
      const c = await makeSession(t.db, stationId, { capacity: 5, daysAhead: 5, title: "中医讲座" });
      const d = await makeSession(t.db, stationId, { capacity: 5, daysAhead: 6, title: "别人的活动" });
      Object.assign(ids, { confirmed: a.sessionId, waitlisted: b.sessionId, cancelled: c.sessionId, othersOnly: d.sessionId });
      confirmedStarts = a.startsAt;
      const mine = { stationId, actor: me };
      const theirs = { stationId, actor: other };
      await signUp(t.db, mine, { sessionId: a.sessionId, personId: me.personId, partySize: 1 });
      await signUp(t.db, theirs, { sessionId: b.sessionId, personId: other.personId, partySize: 1 });
      expect((await signUp(t.db, mine, { sessionId: b.sessionId, personId: me.personId, partySize: 1 })).status).toBe("waitlisted");
      const gone = await signUp(t.db, mine, { sessionId: c.sessionId, personId: me.personId, partySize: 1 });
      await cancelSignup(t.db, mine, gone.id);
      await signUp(t.db, theirs, { sessionId: d.sessionId, personId: other.personId, partySize: 1 });
    });

    it("lists the person's confirmed and waitlisted signups, nobody else's, at the right instants", async (context) => {
      const { token, url, webcal, qr } = await createLink();
      expect(token).toHaveLength(43);
      expect(url).toBe(`http://localhost:3000/feeds/me/${token}.ics`);
      expect(webcal).toBe(`webcal://localhost:3000/feeds/me/${token}.ics`);
      expect(qr).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);

      const result = await feed(token);
      expect(result.status).toBe(200);
      expect(result.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
      expect(result.headers.get("Cache-Control")).toBe("private, max-age=300");
      const body = String(result.body);
      // 09:00 in Shanghai is 01:00 UTC the same day.
      const expected = iso(confirmedStarts);
      expect(expected).toBe(`${DateTime.fromJSDate(confirmedStarts, { zone: ZONE }).toISODate()}T01:00:00Z`);
      // Two hours long: 11:00 Shanghai, 03:00 UTC.
      const expectedEnd = iso(new Date(confirmedStarts.getTime() + 2 * 3600_000));
      const parsed = parseAll(body);
      for (const { parser, events: all } of parsed) {
        expect(Object.keys(all).sort(), parser).toEqual([uid(ids.confirmed), uid(ids.waitlisted)].sort());
        expect(all[uid(ids.confirmed)], parser).toMatchObject({ start: expected, end: expectedEnd, status: "CONFIRMED", summary: "公益义诊" });
        expect(all[uid(ids.waitlisted)], parser).toMatchObject({ status: "TENTATIVE", summary: "血压测量" });
      }
      for (const secret of ["13912345678", "轮椅", "林秀珍", "张建国", "中医讲座", "别人的活动"]) expect(body).not.toContain(secret);
      expect(body).toContain("BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai");
      expect(body).toMatch(/\r\nDTSTART;TZID=Asia\/Shanghai:\d{8}T090000\r\n/);
      expect(structureProblems(body)).toEqual([]);
      skipWithoutPython(context);
    });

    it("moves a session under the same UID with a higher SEQUENCE, for every parser", async () => {
      const { token } = await createLink();
      const before = parseAll(String((await feed(token)).body));
      const later = new Date(confirmedStarts.getTime() + 90 * 60_000);
      const staff = { stationId, actorAccountId: (await makeActor(t.db, stationId, ["coordinator"])).accountId };
      await updateSession(t.db, staff, ids.confirmed, { startsAt: later });
      const body = String((await feed(token)).body);
      const after = parseAll(body);
      expect(after.length).toBe(before.length);
      for (const [i, { parser, events }] of after.entries()) {
        const was = before[i]!.events[uid(ids.confirmed)]!;
        const now = events[uid(ids.confirmed)]!;
        expect(now.sequence, parser).toBeGreaterThan(was.sequence);
        // 10:30 Shanghai is 02:30 UTC.
        expect(now.start, parser).toBe(iso(later));
        expect(DateTime.fromISO(now.start, { zone: ZONE }).toFormat("HH:mm"), parser).toBe("10:30");
      }
      expect(structureProblems(body)).toEqual([]);
      for (const secret of ["13912345678", "轮椅", "林秀珍"]) expect(body).not.toContain(secret);
      // Put it back, so the other tests see the session where it was made.
      await updateSession(t.db, staff, ids.confirmed, { startsAt: confirmedStarts });
    });

    it("stores only the token's hash", async () => {
      const { token } = await createLink();
      const rows = await t.db.select().from(feedTokens).where(eq(feedTokens.accountId, me.accountId));
      const live = rows.filter((r) => r.revokedAt === null);
      expect(live).toHaveLength(1);
      expect(live[0]!.tokenHash).toBe(sha256(token));
      expect(JSON.stringify(rows)).not.toContain(token);
    });

    it("answers 304 to its ETag, and changes the ETag when the person signs up again", async () => {
      const { token } = await createLink();
      const first = await feed(token);
      const etag = first.headers.get("ETag")!;
      expect(etag).toMatch(/^"me-[\w-]+"$/);
      const again = await feed(token, { "If-None-Match": etag });
      expect(again.status).toBe(304);
      expect(again.body).toBe("");

      await signUp(t.db, { stationId, actor: me }, { sessionId: ids.othersOnly, personId: me.personId, partySize: 1 });
      const changed = await feed(token, { "If-None-Match": etag });
      expect(changed.status).toBe(200);
      expect(changed.headers.get("ETag")).not.toBe(etag);
      expect(String(changed.body)).toContain(`UID:${uid(ids.othersOnly)}`);
      // The other person's feed is their own: it does not carry my bookings.
      const theirs = await createLink(other);
      const otherBody = String((await feed(theirs.token)).body);
      expect(otherBody).not.toContain(uid(ids.confirmed));
      expect(otherBody).toContain(uid(ids.othersOnly));
    });

    it("replacing the link kills the old URL; turning it off kills the new one", async () => {
      const old = await createLink();
      expect((await feed(old.token)).status).toBe(200);
      const fresh = await createLink();
      expect(fresh.token).not.toBe(old.token);
      expect((await feed(old.token)).status).toBe(404);
      expect((await feed(fresh.token)).status).toBe(200);

      const page = await callSafely(account.loader as Handler, await getRequest("/account", { token: me.token }));
      expect((page.body as { feedSince: string | null }).feedSince).toEqual(expect.any(String));
      expect(JSON.stringify(page.body)).not.toContain(fresh.token);

      const off = await act("revoke-feed");
      expect(off.status).toBe(200);
      expect(off.body).toEqual({ ok: true, feedRevoked: true });
      const gone = await feed(fresh.token);
      expect(gone.status).toBe(404);
      expect(gone.body).toBe(text("zh-CN", "error.notFound"));
      const after = await callSafely(account.loader as Handler, await getRequest("/account", { token: me.token }));
      expect((after.body as { feedSince: string | null }).feedSince).toBeNull();
    });

    it("answers 404 in Chinese to an unknown or malformed token", async () => {
      for (const token of [crypto.randomBytes(32).toString("base64url"), "short", "x".repeat(200)]) {
        const result = await feed(token);
        expect(result.status).toBe(404);
        expect(result.body).toBe(text("zh-CN", "error.notFound"));
      }
    });

    it("writes an audit row for each create, replace and turn-off", async () => {
      const someone = await makeActor(t.db, stationId, ["resident"]);
      await createLink(someone);
      await createLink(someone);
      await act("revoke-feed", someone);
      const rows = await t.db
        .select({ action: auditLog.action })
        .from(auditLog)
        .where(and(eq(auditLog.actorAccountId, someone.accountId), like(auditLog.action, "feed_token.%")));
      expect(rows.map((r) => r.action).sort()).toEqual(["feed_token.create", "feed_token.regenerate", "feed_token.revoke"]);
    });
  });
}
