import { getActiveSignup, requireSignupRules, signupWindow } from "#models/signups";
import { cancelVerdict } from "#models/policies/signups";
import type { SessionDetail } from "#models/sessions";
import type { RequestContext } from "./guard.server";
import { dateFormatter } from "./dates.server";

/** What the signup panel on a session page shows, worked out on the server. */
export type SignupPanel =
  | { kind: "none" }
  | { kind: "signIn" }
  | { kind: "notOpen"; when: string }
  | { kind: "closed" }
  | { kind: "open"; maxPartySize: number; full: boolean }
  | {
      kind: "mine";
      signupId: number;
      status: "confirmed" | "waitlisted";
      partySize: number;
      position: number | null;
      canCancel: boolean;
      /** Until when this viewer may cancel (staff: the start), or null when they may not. */
      deadline: string | null;
    };

export async function signupPanel(ctx: RequestContext, session: SessionDetail, now = new Date()): Promise<SignupPanel> {
  if (session.status === "cancelled" || now >= session.endsAt) return { kind: "none" };
  const rules = await requireSignupRules(ctx.db, ctx.station.id, session.id);
  const fmt = dateFormatter(ctx.locale, ctx.station.timeZone);
  const mine = ctx.viewer ? await getActiveSignup(ctx.db, session.id, ctx.viewer.personId) : undefined;
  if (ctx.viewer && mine && mine.status !== "cancelled") {
    const facts = { ...session, status: mine.status, sessionStatus: session.status, cancelDeadlineMinutes: rules.cancelDeadlineMinutes };
    // The same rule the model applies when the button is pressed.
    const verdict = cancelVerdict(ctx.viewer, facts, now);
    return {
      kind: "mine",
      signupId: mine.id,
      status: mine.status,
      partySize: mine.partySize,
      position: mine.waitlistPosition ?? null,
      canCancel: verdict.allowed,
      deadline: verdict.allowed && mine.status === "confirmed" ? `${fmt.dayLong(verdict.until)} ${fmt.time(verdict.until)}` : null,
    };
  }
  const { opensAt, closesAt } = signupWindow(rules);
  if (now < opensAt) return { kind: "notOpen", when: `${fmt.dayLong(opensAt)} ${fmt.time(opensAt)}` };
  if (now > closesAt) return { kind: "closed" };
  if (!ctx.viewer) return { kind: "signIn" };
  return { kind: "open", maxPartySize: rules.maxPartySize, full: session.taken >= session.capacity };
}
