import { z } from "zod";
import { bookingPicker } from "#models/care/picker";
import { activeSignupsOf, signupWindow, type requireSignupRules } from "#models/signups";
import { signUpMany } from "#models/signups-many";
import type { SessionDetail } from "#models/sessions";
import { PARTY_SIZE, PEOPLE_PER_BOOKING } from "#models/limits";
import type { AuthorisedContext, RequestContext } from "./guard.server";
import { spendMailBudgetForPeople } from "./mail-budget.server";
import { domainMessage } from "./domain-error.server";
import { fields, formError } from "./http.server";

/**
 * The session page's booking for family and households (ADR 25), server half: whom the viewer
 * may book (names and their place on this session, nothing more), and the booking itself,
 * answered person by person.
 */

export interface PickerPerson {
  id: number;
  name: string;
  me: boolean;
  /** Already on this session: booked, or waiting in that place. */
  booked: { status: "confirmed" | "waitlisted"; position: number | null } | null;
}
export interface PickerView {
  maxPartySize: number;
  groups: { key: string; label: string | null; own: boolean; people: PickerPerson[] }[];
}

type Rules = Awaited<ReturnType<typeof requireSignupRules>>;

/** The picker, when the session takes signups now and the viewer has someone besides themself to book. */
export async function pickerFor(ctx: RequestContext, session: SessionDetail, rules: Rules, now = new Date()): Promise<PickerView | null> {
  if (!ctx.viewer || session.status !== "scheduled" || now >= session.startsAt) return null;
  const { opensAt, closesAt } = signupWindow(rules);
  if (now < opensAt || now > closesAt) return null;
  const groups = await bookingPicker(ctx.db, ctx.station.id, ctx.viewer);
  const ids = groups.flatMap((g) => g.people.map((p) => p.id));
  if (ids.length < 2) return null;
  const booked = await activeSignupsOf(ctx.db, session.id, ids);
  const me = ctx.viewer.personId;
  return {
    maxPartySize: rules.maxPartySize,
    groups: groups.map((g) => ({
      key: String(g.householdId ?? "self"),
      label: g.label,
      own: g.own,
      people: g.people.map((p) => {
        const b = booked.get(p.id);
        return { id: p.id, name: p.fullName, me: p.id === me, booked: b ? { status: b.status, position: b.waitlistPosition } : null };
      }),
    })),
  };
}

/** One row of the picker: its box (only when ticked) and its party size. */
export const bookSchema = z.object({
  people: z
    .array(z.object({ personId: fields.id().optional(), partySize: fields.int(PARTY_SIZE.min, PARTY_SIZE.max) }))
    .max(PEOPLE_PER_BOOKING.max * 2),
});

export interface BookedLine {
  personId: number;
  name: string;
  status: "confirmed" | "waitlisted" | "refused";
  partySize: number;
  position: number | null;
  reason: string | null;
}

/** Books the ticked people and says, person by person, what became of each. */
export async function bookFromPicker(ctx: AuthorisedContext, sessionId: number, data: z.output<typeof bookSchema>) {
  const parties = data.people.flatMap((row) => (row.personId === undefined ? [] : [{ personId: row.personId, partySize: row.partySize }]));
  if (parties.length === 0) return formError(400, ctx.t("booking.noneChosen"), { people: ctx.t("booking.noneChosen") });
  await spendMailBudgetForPeople(
    ctx,
    parties.map((p) => p.personId),
  );
  const outcomes = await signUpMany(ctx.db, { stationId: ctx.station.id, actor: ctx.viewer }, sessionId, parties);
  const names = new Map((await bookingPicker(ctx.db, ctx.station.id, ctx.viewer)).flatMap((g) => g.people.map((p) => [p.id, p.fullName] as const)));
  const lines: BookedLine[] = outcomes.map((o) => ({
    personId: o.personId,
    name: names.get(o.personId) ?? "",
    status: o.status,
    partySize: o.partySize,
    position: o.status === "waitlisted" ? (o.signup.waitlistPosition ?? null) : null,
    reason: o.status === "refused" ? domainMessage(o.error, ctx.t) : null,
  }));
  return { ok: true as const, booked: lines };
}
