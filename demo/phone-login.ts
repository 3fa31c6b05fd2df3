import type { Tx } from "../models/db";
import { accounts, people, stationRoles } from "../models/db/schema";

/**
 * A resident who signs in with her mobile number and has no email (ADR 21): the demo shows
 * what such an account sees. Same demo password as every other login.
 */
export const DEMO_PHONE_LOGIN = { role: "resident", phone: "13900000001", name: "李秀英", birthYear: 1948 } as const;

export async function seedPhoneLogin(tx: Tx, stationId: number, passwordHash: string): Promise<number> {
  const { phone, name, birthYear } = DEMO_PHONE_LOGIN;
  const [person] = await tx.insert(people).values({ stationId, fullName: name, phone, birthYear }).returning({ id: people.id });
  const [account] = await tx.insert(accounts).values({ phone, passwordHash, personId: person!.id }).returning({ id: accounts.id });
  await tx.insert(stationRoles).values({ accountId: account!.id, stationId, role: "resident" });
  return account!.id;
}
