import { and, eq, sql, type SQLWrapper } from "drizzle-orm";
import type { Db } from "./db";
import { accounts, people, stationRoles } from "./db/schema";

export const ROLES = ["resident", "volunteer", "doctor", "coordinator", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking: the account, its person, and the roles it holds at the station. */
export interface Viewer {
  accountId: number;
  personId: number;
  name: string;
  email: string | null;
  phone: string | null;
  roles: Role[];
}

// One row per role the account holds at the station (or one with no role). Each credential
// (session cookie, API token) joins these onto its own row, so a request reads its viewer in
// one statement.
export const viewerColumns = {
  accountId: accounts.id,
  personId: accounts.personId,
  name: people.fullName,
  email: accounts.email,
  phone: accounts.phone,
  role: stationRoles.role,
};

export function viewerOf(
  rows: { accountId: number; personId: number; name: string; email: string | null; phone: string | null; role: Role | null }[],
): Viewer | null {
  const first = rows[0];
  if (!first) return null;
  const roles = rows.flatMap((r) => (r.role ? [r.role] : []));
  return { accountId: first.accountId, personId: first.personId, name: first.name, email: first.email, phone: first.phone, roles };
}

/** The person behind an account and the station roles it holds, joined onto whatever table leads to it. */
export const roleJoin = (stationId: number | SQLWrapper) => and(eq(stationRoles.accountId, accounts.id), eq(stationRoles.stationId, stationId));

/**
 * viewerColumns and their joins written as SQL, for a credential's lookup run as a named
 * statement (models/db/prepared.ts): the columns carry the names viewerOf reads, and the role
 * comes as text on both drivers.
 */
export const viewerSelectSql = sql`${accounts.id} AS "accountId", ${accounts.personId} AS "personId", ${people.fullName} AS "name",
  ${accounts.email} AS "email", ${accounts.phone} AS "phone", ${stationRoles.role}::text AS "role"`;
export const viewerJoinsSql = (stationId: SQLWrapper) =>
  sql`JOIN ${people} ON ${people.id} = ${accounts.personId} LEFT JOIN ${stationRoles} ON ${roleJoin(stationId)}`;

export async function getViewer(db: Db, accountId: number, stationId: number): Promise<Viewer | null> {
  const rows = await db
    .select(viewerColumns)
    .from(accounts)
    .innerJoin(people, eq(people.id, accounts.personId))
    .leftJoin(stationRoles, roleJoin(stationId))
    .where(eq(accounts.id, accountId));
  return viewerOf(rows);
}
