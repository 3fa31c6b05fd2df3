import { and, eq } from "drizzle-orm";
import type { Db } from "../../models/db";
import { accounts, categories, people, stationRoles, stations } from "../../models/db/schema";
import { DEFAULT_CATEGORIES } from "../../models/categories";
import { startSession, type Role } from "../../models/auth";
import { hashPassword } from "../../models/passwords";
import type { ActivityInput } from "../../models/activities";

export const TEST_PASSWORD = "correct horse battery";
let passwordHash: Promise<string> | undefined;

/** The station the app serves (STATION_SLUG defaults to "fuwen") with the default categories. */
export async function ensureStation(db: Db, slug = "fuwen") {
  const [existing] = await db.select().from(stations).where(eq(stations.slug, slug));
  if (existing) return existing;
  const [station] = await db.insert(stations).values({ slug, nameZh: "测试驿站", nameEn: "Test station", timeZone: "Asia/Shanghai" }).returning();
  await db.insert(categories).values(DEFAULT_CATEGORIES.map((c, i) => ({ ...c, stationId: station!.id, sortOrder: i })));
  return station!;
}

export async function categoryId(db: Db, stationId: number, slug: string) {
  const [row] = await db
    .select({ id: categories.id })
    .from(categories)
    .where(and(eq(categories.stationId, stationId), eq(categories.slug, slug)));
  if (!row) throw new Error(`no category ${slug} in station ${stationId}`);
  return row.id;
}

let counter = 0;
/** An account with the given roles; returns its ids and a signed-in session token. */
export async function makeAccount(db: Db, stationId: number, roles: Role[], name = "测试用户") {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const email = `user${process.pid}-${++counter}-${Date.now()}@test.example`;
  const [person] = await db.insert(people).values({ stationId, fullName: name, email }).returning({ id: people.id });
  const [account] = await db
    .insert(accounts)
    .values({ email, passwordHash: await passwordHash, personId: person!.id })
    .returning({ id: accounts.id });
  if (roles.length) await db.insert(stationRoles).values(roles.map((role) => ({ accountId: account!.id, stationId, role })));
  const { token } = await startSession(db, account!.id);
  return { accountId: account!.id, personId: person!.id, email, token };
}

/** The morning tai chi series the tests make; each says its own start and recurrence. */
export function taiChiSeries(categoryId: number, when: Pick<ActivityInput, "startDate" | "rule">): ActivityInput {
  return {
    categoryId,
    title: "太极拳晨练",
    description: "",
    location: "社区广场",
    leader: "陈师傅",
    capacity: 30,
    durationMinutes: 60,
    startTime: "07:30",
    exdates: [],
    ...when,
  };
}
