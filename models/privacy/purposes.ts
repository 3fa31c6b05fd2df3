/**
 * What the station asks consent for, and the exact words asked, in both languages (ADR 22).
 * Texts live here, not in a table or the UI catalogs: a consent row stores the version it was
 * given to, so each version's words must stay readable for as long as a row may name it, and a
 * change of wording is reviewed in git like code. Add a version by appending to its list; never
 * edit or remove one that has been in use.
 */
export const PURPOSES = ["booking_reminders", "caretaker_care", "health_needs", "mail"] as const;
export type Purpose = (typeof PURPOSES)[number];

/** How a consent was given or withdrawn: online by the person themself, or recorded for them. */
export const CONSENT_WAYS = ["online", "in_person", "phone", "paper"] as const;
export type ConsentWay = (typeof CONSENT_WAYS)[number];
/** The ways staff or a caretaker record a consent for someone (online is the person's own). */
export const RECORDED_WAYS = ["in_person", "phone", "paper"] as const satisfies readonly ConsentWay[];

export interface PurposeText {
  version: number;
  zh: string;
  en: string;
}

export const PURPOSE_TEXTS: Record<Purpose, readonly PurposeText[]> = {
  booking_reminders: [
    {
      version: 1,
      zh: "驿站保存我的姓名、电话和报名记录，用来为我报名活动、排队候补，并在活动前提醒我。",
      en: "The station keeps my name, phone number and bookings to book me into activities, keep my place on waiting lists and remind me before an activity.",
    },
  ],
  caretaker_care: [
    {
      version: 1,
      zh: "我家同意联系会员代我们报名、取消，并看到我们的电话、年龄和需要照顾的情况。",
      en: "Our household agrees that our caretaker (联系会员) books and cancels for us and sees our phone numbers, ages and care needs.",
    },
  ],
  health_needs: [
    {
      version: 1,
      zh: "驿站记录我需要照顾的情况（如轮椅、助听器），只给工作人员和我同意的联系会员看，用来在活动中照顾我。撤回同意后，这些记录会被删除。",
      en: "The station records my care needs (such as a wheelchair or hearing aid), seen only by staff and the caretaker I agreed to, to look after me at activities. When I withdraw, the record is deleted.",
    },
  ],
  mail: [
    {
      version: 1,
      zh: "驿站可以给我发邮件（报名确认、变更和提醒）。",
      en: "The station may send me mail (booking confirmations, changes and reminders).",
    },
  ],
};

export const currentVersion = (purpose: Purpose): number => PURPOSE_TEXTS[purpose].at(-1)!.version;

/** The words of one version in the viewer's language (the newest when the version is unknown). */
export function purposeText(purpose: Purpose, version: number, locale: "zh-CN" | "en"): string {
  const texts = PURPOSE_TEXTS[purpose];
  const text = texts.find((t) => t.version === version) ?? texts.at(-1)!;
  return locale === "zh-CN" ? text.zh : text.en;
}

export const isPurpose = (value: unknown): value is Purpose => PURPOSES.includes(value as Purpose);
