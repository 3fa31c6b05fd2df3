// The signup policy is one function used by the pages, the API and the model. This file
// swaps that function for one that refuses every cancel and shows that the session page,
// 我的预约, the attendee list, the page actions, the API and the model all follow at once:
// nobody restates the rule, so changing the policy changes all of them.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { getRequest, postRequest } from "../support/requests";
import { callSafely, type Handler } from "../support/routes-kit";
import { callApi, expectError } from "../support/api-requests";
import { cancelSignup, signUp } from "../../models/signups";
import { createApiToken } from "../../models/api-tokens";
import type { Actor } from "../../models/permissions";
import * as sessionPage from "../../app/routes/sessions.$id";
import * as myBookings from "../../app/routes/bookings";
import * as attendees from "../../app/routes/manage.sessions.$id_.attendees";

const policy = vi.hoisted(() => ({ refuseAll: false, calls: 0 }));
vi.mock("../../models/policies/signups", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../models/policies/signups")>();
  return {
    ...real,
    cancelVerdict: (...args: Parameters<typeof real.cancelVerdict>) => {
      policy.calls++;
      return policy.refuseAll ? { allowed: false as const, reason: "deadline" as const } : real.cancelVerdict(...args);
    },
  };
});

type Panel = { kind: string; canCancel?: boolean };
type BookingRow = { id: number; canCancel: boolean };
type AttendeeRow = { id: number; canCancel: boolean };

for (const backend of backends) {
  describe(`one cancel policy for pages, API and model on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Actor & { token: string };
    let resident: Actor & { token: string };
    let apiToken = "";

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"]);
      resident = await makeActor(t.db, stationId, ["resident"]);
      apiToken = (await createApiToken(t.db, { stationId, accountId: resident.accountId }, "phone")).token;
    });
    beforeEach(() => {
      policy.refuseAll = false;
      policy.calls = 0;
    });

    /** What every view offers for the resident's signup, and the coordinator's view of someone else's. */
    async function offers(sessionId: number, mine: number, other: number) {
      const page = await callSafely(sessionPage.loader as Handler, await getRequest(`/sessions/${sessionId}`, { token: resident.token }), {
        id: String(sessionId),
      });
      const bookings = await callSafely(myBookings.loader as Handler, await getRequest("/bookings", { token: resident.token }));
      const list = await callSafely(
        attendees.loader as Handler,
        await getRequest(`/manage/sessions/${sessionId}/attendees`, { token: coordinator.token }),
        { id: String(sessionId) },
      );
      return {
        sessionPage: (page.body as { signup: Panel }).signup.canCancel,
        myBookings: (bookings.body as { upcoming: BookingRow[] }).upcoming.find((b) => b.id === mine)?.canCancel,
        attendees: (list.body as { confirmed: AttendeeRow[] }).confirmed.find((a) => a.id === other)?.canCancel,
      };
    }

    it("allowed by the policy: every view offers the cancel, and the model and the API do it", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 10 });
      const [someone] = await makePeople(t.db, stationId, 1);
      const mine = await signUp(t.db, { stationId, actor: resident }, { sessionId, personId: resident.personId, partySize: 1 });
      const other = await signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId: someone!, partySize: 1 });
      expect(await offers(sessionId, mine.id, other.id)).toEqual({ sessionPage: true, myBookings: true, attendees: true });
      expect(policy.calls).toBeGreaterThanOrEqual(3);
      const api = await callApi("api.v1.signups.$id", "DELETE", { token: apiToken, params: { id: String(mine.id) } });
      expect(api.status).toBe(200);
      expect((await cancelSignup(t.db, { stationId, actor: coordinator }, other.id)).status).toBe("cancelled");
    });

    it("refused by the policy: no view offers it, the page action, the API and the model all refuse", async () => {
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 10 });
      const [someone] = await makePeople(t.db, stationId, 1);
      const mine = await signUp(t.db, { stationId, actor: resident }, { sessionId, personId: resident.personId, partySize: 1 });
      const other = await signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId: someone!, partySize: 1 });
      policy.refuseAll = true;
      expect(await offers(sessionId, mine.id, other.id)).toEqual({ sessionPage: false, myBookings: false, attendees: false });
      const posted = await callSafely(
        myBookings.action as Handler,
        await postRequest("/bookings", { intent: "cancel", signupId: String(mine.id) }, { token: resident.token }),
      );
      expect(posted.status).toBe(409);
      expectError(await callApi("api.v1.signups.$id", "DELETE", { token: apiToken, params: { id: String(mine.id) } }), 409, "cancel_too_late");
      await expect(cancelSignup(t.db, { stationId, actor: coordinator }, other.id)).rejects.toMatchObject({ code: "cancel_too_late" });
      // Refused everywhere, and nothing was cancelled.
      policy.refuseAll = false;
      expect(await offers(sessionId, mine.id, other.id)).toEqual({ sessionPage: true, myBookings: true, attendees: true });
    });
  });
}
