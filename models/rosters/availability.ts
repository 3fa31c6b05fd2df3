import type { DbOrTx } from "../db";
import type { RosterContext } from "./types";

const todo = (): never => {
  throw new Error("not implemented");
};

/** weekday 1 = Monday … 7 = Sunday; times "HH:MM" in the station's local time. */
export interface AvailabilitySlot {
  weekday: number;
  startTime: string;
  endTime: string;
}

export interface Blackout {
  id: number;
  fromDate: string;
  toDate: string;
}

export async function listAvailability(db: DbOrTx, stationId: number, personId: number): Promise<AvailabilitySlot[]> {
  return todo();
}
/** Replaces the person's whole weekly availability (the form shows all of it at once). */
export async function setAvailability(db: DbOrTx, ctx: RosterContext, personId: number, slots: AvailabilitySlot[]): Promise<void> {
  return todo();
}
export async function listBlackouts(db: DbOrTx, stationId: number, personId: number): Promise<Blackout[]> {
  return todo();
}
export async function addBlackout(db: DbOrTx, ctx: RosterContext, input: { personId: number; fromDate: string; toDate: string }): Promise<{ id: number }> {
  return todo();
}
export async function removeBlackout(db: DbOrTx, ctx: RosterContext, blackoutId: number): Promise<void> {
  return todo();
}
