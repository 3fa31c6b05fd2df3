/**
 * Catalog entries of consultation hours as commitments and of changing hours that have bookings
 * (ADR 27). A booking is shown to the provider and staff by the person's name and time only.
 */
export const consultationHoursZh = {
  "error.person_conflict_hours": "{name} 在这个时间有咨询接待时间：{title}（{when}）。一个人不能同时在两个地方。",
  "error.consultation_hours_bookings_affected": "这样改会让 {count} 个已有的预约落在接待时间以外。请先看清楚这些预约，确认取消后再改。",
  "error.consultation_hours_provider_ok_required": "代接诊人取消预约，需要写明接诊人是怎样同意的（例如“电话确认”）。",
  "consult.affectedTitle": "下面的预约将被取消，预约人会收到取消通知：",
  "consult.affectedLine": "{name} {when} 的预约将被取消",
  "consult.providerOk": "接诊人怎样同意的（例如“12月5日电话确认”）",
  "consult.confirmCancelGo": "确认修改并取消这些预约",
  "consult.cancelledWithChange": "已修改，并取消了 {count} 个预约，已通知预约人。",
  "consult.endHours": "结束",
  "consult.endHoursDate": "最后一天",
  "consult.endHoursGo": "从这天以后结束",
  "consult.hoursEnded": "每周时间在 {date} 以后结束。",
  "consult.endHoursConsequence": "这天以后不再按这个时间开放预约。如有预约会被取消，会先列出来请你确认。",
  "consult.dayOffConsequence": "这一天不开放预约。如有预约会被取消，会先列出来请你确认。",
} as const;

export const consultationHoursEn: Record<keyof typeof consultationHoursZh, string> = {
  "error.person_conflict_hours": "{name} keeps consultation hours at that time: {title} ({when}). Nobody can be in two places at once.",
  "error.consultation_hours_bookings_affected":
    "This change would leave {count} booked consultation(s) outside the hours. Look at them and confirm their cancellation to make the change.",
  "error.consultation_hours_provider_ok_required":
    "Cancelling bookings for a provider needs a note of how the provider agreed (e.g. “confirmed by phone”).",
  "consult.affectedTitle": "These bookings will be cancelled, and the people told:",
  "consult.affectedLine": "{name}, {when}: will be cancelled",
  "consult.providerOk": "How the provider agreed (e.g. “by phone, 5 Dec”)",
  "consult.confirmCancelGo": "Make the change and cancel these bookings",
  "consult.cancelledWithChange": "Changed; {count} booking(s) cancelled and the people told.",
  "consult.endHours": "End",
  "consult.endHoursDate": "Last day",
  "consult.endHoursGo": "End after this day",
  "consult.hoursEnded": "Weekly hours end after {date}.",
  "consult.endHoursConsequence": "No slots from these hours after that day. Bookings that would be cancelled are listed for you to confirm first.",
  "consult.dayOffConsequence": "No slots that day. Bookings that would be cancelled are listed for you to confirm first.",
};
