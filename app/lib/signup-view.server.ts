import { getActiveSignup, requireSignupRules, signupWindow } from "#models/signups";
import { getSession, type SessionDetail } from "#models/sessions";
import { NotFound } from "#models/errors";
import { cancelVerdict } from "#models/policies/signups";
import type { RequestContext } from "./guard.server";
import { dateFormatter } from "./dates.server";
import { cachedForPage } from "./calendar.server";

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

type SignupRules = Awaited<ReturnType<typeof requireSignupRules>>;

/**
 * A session and its signup rules as every viewer sees them, places left included: built once
 * per calendar version (models/calendar-cache.ts), which the database bumps in the very
 * transaction that takes or frees a place. What is the viewer's own (their signup) is read
 * live by `signupPanel`.
 */
export function sessionForPage(ctx: RequestContext, id: number): Promise<{ session: SessionDetail; rules: SignupRules } | undefined> {
  return cachedForPage(ctx, `session:${id}`, async () => {
    const session = await getSession(ctx.db, ctx.station.id, id);
    if (!session) return undefined;
    try {
      return { session, rules: await requireSignupRules(ctx.db, ctx.station.id, id) };
    } catch (error) {
      // Deleted between the two reads: as if it had never been there.
      if (error instanceof NotFound) return undefined;
      throw error;
    }
  });
}

export async function signupPanel(ctx: RequestContext, session: SessionDetail, now = new Date(), known?: SignupRules): Promise<SignupPanel> {
  if (session.status === "cancelled" || now >= session.endsAt) return { kind: "none" };
  const rules = known ?? (await requireSignupRules(ctx.db, ctx.station.id, session.id));
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
