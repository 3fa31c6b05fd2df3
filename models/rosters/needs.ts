import type { DbOrTx } from "../db";
import type { RosterContext, RosterNeed, RosterSessionInfo, Shift } from "./types";

const todo = (): never => {
  throw new Error("not implemented");
};

export interface NeedInput {
  activityId?: number;
  sessionId?: number;
  skillId: number;
  headCount: number;
  startOffsetMinutes?: number;
  endOffsetMinutes?: number;
}

export async function addNeed(db: DbOrTx, ctx: RosterContext, input: NeedInput): Promise<{ id: number }> {
  return todo();
}
export async function updateNeed(db: DbOrTx, ctx: RosterContext, needId: number, input: { headCount?: number; startOffsetMinutes?: number; endOffsetMinutes?: number }): Promise<void> {
  return todo();
}
export async function removeNeed(db: DbOrTx, ctx: RosterContext, needId: number): Promise<void> {
  return todo();
}
export async function listActivityNeeds(db: DbOrTx, stationId: number, activityId: number): Promise<RosterNeed[]> {
  return todo();
}
export async function sessionShifts(db: DbOrTx, stationId: number, sessionIds: number[]): Promise<Map<number, Shift[]>> {
  return todo();
}
export async function weekShifts(db: DbOrTx, stationId: number, from: Date, to: Date): Promise<{ sessions: RosterSessionInfo[]; shifts: Map<number, Shift[]> }> {
  return todo();
}
