import { eq, sql } from "drizzle-orm";
import { activities, assignments, sessions, skills, stations, type NotificationKind } from "../../db/schema";
import { mailTexts, shiftTexts, subjectLine, subjectTimeFormat, type ShiftKindText } from "../catalog";
import { fmt, span } from "../format";
import { buildInvite } from "../ics";
import { layout } from "../layout";
import type { MailContext, RenderOutcome, Renderer } from "../render";
import { selectShifts } from "../../rosters/shift-rows";

/**
 * The roster's mails (rows written by models/rosters/mail.ts). Times come from the
 * assignment as it stands at send time — its `during` follows a moved session — and a
 * proposed or confirmed shift carries a calendar invitation under one UID per assignment,
 * which the cancellation withdraws.
 */

interface Loaded {
  assignmentId: number;
  sessionId: number;
  status: "proposed" | "confirmed" | "declined" | "cancelled";
  startsAt: Date;
  endsAt: Date;
  sequence: number;
  title: string;
  location: string;
  skillZh: string;
  skillEn: string;
  timeZone: string;
  stationNameZh: string;
  stationNameEn: string;
}

async function load(ctx: MailContext): Promise<Loaded | undefined> {
  if (!ctx.row.assignmentId) return undefined;
  const [row] = await selectShifts(ctx.db, {
    assignmentId: assignments.id,
    sessionId: sessions.id,
    status: assignments.status,
    startsAt: sql<string>`lower(${assignments.during})`.mapWith((v: string) => new Date(v)),
    endsAt: sql<string>`upper(${assignments.during})`.mapWith((v: string) => new Date(v)),
    sequence: sessions.sequence,
    title: activities.title,
    location: sql<string>`coalesce(${sessions.location}, ${activities.location})`,
    skillZh: skills.nameZh,
    skillEn: skills.nameEn,
    timeZone: stations.timeZone,
    stationNameZh: stations.nameZh,
    stationNameEn: stations.nameEn,
  })
    .innerJoin(stations, eq(stations.id, sessions.stationId))
    .where(eq(assignments.id, ctx.row.assignmentId));
  return row as Loaded | undefined;
}

const active = (l: Loaded) => l.status === "proposed" || l.status === "confirmed";

function renderer(kind: ShiftKindText, guard?: (l: Loaded) => string | null): Renderer {
  return async (ctx): Promise<RenderOutcome> => {
    const loaded = await load(ctx);
    if (!loaded) return { skip: "no_assignment" };
    const reason = guard?.(loaded);
    if (reason) return { skip: reason };
    const locale = ctx.recipient.locale;
    const t = mailTexts(locale);
    const s = shiftTexts(locale);
    const zone = loaded.timeZone;
    const url = `${ctx.settings.publicUrl}/shifts`;
    const subject = subjectLine(locale, s.subject[kind], loaded.title, fmt(loaded.startsAt, zone, locale, subjectTimeFormat[locale]));
    const facts: [string, string][] = [
      [t.activity, loaded.title],
      [s.role, locale === "en" ? loaded.skillEn : loaded.skillZh],
    ];
    const previous = kind === "shift_changed" ? (ctx.row.payload as { previousStartsAt?: string; previousEndsAt?: string } | null) : null;
    if (previous?.previousStartsAt && previous.previousEndsAt) {
      facts.push([`${t.before} · ${s.shiftTime}`, span(new Date(previous.previousStartsAt), new Date(previous.previousEndsAt), zone, locale)]);
    }
    facts.push([`${previous ? `${t.now} · ` : ""}${s.shiftTime}`, span(loaded.startsAt, loaded.endsAt, zone, locale)]);
    if (loaded.location) facts.push([t.where, loaded.location]);
    const extra = kind === "shift_assigned" && loaded.status === "proposed" ? [s.confirmPlease] : [];
    const cancel = kind === "shift_cancelled";
    const invite = cancel || active(loaded);
    const icalEvent = invite
      ? buildInvite({
          method: cancel ? "CANCEL" : "REQUEST",
          uid: `shift-${loaded.assignmentId}@${ctx.settings.domain}`,
          // The session's SEQUENCE rises with every move; a cancel goes one above the last REQUEST.
          sequence: cancel ? loaded.sequence + 1 : loaded.sequence,
          startsAt: loaded.startsAt,
          endsAt: loaded.endsAt,
          timeZone: zone,
          title: `${loaded.title} · ${locale === "en" ? loaded.skillEn : loaded.skillZh}`,
          location: loaded.location,
          url,
          stamp: new Date(),
          organizer: { name: ctx.settings.fromName, email: ctx.settings.fromAddress },
          attendeeEmail: ctx.recipient.address,
        })
      : undefined;
    if (icalEvent) extra.push(t.calendarNote);
    const stationName = locale === "en" ? loaded.stationNameEn : loaded.stationNameZh;
    const body = layout({
      recipient: ctx.recipient,
      lead: s.lead[kind],
      extra,
      facts,
      link: { label: s.myShifts, url },
      unsubscribeUrl: ctx.unsubscribeUrl,
      stationName,
    });
    return { mail: { subject, ...body, ...(icalEvent ? { icalEvent } : {}) } };
  };
}

const stillActive = (l: Loaded) => (active(l) ? null : "assignment_not_active");
// A reminder is for a shift the person said yes to; a proposal still unanswered the day
// before is the coordinator's to chase, not a reminder's.
const confirmed = (l: Loaded) => (l.status === "confirmed" ? null : "assignment_not_confirmed");

export const renderers: Partial<Record<NotificationKind, Renderer>> = {
  shift_assigned: renderer("shift_assigned", stillActive),
  shift_changed: renderer("shift_changed", stillActive),
  shift_cancelled: renderer("shift_cancelled"),
  shift_reminder: renderer("shift_reminder", confirmed),
};
