import { describe, expect, it } from "vitest";
import { cancelVerdict, placesLeft, sessionState, showsMoved, signupState, type SignupFacts } from "../../models/policies/signups";
import { takesShifts } from "../../models/policies/shifts";

const START = new Date("2030-03-12T01:00:00Z"); // 09:00 in Shanghai
const END = new Date("2030-03-12T03:00:00Z");
const HOUR = 3600_000;
const at = (hoursFromStart: number) => new Date(START.getTime() + hoursFromStart * HOUR);

const resident = { personId: 1, roles: ["resident"] as const };
const carer = { personId: 2, roles: ["volunteer"] as const };
const coordinator = { personId: 3, roles: ["coordinator"] as const };
const admin = { personId: 4, roles: ["admin"] as const };

const facts = (over: Partial<SignupFacts> = {}): SignupFacts => ({
  status: "confirmed",
  sessionStatus: "scheduled",
  startsAt: START,
  endsAt: END,
  cancelDeadlineMinutes: 120,
  ...over,
});

describe("who may cancel a signup, and until when", () => {
  it("the person and their carer: a confirmed place until the deadline, not a minute after", () => {
    for (const viewer of [resident, carer]) {
      expect(cancelVerdict(viewer, facts(), at(-2))).toEqual({ allowed: true, until: at(-2) });
      expect(cancelVerdict(viewer, facts(), new Date(at(-2).getTime() + 60_000))).toEqual({ allowed: false, reason: "deadline" });
    }
  });

  it("staff: a confirmed place until the session starts (someone phoned in ill), then nobody", () => {
    for (const viewer of [coordinator, admin]) {
      expect(cancelVerdict(viewer, facts(), at(-1))).toEqual({ allowed: true, until: START });
      expect(cancelVerdict(viewer, facts(), at(-0.01))).toMatchObject({ allowed: true });
      expect(cancelVerdict(viewer, facts(), START)).toEqual({ allowed: false, reason: "started" });
      expect(cancelVerdict(viewer, facts(), at(5))).toEqual({ allowed: false, reason: "started" });
    }
  });

  it("a waitlisted party may leave the list until the start, past the deadline too (it frees nobody's place)", () => {
    expect(cancelVerdict(resident, facts({ status: "waitlisted" }), at(-1))).toEqual({ allowed: true, until: START });
    expect(cancelVerdict(resident, facts({ status: "waitlisted" }), START)).toEqual({ allowed: false, reason: "started" });
  });

  it("a cancelled session or an already cancelled signup has nothing to cancel, for anyone", () => {
    for (const viewer of [resident, coordinator]) {
      expect(cancelVerdict(viewer, facts({ sessionStatus: "cancelled" }), at(-48))).toEqual({ allowed: false, reason: "session_cancelled" });
      expect(cancelVerdict(viewer, facts({ status: "cancelled" }), at(-48))).toEqual({ allowed: false, reason: "already_cancelled" });
    }
  });
});

describe("what a signup and a session are now", () => {
  it("a signup: the session's fate first, then whether it is over, then its own status", () => {
    expect(signupState(facts(), at(-1))).toBe("confirmed");
    expect(signupState(facts({ status: "waitlisted" }), at(-1))).toBe("waitlisted");
    expect(signupState(facts({ sessionStatus: "cancelled" }), at(-1))).toBe("session_cancelled");
    expect(signupState(facts({ sessionStatus: "cancelled" }), at(10))).toBe("session_cancelled");
    expect(signupState(facts(), END)).toBe("ended");
    expect(signupState(facts({ status: "cancelled" }), at(-1))).toBe("cancelled");
  });

  it("a session: places only while it is to come; never places left on a past or cancelled one", () => {
    const session = { status: "scheduled" as const, startsAt: START, endsAt: END, capacity: 30, taken: 12 };
    expect(sessionState(session, at(-1))).toEqual({ kind: "open", placesLeft: 18 });
    expect(sessionState({ ...session, taken: 30 }, at(-1))).toEqual({ kind: "full" });
    expect(sessionState(session, at(1))).toEqual({ kind: "started" });
    expect(sessionState(session, END)).toEqual({ kind: "ended" });
    expect(sessionState({ ...session, status: "cancelled" }, at(-1))).toEqual({ kind: "cancelled" });
  });

  it("the 时间已调整 mark: a moved session's standing booking, over ones too; never a cancelled booking or session", () => {
    expect(showsMoved("confirmed", true)).toBe(true);
    expect(showsMoved("waitlisted", true)).toBe(true);
    expect(showsMoved("ended", true)).toBe(true);
    expect(showsMoved("cancelled", true)).toBe(false);
    expect(showsMoved("session_cancelled", true)).toBe(false);
    expect(showsMoved("confirmed", false)).toBe(false);
  });

  it("places left never go below zero (a capacity lowered under the confirmed count by hand)", () => {
    expect(placesLeft({ capacity: 10, taken: 4 })).toBe(6);
    expect(placesLeft({ capacity: 2, taken: 5 })).toBe(0);
  });
});

describe("who takes shifts", () => {
  it("volunteers and doctors; residents and staff by role alone do not", () => {
    expect(takesShifts(["volunteer"])).toBe(true);
    expect(takesShifts(["resident", "doctor"])).toBe(true);
    expect(takesShifts(["resident"])).toBe(false);
    expect(takesShifts(["coordinator", "admin"])).toBe(false);
  });
});
