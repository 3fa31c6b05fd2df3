import { eq } from "drizzle-orm";
import type { PgSelectBase, SelectedFields } from "drizzle-orm/pg-core";
import type { DbOrTx } from "../db";
import { activities, assignments, rosterNeeds, sessions, skills } from "../db/schema";

type ShiftJoin = {
  assignments: "not-null";
  sessions: "not-null";
  activities: "not-null";
  roster_needs: "not-null";
  skills: "not-null";
};

/**
 * Assignments with what a shift is shown by: its session, the session's activity and the skill
 * its need asks for. The shift pages, the calendar feed, the shift mails and the data export
 * read a shift the same way; the caller picks the fields and adds its own filter and order.
 */
export function selectShifts<T extends SelectedFields>(db: DbOrTx, fields: T): PgSelectBase<"assignments", T, "partial", ShiftJoin> {
  const query = db
    .select(fields as SelectedFields)
    .from(assignments)
    .innerJoin(sessions, eq(sessions.id, assignments.sessionId))
    .innerJoin(activities, eq(activities.id, sessions.activityId))
    .innerJoin(rosterNeeds, eq(rosterNeeds.id, assignments.needId))
    .innerJoin(skills, eq(skills.id, rosterNeeds.skillId));
  // Drizzle's types cannot follow a join chain over a generic selection; with inner joins only,
  // the rows are exactly the caller's fields, as the declared type says.
  return query as unknown as PgSelectBase<"assignments", T, "partial", ShiftJoin>;
}
