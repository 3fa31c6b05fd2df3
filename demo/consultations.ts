/**
 * One-to-one consultations for the demo, the timetable of issue 12: 法律援助 with one visiting
 * lawyer on Thursday afternoons, 心理咨询 with two counsellors on Tuesday and Friday mornings
 * (45-minute slots), and 家庭医生随访 with two of the health centre's doctors — the demo doctor
 * on Tuesday and Thursday mornings, 陈丽萍 on Monday and Wednesday mornings — who also work the
 * monthly free clinic (公益义诊, a Saturday: no clash). A few residents are booked over the
 * coming two weeks, so every provider's 我的咨询 has a day to show. Hours and bookings go through
 * the model, so the commitments ledger keeps everyone in one place at a time.
 */
import { and, eq } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db } from "../models/db";
import { accounts, people, personSkills, skills, stationRoles } from "../models/db/schema";
import { createConsultationService } from "../models/consultations/services";
import { addProviderHours } from "../models/consultations/hours";
import { bookConsultation } from "../models/consultations/bookings";
import { slotsOf } from "../models/consultations/slots";
import { DomainError } from "../models/errors";
import { Random } from "./random";
import { demoResidents } from "./station-rows";
import { DOCTORS } from "./names";

const SECOND_DOCTOR = DOCTORS[1]!.fullName;

/** The visiting lawyer signs in with his mobile number (the demo password) to see his appointments and keep his hours. */
export const DEMO_LAWYER_LOGIN = { phone: "13900001111", name: "周明远" } as const;

/** What people write when they book, by service (some write nothing). */
const TOPICS = {
  legal: ["子女赡养", "邻里纠纷", "房屋继承", "遗嘱怎么写", ""],
  counselling: ["睡眠不好，心里烦", "老伴走后一直难过", "和儿媳说不到一起", ""],
  followUp: ["血压药怎么调", "血糖复查", "膝盖疼，要不要拍片", ""],
};

export async function seedDemoConsultations(
  db: Db,
  ctx: {
    stationId: number;
    timeZone: string;
    adminAccountId: number;
    coordinatorAccountId: number;
    doctorEmail: string;
    /** The demo password's hash: the lawyer signs in with her mobile number, to see 我的咨询. */
    passwordHash: string;
    /** The featured resident starts with nothing booked: he is the one a newcomer books as. */
    skipPersonIds: number[];
    now: Date;
  },
) {
  const random = new Random(20261205);
  const account = async (id: number) => {
    const [row] = await db.select({ personId: accounts.personId }).from(accounts).where(eq(accounts.id, id));
    return row!.personId;
  };
  const admin = { accountId: ctx.adminAccountId, personId: await account(ctx.adminAccountId), roles: ["admin" as const] };
  const coordinator = { accountId: ctx.coordinatorAccountId, personId: await account(ctx.coordinatorAccountId), roles: ["coordinator" as const] };
  const confirmed = { confirmedAt: ctx.now, confirmedByAccountId: ctx.coordinatorAccountId };

  const [lawyerSkill, counsellorSkill] = await db
    .insert(skills)
    .values([
      { stationId: ctx.stationId, slug: "lawyer", nameZh: "律师", nameEn: "Lawyer", restricted: true },
      { stationId: ctx.stationId, slug: "counsellor", nameZh: "心理咨询师", nameEn: "Counsellor", restricted: true },
    ])
    .returning({ id: skills.id });
  const [doctorSkill] = await db
    .select({ id: skills.id })
    .from(skills)
    .where(and(eq(skills.stationId, ctx.stationId), eq(skills.slug, "doctor")));
  const [lawyer, counsellor, secondCounsellor] = await db
    .insert(people)
    .values([
      { stationId: ctx.stationId, fullName: DEMO_LAWYER_LOGIN.name, phone: DEMO_LAWYER_LOGIN.phone },
      { stationId: ctx.stationId, fullName: "何静", phone: "13900002222" },
      { stationId: ctx.stationId, fullName: "孙文华", phone: "13900003333" },
    ])
    .returning({ id: people.id });
  const [lawyerAccount] = await db
    .insert(accounts)
    .values({ phone: DEMO_LAWYER_LOGIN.phone, passwordHash: ctx.passwordHash, personId: lawyer!.id })
    .returning({ id: accounts.id });
  await db.insert(stationRoles).values({ accountId: lawyerAccount!.id, stationId: ctx.stationId, role: "resident" });
  await db.insert(personSkills).values([
    { personId: lawyer!.id, skillId: lawyerSkill!.id, specialty: "婚姻家庭、劳动纠纷", ...confirmed },
    { personId: counsellor!.id, skillId: counsellorSkill!.id, specialty: "老年心理", ...confirmed },
    { personId: secondCounsellor!.id, skillId: counsellorSkill!.id, specialty: "家庭关系", ...confirmed },
  ]);
  const [doctor] = await db.select({ personId: accounts.personId }).from(accounts).where(eq(accounts.email, ctx.doctorEmail));
  // The second family doctor: the plan's second doctor, who also works the free clinic (./rosters.ts).
  const [secondDoctor] = await db
    .select({ personId: people.id })
    .from(people)
    .where(and(eq(people.stationId, ctx.stationId), eq(people.fullName, SECOND_DOCTOR)));

  const as = { stationId: ctx.stationId, actor: admin, now: ctx.now };
  const service = (input: Parameters<typeof createConsultationService>[2]) => createConsultationService(db, as, input);
  const legal = await service({
    kind: "legal",
    nameZh: "法律援助",
    nameEn: "Legal aid",
    skillId: lawyerSkill!.id,
    slotMinutes: 30,
    bufferMinutes: 10,
    bookAheadDays: 14,
    cancelDeadlineMinutes: 120,
    maxUpcoming: 1,
  });
  const counselling = await service({
    kind: "counselling",
    nameZh: "心理咨询",
    nameEn: "Counselling",
    skillId: counsellorSkill!.id,
    slotMinutes: 45,
    bufferMinutes: 15,
    bookAheadDays: 21,
    cancelDeadlineMinutes: 24 * 60,
    maxUpcoming: 1,
  });
  const followUp = await service({
    kind: "family_doctor",
    nameZh: "家庭医生随访",
    nameEn: "Family doctor follow-up",
    skillId: doctorSkill!.id,
    slotMinutes: 20,
    bufferMinutes: 0,
    bookAheadDays: 14,
    cancelDeadlineMinutes: 60,
    maxUpcoming: 2,
  });
  const from = DateTime.fromJSDate(ctx.now, { zone: ctx.timeZone }).startOf("month").toISODate()!;
  const hours = { stationId: ctx.stationId, actor: coordinator, now: ctx.now };
  await addProviderHours(db, hours, {
    serviceId: legal.id,
    providerPersonId: lawyer!.id,
    weekday: 4,
    startTime: "14:00",
    endTime: "17:00",
    location: "驿站法律援助工作站",
    fromDate: from,
  });
  for (const [providerPersonId, location] of [
    [counsellor!.id, "驿站日间照料区 咨询室"],
    [secondCounsellor!.id, "驿站日间照料区 谈心室"],
  ] as const)
    for (const weekday of [2, 5])
      await addProviderHours(db, hours, {
        serviceId: counselling.id,
        providerPersonId,
        weekday,
        startTime: "09:00",
        endTime: "12:00",
        location,
        fromDate: from,
      });
  const doctorDays = [
    [doctor?.personId, [2, 4], "驿站医疗保健区 全科诊室"],
    [secondDoctor?.personId, [1, 3], "驿站医疗保健区 全科诊室"],
  ] as const;
  for (const [providerPersonId, weekdays, location] of doctorDays) {
    if (providerPersonId === undefined) continue;
    for (const weekday of weekdays)
      await addProviderHours(db, hours, {
        serviceId: followUp.id,
        providerPersonId,
        weekday,
        startTime: "09:00",
        endTime: "11:00",
        location,
        fromDate: from,
      });
  }

  // About half the coming slots booked, by the coordinator for residents who phoned.
  const residents = (await demoResidents(db, ctx.stationId)).filter((id) => !ctx.skipPersonIds.includes(id));
  const today = DateTime.fromJSDate(ctx.now, { zone: ctx.timeZone });
  let booked = 0;
  for (const [s, topics] of [
    [legal, TOPICS.legal],
    [counselling, TOPICS.counselling],
    [followUp, TOPICS.followUp],
  ] as const) {
    const slots = await slotsOf(db, s, { fromDate: today.toISODate()!, toDate: today.plus({ days: 14 }).toISODate()!, now: ctx.now });
    for (const slot of slots) {
      if (random.float() > 0.5) continue;
      try {
        await bookConsultation(
          db,
          { stationId: ctx.stationId, actor: coordinator, now: ctx.now },
          {
            serviceId: s.id,
            startsAt: slot.startsAt,
            providerPersonId: slot.providerPersonId,
            personId: residents[random.int(0, residents.length - 1)]!,
            topic: topics[random.int(0, topics.length - 1)],
          },
        );
        booked++;
      } catch (error) {
        // A resident who is elsewhere then, or already holds this service's limit: someone else phones.
        if (!(error instanceof DomainError)) throw error;
      }
    }
  }
  return { services: 3, consultations: booked };
}
