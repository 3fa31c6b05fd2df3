/**
 * The signup rules every screen, the API and the model's own checks share. Each is a pure
 * function of facts already loaded (no database, no clock of its own), so the page that
 * offers a button and the statement that does the work cannot disagree.
 */
import { STAFF_ROLES, type Role } from "../auth";

const MINUTE = 60_000;

export type SessionStatus = "scheduled" | "cancelled";
export type SignupStatus = "confirmed" | "waitlisted" | "cancelled";

/** Who is looking: their person and roles. Whether they may act for the signup's person at all is `canActFor`'s answer. */
export interface PolicyViewer {
  personId: number;
  roles: readonly Role[];
}

/** What the rules need to know of a signup and its session. */
export interface SignupFacts {
  status: SignupStatus;
  sessionStatus: SessionStatus;
  startsAt: Date;
  endsAt: Date;
  cancelDeadlineMinutes: number;
}

export const isStaffRoles = (roles: readonly Role[]) => roles.some((role) => STAFF_ROLES.includes(role));

/** The last moment a resident (or whoever books for them) may give up a confirmed place. */
export const cancelDeadline = (facts: Pick<SignupFacts, "startsAt" | "cancelDeadlineMinutes">) =>
  new Date(facts.startsAt.getTime() - facts.cancelDeadlineMinutes * MINUTE);

export type CancelRefusal = "already_cancelled" | "session_cancelled" | "started" | "deadline";
export type CancelVerdict = { allowed: true; until: Date } | { allowed: false; reason: CancelRefusal };

/**
 * May this viewer cancel this signup now? The one rule:
 * - a waitlisted party may leave the list until the session starts (it frees nobody's place);
 * - a confirmed place: the person, or whoever books for them, until the activity's deadline;
 *   staff until the session starts (someone phoned in ill);
 * - once the session has started nobody cancels: attendance belongs to the front desk;
 * - a cancelled session has nothing to cancel (restoring it brings its people back).
 * The caller has already established that the viewer may act for the person (`canActFor`).
 */
export function cancelVerdict(viewer: PolicyViewer, facts: SignupFacts, now: Date): CancelVerdict {
  if (facts.status === "cancelled") return { allowed: false, reason: "already_cancelled" };
  if (facts.sessionStatus === "cancelled") return { allowed: false, reason: "session_cancelled" };
  if (now >= facts.startsAt) return { allowed: false, reason: "started" };
  if (facts.status === "waitlisted" || isStaffRoles(viewer.roles)) return { allowed: true, until: facts.startsAt };
  const deadline = cancelDeadline(facts);
  return now <= deadline ? { allowed: true, until: deadline } : { allowed: false, reason: "deadline" };
}

export const mayCancelSignup = (viewer: PolicyViewer, facts: SignupFacts, now: Date) => cancelVerdict(viewer, facts, now).allowed;

/** Places a session still has for confirmed people (never below zero). */
export const placesLeft = (session: { capacity: number; taken: number }) => Math.max(0, session.capacity - session.taken);

/**
 * What a session is now, as every view names it: cancelled, over, under way, full, or open
 * with so many places. A past session shows no places left to take.
 */
export type SessionState = { kind: "cancelled" } | { kind: "ended" } | { kind: "started" } | { kind: "full" } | { kind: "open"; placesLeft: number };

export function sessionState(
  session: { status: SessionStatus; startsAt: Date; endsAt: Date; capacity: number; taken: number },
  now: Date,
): SessionState {
  if (session.status === "cancelled") return { kind: "cancelled" };
  if (now >= session.endsAt) return { kind: "ended" };
  if (now >= session.startsAt) return { kind: "started" };
  const left = placesLeft(session);
  return left > 0 ? { kind: "open", placesLeft: left } : { kind: "full" };
}

/**
 * A signup as its person should read it: the session's fate comes first (a cancelled session
 * is not "confirmed"), then whether it is over, then the signup's own status.
 */
export type SignupState = "confirmed" | "waitlisted" | "cancelled" | "session_cancelled" | "ended";

export function signupState(facts: Pick<SignupFacts, "status" | "sessionStatus" | "endsAt">, now: Date): SignupState {
  if (facts.status === "cancelled") return "cancelled";
  if (facts.sessionStatus === "cancelled") return "session_cancelled";
  if (now >= facts.endsAt) return "ended";
  return facts.status;
}

/**
 * Whether a booking carries the 时间已调整 mark: its session was moved after it was made, and the
 * booking still stands. A cancelled booking or session has no time to go to, so no mark.
 */
export const showsMoved = (state: SignupState, sessionMoved: boolean) => sessionMoved && state !== "session_cancelled" && state !== "cancelled";
