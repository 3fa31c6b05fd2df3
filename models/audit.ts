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
