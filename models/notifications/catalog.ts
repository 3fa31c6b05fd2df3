import type { Locale, Recipient } from "./recipients";

/**
 * The mail texts, zh-CN and en. They live here and not in app/i18n because models never
 * import app/ (the worker runs without the web app); keep the wording in step with the
 * site's catalogs by hand.
 *
 * Subjects carry only what happened, the activity title and the time: never health notes,
 * children's data or consultation topics.
 */
export interface MailTexts {
  subject: {
    signup_confirmed: string;
    signup_waitlisted: string;
    signup_promoted: string;
    signup_cancelled: string;
    signup_cancelled_by_staff: string;
    reminder: string;
    reminder_day_of: string;
    session_changed: string;
    session_cancelled: string;
  };
  lead: {
    signup_confirmed: string;
    signup_waitlisted: string;
    signup_promoted: string;
    signup_cancelled: string;
    signup_cancelled_by_staff: string;
    reminder: string;
    reminder_day_of: string;
    session_changed: string;
    session_cancelled: string;
  };
  /**
   * The leads of a mail read by someone on the person's behalf (their caretaker, the family
   * member who booked them): `who` is what whoFor() made, "王德福（您的联系户）" or "王德福".
   */
  leadFor: Record<SignupLeadKind, (who: string) => string>;
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

export type SignupKindText = keyof MailTexts["subject"];
type SignupLeadKind = SignupKindText;

/** The roster's mails: a shift assigned, moved, cancelled, and the reminder before it. */
export interface ShiftTexts {
  subject: Record<ShiftKindText, string>;
  lead: Record<ShiftKindText, string>;
  confirmPlease: string;
  role: string;
  shiftTime: string;
  myShifts: string;
}
export type ShiftKindText = "shift_assigned" | "shift_changed" | "shift_cancelled" | "shift_reminder";

const shiftZh: ShiftTexts = {
  subject: { shift_assigned: "新的排班", shift_changed: "排班时间有变", shift_cancelled: "排班已取消", shift_reminder: "排班提醒" },
  lead: {
    shift_assigned: "协调员为您安排了以下班次。",
    shift_changed: "您的班次时间有变化，请留意新的安排。",
    shift_cancelled: "您的以下班次已取消，不用前来。",
    shift_reminder: "提醒您明天的班次。",
  },
  confirmPlease: "请在“我的排班”里确认或婉拒。",
  role: "岗位",
  shiftTime: "班次时间",
  myShifts: "打开我的排班",
};

const shiftEn: ShiftTexts = {
  subject: { shift_assigned: "New shift", shift_changed: "Shift moved", shift_cancelled: "Shift cancelled", shift_reminder: "Shift reminder" },
  lead: {
    shift_assigned: "A coordinator has put you on this shift.",
    shift_changed: "The time of your shift has changed. Please note the new arrangement.",
    shift_cancelled: "This shift of yours has been cancelled; you need not come.",
    shift_reminder: "A reminder of your shift tomorrow.",
  },
  confirmPlease: "Please confirm or decline it under My shifts.",
  role: "Role",
  shiftTime: "Shift",
  myShifts: "Open my shifts",
};

export const shiftTexts = (locale: Locale): ShiftTexts => (locale === "en" ? shiftEn : shiftZh);

const zh: MailTexts = {
  subject: {
    signup_confirmed: "报名成功",
    signup_waitlisted: "已进入候补",
    signup_promoted: "候补转正，报名成功",
    signup_cancelled: "已取消报名",
    signup_cancelled_by_staff: "报名已被工作人员取消",
    reminder: "活动提醒",
    reminder_day_of: "今日活动提醒",
    session_changed: "活动时间或地点有变",
    session_cancelled: "活动已取消",
  },
  lead: {
    signup_confirmed: "您的报名已成功，名额已为您保留。",
    signup_waitlisted: "活动名额已满，您已进入候补名单。有名额空出时我们会自动为您报名并通知您。",
    signup_promoted: "有名额空出，您已从候补转为正式报名。",
    signup_cancelled: "您的报名已取消。",
    signup_cancelled_by_staff: "驿站工作人员取消了您的报名。如有疑问，请联系驿站。",
    reminder: "提醒您参加以下活动。",
    reminder_day_of: "今天有您报名的活动。",
    session_changed: "您报名的活动时间或地点有变化，请留意新的安排。",
    session_cancelled: "很抱歉，您报名的活动已取消。",
  },
  leadFor: {
    signup_confirmed: (who) => `为${who}报名成功，名额已为其保留。`,
    signup_waitlisted: (who) => `活动名额已满，${who}已进入候补名单。有名额空出时会自动为其报名并通知您。`,
    signup_promoted: (who) => `有名额空出，${who}已从候补转为正式报名。`,
    signup_cancelled: (who) => `${who}的报名已取消。`,
    signup_cancelled_by_staff: (who) => `驿站工作人员取消了${who}的报名。如有疑问，请联系驿站。`,
    reminder: (who) => `提醒：${who}报名了以下活动，请转告。`,
    reminder_day_of: (who) => `今天有${who}报名的活动，请转告。`,
    session_changed: (who) => `${who}报名的活动时间或地点有变化，请转告新的安排。`,
    session_cancelled: (who) => `很抱歉，${who}报名的活动已取消，请转告。`,
  },
  restored: {
    subject: "活动恢复举行",
    lead: "之前通知您取消的活动恢复举行了，时间和地点见下。",
    leadFor: (who) => `之前通知取消的、${who}报名的活动恢复举行了，时间和地点见下，请转告。`,
  },
  greeting: (name) => `${name}，您好：`,
  forName: (who) => `（这封邮件是关于${who}的）`,
  inYourCare: (name) => `${name}（您的联系户）`,
  waitlistPosition: (position) => `您目前排在候补第 ${position} 位。`,
  waitlistPositionFor: (who, position) => `${who}目前排在候补第 ${position} 位。`,
  activity: "活动",
  when: "时间",
  where: "地点",
  before: "原安排",
  now: "新安排",
  details: "查看活动详情",
  calendarNote: "附件中的日历邀请可加入您的手机日历。",
  checkinNote: "到驿站时把下面的签到二维码给签到处的工作人员扫一下就签到了（也可以打开“我的预约”出示）。",
  checkinAlt: "签到二维码",
  unsubscribe: "不想再收到此类邮件？点此退订",
  footer: (station) => `${station} · 此邮件由系统自动发送，请勿直接回复。`,
  dateTime: "yyyy年M月d日（ccc）HH:mm",
  time: "HH:mm",
};

const en: MailTexts = {
  subject: {
    signup_confirmed: "Booked",
    signup_waitlisted: "On the waiting list",
    signup_promoted: "A place came free: booked",
    signup_cancelled: "Booking cancelled",
    signup_cancelled_by_staff: "Booking cancelled by the station",
    reminder: "Reminder",
    reminder_day_of: "Today",
    session_changed: "Changed",
    session_cancelled: "Cancelled",
  },
  lead: {
    signup_confirmed: "Your booking is confirmed; your place is kept for you.",
    signup_waitlisted: "The session is full, so you are on the waiting list. If a place comes free we book you automatically and let you know.",
    signup_promoted: "A place came free: you have moved from the waiting list to a confirmed booking.",
    signup_cancelled: "Your booking has been cancelled.",
    signup_cancelled_by_staff: "The station's staff cancelled your booking. Please contact the station if you have questions.",
    reminder: "A reminder of the session you booked.",
    reminder_day_of: "You have a session today.",
    session_changed: "The time or place of a session you booked has changed. Please note the new arrangement.",
    session_cancelled: "We are sorry: a session you booked has been cancelled.",
  },
  leadFor: {
    signup_confirmed: (who) => `The booking for ${who} is confirmed; the place is kept.`,
    signup_waitlisted: (who) =>
      `The session is full, so ${who} is on the waiting list. If a place comes free we book it automatically and let you know.`,
    signup_promoted: (who) => `A place came free: ${who} has moved from the waiting list to a confirmed booking.`,
    signup_cancelled: (who) => `The booking for ${who} has been cancelled.`,
    signup_cancelled_by_staff: (who) => `The station's staff cancelled the booking for ${who}. Please contact the station if you have questions.`,
    reminder: (who) => `A reminder of the session booked for ${who}; please pass it on.`,
    reminder_day_of: (who) => `${who} has a session today; please pass it on.`,
    session_changed: (who) => `The time or place of a session booked for ${who} has changed. Please pass on the new arrangement.`,
    session_cancelled: (who) => `We are sorry: a session booked for ${who} has been cancelled. Please pass it on.`,
  },
  restored: {
    subject: "The session takes place after all",
    lead: "The session we told you was cancelled takes place after all. The details are below.",
    leadFor: (who) => `The session booked for ${who} that we said was cancelled takes place after all. The details are below; please pass them on.`,
  },
  greeting: (name) => `Dear ${name},`,
  forName: (who) => `(This mail is about ${who}.)`,
  inYourCare: (name) => `${name} (in your care)`,
  waitlistPosition: (position) => `You are number ${position} on the waiting list.`,
  waitlistPositionFor: (who, position) => `${who} is number ${position} on the waiting list.`,
  activity: "Session",
  when: "When",
  where: "Where",
  before: "Before",
  now: "Now",
  details: "See the session",
  calendarNote: "The attached invitation adds this to your calendar.",
  checkinNote: "At the station, show the check-in code below to the staff at the desk: one scan checks you in (it is in My bookings too).",
  checkinAlt: "Check-in code",
  unsubscribe: "Don't want these mails? Unsubscribe",
  footer: (station) => `${station} · This mail was sent automatically; please do not reply to it.`,
  dateTime: "ccc d LLL yyyy HH:mm",
  time: "HH:mm",
};

/** Short start times for subjects: "12月3日（周四）07:30" / "Thu 3 Dec 07:30". */
export const subjectTimeFormat: Record<Locale, string> = { "zh-CN": "M月d日（ccc）HH:mm", en: "ccc d LLL HH:mm" };

export const mailTexts = (locale: Locale): MailTexts => (locale === "en" ? en : zh);

/** How a mail read on someone's behalf names them: "王德福（您的联系户）" to a caretaker, "王德福" to a family member; null for their own mail. */
export const whoFor = (recipient: Pick<Recipient, "forName" | "via" | "locale">): string | null =>
  recipient.forName === null ? null : recipient.via === "caretaker" ? mailTexts(recipient.locale).inYourCare(recipient.forName) : recipient.forName;

/** "报名成功：太极拳 · 12月3日（周四）07:30" / "Booked: Tai chi · Thu 3 Dec 07:30". */
export const subjectLine = (locale: Locale, what: string, title: string, when: string) =>
  locale === "en" ? `${what}: ${title} · ${when}` : `${what}：${title} · ${when}`;

/**
 * Consultation mails (ADR 18): "咨询预约" with time, place and who, to the client and the
 * provider. Never the topic, and not the service either (that someone sees a counsellor is
 * itself private), in the subject or the body.
 */
export interface ConsultationTexts {
  subject: { consultation_booked: string; consultation_cancelled: string; consultation_reminder: string };
  lead: {
    client: { consultation_booked: string; consultation_cancelled: string; consultation_reminder: string };
    provider: { consultation_booked: string; consultation_cancelled: string; consultation_reminder: string };
  };
  what: string;
  with: string;
  client: string;
  mine: string;
  provided: string;
}

export type ConsultationKindText = keyof ConsultationTexts["subject"];

const consultationZh: ConsultationTexts = {
  subject: { consultation_booked: "咨询预约", consultation_cancelled: "咨询预约已取消", consultation_reminder: "明天的咨询预约" },
  lead: {
    client: {
      consultation_booked: "您的咨询预约好了，请按时到驿站。",
      consultation_cancelled: "您的咨询预约已取消。如需再约，请在网上或打电话预约。",
      consultation_reminder: "提醒您：明天有您的咨询预约，请按时到驿站。来不了的话请提前取消，把时间让给别人。",
    },
    provider: {
      consultation_booked: "有人预约了您的咨询时间。",
      consultation_cancelled: "一个咨询预约取消了，这个时间已空出来。",
      consultation_reminder: "明天有人预约了您的咨询时间。",
    },
  },
  what: "咨询预约",
  with: "接待人",
  client: "预约人",
  mine: "我的预约",
  provided: "我的咨询",
};

const consultationEn: ConsultationTexts = {
  subject: {
    consultation_booked: "Consultation booked",
    consultation_cancelled: "Consultation cancelled",
    consultation_reminder: "Your consultation tomorrow",
  },
  lead: {
    client: {
      consultation_booked: "Your consultation is booked; please come to the station on time.",
      consultation_cancelled: "Your consultation is cancelled. To book another, use the website or phone the station.",
      consultation_reminder: "A reminder: you have a consultation tomorrow. If you cannot come, please cancel in time so someone else can have it.",
    },
    provider: {
      consultation_booked: "Someone has booked one of your consultation slots.",
      consultation_cancelled: "A consultation was cancelled; its time is free again.",
      consultation_reminder: "Someone has booked one of your consultation slots tomorrow.",
    },
  },
  what: "Consultation",
  with: "With",
  client: "Booked by",
  mine: "My bookings",
  provided: "My consultations",
};

export const consultationTexts = (locale: Locale): ConsultationTexts => (locale === "en" ? consultationEn : consultationZh);

/**
 * The waitlist's offer (ADR 26): "咨询空位" with time, place and until when it is held; like
 * the other consultation mails, never the topic or the service.
 */
export interface ConsultationOfferTexts {
  subject: string;
  lead: string;
  heldUntil: string;
  answer: string;
}

const offerZh: ConsultationOfferTexts = {
  subject: "咨询空位",
  lead: "您在候补名单上等的咨询有了空位，已经为您留着。请在保留时间内打开下面的链接，确认预约或者放弃。过了时间没有确认，空位就让给下一位，您也会离开候补名单。",
  heldUntil: "保留到",
  answer: "确认或放弃",
};

const offerEn: ConsultationOfferTexts = {
  subject: "Consultation slot free",
  lead: "A consultation slot has come free for you from the waitlist, and it is held for you. Open the link below before the hold ends to book it or let it go. If you do not answer in time, it goes to the next person and you leave the waitlist.",
  heldUntil: "Held until",
  answer: "Book or let it go",
};

export const consultationOfferTexts = (locale: Locale): ConsultationOfferTexts => (locale === "en" ? offerEn : offerZh);
