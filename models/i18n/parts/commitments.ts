/**
 * Catalog entries of the commitments ledger (a person in two places at once), kept apart so
 * that work on one feature does not touch the others' lines. zh-CN.ts and en.ts spread them in.
 * `error.person_conflict` is the code's message; the two named variants are chosen by the
 * clash's kind (app/lib/domain-error.server.ts).
 */
export const commitmentsZh = {
  "error.person_conflict": "这个人在这个时间已经有别的安排了。一个人不能同时在两个地方。",
  "error.person_conflict_attending": "{name} 在这个时间已经报名参加了：{title}（{when}）。一个人不能同时在两个地方。",
  "error.person_conflict_shift": "{name} 在这个时间已经排了班：{title}（{when}）。一个人不能同时在两个地方。",
} as const;

export const commitmentsEn: Record<keyof typeof commitmentsZh, string> = {
  "error.person_conflict": "This person already has something else at that time. Nobody can be in two places at once.",
  "error.person_conflict_attending": "{name} is already signed up to attend {title} ({when}) at that time. Nobody can be in two places at once.",
  "error.person_conflict_shift": "{name} is already on a shift at that time: {title} ({when}). Nobody can be in two places at once.",
};
