import { and, eq, inArray, isNull, sql, type SQLWrapper } from "drizzle-orm";
import type { DbOrTx } from "./db";
import { households, people } from "./db/schema";
import { consentInForce } from "./care/consent-sql";
import type { Role } from "./auth";
import { isStaffRoles } from "./policies/signups";
import { NotAllowed, NotFound } from "./errors";

/** Who is acting: the signed-in account, its person, and its roles at the station. */
export interface Actor {
  accountId: number;
  personId: number;
  roles: readonly Role[];
}

export const isStaff = (actor: Actor) => isStaffRoles(actor.roles);

/**
 * What acting is for. `household: true` — booking and cancelling group sessions, and seeing
 * those bookings — also lets a person act for the people of their own household (ADR 25). A
 * consultation stays out of it (ADR 18): its topic is not for a housemate.
 */
export interface ActScope {
  household?: boolean;
}

/** Sessions and their signups: the household's people book for each other (ADR 25). */
export const SESSION_BOOKINGS: ActScope = { household: true };

type Relation = "allowed" | "denied" | "unknown";

/**
 * May `actor` act for `personId` (book, cancel, see their bookings)? Themself; staff for
 * anyone at the station; a volunteer for the households they look after (会员联系户) while
 * the household's consent to them is in force (ADR 19): withdrawn or reassigned, no longer;
 * with `SESSION_BOOKINGS`, anyone for the people of their own household (ADR 25).
 */
export async function canActFor(db: DbOrTx, stationId: number, actor: Actor, personId: number, scope: ActScope = {}): Promise<boolean> {
  return (await relationTo(db, stationId, actor, personId, scope)) === "allowed";
}

async function relationTo(db: DbOrTx, stationId: number, actor: Actor, personId: number, scope: ActScope): Promise<Relation> {
  return (await relationsTo(db, stationId, actor, [personId], scope)).get(personId) ?? "unknown";
}

/** The relation of the actor to each of several people, in one statement (a booking for a family names several). */
async function relationsTo(
  db: DbOrTx,
  stationId: number,
  actor: Actor,
  personIds: readonly number[],
  scope: ActScope,
): Promise<Map<number, Relation>> {
  if (personIds.length === 0) return new Map();
  const rows = await db
    .select({
      id: people.id,
      caretakerId: households.caretakerId,
      consent: consentInForce(),
      housemate: sql<boolean>`${people.householdId} is not null and ${people.householdId} =
        (select me.household_id from ${people} me where me.id = ${actor.personId} and me.station_id = ${stationId})`,
    })
    .from(people)
    .leftJoin(households, eq(households.id, people.householdId))
    // An erased person (ADR 23) is nobody anyone acts for any more: absent, so "unknown".
    .where(and(inArray(people.id, [...personIds]), eq(people.stationId, stationId), isNull(people.erasedAt)));
  const relations = new Map<number, Relation>();
  for (const person of rows) {
    const allowed =
      person.id === actor.personId ||
      isStaff(actor) ||
      (actor.roles.includes("volunteer") && person.caretakerId === actor.personId && !!person.consent) ||
      (!!scope.household && !!person.housemate);
    relations.set(person.id, allowed ? "allowed" : "denied");
  }
  return relations;
}

/**
 * What `relationsTo` asks before staff may act for a person, as SQL for a statement that checks
 * it itself (the signup, models/signups.ts): a person of this station, not erased.
 */
export const staffMayActForSql = (personId: SQLWrapper, stationId: SQLWrapper) =>
  sql`EXISTS (SELECT 1 FROM ${people} p WHERE p.id = ${personId} AND p.station_id = ${stationId} AND p.erased_at IS NULL)`;

/** Throws NotAllowed, or NotFound for staff (who may know that a person does not exist). */
export async function requireCanActFor(db: DbOrTx, stationId: number, actor: Actor, personId: number, scope: ActScope = {}) {
  const relation = await relationTo(db, stationId, actor, personId, scope);
  if (relation === "allowed") return;
  throw relation === "unknown" && isStaff(actor) ? new NotFound("person") : new NotAllowed();
}

/**
 * All of several people, or NotFound for the first one the actor may not act for — whether
 * they exist or not, as the pages answer: a booking for several is refused whole before
 * anything is written.
 */
export async function requireCanActForAll(db: DbOrTx, stationId: number, actor: Actor, personIds: readonly number[], scope: ActScope = {}) {
  const relations = await relationsTo(db, stationId, actor, personIds, scope);
  if (personIds.some((id) => relations.get(id) !== "allowed")) throw new NotFound("person");
}
