/**
 * Catalog entries of booking for family and households from the session page (ADR 25): the
 * person picker and the answer person by person. Names only; never a need or a phone.
 */
export const bookingZh = {
  "error.booking_people_invalid": "一次最多为 {max} 人报名，每个人只能选一次。",
  "api.personRepeated": "同一个人只能出现一次。",
  "api.peopleOrPerson": "people 与 personId/partySize 只能用其中一种。",
  "booking.title": "为家人和联系户报名",
  "booking.help": "勾选要报名的人，再按蓝色的“为勾选的人报名”。有家人同来的，勾选后在名字下面选来几位。",
  "booking.partySize": "来几位",
  "booking.ownHousehold": "我家",
  "booking.me": "{name}（本人）",
  "booking.partySizeFor": "{name} 来几位",
  "booking.alreadyConfirmed": "已报名",
  "booking.alreadyWaitlisted": "候补第 {position} 位",
  "booking.submit": "为勾选的人报名",
  "booking.everyoneBooked": "这里的每个人都已经报了这场活动。",
  "booking.noneChosen": "请至少勾选一个人。",
  "booking.summary": "报名结果：{confirmed} 人报上，{waitlisted} 人候补，{refused} 人没有报上。",
  "booking.outcomeConfirmed": "报名成功（{people}）",
  "booking.outcomeWaitlisted": "名额已满，候补第 {position} 位",
  "booking.outcomeRefused": "没有报上：{reason}",
};

export const bookingEn: Record<keyof typeof bookingZh, string> = {
  "error.booking_people_invalid": "You can book at most {max} people at once, each of them once.",
  "api.personRepeated": "Each person may appear only once.",
  "api.peopleOrPerson": "Use either people or personId/partySize, not both.",
  "booking.title": "Book for family and households",
  "booking.help":
    "Tick the people to book, then press the blue “Book the people ticked”. If family come along, choose how many under the name once ticked.",
  "booking.partySize": "How many",
  "booking.ownHousehold": "My household",
  "booking.me": "{name} (me)",
  "booking.partySizeFor": "How many come with {name}",
  "booking.alreadyConfirmed": "Booked",
  "booking.alreadyWaitlisted": "Waitlist no. {position}",
  "booking.submit": "Book the people ticked",
  "booking.everyoneBooked": "Everyone here is already booked for this session.",
  "booking.noneChosen": "Tick at least one person.",
  "booking.summary": "Result: {confirmed} booked, {waitlisted} on the waitlist, {refused} not booked.",
  "booking.outcomeConfirmed": "Booked ({people})",
  "booking.outcomeWaitlisted": "Full: waitlist no. {position}",
  "booking.outcomeRefused": "Not booked: {reason}",
};
