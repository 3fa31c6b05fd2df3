/**
 * Seeds the demo community of the Fuwen station into an empty database: the station, its
 * categories, ~1,000 residents in 400 households, 350 members in 4 service groups (40 of
 * them caretakers of a block each), 6 doctors, 5 demo logins and the recurring programme.
 * The server runs this on first start, so it has to be quick: rows go in a few hundred per
 * statement, and the one demo password is hashed once.
 */
import { and, eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db, Tx } from "../models/db";
import {
  accounts,
  categories,
  householdConsents,
  households,
  people,
  serviceGroupMembers,
  serviceGroups,
  sessions,
  stationRoles,
  stations,
} from "../models/db/schema";
import { createActivity, extendHorizon } from "../models/activities";
import { DEFAULT_CATEGORIES } from "../models/categories";
import { getConfig } from "../models/config";
import { hashPassword } from "../models/passwords";
import { currentVersion } from "../models/privacy/purposes";
import { DOCTORS, FEATURED, SERVICE_GROUPS, type GroupKey } from "./names";
import { planCommunity, type CommunityPlan, type PlannedMember, type PlannedPerson } from "./population";
import { demoProgramme } from "./programme";
import { seedDemoBookings } from "./bookings";
import { seedDemoRosters } from "./rosters";
import { seedDemoDesk } from "./desk";
import { seedDemoConsultations } from "./consultations";
import { seedDemoCare } from "./care";
import { seedPhoneLogin } from "./phone-login";

type DemoRole = "admin" | "coordinator" | "doctor" | "volunteer" | "resident";

export const DEMO_LOGINS: {
  password: string;
  accounts: { role: DemoRole; email: string; name: string }[];
} = {
  password: "hearth-demo-2026",
  accounts: [
    { role: "admin", email: "admin@fuwen.example", name: FEATURED.admin.fullName },
    { role: "coordinator", email: "coordinator@fuwen.example", name: FEATURED.coordinator.fullName },
    { role: "doctor", email: "doctor@fuwen.example", name: DOCTORS[0]!.fullName },
    { role: "volunteer", email: "member@fuwen.example", name: FEATURED.member.fullName },
    { role: "resident", email: "resident@fuwen.example", name: FEATURED.resident.fullName },
  ],
};

export interface SeedSummary {
  stationId: number;
  people: number;
  households: number;
  members: number;
  doctors: number;
  activities: number;
  sessions: number;
  signups: number;
  assignments: number;
  visits: number;
  consultations: number;
}

const TIME_ZONE = "Asia/Shanghai";
// Well below PostgreSQL's 65,535 bind parameters, and few enough round-trips on PGlite.
const ROWS_PER_STATEMENT = 300;

function emailOf(role: DemoRole): string {
  const login = DEMO_LOGINS.accounts.find((a) => a.role === role);
  if (!login) throw new Error(`no demo login for ${role}`);
  return login.email;
}

async function inChunks<T, R>(rows: readonly T[], run: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) out.push(...(await run(rows.slice(i, i + ROWS_PER_STATEMENT))));
  return out;
}

function requireId<K>(ids: Map<K, number>, key: K): number {
  const id = ids.get(key);
  if (id === undefined) throw new Error(`seed: no id for ${String(key)}`);
  return id;
}

/** The first member of a group born in [from, to], for naming the programme's leaders. */
function leaderFrom(members: readonly PlannedMember[], group: GroupKey, from: number, to: number, not: string[] = []): string {
  const inGroup = members.filter((m) => m.group === group && !not.includes(m.fullName));
  const leader = inGroup.find((m) => m.birthYear >= from && m.birthYear <= to) ?? inGroup[0];
  if (!leader) throw new Error(`seed: no member in ${group}`);
  return leader.fullName;
}

interface Seeded {
  stationId: number;
  adminAccountId: number;
  coordinatorAccountId: number;
  categoryIds: Map<string, number>;
  people: number;
}

const CONSENT_METHODS = ["in_person", "paper", "phone"] as const;
const DEMO_CONSENT_DAY = new Date("2026-03-08T02:00:00Z");

/**
 * A household's address is its label (the demo's labels are addresses); about half have a
 * landline. Derived from the position, not the random stream, so the rest of the demo is unchanged.
 */
function contactOf(label: string, index: number) {
  const landline = index % 2 === 0 ? `0598-82${String(31_000 + ((index * 7_919) % 69_000)).padStart(5, "0")}` : null;
  return { address: `福建省三明市 ${label}`, landline };
}

async function seedPeople(tx: Tx, plan: CommunityPlan, passwordHash: string): Promise<Seeded> {
  const config = getConfig();

  const [station] = await tx
    .insert(stations)
    .values({ slug: config.STATION_SLUG, nameZh: "富文社区家庭健康驿站", nameEn: "Fuwen Community Family Health Station", timeZone: TIME_ZONE })
    .returning({ id: stations.id });
  const stationId = station!.id;

  const categoryRows = await tx
    .insert(categories)
    .values(DEFAULT_CATEGORIES.map((c, index) => ({ ...c, stationId, sortOrder: index })))
    .returning({ id: categories.id, slug: categories.slug });
  const groupRows = await tx
    .insert(serviceGroups)
    .values(SERVICE_GROUPS.map((g) => ({ stationId, nameZh: g.nameZh, nameEn: g.nameEn })))
    .returning({ id: serviceGroups.id, nameEn: serviceGroups.nameEn });
  const groupIds = new Map(groupRows.map((g) => [SERVICE_GROUPS.find((s) => s.nameEn === g.nameEn)!.key, g.id]));

  // People who live outside the 400 households: members, doctors and the station's staff.
  // Every one of them has a phone, and phones are unique, so ids are matched by phone
  // rather than by trusting the order of RETURNING.
  const withEmail = (person: PlannedPerson, email: string | null) => ({ ...person, email });
  const outsiders = [
    ...plan.members.map((m, i) => withEmail(m, i === 0 ? emailOf("volunteer") : null)),
    ...plan.doctors.map((d, i) => withEmail(d, i === 0 ? emailOf("doctor") : null)),
    withEmail(plan.admin, emailOf("admin")),
    withEmail(plan.coordinator, emailOf("coordinator")),
  ];
  const outsiderRows = await inChunks(outsiders, (chunk) =>
    tx
      .insert(people)
      .values(chunk.map((p) => ({ stationId, fullName: p.fullName, phone: p.phone, email: p.email, birthYear: p.birthYear, needs: p.needs })))
      .returning({ id: people.id, phone: people.phone }),
  );
  const idByPhone = new Map(outsiderRows.map((r) => [r.phone, r.id]));
  const memberIds = plan.members.map((m) => requireId(idByPhone, m.phone));

  // Caretakers exist already, so each household gets its caretaker in the same insert.
  const householdRows = await inChunks(plan.households, (chunk) =>
    tx
      .insert(households)
      .values(chunk.map((h, i) => ({ stationId, label: h.label, ...contactOf(h.label, i), caretakerId: memberIds[h.caretaker] })))
      .returning({ id: households.id, label: households.label, caretakerId: households.caretakerId }),
  );
  const householdIds = new Map(householdRows.map((r) => [r.label, r.id]));
  // Most households agreed, on the coordinator's visits, that their caretaker acts for them;
  // one in ten has not yet (its caretaker sees the names only). 王大爷's has.
  const coordinatorPersonId = requireId(idByPhone, plan.coordinator.phone);
  await inChunks(
    householdRows.filter((h, index) => index % 10 !== 7 || h.label === plan.households[0]!.label),
    (chunk) =>
      tx
        .insert(householdConsents)
        .values(
          chunk.map((h) => ({
            stationId,
            householdId: h.id,
            caretakerId: h.caretakerId,
            method: CONSENT_METHODS[h.id % CONSENT_METHODS.length]!,
            givenAt: DEMO_CONSENT_DAY,
            recordedBy: coordinatorPersonId,
          })),
        )
        .returning({ id: householdConsents.id }),
  );

  const residents = plan.households.flatMap((h, index) =>
    h.residents.map((p) => ({
      stationId,
      fullName: p.fullName,
      phone: p.phone,
      // The first household is the demo resident's; he lives alone.
      email: index === 0 ? emailOf("resident") : null,
      birthYear: p.birthYear,
      needs: p.needs,
      householdId: requireId(householdIds, h.label),
    })),
  );
  await inChunks(residents, (chunk) => tx.insert(people).values(chunk).returning({ id: people.id }));
  // Needs are kept only with the person's consent to it (ADR 22): the coordinator took it on
  // the same visits, so every demo person with needs has a health_needs consent on record.
  await tx.execute(sql`
    INSERT INTO person_consents (station_id, person_id, purpose, version, method, given_at, recorded_by)
    SELECT station_id, id, 'health_needs', ${currentVersion("health_needs")}, (ARRAY['in_person', 'phone', 'paper'])[1 + id % 3],
           ${DEMO_CONSENT_DAY.toISOString()}::timestamptz, ${coordinatorPersonId}
    FROM people WHERE station_id = ${stationId} AND needs IS NOT NULL`);

  await inChunks(plan.members, (chunk) =>
    tx
      .insert(serviceGroupMembers)
      .values(chunk.map((m) => ({ groupId: requireId(groupIds, m.group), personId: requireId(idByPhone, m.phone) })))
      .returning({ personId: serviceGroupMembers.personId }),
  );

  const demoPeople = await tx
    .select({ id: people.id, email: people.email })
    .from(people)
    .where(and(eq(people.stationId, stationId), sql`${people.email} is not null`));
  const personByEmail = new Map(demoPeople.map((p) => [p.email, p.id]));
  const accountRows = await tx
    .insert(accounts)
    .values(DEMO_LOGINS.accounts.map((a) => ({ email: a.email, passwordHash, personId: requireId(personByEmail, a.email) })))
    .returning({ id: accounts.id, email: accounts.email });
  const accountIds = new Map(accountRows.map((a) => [a.email, a.id]));
  // The admin also coordinates: a small station's admin builds the calendar too.
  await tx.insert(stationRoles).values(
    DEMO_LOGINS.accounts.flatMap((a) =>
      (a.role === "admin" ? (["admin", "coordinator"] as const) : [a.role]).map((role) => ({
        accountId: requireId(accountIds, a.email),
        stationId,
        role,
      })),
    ),
  );

  await seedPhoneLogin(tx, stationId, passwordHash);

  return {
    stationId,
    adminAccountId: requireId(accountIds, emailOf("admin")),
    coordinatorAccountId: requireId(accountIds, emailOf("coordinator")),
    categoryIds: new Map(categoryRows.map((c) => [c.slug, c.id])),
    people: outsiders.length + residents.length,
  };
}

export async function seedDemoCommunity(db: Db, options: { now?: Date } = {}): Promise<SeedSummary> {
  const now = options.now ?? new Date();
  const passwordHash = await hashPassword(DEMO_LOGINS.password);
  const plan = planCommunity();
  const seeded = await db.transaction((tx) => seedPeople(tx, plan, passwordHash));

  // createActivity runs its own transaction, so the programme goes in after the people.
  const taiChi = leaderFrom(plan.members, "culture", 1950, 1966);
  const exercise = leaderFrom(plan.members, "culture", 1975, 1990, [taiChi]);
  const parentChild = leaderFrom(plan.members, "culture", 1980, 1995, [taiChi, exercise]);
  // The programme began on the first of last month and its sessions exist from then on:
  // the month view opens on a full calendar even at a month's end, and the station has a
  // month of history to look back on.
  const begun = DateTime.fromJSDate(now, { zone: TIME_ZONE }).startOf("month").minus({ months: 1 });
  const startDate = begun.toISODate()!;
  const programme = demoProgramme((slug) => requireId(seeded.categoryIds, slug), startDate, {
    taiChi,
    exercise,
    parentChild,
    lecturer: DOCTORS[0]!.fullName,
  });
  const ctx = {
    stationId: seeded.stationId,
    timeZone: TIME_ZONE,
    actorAccountId: seeded.adminAccountId,
    horizonDays: getConfig().CALENDAR_HORIZON_DAYS,
    now: begun.toJSDate(),
  };
  for (const activity of programme) await createActivity(db, ctx, activity);
  // The history above reaches CALENDAR_HORIZON_DAYS past the first of last month: roll on.
  await extendHorizon(db, { stationId: seeded.stationId, timeZone: TIME_ZONE, horizonDays: ctx.horizonDays, now });
  // The featured resident (王德福) starts with no bookings: he is the one a newcomer signs up as.
  const [featured] = await db
    .select({ personId: accounts.personId })
    .from(accounts)
    .where(eq(accounts.email, emailOf("resident")));
  const booked = await seedDemoBookings(db, {
    stationId: seeded.stationId,
    bookedByAccountId: seeded.coordinatorAccountId,
    skipPersonIds: featured ? [featured.personId] : [],
    now,
  });

  const rostered = await seedDemoRosters(db, {
    stationId: seeded.stationId,
    plan,
    coordinatorAccountId: seeded.coordinatorAccountId,
    taiChiLeader: taiChi,
    now,
  });

  // The demo member (林秀珍) keeps the desk: her account taps the visits and checks people in.
  const [desk] = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(eq(accounts.email, emailOf("volunteer")));
  const deskHistory = await seedDemoDesk(db, {
    stationId: seeded.stationId,
    timeZone: TIME_ZONE,
    deskAccountId: desk?.id ?? seeded.coordinatorAccountId,
    now,
  });

  const consulting = await seedDemoConsultations(db, {
    stationId: seeded.stationId,
    timeZone: TIME_ZONE,
    adminAccountId: seeded.adminAccountId,
    coordinatorAccountId: seeded.coordinatorAccountId,
    doctorEmail: emailOf("doctor"),
    passwordHash,
    skipPersonIds: featured ? [featured.personId] : [],
    now,
  });

  await seedDemoCare(db, {
    stationId: seeded.stationId,
    timeZone: TIME_ZONE,
    memberEmail: emailOf("volunteer"),
    adminAccountId: seeded.adminAccountId,
    horizonDays: ctx.horizonDays,
    skipPersonIds: featured ? [featured.personId] : [],
    now,
  });

  const [counted] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(sessions)
    .where(eq(sessions.stationId, seeded.stationId));
  return {
    stationId: seeded.stationId,
    people: seeded.people,
    households: plan.households.length,
    members: plan.members.length,
    doctors: plan.doctors.length,
    activities: programme.length,
    sessions: counted?.n ?? 0,
    signups: booked.signups,
    assignments: rostered.assignments,
    visits: deskHistory.visits,
    consultations: consulting.consultations,
  };
}
