/**
 * The station's regular programme, as the article describes it: tai chi and exercise
 * classes, the monthly health lecture and free clinic, and parent-child events (the legal and
 * counselling consultations are one-to-one slots: ./consultations.ts). Descriptions are what a resident reads on the calendar:
 * plain and warm, and never about any one person's health.
 */
import type { ActivityInput } from "../models/activities";

export interface ProgrammeLeaders {
  taiChi: string;
  exercise: string;
  parentChild: string;
  lecturer: string;
}

export function demoProgramme(categoryId: (slug: string) => number, startDate: string, leaders: ProgrammeLeaders): ActivityInput[] {
  const base = { startDate, exdates: [] as string[] };
  return [
    {
      ...base,
      categoryId: categoryId("tai-chi"),
      title: "太极拳晨练",
      description: "清晨在社区广场一起打太极拳，老师会放慢动作，初学的朋友也跟得上。下雨天改在驿站文体活动区。",
      location: "社区广场（雨天在驿站文体活动区）",
      leader: `文体活动组 ${leaders.taiChi}`,
      capacity: 30,
      // A grandparent may bring a grandchild.
      maxPartySize: 2,
      signupOpensDays: 7,
      durationMinutes: 60,
      startTime: "07:30",
      rule: { freq: "WEEKLY", interval: 1, byWeekday: ["MO", "TU", "WE", "TH", "FR"] },
    },
    {
      ...base,
      categoryId: categoryId("exercise"),
      title: "健身操",
      description: "傍晚跟着音乐活动活动筋骨，动作简单，量力而行就好。请穿一双舒服的鞋。",
      location: "驿站文体活动区",
      leader: `文体活动组 ${leaders.exercise}`,
      capacity: 25,
      maxPartySize: 2,
      signupOpensDays: 7,
      durationMinutes: 60,
      startTime: "19:00",
      rule: { freq: "WEEKLY", interval: 1, byWeekday: ["TU", "TH"] },
    },
    {
      ...base,
      categoryId: categoryId("lecture"),
      title: "家庭健康公益讲堂",
      description: "卫生院的医生讲讲常见病的预防和日常保健，讲完留出时间答疑。欢迎带家人一起来听。",
      location: "驿站文体活动区",
      leader: `富兴堡卫生院 ${leaders.lecturer}医生`,
      capacity: 60,
      maxPartySize: 2,
      signupOpensDays: 14,
      durationMinutes: 90,
      startTime: "15:00",
      rule: { freq: "MONTHLY", interval: 1, byNthWeekday: { nth: 2, weekday: "WE" } },
    },
    {
      ...base,
      categoryId: categoryId("clinic"),
      title: "公益义诊",
      description: "富兴堡卫生院的医生来驿站免费量血压、测血糖、看诊和解答用药问题。请带上医保卡和平时吃的药。",
      location: "驿站医疗保健区",
      leader: "富兴堡卫生院 家庭医生团队",
      capacity: 80,
      // The monthly rush: one place each, opening a week ahead.
      maxPartySize: 1,
      signupOpensDays: 7,
      cancelDeadlineMinutes: 24 * 60,
      durationMinutes: 180,
      startTime: "08:30",
      rule: { freq: "MONTHLY", interval: 1, byNthWeekday: { nth: 1, weekday: "SA" } },
    },
    {
      ...base,
      categoryId: categoryId("parent-child"),
      title: "亲子活动",
      description: "周末下午，爷爷奶奶、爸爸妈妈带着孩子一起做手工、玩游戏。孩子也占一个名额，报名时请把孩子算上。",
      location: "驿站日间照料区",
      leader: `文体活动组 ${leaders.parentChild}`,
      capacity: 15,
      // Places count people: a parent or grandparent with up to two children.
      maxPartySize: 3,
      signupOpensDays: 14,
      durationMinutes: 90,
      startTime: "15:00",
      rule: { freq: "MONTHLY", interval: 1, byNthWeekday: { nth: -1, weekday: "SU" } },
    },
  ];
}
