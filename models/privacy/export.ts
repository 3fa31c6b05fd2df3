import { and, desc, eq, inArray, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "../db";
import {
  accounts,
  activities,
  assignments,
  auditLog,
  consultations,
  consultationServices,
  manualHours,
  notifications,
  people,
  sessions,
  signups,
  skills,
  stationRoles,
} from "../db/schema";
import { NotFound } from "../errors";
import { EXPORT_ROWS_MAX } from "../limits";
import { accessRecordsOf, type AccessRecord } from "./access";
import { consentHistory, householdLine, type ConsentEntry } from "./consents";
import { selectShifts } from "../rosters/shift-rows";
import { bookerPeople, selectPersonBookings } from "../person-bookings";

type Locale = "zh-CN" | "en";

/**
 * Everything the station holds about one person (PIPL's right to access and copy, ADR 22), as
 * plain data: the 我的数据 page formats it, the downloads serialise it. Topics are given to the
 * person themself only (`withTopics`); staff producing it at the desk get them blanked.
 */
export interface PersonalData {
  person: {
    id: number;
    fullName: string;
    phone: string | null;
    email: string | null;
    birthYear: number | null;
    needs: string | null;
    mailLanguage: string;
    mailOptOuts: string[];
    registeredAt: Date;
  };
  account: { email: string | null; phone: string | null; createdAt: Date; roles: string[] } | null;
  household: { label: string; address: string | null; landline: string | null; caretaker: string | null } | null;
  bookings: {
    activity: string;
    startsAt: Date;
    status: string;
    partySize: number;
    bookedBy: string | null;
    bookedAt: Date;
    cancelledAt: Date | null;
    attendance: string | null;
    attendedCount: number | null;
  }[];
  shifts: { activity: string; role: string; startsAt: Date; status: string; attendance: string | null }[];
  hours: { date: string; minutes: number; note: string }[];
  consultations: {
    service: string;
    provider: string;
    startsAt: Date;
    location: string;
    status: string;
    attendance: string | null;
    topic: string | null;
  }[];
  mails: { kind: string; subject: string | null; sentAt: Date }[];
  consents: ConsentEntry[];
  audit: { at: Date; action: string; by: string | null }[];
  accessRecords: AccessRecord[];
}

const providers = alias(people, "provider");

export async function personalData(
  db: DbOrTx,
  stationId: number,
  personId: number,
  options: { locale: Locale; withTopics: boolean },
): Promise<PersonalData> {
  const name = (r: { nameZh: string; nameEn: string }) => (options.locale === "zh-CN" ? r.nameZh : r.nameEn);
  const [person] = await db
    .select({
      id: people.id,
      fullName: people.fullName,
      phone: people.phone,
      email: people.email,
      birthYear: people.birthYear,
      needs: people.needs,
      mailLanguage: people.locale,
      mailOptOuts: people.mailOptOuts,
      registeredAt: people.createdAt,
    })
    .from(people)
    .where(and(eq(people.id, personId), eq(people.stationId, stationId)));
  if (!person) throw new NotFound("person");

  const [account] = await db
    .select({ id: accounts.id, email: accounts.email, phone: accounts.phone, createdAt: accounts.createdAt })
    .from(accounts)
    .where(eq(accounts.personId, personId));
  const roles = account
    ? (
        await db
          .select({ role: stationRoles.role })
          .from(stationRoles)
          .where(and(eq(stationRoles.accountId, account.id), eq(stationRoles.stationId, stationId)))
      ).map((r) => r.role)
    : [];

  const bookings = await selectPersonBookings(
    db,
    {
      id: signups.id,
      activity: activities.title,
      startsAt: sessions.startsAt,
      status: signups.status,
      partySize: signups.partySize,
      bookedBy: bookerPeople.fullName,
      bookedAt: signups.createdAt,
      cancelledAt: signups.cancelledAt,
      attendance: signups.attendance,
      attendedCount: signups.attendedCount,
    },
    stationId,
    personId,
  ).limit(EXPORT_ROWS_MAX);

  const shifts = await selectShifts(db, {
    id: assignments.id,
    activity: activities.title,
    nameZh: skills.nameZh,
    nameEn: skills.nameEn,
    startsAt: sql<Date>`lower(${assignments.during})`.mapWith(people.createdAt),
    status: assignments.status,
    attendance: assignments.attendance,
  })
    .where(and(eq(assignments.stationId, stationId), eq(assignments.personId, personId)))
    .orderBy(desc(sessions.startsAt), desc(assignments.id))
    .limit(EXPORT_ROWS_MAX);

  const hours = await db
    .select({ date: manualHours.workDate, minutes: manualHours.minutes, note: manualHours.note })
    .from(manualHours)
    .where(and(eq(manualHours.stationId, stationId), eq(manualHours.personId, personId)))
    .orderBy(desc(manualHours.workDate), desc(manualHours.id))
    .limit(EXPORT_ROWS_MAX);

  const consults = await db
    .select({
      id: consultations.id,
      nameZh: consultationServices.nameZh,
      nameEn: consultationServices.nameEn,
      provider: providers.fullName,
      startsAt: consultations.startsAt,
      location: consultations.location,
      status: consultations.status,
      attendance: consultations.attendance,
      topic: consultations.topic,
    })
    .from(consultations)
    .innerJoin(consultationServices, eq(consultationServices.id, consultations.serviceId))
    .innerJoin(providers, eq(providers.id, consultations.providerPersonId))
    .where(and(eq(consultations.stationId, stationId), eq(consultations.personId, personId)))
    .orderBy(desc(consultations.startsAt), desc(consultations.id))
    .limit(EXPORT_ROWS_MAX);

  // Mails about the person or sent to them, by subject and time: never the body or the address.
  const mails = await db
    .select({ kind: notifications.kind, subject: notifications.subject, sentAt: notifications.sentAt })
    .from(notifications)
    .where(
      and(
        eq(notifications.stationId, stationId),
        eq(notifications.status, "sent"),
        or(eq(notifications.personId, personId), eq(notifications.recipientPersonId, personId)),
      ),
    )
    .orderBy(desc(notifications.sentAt), desc(notifications.id))
    .limit(EXPORT_ROWS_MAX);

  // The audit rows about the person: their own record, and their bookings, shifts and consultations.
  const actorPeople = alias(people, "actor");
  const sections: [typeof auditLog.$inferSelect.targetType, { id: number }[]][] = [
    ["signup", bookings],
    ["assignment", shifts],
    ["consultation", consults],
  ];
  const about = [
    and(eq(auditLog.targetType, "person"), eq(auditLog.targetId, personId)),
    ...sections
      .filter(([, rows]) => rows.length > 0)
      .map(([targetType, rows]) =>
        and(
          eq(auditLog.targetType, targetType),
          inArray(
            auditLog.targetId,
            rows.map((row) => row.id),
          ),
        ),
      ),
  ];
  const audit = await db
    .select({ at: auditLog.at, action: auditLog.action, by: actorPeople.fullName })
    .from(auditLog)
    .leftJoin(accounts, eq(accounts.id, auditLog.actorAccountId))
    .leftJoin(actorPeople, eq(actorPeople.id, accounts.personId))
    .where(and(eq(auditLog.stationId, stationId), or(...about)))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(EXPORT_ROWS_MAX);

  return {
    person,
    account: account ? { email: account.email, phone: account.phone, createdAt: account.createdAt, roles } : null,
    household: await householdLine(db, stationId, personId),
    bookings: bookings.map(({ id: _id, ...b }) => b),
    shifts: shifts.map((s) => ({ activity: s.activity, role: name(s), startsAt: s.startsAt, status: s.status, attendance: s.attendance })),
    hours,
    consultations: consults.map((c) => ({
      service: name(c),
      provider: c.provider,
      startsAt: c.startsAt,
      location: c.location,
      status: c.status,
      attendance: c.attendance,
      topic: options.withTopics ? c.topic : null,
    })),
    mails: mails.map((m) => ({ kind: m.kind, subject: m.subject, sentAt: m.sentAt! })),
    consents: await consentHistory(db, stationId, personId),
    audit,
    accessRecords: await accessRecordsOf(db, stationId, personId, EXPORT_ROWS_MAX),
  };
}

/** The sections of the export, in the order the page and the CSV show them. */
export const EXPORT_SECTIONS = [
  "person",
  "account",
  "household",
  "bookings",
  "shifts",
  "hours",
  "consultations",
  "mails",
  "consents",
  "audit",
  "accessRecords",
] as const satisfies readonly (keyof PersonalData)[];
export type ExportSection = (typeof EXPORT_SECTIONS)[number];
