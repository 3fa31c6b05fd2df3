import type { DbOrTx } from "../db";
import type { HoursExportGroupRow, HoursExportPersonRow, MonthHours, RosterContext } from "./types";

const todo = (): never => {
  throw new Error("not implemented");
};

export async function hoursFor(db: DbOrTx, stationId: number, personId: number, opts: { year: number }): Promise<MonthHours[]> {
  return todo();
}
export async function addManualHours(db: DbOrTx, ctx: RosterContext, input: { personId: number; workDate: string; minutes: number; note: string }): Promise<{ id: number }> {
  return todo();
}
export async function hoursExport(db: DbOrTx, stationId: number, opts: { from: string; to: string }): Promise<{ people: HoursExportPersonRow[]; groups: HoursExportGroupRow[] }> {
  return todo();
}
