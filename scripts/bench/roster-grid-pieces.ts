/**
 * `npx tsx scripts/bench/roster-grid-pieces.ts 2026-W50 [--explain]`: what one request of the
 * roster grid (`/manage/roster?week=…`) spends in the database, piece by piece, at the model
 * layer on the demo seeded in memory: the guard's two lookups (made by the root loader and
 * again by the route's), weekShifts and the qualified people per open skill, then each
 * statement of weekShifts on its own (time through PGlite's client, so protocol, planning
 * and parsing included) and, with --explain, the engine's own time for the two largest.
 * A diagnostic for docs/benchmarks.md's "Roster grid" section, not part of `npm run bench`.
 */
import { performance } from "node:perf_hooks";
import { DateTime } from "luxon";
import { eq, sql } from "drizzle-orm";
import { openDatabase } from "../../models/db";
import { weekShifts, qualifiedPeople } from "../../models/rosters";
import { getSessionViewer, startSession } from "../../models/auth";
import { accounts, people, personSkills, skills } from "../../models/db/schema";
import { and, asc, inArray } from "drizzle-orm";
import { qualifies } from "../../models/rosters/skills";
import { seedDemoCommunity } from "../../demo/community";

const ZONE = "Asia/Shanghai";

async function time(name: string, n: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < 30; i++) await fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  console.log(`${name.padEnd(44)} ${((performance.now() - t0) / n).toFixed(3)} ms`);
}

async function main() {
  const match = /^(\d{4})-W(\d{2})$/.exec(process.argv[2] ?? "");
  if (!match) throw new Error("usage: roster-grid-pieces.ts <YYYY-Www> [--explain]");
  const h = await openDatabase({ kind: "pglite-memory" });
  await h.migrate();
  const { stationId } = await seedDemoCommunity(h.db);
  const monday = DateTime.fromObject({ weekYear: Number(match[1]), weekNumber: Number(match[2]), weekday: 1 }, { zone: ZONE }).startOf("day");
  const [from, to] = [monday.toJSDate(), monday.plus({ weeks: 1 }).toJSDate()];
  const [coordinator] = await h.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, "coordinator@fuwen.example"));
  const { token } = await startSession(h.db, coordinator!.id, null);

  const week = await weekShifts(h.db, stationId, from, to);
  const open = new Set<number>();
  for (const s of week.sessions) for (const c of week.shifts.get(s.id) ?? []) if (c.filled < c.headCount) open.add(c.skill.id);
  console.log(`${week.sessions.length} sessions; skills with open places: ${[...open].join(", ") || "none"}`);

  await time("SELECT 1 (the floor of one statement)", 500, () => h.db.execute(sql`select 1`));
  await time("getSessionViewer (the guard, once per request)", 500, () => getSessionViewer(h.db, token, stationId));
  await time("weekShifts", 300, () => weekShifts(h.db, stationId, from, to));
  await time("qualifiedPeople, once per open skill", 300, async () => {
    for (const skillId of open) await qualifiedPeople(h.db, stationId, skillId);
  });

  // The proposed cheaper shapes, for comparison (not what the app runs today).
  await time("(proposed) qualified people, all open skills at once", 300, () =>
    h.db
      .select({ skillId: personSkills.skillId, id: people.id, name: people.fullName, specialty: personSkills.specialty })
      .from(personSkills)
      .innerJoin(skills, eq(skills.id, personSkills.skillId))
      .innerJoin(people, eq(people.id, personSkills.personId))
      .where(and(inArray(personSkills.skillId, [...open, 0]), eq(skills.stationId, stationId), eq(people.stationId, stationId), qualifies()))
      .orderBy(asc(people.fullName), asc(people.id)),
  );

  // Per statement: wrap the PGlite client's query and time each SQL text. (Two of
  // weekShifts' statements run in a Promise.all; PGlite serialises them, so the second's
  // time includes waiting for the first.)
  const client = (h.db as unknown as { $client: { query: (...a: unknown[]) => Promise<unknown> } }).$client;
  const original = client.query.bind(client);
  const bySql = new Map<string, { n: number; ms: number }>();
  client.query = async (...a: unknown[]) => {
    const t0 = performance.now();
    try {
      return await original(...a);
    } finally {
      const key = String(a[0]).replace(/\s+/g, " ").slice(0, 120);
      const e = bySql.get(key) ?? { n: 0, ms: 0 };
      e.n++;
      e.ms += performance.now() - t0;
      bySql.set(key, e);
    }
  };
  for (let i = 0; i < 200; i++) await weekShifts(h.db, stationId, from, to);
  console.log("weekShifts, statement by statement:");
  for (const [k, e] of bySql) console.log(`${(e.ms / e.n).toFixed(3).padStart(8)} ms  ${k}`);

  if (process.argv.includes("--explain")) {
    const ids = week.sessions.map((x) => x.id).join(",") || "0";
    for (const q of [
      `select s.id, a.title from sessions s join activities a on a.id = s.activity_id where s.station_id = ${stationId} and s.starts_at >= '${from.toISOString()}' and s.starts_at < '${to.toISOString()}' order by s.starts_at, s.id`,
      `select a.id, p.full_name from assignments a join people p on p.id = a.person_id where a.session_id in (${ids}) and a.station_id = ${stationId} order by a.id`,
    ]) {
      const plan = (await original(`explain analyze ${q}`)) as { rows: Record<string, string>[] };
      console.log(plan.rows.map((r) => Object.values(r)[0]).join("\n"));
    }
  }
  await h.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
