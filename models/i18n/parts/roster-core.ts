/**
 * Catalog entries of the roster model (its error messages), kept apart so that work on one feature does not
 * touch the others' lines. zh-CN.ts and en.ts spread them in.
 */
export const rosterCoreZh = {
  "error.shift_conflict": "这个时间已经排了班：{title}（{when}）。一个人不能同时在两个地方。",
  "error.signup_conflict": "这个时间已经报名参加了活动：{title}（{when}），不能同时值班。",
  "error.not_qualified": "还没有这项技能，或这项技能还在等协调员确认，暂时不能排这个班。",
  "error.need_full": "这个班的名额已经满了。",
  "error.weekly_limit": "排上这个班会超过每周最多 {hours} 小时的值班时间。",
  "error.shift_closed": "这个班已经开始或活动已取消，不能再改动。",
  "error.shift_blackout": "这天您登记了不能来，不能报名这个班。如果可以来了，请先删掉那天的登记。",
  "error.need_session_mismatch": "这个岗位不属于这场活动，请选择正确的场次。",
  "error.assignment_state": "这个班次现在的状态不能这样操作，请刷新页面看看。",
  "error.attendance_too_early": "班次开始以后才能登记到岗情况。",
  "error.roster_invalid": "填写的内容有误，请检查后再试。",
  "error.skill_slug_taken": "已经有同样代号的技能了，请换一个代号。",
  "error.need_in_use": "这个岗位已经有人排过班，不能删除。可以把人数改少。",
  "error.already_assigned": "这个人已经排在这个班上了。",
  "error.roster_proposal_refused": "建议中的第 {index} 项刚刚排不上了（例如有人同时排了这个时间），所以整份建议都没有采用。请重新生成建议再试。",
  "error.need_retime_conflict": "没有保存：改了时间以后，{name} 的这个班会和 TA 的另一个班撞上：{title}（{when}）。请先调整那个班，再改时间。",
  "error.shift_role_required": "值班需要志愿者或医生的身份。想来帮忙的话，请联系驿站协调员登记。",
  "error.need_retime_signup_conflict":
    "没有保存：改了时间以后，{name} 的这个班会和 TA 报名参加的活动撞上：{title}（{when}）。请先和 TA 商量，再改时间。",
  "error.need_retime_weekly_limit": "没有保存：改了时间以后，{name} 这周的值班会超过每周最多 {hours} 小时。请先调整 TA 的班，再改时间。",
} as const;

export const rosterCoreEn: Record<keyof typeof rosterCoreZh, string> = {
  "error.shift_conflict": "Already on a shift at that time: {title} ({when}). Nobody can be in two places at once.",
  "error.signup_conflict": "Already signed up to attend {title} ({when}) at that time, so cannot work a shift then.",
  "error.not_qualified": "This person does not have that skill yet, or it is still waiting for a coordinator to confirm it.",
  "error.need_full": "All places on this shift are taken.",
  "error.weekly_limit": "This shift would go over the weekly maximum of {hours} hours.",
  "error.shift_closed": "This shift has started or its session was cancelled, so it can no longer be changed.",
  "error.shift_blackout": "You marked this day as one you cannot come. Remove that day first if you can come after all.",
  "error.need_session_mismatch": "This shift does not belong to that session. Please choose the right session.",
  "error.assignment_state": "This shift cannot be changed that way in its current state. Please reload the page.",
  "error.attendance_too_early": "Attendance can be recorded once the shift has started.",
  "error.roster_invalid": "Something in the form is not right. Please check it and try again.",
  "error.skill_slug_taken": "A skill with that code already exists. Please choose another code.",
  "error.need_in_use": "People have already been rostered on this shift, so it cannot be removed. You can lower the number of people instead.",
  "error.already_assigned": "This person is already on this shift.",
  "error.roster_proposal_refused":
    "Item {index} of the suggestion can no longer be assigned (someone may have been rostered at that time meanwhile), so none of the suggestion was accepted. Please ask for a fresh suggestion and try again.",
  "error.need_retime_conflict":
    "Not saved: with the new times, {name}'s shift would overlap their other shift {title} ({when}). Please change that shift first.",
  "error.shift_role_required":
    "Shifts are for the station's volunteers and doctors. If you would like to help, please ask a coordinator to sign you up as a volunteer.",
  "error.need_retime_signup_conflict":
    "Not saved: with the new times, {name}'s shift would overlap {title} ({when}), which they signed up to attend. Please talk to them first.",
  "error.need_retime_weekly_limit":
    "Not saved: with the new times, {name} would go over the weekly maximum of {hours} hours. Please change their shifts first.",
} as const;
