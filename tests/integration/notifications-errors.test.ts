/**
 * What the worker keeps about a failure: a mail's `last_error` (shown to admins on
 * /manage/mail) and the log line of a failed pass say what went wrong through `describeError`
 * — a database error by code, any other error by its message — never a stack, a statement or
 * the statement's parameters (names, needs, addresses).
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makeSession } from "../support/signup-fixtures";
import { signUp } from "../../models/signups";
import type { Db } from "../../models/db";
import { notifications, people } from "../../models/db/schema";
import { mailSettings } from "../../models/notifications/render";
import type { MailTransport } from "../../models/notifications/transport";
import { runOnce, startWorker } from "../../models/notifications/worker";
import { describeError } from "../../models/db/errors";

const settings = mailSettings({ MAIL_FROM: "家庭健康驿站 <no-reply@hearth.example>", PUBLIC_URL: "https://hearth.example.org", PORT: 3000 });
const NAME = "李秀英";
const NEEDS = "NEEDS-SECRET-糖尿病";
const EMAIL = "li.xiuying@example.cn";

/** An error as drizzle throws it: the statement and its parameters in the message, the server's error as the cause. */
function wrappedDatabaseError(code: string) {
  const cause = Object.assign(new Error(`invalid input syntax for type integer: "${NAME}"`), { code, severity: "ERROR", table: "people" });
  return new Error(`Failed query: update "people" set "full_name" = $1, "needs" = $2 where "email" = $3\nparams: ${NAME},${NEEDS},${EMAIL}`, {
    cause,
  });
}

const failing = (error: Error): MailTransport => ({
  kind: "smtp",
  send: () => Promise.reject(error),
  close: () => Promise.resolve(),
});

/** Whatever a stored or logged text must never hold. */
function expectNothingPersonal(text: string) {
  for (const secret of [NAME, NEEDS, EMAIL, "Failed query", "params:", 'update "people"']) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/\n\s+at /); // a stack frame
}

for (const backend of backends) {
  describe(`worker errors kept without personal data, on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll }, { poolSize: 4 });
    const ids = { stationId: 0, personId: 0, signupId: 0, sessionId: 0 };

    beforeAll(async () => {
      ids.stationId = (await ensureStation(t.db)).id;
      const coordinator = await makeActor(t.db, ids.stationId, ["coordinator"]);
      const session = await makeSession(t.db, ids.stationId, { capacity: 10, title: "太极拳", daysAhead: 5 });
      ids.sessionId = session.sessionId;
      const [p] = await t.db
        .insert(people)
        .values({ stationId: ids.stationId, fullName: NAME, email: EMAIL, needs: NEEDS })
        .returning({ id: people.id });
      ids.personId = p!.id;
      ids.signupId = (
        await signUp(t.db, { stationId: ids.stationId, actor: coordinator }, { sessionId: session.sessionId, personId: p!.id, partySize: 1 })
      ).id;
    });

    async function dueRow() {
      const dueAt = new Date(Date.now() - 1000);
      const [row] = await t.db
        .insert(notifications)
        .values({
          stationId: ids.stationId,
          kind: "signup_confirmed",
          dedupeKey: `test:${crypto.randomUUID()}`,
          personId: ids.personId,
          signupId: ids.signupId,
          sessionId: ids.sessionId,
          dueAt,
          expiresAt: new Date(dueAt.getTime() + 86400_000),
        })
        .returning();
      return row!;
    }
    const lastErrorOf = async (id: number) =>
      (await t.db.select({ e: notifications.lastError }).from(notifications).where(eq(notifications.id, id)))[0]!.e;

    it("a database error during a send is kept by its code, without the statement or its parameters", async () => {
      const row = await dueRow();
      const result = await runOnce(t.db, { transport: failing(wrappedDatabaseError("22P02")), settings, batchSize: 500 });
      expect(result.retried).toBeGreaterThanOrEqual(1);
      const kept = await lastErrorOf(row.id);
      expect(kept).toBe("database error code=22P02 table=people");
      expectNothingPersonal(kept!);
    });

    it("any other error is kept by its message, without the stack", async () => {
      const row = await dueRow();
      const refusal = new Error("451 4.3.0 try again later");
      expect(refusal.stack).toMatch(/\n\s+at /); // there is a stack to leave out
      await runOnce(t.db, { transport: failing(refusal), settings, batchSize: 500 });
      expect(await lastErrorOf(row.id)).toBe("451 4.3.0 try again later");
    });

    it("a mail transport's coded error is not called a database error", async () => {
      const row = await dueRow();
      const envelope = Object.assign(new Error("No recipients defined"), { code: "EENVELOPE" });
      await runOnce(t.db, { transport: failing(envelope), settings, batchSize: 500 });
      expect(await lastErrorOf(row.id)).toBe("No recipients defined");
    });

    it("a pass that fails logs the database error by code, nothing of the statement", async () => {
      // A database whose first statement fails as drizzle reports a server going away.
      const broken = new Proxy({} as Db, {
        get: () => () => {
          throw wrappedDatabaseError("57P01");
        },
      });
      const lines: string[] = [];
      const worker = startWorker(
        broken,
        { transport: failing(new Error("unused")), settings, pollSeconds: 3600, log: (line) => lines.push(line) },
        { WORKER_POLL_SECONDS: 3600, WORKER_LEASE_SECONDS: 60 },
      );
      await worker.stop();
      expect(lines).toEqual(["[worker] pass failed: database error code=57P01 table=people"]);
      expectNothingPersonal(lines.join("\n"));
    });
  });
}

describe("describeError", () => {
  it("keeps the stack for a log line unless told not to", () => {
    const error = new Error("boom");
    expect(describeError(error)).toContain("\n    at ");
    expect(describeError(error, { stack: false })).toBe("boom");
  });
});
