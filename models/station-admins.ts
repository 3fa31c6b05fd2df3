import { and, asc, eq, isNull } from "drizzle-orm";
import type { DbOrTx } from "./db";
import { accounts, people, stationRoles } from "./db/schema";
import type { Role } from "./auth";
import { isStaffRoles } from "./policies/signups";

/**
 * Who is told the admins' names when a page is for admins only: staff, who work beside them and
 * see them on the staff pages anyway. Anyone else keeps the plain refusal (ADR 30).
 */
export const mayKnowAdmins = (roles: readonly Role[]) => isStaffRoles(roles);

/** The names of the station's admins (open accounts, people not erased), by name. Names only: no contact details. */
export async function listAdminNames(db: DbOrTx, stationId: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: people.id, name: people.fullName })
    .from(stationRoles)
    .innerJoin(accounts, eq(accounts.id, stationRoles.accountId))
    .innerJoin(people, eq(people.id, accounts.personId))
    .where(and(eq(stationRoles.stationId, stationId), eq(stationRoles.role, "admin"), isNull(accounts.closedAt), isNull(people.erasedAt)))
    .orderBy(asc(people.fullName), asc(people.id));
  return rows.map((r) => r.name);
}
