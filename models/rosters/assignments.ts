import type { Db, DbOrTx, Tx } from "../db";
import type { AssignResult, MyShift, OpenShift, RespondAction, RosterContext, RosterSessionInfo, Shift } from "./types";

const todo = (): never => {
  throw new Error("not implemented");
};

export interface AssignInput {
  needId: number;
  sessionId: number;
  personId: number;
}

export async function assign(db: Db, ctx: RosterContext, input: AssignInput): Promise<AssignResult> {
  return todo();
}
export async function assignInTx(tx: Tx, ctx: RosterContext, input: AssignInput): Promise<AssignResult> {
  return todo();
}
export async function respond(db: Db, ctx: RosterContext, assignmentId: number, action: RespondAction): Promise<{ id: number; status: string; attendance: string | null }> {
  return todo();
}
export async function retimeSessionAssignments(tx: DbOrTx, sessionId: number): Promise<number> {
  return todo();
}
export async function listMyShifts(db: DbOrTx, stationId: number, personId: number, opts?: { from?: Date }): Promise<MyShift[]> {
  return todo();
}
export async function openShiftsFor(db: DbOrTx, stationId: number, personId: number, opts: { from: Date; to: Date }): Promise<OpenShift[]> {
  return todo();
}
export async function getSessionRoster(db: DbOrTx, stationId: number, sessionId: number): Promise<{ session: RosterSessionInfo; shifts: Shift[] }> {
  return todo();
}
