import crypto from "node:crypto";
import { and, eq, gt, isNull, lt, ne, or, sql } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "./db";
import { accounts, authSessions, people, stationRoles } from "./db/schema";
import { clear, hit, isRemembered, minutesOf, pruneRateLimits, refund, remember } from "./rate-limits";
import { isUniqueViolation } from "./db/errors";
import { EmailTaken, InvalidCredentials, PhoneTaken, SignInNameRequired, TooManyAttempts } from "./errors";
import { burnVerifyTime, hashPassword, verifyPassword } from "./passwords";
import { revokeAllApiTokens } from "./api-tokens";
import { recordAudit } from "./audit";
import { viewerJoinsSql, viewerOf, viewerSelectSql, type Role, type Viewer } from "./viewer";
import { namedStatement, valueSlots, type Slots } from "./db/prepared";

export { ROLES, getViewer, type Role, type Viewer } from "./viewer";
/** Staff see people's needs and manage the calendar. */
export const STAFF_ROLES: readonly Role[] = ["coordinator", "admin"];

export const SESSION_IDLE_MS = 14 * 24 * 3600_000;
export const SESSION_ABSOLUTE_MS = 60 * 24 * 3600_000;
// Writing last_seen_at on every request would turn each page view into a write.
const TOUCH_AFTER_MS = 5 * 60_000;

import { normaliseEmail, normaliseMobile, type SignInName } from "./sign-in-names";

export { normaliseEmail, normaliseMobile, parseSignInName, type SignInName } from "./sign-in-names";
const tokenId = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

export interface NewResident {
  stationId: number;
  fullName: string;
  /** At least one of email and phone (a mainland mobile number): the account signs in with either. */
  email?: string | null;
  phone?: string | null;
  password: string;
  birthYear?: number | null;
  /** False when the phone is kept as the person's contact number only (another account signs in with it). */
  phoneSignsIn?: boolean;
}

/** Which unique sign-in name a violation was about. */
export function takenError(error: unknown): EmailTaken | PhoneTaken | null {
  if (isUniqueViolation(error, "accounts_phone_unique")) return new PhoneTaken();
  if (isUniqueViolation(error, "accounts_email_unique")) return new EmailTaken();
  return null;
}

/** Self-registration: a person, their account and the resident role, in one transaction. */
export async function registerResident(
  db: Db,
  input: NewResident,
  // Whatever must be written with the account or not at all (its welcome mail).
  also?: (tx: DbOrTx, created: { accountId: number; personId: number }) => Promise<void>,
): Promise<number> {
  const email = input.email ? normaliseEmail(input.email) : null;
  const phone = normaliseMobile(input.phone);
  if (!email && !(phone && input.phoneSignsIn !== false)) throw new SignInNameRequired();
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const [person] = await tx
        .insert(people)
        .values({ stationId: input.stationId, fullName: input.fullName.trim(), email, phone, birthYear: input.birthYear ?? null })
        .returning({ id: people.id });
      const [account] = await tx
        .insert(accounts)
        .values({ email, phone: input.phoneSignsIn === false ? null : phone, passwordHash, personId: person!.id })
        .returning({ id: accounts.id });
      await tx.insert(stationRoles).values({ accountId: account!.id, stationId: input.stationId, role: "resident" });
      await also?.(tx, { accountId: account!.id, personId: person!.id });
      return account!.id;
    });
  } catch (error) {
    throw takenError(error) ?? error;
  }
}

/** The account a sign-in name belongs to, if any. */
export async function findAccountBySignInName(db: DbOrTx, name: SignInName) {
  const [row] = await db
    .select({ id: accounts.id, personId: accounts.personId, passwordHash: accounts.passwordHash })
    .from(accounts)
    .where("email" in name ? eq(accounts.email, normaliseEmail(name.email)) : eq(accounts.phone, name.phone));
  return row;
}

/** The sign-in name of a form or a body that sent `email` or `phone`. */
function signInNameOf(input: { email?: string | null; phone?: string | null }): SignInName | null {
  if (input.email) return { email: normaliseEmail(input.email) };
  const phone = normaliseMobile(input.phone);
  return phone ? { phone } : null;
}

/**
 * Counts one sign-in attempt at a target from an address, before anything is checked, and
 * refuses it past the limits (ADR 0012). The target is the account however it is named (its
 * email or its phone count together), or the name itself when no account has it. Returns what
 * a success must call: it clears the (target, address) counter, gives back its points and
 * remembers the address.
 */
export async function countSignInAttempt(db: Db, target: string, ip: string): Promise<() => Promise<void>> {
  const pair = `${target}|${ip}`;
  const [address, pairHit, account] = await Promise.all([
    hit(db, "signInAddress", ip),
    hit(db, "signInPair", pair),
    hit(db, "signInAccount", target),
  ]);
  for (const h of [address, pairHit]) if (!h.ok) throw new TooManyAttempts(minutesOf(h.retryAfterMs));
  if (!account.ok && !(await isRemembered(db, "knownAddress", pair))) throw new TooManyAttempts(minutesOf(account.retryAfterMs));
  return async () => {
    await Promise.all([
      clear(db, "signInPair", pair),
      refund(db, "signInAddress", ip),
      refund(db, "signInAccount", target),
      remember(db, "knownAddress", pair),
    ]);
  };
}

/** The rate-limit target of a sign-in name: its account when there is one, else the name. */
export const signInTarget = (name: SignInName | null, accountId: number | undefined) =>
  accountId !== undefined ? `account:${accountId}` : name ? ("email" in name ? `email:${name.email}` : `phone:${name.phone}`) : "unknown";

/**
 * Checks a password under the sign-in limits (models/rate-limits.ts, ADR 0012), for an email or
 * a mobile number. Every attempt is counted *before* the password is checked, in one upsert per
 * limit, so parallel guesses each count and the limits cannot be raced. What an attempt can run
 * into:
 * - its address's limit over all accounts, and the (account, address) limit: refused;
 * - the account's own limit, reached by attempts from anywhere: only addresses the account
 *   signed in from before still get their password checked, so nobody can lock the owner out
 *   of their usual devices by guessing from many addresses.
 * A success clears its (account, address) counter, gives back its own points and remembers the
 * address. An unknown email or phone, or an account with no password yet (made at the desk), is
 * counted and answered exactly like a wrong password.
 */
export async function authenticate(db: Db, input: { email?: string | null; phone?: string | null; password: string; ip: string }): Promise<number> {
  const name = signInNameOf(input);
  const row = name ? await findAccountBySignInName(db, name) : undefined;
  const succeeded = await countSignInAttempt(db, signInTarget(name, row?.id), input.ip);
  const ok = row?.passwordHash ? await verifyPassword(row.passwordHash, input.password) : (await burnVerifyTime(input.password), false);
  if (!ok || !row) throw new InvalidCredentials();
  await succeeded();
  return row.id;
}

/**
 * Sets the account's password. When it has one, the current one must be given (checked under
 * the sign-in limits, so a stolen session cannot guess it quickly); an account with none — made
 * at the desk, or just signed in with a one-time code — sets it directly. Every other session
 * of the account ends; the one in use stays. Audited, without the password of course.
 */
export async function setPassword(
  db: Db,
  input: { stationId: number; accountId: number; current: string | null; password: string; ip: string; keepSessionToken: string | null },
): Promise<void> {
  const [row] = await db.select({ passwordHash: accounts.passwordHash }).from(accounts).where(eq(accounts.id, input.accountId));
  if (!row) throw new InvalidCredentials();
  if (row.passwordHash) {
    const succeeded = await countSignInAttempt(db, `account:${input.accountId}`, input.ip);
    if (!input.current || !(await verifyPassword(row.passwordHash, input.current))) throw new InvalidCredentials();
    await succeeded();
  }
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    await tx.update(accounts).set({ passwordHash }).where(eq(accounts.id, input.accountId));
    await tx
      .update(authSessions)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(authSessions.accountId, input.accountId),
          isNull(authSessions.revokedAt),
          input.keepSessionToken ? ne(authSessions.id, tokenId(input.keepSessionToken)) : undefined,
        ),
      );
    await recordAudit(tx, {
      stationId: input.stationId,
      actorAccountId: input.accountId,
      action: "account.set_password",
      targetType: "account",
      targetId: input.accountId,
    });
  });
}

/** Whether the account has a password (one made at the desk has none until its owner sets it). */
export async function hasPassword(db: Db, accountId: number): Promise<boolean> {
  const [row] = await db
    .select({ set: sql<boolean>`${accounts.passwordHash} is not null` })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  return !!row?.set;
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

type LiveSessionValues = { id: string; now: Date; idleSince: Date };
const liveSessionValues = (token: string, now: Date): LiveSessionValues => ({
  id: tokenId(token),
  now,
  idleSince: new Date(now.getTime() - SESSION_IDLE_MS),
});

/** A session that may still be used: not revoked, not expired, not idle too long. */
const liveSession = (v: Slots<LiveSessionValues>) =>
  and(eq(authSessions.id, v.id), isNull(authSessions.revokedAt), gt(authSessions.expiresAt, v.now), gt(authSessions.lastSeenAt, v.idleSince));

// The idle clock is moved at most every few minutes: a write on every request would be waste.
// A session last seen before this instant is moved on.
const touchBefore = (now: Date) => new Date(now.getTime() - TOUCH_AFTER_MS);

async function touchSession(db: Db, token: string, now: Date) {
  await db
    .update(authSessions)
    .set({ lastSeenAt: now })
    .where(eq(authSessions.id, tokenId(token)));
}

/** The account behind a session token, or null when unknown, revoked, idle too long or expired. */
export async function getSessionAccountId(db: Db, token: string): Promise<number | null> {
  const now = new Date();
  const [row] = await db
    .select({ accountId: authSessions.accountId, lastSeenAt: authSessions.lastSeenAt })
    .from(authSessions)
    .where(liveSession(valueSlots(liveSessionValues(token, now))));
  if (!row) return null;
  if (row.lastSeenAt < touchBefore(now)) await touchSession(db, token, now);
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
  await db.transaction((tx) => endAllAccess(tx, ctx.stationId, ctx.accountId, "account.sign_out_everywhere"));
}

/**
 * Every login session and every API token of the account end, and the audit row says why: the
 * account's own "sign out everywhere", or a sign-in code spent (which resets the password).
 * Call it inside the transaction of its cause.
 */
export async function endAllAccess(tx: Tx, stationId: number, accountId: number, action: "account.sign_out_everywhere" | "sign_in_code.use") {
  await endAllSessions(tx, accountId);
  await revokeAllApiTokens(tx, accountId);
  await recordAudit(tx, { stationId, actorAccountId: accountId, action, targetType: "account", targetId: accountId });
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

type SessionViewerValues = LiveSessionValues & { stationId: number; touchBefore: Date };
type SessionViewerRow = Parameters<typeof viewerOf>[0][number] & { stale: boolean };

/**
 * Every signed-in page runs this first, so it is a named statement (models/db/prepared.ts):
 * PostgreSQL plans it once per connection instead of on every request.
 */
const sessionViewerStatement = namedStatement<SessionViewerValues, SessionViewerRow>(
  "session_viewer",
  (v) => sql`
    SELECT ${viewerSelectSql}, ${authSessions.lastSeenAt} < ${v.touchBefore} AS "stale"
    FROM ${authSessions} JOIN ${accounts} ON ${accounts.id} = ${authSessions.accountId} ${viewerJoinsSql(v.stationId)}
    WHERE ${liveSession(v)}`,
);

/**
 * The viewer behind a session token in one statement (session, account, person and roles):
 * every signed-in page asks this first, so it is one round trip, not two. Null when the
 * session is unknown, revoked, idle too long or expired, as `getSessionAccountId`.
 */
export async function getSessionViewer(db: Db, token: string, stationId: number): Promise<Viewer | null> {
  const now = new Date();
  const rows = await sessionViewerStatement(db, { ...liveSessionValues(token, now), stationId, touchBefore: touchBefore(now) });
  const first = rows[0];
  if (!first) return null;
  if (first.stale) await touchSession(db, token, now);
  return viewerOf(rows);
}

export const hasAnyRole = (viewer: Viewer | null, roles: readonly Role[]) => !!viewer && viewer.roles.some((role) => roles.includes(role));
