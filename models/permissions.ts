import { and, eq, isNull, sql } from "drizzle-orm";
import type { DbOrTx } from "./db";
import { householdConsents, households, people } from "./db/schema";
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
 * May `actor` act for `personId` (book, cancel, see their bookings)? Themself; staff for
 * anyone at the station; a volunteer for the households they look after (会员联系户) while
 * the household's consent to them is in force (ADR 19): withdrawn or reassigned, no longer.
 */
export async function canActFor(db: DbOrTx, stationId: number, actor: Actor, personId: number): Promise<boolean> {
  return (await relationTo(db, stationId, actor, personId)) === "allowed";
}

async function relationTo(db: DbOrTx, stationId: number, actor: Actor, personId: number): Promise<"allowed" | "denied" | "unknown"> {
  const [person] = await db
    .select({
      id: people.id,
      caretakerId: households.caretakerId,
      consent: sql<boolean>`exists (select 1 from ${householdConsents} c where c.household_id = "households"."id"
        and c.withdrawn_at is null and c.caretaker_id = "households"."caretaker_id")`,
    })
    .from(people)
    .leftJoin(households, eq(households.id, people.householdId))
    .where(and(eq(people.id, personId), eq(people.stationId, stationId), isNull(people.erasedAt)));
  // An erased person (ADR 23) is nobody anyone acts for any more.
  if (!person) return "unknown";
  if (person.id === actor.personId || isStaff(actor)) return "allowed";
  return actor.roles.includes("volunteer") && person.caretakerId === actor.personId && !!person.consent ? "allowed" : "denied";
}

/** Throws NotAllowed, or NotFound for staff (who may know that a person does not exist). */
export async function requireCanActFor(db: DbOrTx, stationId: number, actor: Actor, personId: number) {
  const relation = await relationTo(db, stationId, actor, personId);
  if (relation === "allowed") return;
  throw relation === "unknown" && isStaff(actor) ? new NotFound("person") : new NotAllowed();
}
