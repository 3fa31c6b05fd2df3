import type { DbOrTx } from "../db";
import type { PersonSkill, RosterContext, Skill } from "./types";

const todo = (): never => {
  throw new Error("not implemented");
};

export interface SkillInput {
  slug: string;
  nameZh: string;
  nameEn: string;
  restricted: boolean;
  sortOrder?: number;
}

export async function listSkills(db: DbOrTx, stationId: number): Promise<Skill[]> {
  return todo();
}
export async function createSkill(db: DbOrTx, ctx: RosterContext, input: SkillInput): Promise<{ id: number }> {
  return todo();
}
export async function updateSkill(db: DbOrTx, ctx: RosterContext, id: number, input: Partial<Omit<SkillInput, "slug">>): Promise<void> {
  return todo();
}
export async function listPersonSkills(db: DbOrTx, stationId: number, personId: number): Promise<PersonSkill[]> {
  return todo();
}
export async function setPersonSkill(db: DbOrTx, ctx: RosterContext, input: { personId: number; skillId: number; specialty?: string }): Promise<{ confirmed: boolean }> {
  return todo();
}
export async function confirmPersonSkill(db: DbOrTx, ctx: RosterContext, personId: number, skillId: number): Promise<void> {
  return todo();
}
export async function removePersonSkill(db: DbOrTx, ctx: RosterContext, personId: number, skillId: number): Promise<void> {
  return todo();
}
export async function qualifiedPeople(db: DbOrTx, stationId: number, skillId: number): Promise<{ id: number; name: string; specialty: string }[]> {
  return todo();
}
