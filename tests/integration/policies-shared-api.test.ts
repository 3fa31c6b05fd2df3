// The JSON API answers the cancel question as the policy does (policies-shared.test.ts shows the
// pages and the model follow it). For every viewer (the resident for herself, a caretaker for a
// person in her care, staff, a stranger) and every moment (before the deadline, after it, after
// the start, the signup cancelled, the session cancelled), `canCancel` in /api/v1/me/signups and
// what DELETE /api/v1/signups/{id} does are what `cancelVerdict` says of the same facts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makePeople, makeSession } from "../support/signup-fixtures";
import { makeApiUser, makeCaretaker, type ApiUser } from "../support/api-fixtures";
import { callApi, expectError } from "../support/api-requests";
import { cancelFactsOf, cancelSignup, signUp } from "../../models/signups";
import { updateSession } from "../../models/sessions";
import { cancelVerdict, type SignupFacts } from "../../models/policies/signups";
import { sessions } from "../../models/db/schema";
import type { Db } from "../../models/db";

const MINUTE = 60_000;
const MOMENTS = ["before deadline", "after deadline", "after start", "signup cancelled", "session cancelled"] as const;
type Moment = (typeof MOMENTS)[number];
type Outcome = { status: 200; cancelled: boolean } | { status: 404 | 409; code: string };

// The facts as the model's cancel reads them: the views and the API must agree with that.
async function factsOf(db: Db, stationId: number, signupId: number): Promise<SignupFacts> {
  return (await cancelFactsOf(db, stationId, signupId))!;
}

/** What DELETE must do when the policy says `verdict` (and `mayAct` says whether the signup is the caller's business at all). */
function expectedOutcome(mayAct: boolean, verdict: ReturnType<typeof cancelVerdict>): Outcome {
  if (!mayAct) return { status: 404, code: "not_found" };
  if (verdict.allowed) return { status: 200, cancelled: true };
  // Cancelling twice is harmless: the same answer, nothing changed.
  if (verdict.reason === "already_cancelled") return { status: 200, cancelled: false };
  return { status: 409, code: verdict.reason === "deadline" ? "cancel_too_late" : `cancel_${verdict.reason}` };
}

for (const backend of backends) {
  describe(`one cancel policy for the JSON API on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let resident: ApiUser;
    let caretaker: ApiUser;
    let staff: ApiUser;
    let stranger: ApiUser;
    let cared = 0;

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      resident = await makeApiUser(t.db, stationId, ["resident"], "孙玉兰");
      caretaker = await makeApiUser(t.db, stationId, ["volunteer"], "吴志愿");
      staff = await makeApiUser(t.db, stationId, ["coordinator"], "郑协调");
      stranger = await makeApiUser(t.db, stationId, ["resident"], "钱陌生");
      cared = (await makePeople(t.db, stationId, 1, "受照顾"))[0]!;
      await makeCaretaker(t.db, stationId, cared, caretaker.personId);
    });

    /**
     * One session per moment, each with the signups the viewers act on: the resident's own, the
     * cared person's (booked by the caretaker), two others' (booked by staff), and staff's own.
     * Times do not overlap: a person is never in two places, and the ledger would refuse it.
     */
    async function sessionAt(moment: Moment, daysAhead: number) {
      const { sessionId } = await makeSession(t.db, stationId, { daysAhead, opensDays: 60, capacity: 10, cancelDeadlineMinutes: 120 });
      const book = async (actor: ApiUser, personId: number) => (await signUp(t.db, { stationId, actor }, { sessionId, personId, partySize: 1 })).id;
      const [other, another] = await makePeople(t.db, stationId, 2, `${moment}-`);
      const ids = {
        own: await book(resident, resident.personId),
        cared: await book(caretaker, cared),
        byStaff: await book(staff, other!),
        byStranger: await book(staff, another!),
        staffOwn: await book(staff, staff.personId),
      };
      const now = Date.now();
      if (moment === "after deadline") {
        await t.db
          .update(sessions)
          .set({ startsAt: new Date(now + 60 * MINUTE), endsAt: new Date(now + 70 * MINUTE) })
          .where(eq(sessions.id, sessionId));
      }
      if (moment === "after start") {
        await t.db
          .update(sessions)
          .set({ startsAt: new Date(now - 30 * MINUTE), endsAt: new Date(now + 20 * MINUTE) })
          .where(eq(sessions.id, sessionId));
      }
      if (moment === "signup cancelled") for (const id of Object.values(ids)) await cancelSignup(t.db, { stationId, actor: staff }, id);
      if (moment === "session cancelled")
        await updateSession(t.db, { stationId, actorAccountId: staff.accountId }, sessionId, { status: "cancelled" });
      return ids;
    }

    it("canCancel in /me/signups and the DELETE outcome are the policy's answer, for every viewer and moment", async () => {
      const seen = new Set<string>();
      for (const [i, moment] of MOMENTS.entries()) {
        const ids = await sessionAt(moment, 20 + i);

        // What the list offers, before anyone acts: the resident's own and staff's own rows.
        for (const [user, id] of [
          [resident, ids.own],
          [staff, ids.staffOwn],
        ] as const) {
          const mine = await callApi("api.v1.me.signups", "GET", { token: user.token });
          const row = mine.json.signups.find((s: { id: number }) => s.id === id);
          const verdict = cancelVerdict(user, await factsOf(t.db, stationId, id), new Date());
          expect(row?.canCancel, `${moment}: ${user.roles[0]} own, listed`).toBe(verdict.allowed);
        }

        const cells: [string, ApiUser, number, boolean][] = [
          ["resident own", resident, ids.own, true],
          ["caretaker for cared person", caretaker, ids.cared, true],
          ["staff for someone", staff, ids.byStaff, true],
          ["stranger", stranger, ids.byStranger, false],
        ];
        for (const [who, user, id, mayAct] of cells) {
          const before = await factsOf(t.db, stationId, id);
          const expected = expectedOutcome(mayAct, cancelVerdict(user, before, new Date()));
          seen.add(JSON.stringify(expected));
          const label = `${moment}: ${who}`;
          const result = await callApi("api.v1.signups.$id", "DELETE", { token: user.token, params: { id: String(id) } });
          if (expected.status === 200) {
            expect(result.status, `${label}: ${result.text}`).toBe(200);
            expect(result.json, label).toMatchObject({ id, status: "cancelled" });
          } else {
            expect(expectError(result, expected.status).code, label).toBe(expected.code);
          }
          // Cancelled exactly when the policy allowed it; a refusal leaves the signup as it was.
          const after = await factsOf(t.db, stationId, id);
          expect(after.status, label).toBe(expected.status === 200 && expected.cancelled ? "cancelled" : before.status);
        }
      }
      // The matrix reaches every answer the policy can give, so agreement is not agreement on one case.
      expect([...seen].map((s) => JSON.parse(s) as Outcome)).toEqual(
        expect.arrayContaining([
          { status: 200, cancelled: true },
          { status: 200, cancelled: false },
          { status: 404, code: "not_found" },
          { status: 409, code: "cancel_too_late" },
          { status: 409, code: "cancel_started" },
          { status: 409, code: "cancel_session_cancelled" },
        ]),
      );
    });
  });
}
