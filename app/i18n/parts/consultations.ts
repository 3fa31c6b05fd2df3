/**
 * Catalog entries of one-to-one consultations (ADR 18). Messages never name a topic, and a
 * clash with a consultation says only that there is one (the fact of counselling is private).
 */
export const consultationsZh = {
  "error.consultation_input_invalid": "填写的内容不符合要求，请检查：{field}。",
  "error.consultation_service_archived": "这项咨询服务已经停止，不能再预约。",
  "error.consultation_not_provider": "这个人还没有这项服务需要的资质（需要协调员确认），不能安排接诊时间。",
  "error.consultation_slot_unavailable": "这个时段已经不能预约了（可能刚被别人约走）。请换一个时段。",
  "error.consultation_outside_window": "只能预约今后 {days} 天内的时段。",
  "error.consultation_limit": "这项服务每人最多同时有 {max} 个预约。请先参加或取消已有的预约。",
  "error.consultation_with_oneself": "不能给自己预约自己的咨询。",
  "error.consultation_cancel_too_late": "开始前 {minutes} 分钟内不能再自己取消，请打电话给驿站。",
  "error.consultation_cancelled": "这个预约已经取消了。",
  "error.consultation_not_started": "咨询还没开始，不能登记到场情况。",
  "error.person_conflict_consultation": "{name} 在这个时间已经有一个咨询预约（{when}）。一个人不能同时在两个地方。",
} as const;

export const consultationsEn: Record<keyof typeof consultationsZh, string> = {
  "error.consultation_input_invalid": "Please check what you entered: {field}.",
  "error.consultation_service_archived": "This consultation service has ended and takes no more bookings.",
  "error.consultation_not_provider":
    "This person does not hold the skill the service needs (a coordinator must confirm it), so they cannot have hours for it.",
  "error.consultation_slot_unavailable": "This slot can no longer be booked (someone may just have taken it). Please choose another.",
  "error.consultation_outside_window": "Slots can be booked up to {days} days ahead.",
  "error.consultation_limit": "One person may hold at most {max} upcoming bookings of this service. Attend or cancel one first.",
  "error.consultation_with_oneself": "A provider cannot book a consultation with themself.",
  "error.consultation_cancel_too_late": "Within {minutes} minutes of the start a booking cannot be cancelled online; please phone the station.",
  "error.consultation_cancelled": "This booking has already been cancelled.",
  "error.consultation_not_started": "The consultation has not begun; attendance cannot be recorded yet.",
  "error.person_conflict_consultation": "{name} already has a consultation at that time ({when}). Nobody can be in two places at once.",
};
