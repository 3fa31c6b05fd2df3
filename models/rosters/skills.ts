import { and, asc, eq, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../db";
import { people, personSkills, skills } from "../db/schema";
import { isUniqueViolation } from "../db/errors";
import { auditAs } from "../audit";
import { NotFound } from "../errors";
import { isStaff } from "../permissions";
import { requirePerson } from "../people";
import { isInt, requireSelfOrStaff, requireStaff } from "./common";
import { InvalidRosterInput, SkillSlugTaken } from "./errors";
import type { PersonSkill, RosterContext, Skill } from "./types";

export interface SkillInput {
  slug: string;
  nameZh: string;
  nameEn: string;
  restricted: boolean;
  sortOrder?: number;
}

const skillColumns = {
  id: skills.id,
  slug: skills.slug,
  nameZh: skills.nameZh,
  nameEn: skills.nameEn,
  restricted: skills.restricted,
  sortOrder: skills.sortOrder,
};

const validName = (value: unknown) => typeof value === "string" && value.trim().length >= 1 && value.trim().length <= 60;

function validateSkill(input: Partial<SkillInput>, creating: boolean) {
  if (creating || input.slug !== undefined) {
    if (typeof input.slug !== "string" || !/^[a-z0-9-]{1,40}$/.test(input.slug)) throw new InvalidRosterInput("slug");
  }
  if ((creating || input.nameZh !== undefined) && !validName(input.nameZh)) throw new InvalidRosterInput("nameZh");
  if ((creating || input.nameEn !== undefined) && !validName(input.nameEn)) throw new InvalidRosterInput("nameEn");
  if (input.sortOrder !== undefined && !isInt(input.sortOrder, 0, 10000)) throw new InvalidRosterInput("sortOrder");
}

export async function listSkills(db: DbOrTx, stationId: number): Promise<Skill[]> {
  return db.select(skillColumns).from(skills).where(eq(skills.stationId, stationId)).orderBy(asc(skills.sortOrder), asc(skills.id));
}

export async function requireSkill(db: DbOrTx, stationId: number, skillId: number): Promise<Skill> {
  const [row] = await db
    .select(skillColumns)
    .from(skills)
    .where(and(eq(skills.id, skillId), eq(skills.stationId, stationId)));
  if (!row) throw new NotFound("skill");
  return row;
}

/** Staff keep the list of skills. */
export async function createSkill(db: DbOrTx, ctx: RosterContext, input: SkillInput): Promise<{ id: number }> {
  requireStaff(ctx);
  validateSkill(input, true);
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(skills)
        .values({
          stationId: ctx.stationId,
          slug: input.slug,
          nameZh: input.nameZh.trim(),
          nameEn: input.nameEn.trim(),
          restricted: Boolean(input.restricted),
          sortOrder: input.sortOrder ?? 100,
        })
        .returning({ id: skills.id });
      await auditAs(tx, ctx, {
        action: "skill.create",
        targetType: "skill",
        targetId: row!.id,
        details: { slug: input.slug },
      });
      return { id: row!.id };
    });
  } catch (error) {
    if (isUniqueViolation(error, "skills_station_slug")) throw new SkillSlugTaken();
    throw error;
  }
}

export async function updateSkill(db: DbOrTx, ctx: RosterContext, id: number, input: Partial<Omit<SkillInput, "slug">>): Promise<void> {
  requireStaff(ctx);
  validateSkill(input, false);
  await requireSkill(db, ctx.stationId, id);
  const values: Partial<typeof skills.$inferInsert> = {};
  if (input.nameZh !== undefined) values.nameZh = input.nameZh.trim();
  if (input.nameEn !== undefined) values.nameEn = input.nameEn.trim();
  if (input.restricted !== undefined) values.restricted = Boolean(input.restricted);
  if (input.sortOrder !== undefined) values.sortOrder = input.sortOrder;
  if (!Object.keys(values).length) return;
  await db.transaction(async (tx) => {
    await tx
      .update(skills)
      .set(values)
      .where(and(eq(skills.id, id), eq(skills.stationId, ctx.stationId)));
    await auditAs(tx, ctx, {
      action: "skill.update",
      targetType: "skill",
      targetId: id,
      details: values,
    });
  });
}

export async function listPersonSkills(db: DbOrTx, stationId: number, personId: number): Promise<PersonSkill[]> {
  const rows = await db
    .select({ skill: skillColumns, personId: personSkills.personId, specialty: personSkills.specialty, confirmedAt: personSkills.confirmedAt })
    .from(personSkills)
    .innerJoin(skills, eq(skills.id, personSkills.skillId))
    .where(and(eq(personSkills.personId, personId), eq(skills.stationId, stationId)))
    .orderBy(asc(skills.sortOrder), asc(skills.id));
  return rows.map((r) => ({ ...r, qualified: !r.skill.restricted || r.confirmedAt !== null }));
}

/**
 * Adds (or updates the specialty of) a person's skill. A restricted skill (doctor, nurse)
 * a person claims for themself stays unconfirmed until staff confirm it; staff setting it
 * confirm it at once. A person changing the specialty of a confirmed restricted skill
 * loses the confirmation: what was checked is no longer what is claimed.
 */
export async function setPersonSkill(
  db: Db,
  ctx: RosterContext,
  input: { personId: number; skillId: number; specialty?: string },
): Promise<{ confirmed: boolean }> {
  await requireSelfOrStaff(db, ctx, input.personId);
  const skill = await requireSkill(db, ctx.stationId, input.skillId);
  const specialty = (input.specialty ?? "").trim();
  if (specialty.length > 60) throw new InvalidRosterInput("specialty");
  const staff = isStaff(ctx.actor);
  const now = ctx.now ?? new Date();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(personSkills)
      .values({
        personId: input.personId,
        skillId: skill.id,
        specialty,
        confirmedAt: staff ? now : null,
        confirmedByAccountId: staff ? ctx.actor.accountId : null,
      })
      .onConflictDoUpdate({
        target: [personSkills.personId, personSkills.skillId],
        set: {
          specialty,
          confirmedAt: staff
            ? now
            : sql`CASE WHEN ${skill.restricted} AND ${personSkills.specialty} <> excluded.specialty THEN NULL ELSE ${personSkills.confirmedAt} END`,
          confirmedByAccountId: staff
            ? ctx.actor.accountId
            : sql`CASE WHEN ${skill.restricted} AND ${personSkills.specialty} <> excluded.specialty THEN NULL ELSE ${personSkills.confirmedByAccountId} END`,
        },
      })
      .returning({ confirmedAt: personSkills.confirmedAt });
    await auditAs(tx, ctx, {
      action: "person_skill.set",
      targetType: "person",
      targetId: input.personId,
      details: { skillId: skill.id, confirmed: row?.confirmedAt != null },
    });
    return { confirmed: !skill.restricted || row?.confirmedAt != null };
  });
}

export async function confirmPersonSkill(db: Db, ctx: RosterContext, personId: number, skillId: number): Promise<void> {
  requireStaff(ctx);
  await requirePerson(db, ctx.stationId, personId);
  await requireSkill(db, ctx.stationId, skillId);
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(personSkills)
      .set({ confirmedAt: ctx.now ?? new Date(), confirmedByAccountId: ctx.actor.accountId })
      .where(and(eq(personSkills.personId, personId), eq(personSkills.skillId, skillId)))
      .returning({ personId: personSkills.personId });
    if (!updated.length) throw new NotFound("person_skill");
    await auditAs(tx, ctx, {
      action: "person_skill.confirm",
      targetType: "person",
      targetId: personId,
      details: { skillId },
    });
  });
}

/** Removing a skill leaves existing assignments alone: staff decide about those. */
export async function removePersonSkill(db: Db, ctx: RosterContext, personId: number, skillId: number): Promise<void> {
  await requireSelfOrStaff(db, ctx, personId);
  await requireSkill(db, ctx.stationId, skillId);
  await db.transaction(async (tx) => {
    const removed = await tx
      .delete(personSkills)
      .where(and(eq(personSkills.personId, personId), eq(personSkills.skillId, skillId)))
      .returning({ personId: personSkills.personId });
    if (removed.length)
      await auditAs(tx, ctx, {
        action: "person_skill.remove",
        targetType: "person",
        targetId: personId,
        details: { skillId },
      });
  });
}

/** The condition under which a person_skills row counts (restricted skills: confirmed only). */
export const qualifies = () => or(eq(skills.restricted, false), isNotNull(personSkills.confirmedAt));

export type QualifiedPerson = { id: number; name: string; specialty: string };

/** People holding the skill (restricted: confirmed only), by name. */
export async function qualifiedPeople(db: DbOrTx, stationId: number, skillId: number): Promise<QualifiedPerson[]> {
  return (await qualifiedPeopleBySkill(db, stationId, [skillId])).get(skillId) ?? [];
}

/**
 * People holding each of these skills (restricted: confirmed only), each list by name: one
 * query for all of them, where a page asking skill by skill paid a statement per skill.
 * Every skill asked for has a list, empty when nobody holds it.
 */
export async function qualifiedPeopleBySkill(db: DbOrTx, stationId: number, skillIds: Iterable<number>): Promise<Map<number, QualifiedPerson[]>> {
  const result = new Map<number, QualifiedPerson[]>();
  for (const skillId of skillIds) result.set(skillId, []);
  if (!result.size) return result;
  const rows = await db
    .select({ skillId: personSkills.skillId, id: people.id, name: people.fullName, specialty: personSkills.specialty })
    .from(personSkills)
    .innerJoin(skills, eq(skills.id, personSkills.skillId))
    .innerJoin(people, eq(people.id, personSkills.personId))
    .where(and(inArray(personSkills.skillId, [...result.keys()]), eq(skills.stationId, stationId), eq(people.stationId, stationId), qualifies()))
    .orderBy(asc(people.fullName), asc(people.id));
  // Rows come by name, so each skill's list is in that order too.
  for (const { skillId, ...person } of rows) result.get(skillId)!.push(person);
  return result;
}

/**
 * Restricted skills people hold but staff have not confirmed yet (the skills page's queue),
 * oldest claim first.
 */
export async function listPendingSkills(
  db: DbOrTx,
  stationId: number,
): Promise<{ personId: number; name: string; skillId: number; nameZh: string; nameEn: string; specialty: string; claimedAt: Date }[]> {
  return db
    .select({
      personId: people.id,
      name: people.fullName,
      skillId: skills.id,
      nameZh: skills.nameZh,
      nameEn: skills.nameEn,
      specialty: personSkills.specialty,
      claimedAt: personSkills.createdAt,
    })
    .from(personSkills)
    .innerJoin(skills, eq(skills.id, personSkills.skillId))
    .innerJoin(people, eq(people.id, personSkills.personId))
    .where(and(eq(skills.stationId, stationId), eq(people.stationId, stationId), eq(skills.restricted, true), isNull(personSkills.confirmedAt)))
    .orderBy(asc(personSkills.createdAt), asc(people.id));
}
