// Logs carry no personal data (ADR 23), seen from outside: database errors whose statements carry
// a canary person's name, phone, email and topic are forced through real routes (a page form, the
// JSON API, a personal feed) over HTTP and through the mail worker, and every line the process
// logs is captured. No line may hold a canary string or token; each failure's line names its
// request id and its error code instead. The failures are the database's own (CHECK, UNIQUE, a
// trigger's RAISE that quotes the values, a missing table, a lock wait running out on PostgreSQL),
// set up by this test for the occasion.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";

await vi.hoisted(async () => {
  const [{ mkdtempSync }, { tmpdir }, { join }] = await Promise.all([import("node:fs"), import("node:os"), import("node:path")]);
  process.env.DATA_DIR = mkdtempSync(join(tmpdir(), "hearth-canary-logs-"));
});

import { backends, useBackend } from "../support/db";
import { ensureStation, TEST_PASSWORD } from "../support/fixtures";
import { makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { makeApiUser } from "../support/api-fixtures";
import { raw, startStack, type Stack } from "../support/http-stack";
import { needlePatterns, needlesIn } from "../support/canary-scan";
import { writeSessionToken } from "../../app/lib/cookies.server";
import { translator } from "../../models/i18n";
import { signUp } from "../../models/signups";
import { regenerateFeedToken } from "../../models/feed-tokens";
import { getConfig } from "../../models/config";
import { outboxTransport } from "../../models/notifications/transport";
import { mailSettings } from "../../models/notifications/render";
import { startWorker } from "../../models/notifications/worker";
import { accounts, people } from "../../models/db/schema";

const CANARY = {
  name: "金丝雀丙LOGNAME",
  phone: "13900004444",
  email: "canary-logs@example.test",
  topic: "CANARYLOGTOPIC",
};

for (const backend of backends) {
  describe(`log lines on ${backend.name}`, () => {
    // A short lock wait, so the lock-timeout case below ends in a moment.
    const t = useBackend(backend, { beforeAll, afterAll }, { lockTimeoutMs: 300 });
    let stack: Stack;
    let stationId = 0;
    let resident: Awaited<ReturnType<typeof makeActor>>;
    let staffToken = "";
    let feedToken = "";
    const lines: string[] = [];
    let needles: ReturnType<typeof needlePatterns>;

    const leaksIn = (text: string) => needlesIn(text, needles);

    beforeAll(async () => {
      for (const method of ["log", "error", "warn", "info", "debug"] as const) {
        vi.spyOn(console, method).mockImplementation(
          (...args: unknown[]) => void lines.push(args.map((a) => (a instanceof Error ? `${a.stack}` : String(a))).join(" ")),
        );
      }
      stationId = (await ensureStation(t.db)).id;
      resident = await makeActor(t.db, stationId, ["resident"], "王秀英");
      staffToken = (await makeApiUser(t.db, stationId, ["coordinator"], "协调员")).token;
      feedToken = (await regenerateFeedToken(t.db, { stationId, accountId: resident.accountId })).token;
      needles = needlePatterns([...Object.values(CANARY), feedToken, resident.token, staffToken]);
      stack = await startStack();
    });

    afterAll(async () => {
      await stack?.close();
      vi.restoreAllMocks();
    });

    /** The lines logged while `work` ran, and its request id (from the answer's X-Request-Id). */
    async function logged(work: () => Promise<{ status: number; headers: Record<string, unknown>; body: string }>) {
      const from = lines.length;
      const reply = await work();
      // The error hook logs after the answer has gone out at the latest on the next turns.
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { reply, requestId: String(reply.headers["x-request-id"]), lines: lines.slice(from) };
    }

    it("a CHECK violation on the account details form: the request id and code, not the name, phone or email", async () => {
      await t.db.execute(
        sql.raw(`ALTER TABLE people ADD CONSTRAINT canary_refused CHECK (position('13900004444' in coalesce(phone, '')) = 0) NOT VALID`),
      );
      const cookie = (await writeSessionToken(new Request("http://localhost/"), resident.token)).split(";")[0]!;
      const form = new URLSearchParams({ fullName: CANARY.name, phone: CANARY.phone, email: CANARY.email, birthYear: "1950" }).toString();
      const {
        reply,
        requestId,
        lines: out,
      } = await logged(() =>
        raw(stack.port, "POST", "/account/details", { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, form),
      );
      await t.db.execute(sql.raw(`ALTER TABLE people DROP CONSTRAINT canary_refused`));
      expect(reply.status).toBe(500);
      expect(leaksIn(reply.body)).toEqual([]);
      expect(out.join("\n")).toContain(requestId);
      expect(out.join("\n")).toContain("code=23514");
      expect(leaksIn(out.join("\n"))).toEqual([]);
      const [person] = await t.db.select({ name: people.fullName }).from(people).where(eq(people.id, resident.personId));
      expect(person!.name).toBe("王秀英");
    });

    it("a unique violation through the JSON API, with a staff token: code, constraint and request id only", async () => {
      const [taken] = await makePeople(t.db, stationId, 1, "先登记");
      await t.db.update(people).set({ phone: CANARY.phone }).where(eq(people.id, taken!));
      await t.db.execute(sql.raw(`CREATE UNIQUE INDEX canary_phone_uq ON people (phone) WHERE phone = '13900004444'`));
      const body = JSON.stringify({ fullName: CANARY.name, phone: CANARY.phone, email: CANARY.email });
      const {
        reply,
        requestId,
        lines: out,
      } = await logged(() =>
        raw(stack.port, "POST", "/api/v1/people", { Authorization: `Bearer ${staffToken}`, "Content-Type": "application/json" }, body),
      );
      await t.db.execute(sql.raw(`DROP INDEX canary_phone_uq`));
      expect(reply.status).toBe(500);
      expect(leaksIn(reply.body)).toEqual([]);
      expect(out.join("\n")).toContain(requestId);
      expect(out.join("\n")).toContain("code=23505");
      expect(out.join("\n")).toContain("constraint=canary_phone_uq");
      expect(leaksIn(out.join("\n"))).toEqual([]);
    });

    it("a trigger's error that quotes the values (the message itself holds them) on the register form", async () => {
      await t.db.execute(
        sql.raw(`CREATE FUNCTION canary_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'refused % % %', NEW.full_name, NEW.phone, NEW.email USING ERRCODE = 'P0001'; END $$`),
      );
      await t.db.execute(sql.raw(`CREATE TRIGGER canary_refuse BEFORE INSERT ON people FOR EACH ROW EXECUTE FUNCTION canary_refuse()`));
      const form = new URLSearchParams({
        fullName: CANARY.name,
        phone: CANARY.phone,
        email: CANARY.email,
        birthYear: "1950",
        password: TEST_PASSWORD,
      });
      const {
        reply,
        requestId,
        lines: out,
      } = await logged(() => raw(stack.port, "POST", "/register", { "Content-Type": "application/x-www-form-urlencoded" }, form.toString()));
      await t.db.execute(sql.raw(`DROP TRIGGER canary_refuse ON people`));
      await t.db.execute(sql.raw(`DROP FUNCTION canary_refuse()`));
      expect(reply.status).toBe(500);
      expect(leaksIn(reply.body)).toEqual([]);
      expect(out.join("\n")).toContain(requestId);
      expect(out.join("\n")).toContain("code=P0001");
      expect(leaksIn(out.join("\n"))).toEqual([]);
      const [account] = await t.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, CANARY.email));
      expect(account).toBeUndefined();
    });

    // Row locks need two connections: PostgreSQL only (PGlite has one).
    if (backend.name === "postgres") {
      it("a lock wait that runs out while the form's update waits for the row: the code, not the values", async () => {
        const cookie = (await writeSessionToken(new Request("http://localhost/"), resident.token)).split(";")[0]!;
        const form = new URLSearchParams({ fullName: CANARY.name, phone: CANARY.phone, email: CANARY.email, birthYear: "1951" }).toString();
        const {
          reply,
          requestId,
          lines: out,
        } = await logged(() =>
          t.db.transaction(async (tx) => {
            await tx.execute(sql`SELECT 1 FROM people WHERE id = ${resident.personId} FOR UPDATE`);
            return raw(stack.port, "POST", "/account/details", { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, form);
          }),
        );
        // A wait that ran out is "busy, try again" (503) in the person's language, not a 500; nothing
        // was written, and whatever was logged about it names no one.
        expect(reply.status).toBe(503);
        expect(reply.body).toContain(translator("zh-CN")("error.busy"));
        expect(leaksIn(reply.body)).toEqual([]);
        expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
        expect(leaksIn(out.join("\n"))).toEqual([]);
      });
    }

    it("a personal feed whose table is missing: the token in the path stays out of the line", async () => {
      await t.db.execute(sql.raw(`ALTER TABLE feed_tokens RENAME TO feed_tokens_away`));
      const { reply, requestId, lines: out } = await logged(() => raw(stack.port, "GET", `/feeds/me/${feedToken}.ics`));
      await t.db.execute(sql.raw(`ALTER TABLE feed_tokens_away RENAME TO feed_tokens`));
      expect(reply.status).toBeGreaterThanOrEqual(500);
      expect(out.join("\n")).toContain(requestId);
      expect(out.join("\n")).toContain("code=42P01");
      expect(leaksIn(out.join("\n"))).toEqual([]);
    });

    it("the mail worker: a refused update whose parameters and message hold the recipient and subject logs only a code", async () => {
      await t.db.update(people).set({ fullName: CANARY.name, email: CANARY.email }).where(eq(people.id, resident.personId));
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 3, daysAhead: 2, title: CANARY.topic });
      await signUp(t.db, { stationId, actor: resident }, { sessionId, personId: resident.personId, partySize: 1 });
      await t.db.execute(
        sql.raw(`CREATE FUNCTION canary_refuse_mail() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN IF NEW.status = 'sent' OR NEW.last_error IS NOT NULL THEN
            RAISE EXCEPTION 'refused mail to % about %', NEW.recipient, NEW.subject USING ERRCODE = 'P0001';
          END IF; RETURN NEW; END $$`),
      );
      await t.db.execute(
        sql.raw(`CREATE TRIGGER canary_refuse_mail BEFORE UPDATE ON notifications FOR EACH ROW EXECUTE FUNCTION canary_refuse_mail()`),
      );
      const from = lines.length;
      const worker = startWorker(t.db, {
        transport: outboxTransport(getConfig()),
        settings: mailSettings(getConfig()),
        retention: false,
        pollSeconds: 3600,
      });
      await worker.stop();
      await t.db.execute(sql.raw(`DROP TRIGGER canary_refuse_mail ON notifications`));
      await t.db.execute(sql.raw(`DROP FUNCTION canary_refuse_mail()`));
      const out = lines.slice(from).join("\n");
      expect(out).toContain("[worker] pass failed");
      expect(out).toContain("code=P0001");
      expect(leaksIn(out)).toEqual([]);
    });

    it("no line of the whole file holds a canary string or a token", () => {
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.filter((line) => leaksIn(line).length > 0)).toEqual([]);
    });
  });
}
