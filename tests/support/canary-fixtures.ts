// The scenario the two erasure tests (privacy-erasure: the models; privacy-canary-pages: every
// page over HTTP) both build around a canary person: her households, her bookings with someone
// waiting behind her, last month's worked shift and hand-entered hours. One set-up, so the two
// tests erase the same life.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import type { DateTime } from "luxon";
import { vi } from "vitest";
import type { Db } from "../../models/db";
import { assignments, householdConsents, households, manualHours, people, personSkills, serviceLines, sessions } from "../../models/db/schema";
import type { Actor } from "../../models/permissions";
import { signUp } from "../../models/signups";
import { makeNeed, makeSkill } from "./roster-fixtures";
import { makeSession } from "./signup-fixtures";

/** The rendered mails (DATA_DIR/outbox) of one test file go to a directory of its own. Call it in vi.hoisted. */
export function ownOutbox(prefix: string) {
  process.env.DATA_DIR = mkdtempSync(join(tmpdir(), prefix));
}

/** Every line the process logs from now on, into `logs` (vi.restoreAllMocks() ends it). */
export function captureConsole(logs: string[], methods: readonly ("log" | "error" | "warn" | "info" | "debug")[] = ["log", "error", "warn", "info"]) {
  for (const method of methods) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logs.push(args.map(String).join(" ")));
  }
}

/** Moves a session to `start` (two hours long), after its bookings were made as they would be. */
export async function moveSession(db: Db, sessionId: number, start: DateTime) {
  await db
    .update(sessions)
    .set({ startsAt: start.toJSDate(), endsAt: start.plus({ hours: 2 }).toJSDate() })
    .where(eq(sessions.id, sessionId));
  return start;
}

/** Her own household (nobody else in it) and one she looks after, with the neighbour in it and its consent. */
export async function canaryHouseholds(
  db: Db,
  stationId: number,
  personId: number,
  own: { home: string; address: string; landline: string },
  neighbour: number,
) {
  const [mine] = await db
    .insert(households)
    .values({ stationId, label: own.home, address: own.address, landline: own.landline })
    .returning({ id: households.id });
  await db.update(people).set({ householdId: mine!.id }).where(eq(people.id, personId));
  const [cared] = await db.insert(households).values({ stationId, label: "王家", caretakerId: personId }).returning({ id: households.id });
  await db.update(people).set({ householdId: cared!.id }).where(eq(people.id, neighbour));
  await db.insert(householdConsents).values({ stationId, householdId: cared!.id, caretakerId: personId, method: "paper" });
  return { own: mine!.id, cared: cared!.id };
}

/** A confirmed place with `queued` waiting behind her, and a place she waits for behind `first`. */
export async function canaryBookings(
  db: Db,
  ctx: { stationId: number; canary: Actor; coordinator: Actor },
  others: { queued: number; first: number },
  titles: { confirmed?: string; waiting?: string } = {},
) {
  const { stationId, canary, coordinator } = ctx;
  const s1 = await makeSession(db, stationId, { capacity: 1, daysAhead: 3, ...(titles.confirmed ? { title: titles.confirmed } : {}) });
  const mine = await signUp(db, { stationId, actor: canary }, { sessionId: s1.sessionId, personId: canary.personId, partySize: 1 });
  await signUp(db, { stationId, actor: coordinator }, { sessionId: s1.sessionId, personId: others.queued, partySize: 1 });
  const s2 = await makeSession(db, stationId, { capacity: 1, daysAhead: 4, ...(titles.waiting ? { title: titles.waiting } : {}) });
  await signUp(db, { stationId, actor: coordinator }, { sessionId: s2.sessionId, personId: others.first, partySize: 1 });
  const waiting = await signUp(db, { stationId, actor: canary }, { sessionId: s2.sessionId, personId: canary.personId, partySize: 1 });
  return { s1, s2, mine, waiting };
}

/**
 * Last month's volunteering: a shift worked at `worked` (a session already moved to `start`), with
 * the skill it needed, and hand-entered hours with a note; and the desk's blood-pressure line.
 */
export async function pastWork(
  db: Db,
  stationId: number,
  personId: number,
  worked: { sessionId: number; start: DateTime },
  texts: { note: string; workDate: string; specialty?: string },
) {
  const skillId = await makeSkill(db, stationId, { nameZh: "量血压" });
  await db.insert(personSkills).values({ personId, skillId, confirmedAt: new Date(), ...(texts.specialty ? { specialty: texts.specialty } : {}) });
  const needId = await makeNeed(db, stationId, { sessionId: worked.sessionId, skillId });
  await db.insert(assignments).values({
    stationId,
    needId,
    sessionId: worked.sessionId,
    personId,
    during: `[${worked.start.toISO()},${worked.start.plus({ hours: 2 }).toISO()})`,
    status: "confirmed",
    attendance: "attended",
  });
  await db.insert(manualHours).values({ stationId, personId, workDate: texts.workDate, minutes: 90, note: texts.note });
  const [line] = await db
    .insert(serviceLines)
    .values({ stationId, nameZh: "测血压", nameEn: "Blood pressure", reportingLine: "健康监测" })
    .returning();
  return { skillId, needId, serviceLineId: line!.id };
}
