import crypto from "node:crypto";
import { and, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "./db";
import { accounts, authSessions, people, stationRoles } from "./db/schema";
import { clear, hit, isRemembered, minutesOf, pruneRateLimits, refund, remember } from "./rate-limits";
import { isUniqueViolation } from "./db/errors";
import { EmailTaken, InvalidCredentials, TooManyAttempts } from "./errors";
import { burnVerifyTime, hashPassword, verifyPassword } from "./passwords";
import { normalisePhone } from "./people";
import { revokeAllApiTokens } from "./api-tokens";
import { recordAudit } from "./audit";

export const ROLES = ["resident", "volunteer", "doctor", "coordinator", "admin"] as const;
export type Role = (typeof ROLES)[number];
/** Staff see people's needs and manage the calendar. */
export const STAFF_ROLES: readonly Role[] = ["coordinator", "admin"];

export const SESSION_IDLE_MS = 14 * 24 * 3600_000;
export const SESSION_ABSOLUTE_MS = 60 * 24 * 3600_000;
// Writing last_seen_at on every request would turn each page view into a write.
const TOUCH_AFTER_MS = 5 * 60_000;

export const normaliseEmail = (email: string) => email.trim().toLowerCase();
const tokenId = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

export interface NewResident {
  stationId: number;
  fullName: string;
  email: string;
  password: string;
  phone?: string | null;
  birthYear?: number | null;
}

/** Self-registration: a person, their account and the resident role, in one transaction. */
export async function registerResident(
  db: Db,
  input: NewResident,
  // Whatever must be written with the account or not at all (its welcome mail).
  also?: (tx: DbOrTx, created: { accountId: number; personId: number }) => Promise<void>,
): Promise<number> {
  const email = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const [person] = await tx
        .insert(people)
        .values({
          stationId: input.stationId,
          fullName: input.fullName.trim(),
          email,
          phone: normalisePhone(input.phone),
          birthYear: input.birthYear ?? null,
        })
        .returning({ id: people.id });
      const [account] = await tx.insert(accounts).values({ email, passwordHash, personId: person!.id }).returning({ id: accounts.id });
      await tx.insert(stationRoles).values({ accountId: account!.id, stationId: input.stationId, role: "resident" });
      await also?.(tx, { accountId: account!.id, personId: person!.id });
      return account!.id;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new EmailTaken();
    throw error;
  }
}

/**
 * Checks a password under the sign-in limits (models/rate-limits.ts, ADR 0012). Every attempt
 * is counted *before* the password is checked, in one upsert per limit, so parallel guesses
 * each count and the limits cannot be raced. What an attempt can run into:
 * - its address's limit over all accounts, and the (account, address) limit: refused;
 * - the account's own limit, reached by attempts from anywhere: only addresses the account
 *   signed in from before still get their password checked, so nobody can lock the owner out
 *   of their usual devices by guessing from many addresses.
 * A success clears its (account, address) counter, gives back its own points and remembers the
 * address. An unknown email is counted and answered exactly like a wrong password.
 */
export async function authenticate(db: Db, input: { email: string; password: string; ip: string }): Promise<number> {
  const email = normaliseEmail(input.email);
  const pair = `${email}|${input.ip}`;
  const [address, pairHit, account] = await Promise.all([
    hit(db, "signInAddress", input.ip),
    hit(db, "signInPair", pair),
    hit(db, "signInAccount", email),
  ]);
  for (const h of [address, pairHit]) if (!h.ok) throw new TooManyAttempts(minutesOf(h.retryAfterMs));
  if (!account.ok && !(await isRemembered(db, "knownAddress", pair))) throw new TooManyAttempts(minutesOf(account.retryAfterMs));
  const [row] = await db.select({ id: accounts.id, passwordHash: accounts.passwordHash }).from(accounts).where(eq(accounts.email, email));
  const ok = row ? await verifyPassword(row.passwordHash, input.password) : (await burnVerifyTime(input.password), false);
  if (!ok || !row) throw new InvalidCredentials();
  await Promise.all([
    clear(db, "signInPair", pair),
    refund(db, "signInAddress", input.ip),
    refund(db, "signInAccount", email),
    remember(db, "knownAddress", pair),
  ]);
  return row.id;
}

/**
 * Starts a login session. The session presented with the login (if any) is revoked, so a
 * token planted before sign-in is worthless after it (session fixation).
 */
export async function startSession(db: Db, accountId: number, previousToken?: string | null) {
  const token = crypto.randomBytes(32).toString("base64url");
  const now = Date.now();
  const expiresAt = new Date(now + SESSION_ABSOLUTE_MS);
  await db.transaction(async (tx) => {
    if (previousToken) await tx.delete(authSessions).where(eq(authSessions.id, tokenId(previousToken)));
    await tx.insert(authSessions).values({ id: tokenId(token), accountId, expiresAt, lastSeenAt: new Date(now) });
  });
  return { token, expiresAt };
}

/** The account behind a session token, or null when unknown, revoked, idle too long or expired. */
export async function getSessionAccountId(db: Db, token: string): Promise<number | null> {
  const now = new Date();
  const [row] = await db
    .select({ accountId: authSessions.accountId, lastSeenAt: authSessions.lastSeenAt })
    .from(authSessions)
    .where(
      and(
        eq(authSessions.id, tokenId(token)),
        isNull(authSessions.revokedAt),
        gt(authSessions.expiresAt, now),
        gt(authSessions.lastSeenAt, new Date(now.getTime() - SESSION_IDLE_MS)),
      ),
    );
  if (!row) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
    await db
      .update(authSessions)
      .set({ lastSeenAt: now })
      .where(eq(authSessions.id, tokenId(token)));
  }
  return row.accountId;
}

export async function endSession(db: Db, token: string) {
  await db
    .update(authSessions)
    .set({ revokedAt: new Date() })
    .where(eq(authSessions.id, tokenId(token)));
}

export async function endAllSessions(db: DbOrTx, accountId: number) {
  await db
    .update(authSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(authSessions.accountId, accountId), isNull(authSessions.revokedAt)));
}

/**
 * "Sign out everywhere": every login session and every API token of the account end together,
 * with the audit row, in one transaction: a failure half-way leaves every device as it was.
 */
export async function signOutEverywhere(db: Db, ctx: { stationId: number; accountId: number }) {
  await db.transaction(async (tx) => {
    await endAllSessions(tx, ctx.accountId);
    await revokeAllApiTokens(tx, ctx.accountId);
    await recordAudit(tx, {
      stationId: ctx.stationId,
      actorAccountId: ctx.accountId,
      action: "account.sign_out_everywhere",
      targetType: "account",
      targetId: ctx.accountId,
    });
  });
}

/** How many live login sessions an account has (what "signed-in devices" shows). */
export async function countLiveSessions(db: Db, accountId: number, now = new Date()): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(authSessions)
    .where(
      and(
        eq(authSessions.accountId, accountId),
        isNull(authSessions.revokedAt),
        gt(authSessions.expiresAt, now),
        gt(authSessions.lastSeenAt, new Date(now.getTime() - SESSION_IDLE_MS)),
      ),
    );
  return row?.n ?? 0;
}

/** Housekeeping: drop sessions and rate-limit counters nobody can use any more. */
export async function pruneAuthRows(db: Db) {
  const now = Date.now();
  await db
    .delete(authSessions)
    .where(
      or(
        lt(authSessions.expiresAt, new Date(now)),
        lt(authSessions.lastSeenAt, new Date(now - SESSION_IDLE_MS)),
        lt(authSessions.revokedAt, new Date(now)),
      ),
    );
  await pruneRateLimits(db, new Date(now));
}

export interface Viewer {
  accountId: number;
  personId: number;
  name: string;
  email: string;
  roles: Role[];
}

export async function getViewer(db: Db, accountId: number, stationId: number): Promise<Viewer | null> {
  const rows = await db
    .select({
      accountId: accounts.id,
      personId: accounts.personId,
      name: people.fullName,
      email: accounts.email,
      role: stationRoles.role,
    })
    .from(accounts)
    .innerJoin(people, eq(people.id, accounts.personId))
    .leftJoin(stationRoles, and(eq(stationRoles.accountId, accounts.id), eq(stationRoles.stationId, stationId)))
    .where(eq(accounts.id, accountId));
  const first = rows[0];
  if (!first) return null;
  const roles = rows.flatMap((r) => (r.role ? [r.role] : []));
  return { accountId: first.accountId, personId: first.personId, name: first.name, email: first.email, roles };
}

export const hasAnyRole = (viewer: Viewer | null, roles: readonly Role[]) => !!viewer && viewer.roles.some((role) => roles.includes(role));
