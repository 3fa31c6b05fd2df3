/**
 * Catalog entries of the weekly roster limits page, kept apart so that work on one feature
 * does not touch the others' lines. zh-CN.ts and en.ts spread them in.
 */
export const limitsZh = {
  "limits.title": "每周排班上限",
  "limits.help": "排班建议和手动排班都不会让一个人每周的班次超过这个时长。个人上限优先于驿站默认值。",
  "limits.station": "驿站默认：每人每周最多（小时）",
  "limits.saveStation": "保存默认上限",
  "limits.people": "个人上限",
  "limits.none": "还没有人设了自己的上限。",
  "limits.person": "姓名",
  "limits.hours": "每周最多（小时）",
  "limits.remove": "改回默认",
  "limits.removeFor": "把{name}改回默认上限",
  "limits.add": "为某人设上限",
  "limits.savePerson": "保存{name}的上限",
  "limits.saved": "已保存。",
  "limits.hoursRange": "请填写 1 到 60 之间的整数小时。",
} as const;

export const limitsEn: Record<keyof typeof limitsZh, string> = {
  "limits.title": "Weekly roster limits",
  "limits.help":
    "Neither the suggestion nor a manual assignment puts anyone on more shift time a week than this. A person's own limit comes before the station's.",
  "limits.station": "Station default: at most (hours a week per person)",
  "limits.saveStation": "Save the default",
  "limits.people": "Personal limits",
  "limits.none": "Nobody has a limit of their own yet.",
  "limits.person": "Name",
  "limits.hours": "At most (hours a week)",
  "limits.remove": "Back to the default",
  "limits.removeFor": "Put {name} back on the default limit",
  "limits.add": "Set a limit for someone",
  "limits.savePerson": "Save {name}'s limit",
  "limits.saved": "Saved.",
  "limits.hoursRange": "Please enter whole hours from 1 to 60.",
};
