import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db";
import { NOTIFICATION_KINDS, notifications, people, type NotificationKind } from "../db/schema";
import { recordAudit } from "../audit";
import type { Role } from "../auth";
import { DomainError, NotFound } from "../errors";

export const MAIL_LOCALES = ["zh-CN", "en"] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

/**
 * What a person can stop, in words they would use: each group is one checkbox on the account
 * page, and an unsubscribe link stops the whole group its mail belongs to, so the page and the
 * link never disagree about what "reminders" means.
 */
export const MAIL_KIND_GROUPS = {
  confirmations: ["signup_confirmed", "signup_cancelled", "consultation_booked", "consultation_cancelled"],
  waitlist: ["signup_waitlisted", "signup_promoted", "consultation_offer", "consultation_offer_withdrawn"],
  reminders: ["reminder", "consultation_reminder"],
  dayOf: ["reminder_day_of"],
  changes: ["session_changed", "session_cancelled"],
  staffCancel: ["signup_cancelled_by_staff"],
  // A volunteer's or doctor's rota: stopped from any shift mail, turned back on on the account page.
  shifts: ["shift_assigned", "shift_changed", "shift_cancelled", "shift_reminder"],
} as const satisfies Record<string, readonly NotificationKind[]>;
export type MailKindGroup = keyof typeof MAIL_KIND_GROUPS;
export const MAIL_GROUP_NAMES = Object.keys(MAIL_KIND_GROUPS) as MailKindGroup[];

/** The roles that can be put on shifts (staff can put anyone on one, themselves too), and so get shift mails. */
const SHIFT_ROLES: readonly Role[] = ["volunteer", "doctor", "coordinator", "admin"];

/**
 * The groups the account page offers this person: everyone's mails, and the shift mails to
 * those who can be given shifts (a resident would only wonder what they are), or who stopped
 * them once (a former volunteer can still turn them back on, as the unsubscribe page says).
 * A group not offered keeps its setting when the page is saved.
 */
export function mailGroupsFor(roles: readonly Role[], optOuts: readonly string[] = []): MailKindGroup[] {
  const shifts = roles.some((r) => SHIFT_ROLES.includes(r)) || MAIL_KIND_GROUPS.shifts.some((k) => optOuts.includes(k));
  return MAIL_GROUP_NAMES.filter((g) => g !== "shifts" || shifts);
}

/** The group a kind belongs to (every kind has one today; one added without a group stops alone). */
export function groupOf(kind: NotificationKind): MailKindGroup | undefined {
  return MAIL_GROUP_NAMES.find((g) => (MAIL_KIND_GROUPS[g] as readonly string[]).includes(kind));
}

const kindsToStop = (kind: NotificationKind): NotificationKind[] => {
  const group = groupOf(kind);
  return group ? [...MAIL_KIND_GROUPS[group]] : [kind];
};

export class InvalidMailKind extends DomainError {
  constructor() {
    super("invalid_mail_kind", 422);
  }
}

export interface MailPreferences {
  locale: MailLocale;
  optOuts: NotificationKind[];
  /** Groups the person still receives (none of their kinds stopped). */
  receiving: MailKindGroup[];
}

export async function mailPreferences(db: Db, personId: number): Promise<MailPreferences | undefined> {
  const [row] = await db.select({ locale: people.locale, optOuts: people.mailOptOuts }).from(people).where(eq(people.id, personId));
  if (!row) return undefined;
  const optOuts = row.optOuts.filter((k): k is NotificationKind => (NOTIFICATION_KINDS as readonly string[]).includes(k));
  return {
    locale: row.locale === "en" ? "en" : "zh-CN",
    optOuts,
    receiving: MAIL_GROUP_NAMES.filter((g) => !MAIL_KIND_GROUPS[g].some((k) => optOuts.includes(k))),
  };
}

/**
 * The opt-outs after a change: `stop` added, `resume` taken away, every other kind as it was
 * (kinds the page did not show, or a one-click unsubscribe that landed since the page loaded).
 */
export function mergeOptOuts(current: readonly string[], change: { stop: readonly string[]; resume: readonly string[] }): NotificationKind[] {
  const known = current.filter((k): k is NotificationKind => (NOTIFICATION_KINDS as readonly string[]).includes(k));
  const kept = known.filter((k) => !change.resume.includes(k));
  return [...new Set([...kept, ...(change.stop as NotificationKind[])])].sort();
}

/**
 * Stops and resumes kinds of mail for a person (and, when given, sets the language of their
 * mail). The read and the write happen in one transaction with the person's row locked, the
 * lock unsubscribe() takes, so a one-click unsubscribe arriving meanwhile is kept, not
 * overwritten. Unknown kinds are refused as a whole: nothing is half-saved.
 */
export async function setMailOptOuts(
  db: Db,
  ctx: { stationId: number; actorAccountId: number },
  personId: number,
  change: { stop: readonly string[]; resume?: readonly string[] },
  options: { locale?: MailLocale } = {},
) {
  const resume = change.resume ?? [];
  if (![...change.stop, ...resume].every((k) => (NOTIFICATION_KINDS as readonly string[]).includes(k))) throw new InvalidMailKind();
  if (options.locale !== undefined && !MAIL_LOCALES.includes(options.locale)) throw new InvalidMailKind();
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ optOuts: people.mailOptOuts })
      .from(people)
      .where(and(eq(people.id, personId), eq(people.stationId, ctx.stationId)))
      .for("update");
    if (!before) throw new NotFound("person");
    const optOuts = mergeOptOuts(before.optOuts, { stop: change.stop, resume });
    await tx
      .update(people)
      .set({ mailOptOuts: optOuts, ...(options.locale ? { locale: options.locale } : {}) })
      .where(eq(people.id, personId));
    await recordAudit(tx, {
      stationId: ctx.stationId,
      actorAccountId: ctx.actorAccountId,
      action: "person.mail_preferences",
      targetType: "person",
      targetId: personId,
      details: { optOuts, ...(options.locale ? { locale: options.locale } : {}) },
    });
    return { optOuts };
  });
}

// The token is 32 hex digits as the database makes it; anything far from that shape is not
// looked up at all (and a NUL byte never reaches PostgreSQL).
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,64}$/;

async function findByToken(db: Db, token: string) {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const [row] = await db
    .select({
      id: notifications.id,
      stationId: notifications.stationId,
      kind: notifications.kind,
      // The person who received it; before it is sent, the person it is about.
      recipientId: sql<number>`coalesce(${notifications.recipientPersonId}, ${notifications.personId})`,
    })
    .from(notifications)
    .where(eq(notifications.unsubscribeToken, token));
  return row;
}

/** "王秀英" -> "王**", "Alice Wang" -> "A**": enough to recognise oneself, not to learn a name. */
export function maskName(name: string) {
  const first = Array.from(name.trim())[0] ?? "";
  return `${first}**`;
}

export interface UnsubscribeInfo {
  kind: NotificationKind;
  group: MailKindGroup | undefined;
  maskedName: string;
  already: boolean;
}

export async function unsubscribeInfo(db: Db, token: string): Promise<UnsubscribeInfo | undefined> {
  const row = await findByToken(db, token);
  if (!row) return undefined;
  const [person] = await db.select({ name: people.fullName, optOuts: people.mailOptOuts }).from(people).where(eq(people.id, row.recipientId));
  if (!person) return undefined;
  return {
    kind: row.kind,
    group: groupOf(row.kind),
    maskedName: maskName(person.name),
    already: kindsToStop(row.kind).every((k) => person.optOuts.includes(k)),
  };
}

/**
 * Stops the mail's kind (its whole group) for whoever received it. Idempotent: a second
 * click, a mail client's one-click POST after the person's own click, change nothing more.
 */
export async function unsubscribe(db: Db, token: string): Promise<{ kind: NotificationKind; already: boolean } | undefined> {
  const row = await findByToken(db, token);
  if (!row) return undefined;
  const stop = kindsToStop(row.kind);
  return db.transaction(async (tx) => {
    // The person's row is locked while the union is made, so two clicks at once cannot lose a kind.
    const [before] = await tx.select({ optOuts: people.mailOptOuts }).from(people).where(eq(people.id, row.recipientId)).for("update");
    if (!before) return undefined;
    const already = stop.every((k) => before.optOuts.includes(k));
    if (already) return { kind: row.kind, already };
    await tx
      .update(people)
      .set({ mailOptOuts: [...new Set([...before.optOuts, ...stop])].sort() })
      .where(eq(people.id, row.recipientId));
    await recordAudit(tx, {
      stationId: row.stationId,
      actorAccountId: null,
      action: "person.unsubscribe",
      targetType: "person",
      targetId: row.recipientId,
      details: { kinds: stop, notificationId: row.id },
    });
    return { kind: row.kind, already };
  });
}
