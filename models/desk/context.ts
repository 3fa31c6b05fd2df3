import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../db";
import { assignments, rosterNeeds, skills } from "../db/schema";
import { NotAllowed } from "../errors";
import { isStaff, type Actor } from "../permissions";

/** Every front-desk call is scoped to one station and authorised through the acting account. */
export interface DeskContext {
  stationId: number;
  actor: Actor;
  now?: Date;
}

/** The roster skill whose people run a session's registration desk. */
export const DESK_SKILL_SLUG = "registration-desk";

/** Is the actor confirmed on this session's registration-desk need? */
export async function isDeskVolunteer(db: DbOrTx, stationId: number, actor: Actor, sessionId: number): Promise<boolean> {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(assignments)
    .innerJoin(rosterNeeds, eq(rosterNeeds.id, assignments.needId))
    .innerJoin(skills, eq(skills.id, rosterNeeds.skillId))
    .where(
      and(
        eq(assignments.stationId, stationId),
        eq(assignments.sessionId, sessionId),
        eq(assignments.personId, actor.personId),
        eq(assignments.status, "confirmed"),
        eq(skills.slug, DESK_SKILL_SLUG),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Staff, or a volunteer rostered on this session's registration desk, may check people in. */
export async function requireCheckinRights(db: DbOrTx, ctx: DeskContext, sessionId: number) {
  if (isStaff(ctx.actor)) return;
  if (!(await isDeskVolunteer(db, ctx.stationId, ctx.actor, sessionId))) throw new NotAllowed();
}

export function requireStaff(ctx: DeskContext) {
  if (!isStaff(ctx.actor)) throw new NotAllowed();
}

/** The front-desk tally is kept by staff and the station's volunteers. */
export function requireTallyRights(ctx: DeskContext) {
  if (!isStaff(ctx.actor) && !ctx.actor.roles.includes("volunteer")) throw new NotAllowed();
}

export const isInt = (value: unknown, min: number, max: number): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
