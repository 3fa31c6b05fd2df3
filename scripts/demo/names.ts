/**
 * Name and address material for the demo community. Surnames are weighted as they are met
 * in Sanming (陈 and 林 lead, and the Hakka-leaning names of western Fujian show up);
 * given names follow the fashions of the decade a person was born in, so a 75-year-old
 * is a 秀英 or a 建国 and a schoolchild a 梓萱 or a 浩然.
 */
import type { Weighted } from "./random";

export const SURNAMES: Weighted<string> = [
  ["陈", 18], ["林", 14], ["黄", 10], ["张", 8], ["李", 7], ["王", 6], ["吴", 5], ["刘", 5],
  ["蔡", 4], ["杨", 4], ["郑", 4], ["罗", 3], ["邱", 3], ["谢", 3], ["赖", 3], ["肖", 3],
  ["徐", 2], ["朱", 2], ["余", 2], ["曾", 2], ["邓", 2], ["叶", 2], ["周", 2], ["魏", 2],
  ["江", 2], ["廖", 2], ["范", 1], ["卢", 1], ["池", 1], ["严", 1], ["涂", 1], ["姜", 1],
  ["钟", 1], ["温", 1], ["饶", 1], ["官", 1], ["游", 1], ["傅", 1], ["詹", 1], ["许", 1],
];

export type Sex = "m" | "f";

/** Given names by birth cohort; single-character names are common in every cohort. */
const GIVEN: Record<"elder" | "middle" | "young", Record<Sex, readonly string[]>> = {
  // Born before about 1967.
  elder: {
    m: ["建国", "国强", "德福", "福生", "金水", "明华", "志刚", "建华", "国华", "永祥", "长生", "玉林",
      "文斌", "荣华", "水生", "木生", "春生", "土金", "庆元", "德明", "宗仁", "光明", "振华", "炳辉",
      "伟", "强", "斌", "军", "勇", "民", "忠", "林"],
    f: ["秀英", "桂英", "玉兰", "桂兰", "秀珍", "美华", "淑珍", "玉珍", "丽华", "凤英", "秀兰", "金花",
      "月娥", "秀琴", "美玉", "淑芬", "春兰", "素珍", "玉梅", "碧霞", "梅", "英", "兰", "芳", "珍", "华"],
  },
  // Born about 1967–1995: today's parents and working-age adults.
  middle: {
    m: ["伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "鹏", "晨", "辉", "峰", "志强",
      "建明", "海峰", "俊杰", "文杰", "晓东", "志伟", "建锋", "国栋", "宏伟", "少华", "永辉", "振宇", "家豪"],
    f: ["丽", "静", "敏", "燕", "艳", "娟", "芳", "婷", "琳", "颖", "佳", "慧敏", "丽娟", "晓燕",
      "秀梅", "雪梅", "美玲", "丽萍", "春燕", "海燕", "小红", "晓玲", "丽丽", "雅琴", "冬梅"],
  },
  // Born after about 1995, children included.
  young: {
    m: ["浩然", "子轩", "宇轩", "梓豪", "俊熙", "一鸣", "子墨", "浩宇", "博文", "宇航", "梓睿", "天佑",
      "嘉豪", "子健", "思远", "皓轩", "奕辰", "睿", "铭", "宸", "航", "哲"],
    f: ["子涵", "梓萱", "欣怡", "诗涵", "雨桐", "一诺", "可馨", "思琪", "语嫣", "若曦", "梦瑶", "佳怡",
      "欣然", "雨欣", "婉清", "心怡", "依诺", "晨曦", "语桐", "沐晴", "萱", "悦"],
  },
};

export function givenNames(birthYear: number, sex: Sex): readonly string[] {
  const cohort = birthYear < 1967 ? "elder" : birthYear <= 1995 ? "middle" : "young";
  return GIVEN[cohort][sex];
}

/** Mobile prefixes of the three carriers; the numbers themselves are invented. */
export const PHONE_PREFIXES: readonly string[] = [
  "138", "139", "137", "136", "135", "134", "150", "151", "152", "157", "158", "159", "182", "187", "188",
  "130", "131", "132", "155", "156", "185", "186", "133", "153", "180", "189", "177",
];

/** What staff need to know to welcome someone; sensitive, shown to staff only. */
export const NEEDS: Weighted<string> = [
  ["行动不便", 34],
  ["助听器", 24],
  ["视力较弱", 20],
  ["轮椅", 15],
  ["助听器、视力较弱", 4],
  ["轮椅、助听器", 3],
];

/**
 * Streets and estates around the station. Old walk-up blocks: 2–3 stairwells (单元),
 * 6–7 floors, two flats per landing.
 */
export const STREETS: readonly { name: string; style: "street" | "estate" }[] = [
  { name: "富文路", style: "street" },
  { name: "富兴路", style: "street" },
  { name: "新市北路", style: "street" },
  { name: "富文新村", style: "estate" },
  { name: "富兴堡小区", style: "estate" },
];

/** Featured people: the faces of the demo accounts and of the programme. */
export const FEATURED = {
  admin: { fullName: "郑丽华", birthYear: 1971 },
  coordinator: { fullName: "黄晓燕", birthYear: 1986 },
  // A caretaking member: looks after the block where 王大爷 lives.
  member: { fullName: "林秀珍", birthYear: 1961 },
  // The 72-year-old who lives alone, from the newspaper article.
  resident: { fullName: "王德福", birthYear: 1954 },
} as const;

/** Doctors of 富兴堡卫生院 who work with the station; the first has the doctor demo login. */
export const DOCTORS: readonly { fullName: string; birthYear: number; speciality: string }[] = [
  { fullName: "李建华", birthYear: 1972, speciality: "全科" },
  { fullName: "陈丽萍", birthYear: 1978, speciality: "全科" },
  { fullName: "黄志明", birthYear: 1969, speciality: "内科" },
  { fullName: "林美玲", birthYear: 1983, speciality: "护理" },
  { fullName: "郑国华", birthYear: 1966, speciality: "中医" },
  { fullName: "吴晓燕", birthYear: 1988, speciality: "儿科" },
];

export const SERVICE_GROUPS = [
  { key: "health", nameZh: "健康服务组", nameEn: "Health service group", size: 100 },
  { key: "culture", nameZh: "文体活动组", nameEn: "Culture & sports group", size: 90 },
  { key: "care", nameZh: "关爱帮扶组", nameEn: "Care & support group", size: 100 },
  { key: "outreach", nameZh: "政策宣传组", nameEn: "Outreach group", size: 60 },
] as const;

export type GroupKey = (typeof SERVICE_GROUPS)[number]["key"];
