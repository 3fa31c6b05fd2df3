/**
 * The database side of roster suggestion: load everything suggestRoster needs in a fixed
 * handful of set-based queries (never one per session or per person), and accept a proposal.
 */
import { and, eq, gt, gte, inArray, lt, lte, or, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db, DbOrTx } from "../db";
import {
  activities,
  assignments,
  availability,
  blackouts,
  people,
  personSkills,
  rosterNeeds,
  sessions,
  signups,
  skills,
  stations,
} from "../db/schema";
import { pgErrorOf } from "../db/errors";
import { DomainError, NotAllowed, NotFound } from "../errors";
import { isStaff } from "../permissions";
import { assignInTx, type AssignInput } from "./assignments";
import { MINUTE, rangeOf, rethrowBusy } from "./common";
import { InvalidRosterInput } from "./errors";
import {
  isoWeekKey,
  monthKey,
  suggestRoster,
  type Commitment,
  type Proposal,
  type SuggestCandidate,
  type SuggestInput,
  type SuggestSlot,
} from "./suggest";
import type { AssignResult, RosterContext } from "./types";

export interface SuggestRange {
  /** Sessions starting in [from, to). */
  from: Date;
  to: Date;
  /** Sessions that have started by then are left out (they can no longer be assigned). Default: now. */
  now?: Date;
}

/** Needs' set-up and clear-up are at most 240 minutes (a CHECK): a shift never leaves the session's day ± 1. */
const DAY = 24 * 60 * MINUTE;
const MAX_RANGE_DAYS = 62;

const epochMs = (column: unknown) => sql<number>`(extract(epoch from ${column}) * 1000)::float8`.mapWith(Number);

/**
 * Reads the open slots of [from, to) and every person who holds a skill at the station, with
 * their availability, blackouts, commitments and the minutes already rostered in each month
 * and ISO week the range touches (station-local). Seven queries, whatever the size.
 */
export async function loadSuggestInput(db: DbOrTx, stationId: number, range: SuggestRange): Promise<SuggestInput> {
  const now = range.now ?? new Date();
  const span = range.to.getTime() - range.from.getTime();
  // A week or a month is what a coordinator plans; more would only make one slow page.
  if (!(span > 0 && span <= MAX_RANGE_DAYS * DAY)) throw new InvalidRosterInput("range");
  const [station] = await db
    .select({ zone: stations.timeZone, maxWeekly: stations.maxWeeklyShiftMinutes })
    .from(stations)
    .where(eq(stations.id, stationId));
  if (!station) throw new NotFound("station");
  const zone = station.zone;

  const slotRows = await db
    .select({
      needId: rosterNeeds.id,
      sessionId: sessions.id,
      skillId: rosterNeeds.skillId,
      headCount: rosterNeeds.headCount,
      before: rosterNeeds.startOffsetMinutes,
      after: rosterNeeds.endOffsetMinutes,
      startsAt: sessions.startsAt,
      endsAt: sessions.endsAt,
      title: activities.title,
      filled:
        sql<number>`(select count(*) from ${assignments} x where x.need_id = ${rosterNeeds.id} and x.session_id = ${sessions.id} and x.status in ('proposed', 'confirmed'))::int`.mapWith(
          Number,
        ),
    })
    .from(sessions)
    .innerJoin(activities, eq(activities.id, sessions.activityId))
    .innerJoin(
      rosterNeeds,
      and(eq(rosterNeeds.stationId, sessions.stationId), or(eq(rosterNeeds.activityId, sessions.activityId), eq(rosterNeeds.sessionId, sessions.id))),
    )
    .where(
      and(
        eq(sessions.stationId, stationId),
        eq(sessions.status, "scheduled"),
        gte(sessions.startsAt, range.from),
        lt(sessions.startsAt, range.to),
        gt(sessions.startsAt, now),
      ),
    );

  const slots: SuggestSlot[] = [];
  for (const r of slotRows) {
    if (r.headCount - r.filled <= 0) continue;
    const start = DateTime.fromJSDate(r.startsAt, { zone });
    slots.push({
      needId: r.needId,
      sessionId: r.sessionId,
      skillId: r.skillId,
      startsAt: new Date(r.startsAt.getTime() - r.before * MINUTE),
      endsAt: new Date(r.endsAt.getTime() + r.after * MINUTE),
      open: r.headCount - r.filled,
      session: {
        title: r.title,
        localDate: start.toISODate()!,
        weekday: start.weekday,
        startTime: start.toFormat("HH:mm"),
        endTime: DateTime.fromJSDate(r.endsAt, { zone }).toFormat("HH:mm"),
      },
    });
  }

  // Everyone holding a skill here is a candidate; an unconfirmed restricted skill does not
  // count, but the person is still listed, so an open slot can say "not qualified".
  const skilled = db
    .select({ personId: personSkills.personId })
    .from(personSkills)
    .innerJoin(skills, eq(skills.id, personSkills.skillId))
    .where(eq(skills.stationId, stationId));
  const skillRows = await db
    .select({
      personId: personSkills.personId,
      name: people.fullName,
      maxWeekly: people.maxWeeklyShiftMinutes,
      skillId: personSkills.skillId,
      counts: sql<boolean>`(not ${skills.restricted} or ${personSkills.confirmedAt} is not null)`,
    })
    .from(personSkills)
    .innerJoin(skills, eq(skills.id, personSkills.skillId))
    .innerJoin(people, eq(people.id, personSkills.personId))
    .where(and(eq(skills.stationId, stationId), eq(people.stationId, stationId)));

  const byPerson = new Map<number, SuggestCandidate>();
  for (const r of skillRows) {
    let c = byPerson.get(r.personId);
    if (!c) {
      c = {
        personId: r.personId,
        name: r.name,
        skillIds: [],
        availability: [],
        blackouts: [],
        commitments: [],
        minutesByMonth: {},
        minutesByWeek: {},
        weeklyMaxMinutes: r.maxWeekly ?? station.maxWeekly,
      };
      byPerson.set(r.personId, c);
    }
    if (r.counts) c.skillIds.push(r.skillId);
  }

  // Commitments near the range, and minutes in every month and ISO week it touches.
  const fromLocal = DateTime.fromJSDate(range.from, { zone });
  const toLocal = DateTime.fromJSDate(new Date(range.to.getTime() - 1), { zone });
  const windowStart = new Date(Math.min(fromLocal.startOf("month").toMillis(), fromLocal.startOf("week").toMillis(), range.from.getTime() - DAY));
  const windowEnd = new Date(Math.max(toLocal.endOf("month").toMillis() + 1, toLocal.endOf("week").toMillis() + 1, range.to.getTime() + 2 * DAY));
  const firstDate = DateTime.fromJSDate(windowStart, { zone }).toISODate()!;
  const lastDate = DateTime.fromJSDate(windowEnd, { zone }).toISODate()!;

  const [availabilityRows, blackoutRows, assignmentRows, signupRows] = await Promise.all([
    db
      .select({ personId: availability.personId, weekday: availability.weekday, startTime: availability.startTime, endTime: availability.endTime })
      .from(availability)
      .where(inArray(availability.personId, skilled)),
    db
      .select({ personId: blackouts.personId, fromDate: blackouts.fromDate, toDate: blackouts.toDate })
      .from(blackouts)
      .where(and(inArray(blackouts.personId, skilled), lte(blackouts.fromDate, lastDate), gte(blackouts.toDate, firstDate))),
    db
      .select({
        personId: assignments.personId,
        needId: assignments.needId,
        sessionId: assignments.sessionId,
        start: epochMs(sql`lower(${assignments.during})`),
        end: epochMs(sql`upper(${assignments.during})`),
      })
      .from(assignments)
      .where(
        and(
          eq(assignments.stationId, stationId),
          inArray(assignments.status, ["proposed", "confirmed"]),
          sql`${assignments.during} && ${rangeOf(windowStart, windowEnd)}`,
        ),
      ),
    db
      .select({ personId: signups.personId, sessionId: signups.sessionId, startsAt: sessions.startsAt, endsAt: sessions.endsAt })
      .from(signups)
      .innerJoin(sessions, eq(sessions.id, signups.sessionId))
      .where(
        and(
          eq(signups.stationId, stationId),
          inArray(signups.status, ["confirmed", "waitlisted"]),
          eq(sessions.status, "scheduled"),
          lt(sessions.startsAt, windowEnd),
          gt(sessions.endsAt, windowStart),
          inArray(signups.personId, skilled),
        ),
      ),
  ]);

  for (const r of availabilityRows) byPerson.get(r.personId)?.availability.push({ weekday: r.weekday, startTime: r.startTime, endTime: r.endTime });
  for (const r of blackoutRows) byPerson.get(r.personId)?.blackouts.push({ fromDate: r.fromDate, toDate: r.toDate });
  for (const r of assignmentRows) {
    const c = byPerson.get(r.personId);
    if (!c) continue;
    const commitment: Commitment = {
      kind: "assignment",
      needId: r.needId,
      sessionId: r.sessionId,
      startsAt: new Date(r.start),
      endsAt: new Date(r.end),
    };
    c.commitments.push(commitment);
    // A shift counts in the month and week it starts in, as suggestRoster counts new ones.
    const local = DateTime.fromMillis(r.start, { zone });
    const minutes = Math.round((r.end - r.start) / MINUTE);
    const month = monthKey(local);
    const week = isoWeekKey(local);
    c.minutesByMonth[month] = (c.minutesByMonth[month] ?? 0) + minutes;
    c.minutesByWeek[week] = (c.minutesByWeek[week] ?? 0) + minutes;
  }
  for (const r of signupRows)
    byPerson.get(r.personId)?.commitments.push({ kind: "signup", sessionId: r.sessionId, startsAt: r.startsAt, endsAt: r.endsAt });

  return { timeZone: zone, slots, candidates: [...byPerson.values()] };
}

/** Load and suggest: the proposal a coordinator sees for [from, to). */
export async function suggestForRange(db: DbOrTx, stationId: number, range: SuggestRange): Promise<Proposal> {
  return suggestRoster(await loadSuggestInput(db, stationId, range));
}

/**
 * One item of the proposal could not be assigned (someone took the shift or the person's time
 * meanwhile, the session was cancelled …). `index` is the item's position (0-based) in what
 * was accepted; `reason` is the refusing error's code (shift_conflict, need_full …).
 */
export class ProposalItemRefused extends DomainError {
  constructor(
    readonly index: number,
    readonly item: AssignInput,
    readonly reason: string,
  ) {
    super("roster_proposal_refused", 409, { index: index + 1, needId: item.needId, sessionId: item.sessionId, personId: item.personId, reason });
  }
}

const EXCLUSION_VIOLATION = "23P01";
const UNIQUE_VIOLATION = "23505";

/**
 * Accepts a proposal (or the coordinator's adjusted version of it): every item becomes a
 * "proposed" assignment (the person still confirms), in ONE transaction, ALL OR NOTHING.
 *
 * Why not the valid subset: the proposal was built as a whole — fairness and the weekly
 * maximum were counted over all of its items, and a person left out of one item may have been
 * passed over for another because of it. Keeping part of it would leave a roster nobody
 * reviewed. And on PostgreSQL a refused insert aborts the transaction anyway, so a subset
 * would need a savepoint per item. Instead the whole acceptance rolls back and says which item
 * was refused and why; the coordinator asks for a fresh suggestion, which already counts
 * whatever was assigned meanwhile.
 */
export async function acceptProposal(db: Db, ctx: RosterContext, items: readonly AssignInput[]): Promise<AssignResult[]> {
  if (!isStaff(ctx.actor)) throw new NotAllowed();
  return db.transaction(async (tx) => {
    const results: AssignResult[] = [];
    for (const [index, item] of items.entries()) {
      const input = { needId: item.needId, sessionId: item.sessionId, personId: item.personId };
      try {
        results.push(await assignInTx(tx, ctx, input));
      } catch (error) {
        if (error instanceof DomainError) throw new ProposalItemRefused(index, input, error.code);
        // The engine's own refusals (a racing writer got there between check and insert).
        const code = pgErrorOf(error)?.code;
        if (code === EXCLUSION_VIOLATION) throw new ProposalItemRefused(index, input, "shift_conflict");
        if (code === UNIQUE_VIOLATION) throw new ProposalItemRefused(index, input, "shift_conflict");
        // A lock wait that ran out: nothing is wrong with the proposal, try again.
        rethrowBusy(error);
      }
    }
    return results;
  });
}
