import { eq, sql } from "drizzle-orm";
import QRCode from "qrcode";
import { activities, sessions, signups, stations, type NotificationKind } from "../../db/schema";
import { mailTexts, subjectLine, subjectTimeFormat, whoFor, type SignupKindText } from "../catalog";
import { buildInvite } from "../ics";
import { fmt, span } from "../format";
import { layout } from "../layout";
import type { InlineImage, MailContext, RenderOutcome, Renderer } from "../render";
import { checkinCodesFor } from "../../desk/codes";

/**
 * The mails about signups and sessions. They say what happened, when and where, and link
 * to the session page; confirmed places carry a calendar invitation that later mails about
 * the same signup update or withdraw (one UID per signup).
 */

/**
 * What enqueue.ts stores on a session_changed row: the arrangement before the change
 * (ISO instants). A nested `before: {startsAt, endsAt, location}` is read as well.
 */
export interface SessionChangedPayload {
  previousStartsAt: string;
  previousEndsAt?: string;
  previousLocation?: string | null;
  /** The session had been cancelled and is on again. */
  restored?: boolean;
}

/** A signup_waitlisted row may carry the position told at signup; otherwise it is counted at send time. */
export interface WaitlistedPayload {
  position?: number;
}

interface Loaded {
  sessionId: number;
  stationId: number;
  startsAt: Date;
  endsAt: Date;
  sessionStatus: "scheduled" | "cancelled";
  sequence: number;
  title: string;
  location: string;
  timeZone: string;
  stationNameZh: string;
  stationNameEn: string;
  signupStatus: "confirmed" | "waitlisted" | "cancelled" | null;
}

async function load(ctx: MailContext): Promise<Loaded | undefined> {
  const sessionId =
    ctx.row.sessionId ?? (ctx.row.signupId ? sql`(select ${signups.sessionId} from ${signups} where ${signups.id} = ${ctx.row.signupId})` : null);
  if (sessionId === null) return undefined;
  const [row] = await ctx.db
    .select({
      sessionId: sessions.id,
      stationId: sessions.stationId,
      startsAt: sessions.startsAt,
      endsAt: sessions.endsAt,
      sessionStatus: sessions.status,
      sequence: sessions.sequence,
      title: activities.title,
      location: sql<string>`coalesce(${sessions.location}, ${activities.location})`,
      timeZone: stations.timeZone,
      stationNameZh: stations.nameZh,
      stationNameEn: stations.nameEn,
      signupStatus: ctx.row.signupId
        ? sql<Loaded["signupStatus"]>`(select ${signups.status}::text from ${signups} where ${signups.id} = ${ctx.row.signupId})`
        : sql<null>`null`,
    })
    .from(sessions)
    .innerJoin(activities, eq(activities.id, sessions.activityId))
    .innerJoin(stations, eq(stations.id, sessions.stationId))
    .where(eq(sessions.id, sessionId));
  return row;
}

function parseBefore(payload: unknown): { startsAt: Date | null; endsAt: Date | null; location: string | null | undefined } | null {
  if (!payload || typeof payload !== "object") return null;
  const p = payload as Record<string, unknown>;
  const nested = p.before && typeof p.before === "object" ? (p.before as Record<string, unknown>) : null;
  const pick = (flat: string, inner: string) => (flat in p ? p[flat] : nested?.[inner]);
  const date = (v: unknown) => (typeof v === "string" && !Number.isNaN(Date.parse(v)) ? new Date(v) : null);
  const startsAt = date(pick("previousStartsAt", "startsAt"));
  const location = pick("previousLocation", "location");
  if (!startsAt && location === undefined) return null;
  return {
    startsAt,
    endsAt: date(pick("previousEndsAt", "endsAt")),
    location: typeof location === "string" || location === null ? location : undefined,
  };
}

/** The signup's place on the waitlist now (1 = next), or null once it is no longer waiting. */
async function currentPosition(ctx: MailContext): Promise<number | null> {
  if (!ctx.row.signupId) return null;
  const result = await ctx.db.execute<{ position: number | null }>(sql`
    SELECT CASE WHEN me.status = 'waitlisted' THEN
             (SELECT count(*)::int FROM ${signups} o WHERE o.session_id = me.session_id AND o.status = 'waitlisted' AND o.seq <= me.seq)
           END AS position
    FROM ${signups} me WHERE me.id = ${ctx.row.signupId}`);
  const value = result.rows[0]?.position;
  return value == null ? null : Number(value);
}

type Invitation = "request" | "cancel-signup" | "cancel-session" | "none";

function renderer(kind: SignupKindText, invitation: Invitation, guard?: (loaded: Loaded) => string | null): Renderer {
  return async (ctx): Promise<RenderOutcome> => {
    const loaded = await load(ctx);
    if (!loaded) return { skip: "no_session" };
    const reason = guard?.(loaded);
    if (reason) return { skip: reason };
    const locale = ctx.recipient.locale;
    const t = mailTexts(locale);
    const who = whoFor(ctx.recipient);
    const zone = loaded.timeZone;
    const url = `${ctx.settings.publicUrl}/sessions/${loaded.sessionId}`;
    // Restored: "on after all" is the news, whatever else changed with it.
    const restored = kind === "session_changed" && (ctx.row.payload as SessionChangedPayload | null)?.restored === true;
    const subject = subjectLine(
      locale,
      restored ? t.restored.subject : t.subject[kind],
      loaded.title,
      fmt(loaded.startsAt, zone, locale, subjectTimeFormat[locale]),
    );
    const extra: string[] = [];
    const facts: [string, string][] = [[t.activity, loaded.title]];
    if (kind === "signup_waitlisted") {
      const stored = (ctx.row.payload as WaitlistedPayload | null)?.position;
      const position = (await currentPosition(ctx)) ?? (typeof stored === "number" ? stored : null);
      if (position !== null && position > 0) extra.push(who === null ? t.waitlistPosition(position) : t.waitlistPositionFor(who, position));
    }
    const before = kind === "session_changed" ? parseBefore(ctx.row.payload) : null;
    if (before?.startsAt) {
      const oldEnd = before.endsAt ?? new Date(before.startsAt.getTime() + (loaded.endsAt.getTime() - loaded.startsAt.getTime()));
      const sameTime = before.startsAt.getTime() === loaded.startsAt.getTime() && oldEnd.getTime() === loaded.endsAt.getTime();
      // A restored session mostly keeps its time: "before" equal to "now" would only confuse.
      if (!(restored && sameTime)) facts.push([`${t.before} · ${t.when}`, span(before.startsAt, oldEnd, zone, locale)]);
    }
    if (before && before.location !== undefined && (before.location ?? "") !== loaded.location) {
      facts.push([`${t.before} · ${t.where}`, before.location ?? ""]);
    }
    // With nothing "before" shown (a restore at the same time and place), "now" is just the arrangement.
    const prefix = before && !(restored && facts.length === 1) ? `${t.now} · ` : "";
    facts.push([`${prefix}${t.when}`, span(loaded.startsAt, loaded.endsAt, zone, locale)]);
    if (loaded.location) facts.push([`${prefix}${t.where}`, loaded.location]);
    const stationName = locale === "en" ? loaded.stationNameEn : loaded.stationNameZh;

    let icalEvent;
    // A calendar entry only for a held place: a waitlisted person's change mail adds nothing.
    const holdsPlace = loaded.signupStatus === "confirmed";
    if (ctx.row.signupId && (invitation === "cancel-signup" || invitation === "cancel-session" || (invitation === "request" && holdsPlace))) {
      icalEvent = buildInvite({
        method: invitation === "request" ? "REQUEST" : "CANCEL",
        uid: `signup-${ctx.row.signupId}@${ctx.settings.domain}`,
        // A signup's own cancel leaves the session's SEQUENCE alone, so it goes one above; a
        // session cancel has already raised it past every REQUEST sent.
        sequence: invitation === "cancel-signup" ? loaded.sequence + 1 : loaded.sequence,
        startsAt: loaded.startsAt,
        endsAt: loaded.endsAt,
        timeZone: zone,
        title: loaded.title,
        location: loaded.location,
        url,
        stamp: new Date(),
        organizer: { name: ctx.settings.fromName, email: ctx.settings.fromAddress },
        attendeeEmail: ctx.recipient.address,
      });
      extra.push(t.calendarNote);
    }
    // A newly held place carries its check-in QR code: the desk scans it from the phone or a printout.
    let image;
    const images: InlineImage[] = [];
    if (holdsPlace && ctx.row.signupId && (kind === "signup_confirmed" || kind === "signup_promoted")) {
      const codes = await checkinCodesFor(ctx.db, loaded.stationId, [{ id: ctx.row.signupId, sessionId: loaded.sessionId }]);
      const checkinUrl = `${ctx.settings.publicUrl}/checkin/${loaded.sessionId}/${codes.get(ctx.row.signupId)!}`;
      const cid = `checkin-${ctx.row.signupId}@${ctx.settings.domain}`;
      images.push({
        cid,
        filename: "checkin-qr.png",
        contentType: "image/png",
        content: await QRCode.toBuffer(checkinUrl, { type: "png", margin: 2, scale: 6, errorCorrectionLevel: "M" }),
      });
      image = { note: t.checkinNote, cid, alt: t.checkinAlt, url: checkinUrl };
    }
    const body = layout({
      recipient: ctx.recipient,
      image,
      lead: who === null ? (restored ? t.restored.lead : t.lead[kind]) : restored ? t.restored.leadFor(who) : t.leadFor[kind](who),
      extra,
      facts,
      link: { label: t.details, url },
      unsubscribeUrl: ctx.unsubscribeUrl,
      stationName,
    });
    return { mail: { subject, ...body, ...(icalEvent ? { icalEvent } : {}), ...(images.length ? { images } : {}) } };
  };
}

/** A reminder is only worth sending for a place still held in a session still on. */
const stillOn = (loaded: Loaded) =>
  loaded.sessionStatus === "cancelled" ? "session_cancelled" : loaded.signupStatus !== "confirmed" ? "signup_not_confirmed" : null;

export const renderers: Partial<Record<NotificationKind, Renderer>> = {
  signup_confirmed: renderer("signup_confirmed", "request"),
  // Promoted or gone before this went out: the later mail says what holds now.
  signup_waitlisted: renderer("signup_waitlisted", "none", (l) => (l.signupStatus === "waitlisted" ? null : "no_longer_waitlisted")),
  signup_promoted: renderer("signup_promoted", "request"),
  signup_cancelled: renderer("signup_cancelled", "cancel-signup"),
  signup_cancelled_by_staff: renderer("signup_cancelled_by_staff", "cancel-signup"),
  reminder: renderer("reminder", "none", stillOn),
  reminder_day_of: renderer("reminder_day_of", "none", stillOn),
  // A change to a session the person already left is no news to them.
  session_changed: renderer("session_changed", "request", (l) => (l.signupStatus === "cancelled" ? "signup_cancelled" : null)),
  session_cancelled: renderer("session_cancelled", "cancel-session"),
};
