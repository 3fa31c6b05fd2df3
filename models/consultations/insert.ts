import type { Tx } from "../db";
import { consultations } from "../db/schema";
import { pgErrorOf } from "../db/errors";
import { isCommitmentClash } from "../commitments";

/**
 * One attempt to put a consultation (a booking or a held slot) in a slot, in a savepoint so that
 * a refusal leaves the transaction usable. "taken": the slot is booked, or its provider's hours
 * for that day went since the slots were read (ADR 27); "clash": the ledger refused it, because
 * the provider or the person is committed elsewhere then (the caller tells which, ADR 15).
 */
export async function tryInsertConsultation(tx: Tx, values: typeof consultations.$inferInsert): Promise<{ id: number } | "taken" | "clash"> {
  try {
    return await tx.transaction(async (sp) => {
      const [row] = await sp.insert(consultations).values(values).returning({ id: consultations.id });
      return row!;
    });
  } catch (error) {
    if (pgErrorOf(error)?.code === "23505") return "taken";
    if (pgErrorOf(error)?.constraint === "consultations_within_hours") return "taken";
    if (isCommitmentClash(error)) return "clash";
    throw error;
  }
}
