import { translator, type MessageKey, type Translate } from "../i18n";
import type { Locale, Recipient } from "./recipients";
import { CONSULTATION_MAIL_KINDS, SHIFT_MAIL_KINDS, SIGNUP_MAIL_KINDS } from "../db/schema";

/**
 * The mail texts, zh-CN and en, read from the one catalog that the pages use too (models/i18n,
 * its `mail.*` entries; ADR 31). Where a mail says what a page says (时间, 地点, 我的预约 …) it
 * takes the page's key, so the two cannot drift apart.
 *
 * Subjects carry only what happened, the activity title and the time: never health notes,
 * children's data or consultation topics.
 */
export interface MailTexts {
  subject: Record<SignupKindText, string>;
  lead: Record<SignupKindText, string>;
  /**
   * The leads of a mail read by someone on the person's behalf (their caretaker, the family
   * member who booked them): `who` is what whoFor() made, "王德福（您的联系户）" or "王德福".
   */
  leadFor: Record<SignupKindText, (who: string) => string>;
  /** A session_changed mail for a cancelled session that is on again (payload restored: true). */
  restored: { subject: string; lead: string; leadFor: (who: string) => string };
  greeting: (name: string) => string;
  /** The line under the greeting of a mail read on someone's behalf. */
  forName: (who: string) => string;
  /** The person a caretaker's mail is about, marked as in her care. */
  inYourCare: (name: string) => string;
  waitlistPosition: (position: number) => string;
  waitlistPositionFor: (who: string, position: number) => string;
  activity: string;
  when: string;
  where: string;
  before: string;
  now: string;
  details: string;
  calendarNote: string;
  /** Above the check-in QR code of a held place. */
  checkinNote: string;
  checkinAlt: string;
  unsubscribe: string;
  footer: (station: string) => string;
  /** Luxon formats for a start time and for an end time on the same day. */
  dateTime: string;
  time: string;
}

export type SignupKindText = (typeof SIGNUP_MAIL_KINDS)[number];

/** The roster's mails: a shift assigned, moved, cancelled, and the reminder before it. */
export interface ShiftTexts {
  subject: Record<ShiftKindText, string>;
  lead: Record<ShiftKindText, string>;
  confirmPlease: string;
  role: string;
  shiftTime: string;
  myShifts: string;
}
export type ShiftKindText = (typeof SHIFT_MAIL_KINDS)[number];

/**
 * The mail's words that are the pages' words too: one key, so a change to the page's wording
 * changes the mail's (tests/unit/message-catalog.test.ts renders both).
 */
export const SHARED_WITH_PAGES = {
  when: "session.when",
  where: "session.where",
  checkinAlt: "checkinCode.show",
  consultationWith: "consult.provider",
  consultationsMine: "nav.bookings",
  consultationsProvided: "nav.myConsultations",
  offerSubject: "offer.title",
} as const satisfies Record<string, MessageKey>;

/** One record of texts by kind, each from its key. The kinds are listed once, in the schema's enum groups. */
const byKind = <K extends string, V>(kinds: readonly K[], text: (kind: K) => V) =>
  Object.fromEntries(kinds.map((kind) => [kind, text(kind)])) as Record<K, V>;

/** The texts of one language are built once, when first asked for. */
function perLocale<T>(build: (t: Translate) => T): (locale: Locale) => T {
  const built = new Map<Locale, T>();
  return (locale) => {
    let texts = built.get(locale);
    if (!texts) built.set(locale, (texts = build(translator(locale))));
    return texts;
  };
}

export const shiftTexts = perLocale<ShiftTexts>((t) => ({
  subject: byKind(SHIFT_MAIL_KINDS, (kind) => t(`mail.shift.subject.${kind}`)),
  lead: byKind(SHIFT_MAIL_KINDS, (kind) => t(`mail.shift.lead.${kind}`)),
  confirmPlease: t("mail.shift.confirmPlease"),
  role: t("mail.shift.role"),
  shiftTime: t("mail.shift.shiftTime"),
  myShifts: t("mail.shift.myShifts"),
}));

export const mailTexts = perLocale<MailTexts>((t) => ({
  subject: byKind(SIGNUP_MAIL_KINDS, (kind) => t(`mail.subject.${kind}`)),
  lead: byKind(SIGNUP_MAIL_KINDS, (kind) => t(`mail.lead.${kind}`)),
  leadFor: byKind(SIGNUP_MAIL_KINDS, (kind) => (who: string) => t(`mail.leadFor.${kind}`, { who })),
  restored: { subject: t("mail.restored.subject"), lead: t("mail.restored.lead"), leadFor: (who) => t("mail.restored.leadFor", { who }) },
  greeting: (name) => t("mail.greeting", { name }),
  forName: (who) => t("mail.forName", { who }),
  inYourCare: (name) => t("mail.inYourCare", { name }),
  waitlistPosition: (position) => t("mail.waitlistPosition", { position }),
  waitlistPositionFor: (who, position) => t("mail.waitlistPositionFor", { who, position }),
  activity: t("mail.activity"),
  when: t(SHARED_WITH_PAGES.when),
  where: t(SHARED_WITH_PAGES.where),
  before: t("mail.before"),
  now: t("mail.now"),
  details: t("mail.details"),
  calendarNote: t("mail.calendarNote"),
  checkinNote: t("mail.checkinNote"),
  checkinAlt: t(SHARED_WITH_PAGES.checkinAlt),
  unsubscribe: t("mail.unsubscribe"),
  footer: (station) => t("mail.footer", { station }),
  dateTime: t("mail.format.dateTime"),
  time: t("mail.format.time"),
}));

/** Short start times for subjects: "12月3日（周四）07:30" / "Thu 3 Dec 07:30". */
export const subjectTimeFormat: Record<Locale, string> = {
  "zh-CN": translator("zh-CN")("mail.format.subjectTime"),
  en: translator("en")("mail.format.subjectTime"),
};

/** How a mail read on someone's behalf names them: "王德福（您的联系户）" to a caretaker, "王德福" to a family member; null for their own mail. */
export const whoFor = (recipient: Pick<Recipient, "forName" | "via" | "locale">): string | null =>
  recipient.forName === null ? null : recipient.via === "caretaker" ? mailTexts(recipient.locale).inYourCare(recipient.forName) : recipient.forName;

/** "报名成功：太极拳 · 12月3日（周四）07:30" / "Booked: Tai chi · Thu 3 Dec 07:30". */
export const subjectLine = (locale: Locale, what: string, title: string, when: string) =>
  translator(locale)("mail.subjectLine", { what, title, when });

/**
 * Consultation mails (ADR 18): "咨询预约" with time, place and who, to the client and the
 * provider. Never the topic, and not the service either (that someone sees a counsellor is
 * itself private), in the subject or the body.
 */
export interface ConsultationTexts {
  subject: Record<ConsultationKindText, string>;
  lead: {
    client: Record<ConsultationKindText, string>;
    provider: Record<ConsultationKindText, string>;
    /** To whoever booked it for the client (a caretaker, family, staff): so far only a cancellation by a change of hours. */
    booker: Record<ConsultationKindText, string>;
  };
  what: string;
  with: string;
  client: string;
  mine: string;
  provided: string;
}

export type ConsultationKindText = (typeof CONSULTATION_MAIL_KINDS)[number];

export const consultationTexts = perLocale<ConsultationTexts>((t) => ({
  subject: byKind(CONSULTATION_MAIL_KINDS, (kind) => t(`mail.consultation.subject.${kind}`)),
  lead: {
    client: byKind(CONSULTATION_MAIL_KINDS, (kind) => t(`mail.consultation.client.${kind}`)),
    provider: byKind(CONSULTATION_MAIL_KINDS, (kind) => t(`mail.consultation.provider.${kind}`)),
    booker: byKind(CONSULTATION_MAIL_KINDS, (kind) => t(`mail.consultation.booker.${kind}`)),
  },
  what: t("mail.consultation.what"),
  with: t(SHARED_WITH_PAGES.consultationWith),
  client: t("mail.consultation.client"),
  mine: t(SHARED_WITH_PAGES.consultationsMine),
  provided: t(SHARED_WITH_PAGES.consultationsProvided),
}));

/**
 * The waitlist's offer (ADR 26): "咨询空位" with time, place and until when it is held; like
 * the other consultation mails, never the topic or the service.
 */
export interface ConsultationOfferTexts {
  subject: string;
  lead: string;
  heldUntil: string;
  answer: string;
  /** The slot held for them is no longer one of the provider's hours (ADR 26 addendum). */
  withdrawnSubject: string;
  withdrawnLead: string;
  waitlist: string;
}

export const consultationOfferTexts = perLocale<ConsultationOfferTexts>((t) => ({
  subject: t(SHARED_WITH_PAGES.offerSubject),
  lead: t("mail.offer.lead"),
  heldUntil: t("mail.offer.heldUntil"),
  answer: t("mail.offer.answer"),
  withdrawnSubject: t("mail.offer.withdrawnSubject"),
  withdrawnLead: t("mail.offer.withdrawnLead"),
  waitlist: t("mail.offer.waitlist"),
}));
