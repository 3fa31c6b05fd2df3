import type { DbOrTx } from "./db";
import { auditLog } from "./db/schema";

export interface AuditEntry {
  stationId: number;
  actorAccountId: number | null;
  action: string;
  targetType: string;
  targetId: number | null;
  // Never put sensitive fields (needs, health notes, topics) in here.
  details?: Record<string, unknown>;
}

/** Call inside the transaction that makes the change, so the record and the change stand or fall together. */
export async function recordAudit(tx: DbOrTx, entry: AuditEntry) {
  await tx.insert(auditLog).values({ ...entry, details: entry.details ?? {} });
}

/** Who acts where: most model functions take this context (a coordinator's, a caretaker's, a provider's). */
export interface ActingContext {
  stationId: number;
  actor: { accountId: number };
}

/** The audit entry of something the context's actor did at its station (see `recordAudit`). */
export function auditAs(tx: DbOrTx, ctx: ActingContext, entry: Omit<AuditEntry, "stationId" | "actorAccountId">) {
  return recordAudit(tx, { stationId: ctx.stationId, actorAccountId: ctx.actor.accountId, ...entry });
}
