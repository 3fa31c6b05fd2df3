import { lt } from "drizzle-orm";
import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "./db";
import { TooManyMails } from "./errors";
import { rateLimits } from "./db/schema";

/**
 * Limits on the open doors (sign-in, the token endpoint, registration), kept in the database
 * table `rate_limits` by rate-limiter-flexible's RateLimiterDrizzle: one atomic upsert per hit,
 * so parallel requests each count and every app instance sees the same counters, on
 * PostgreSQL and on the embedded PGlite alike. Fixed windows; see ADR 0012 for the design.
 */
export const LIMITS = {
  /** Sign-in attempts from one client address, over all accounts. */
  signInAddress: { points: 30, duration: 15 * 60 },
  /** Sign-in attempts at one account from one address: the only real lockout, and only of that address. */
  signInPair: { points: 5, duration: 15 * 60 },
  /**
   * Sign-in attempts at one account from anywhere. Past it, only addresses this account
   * signed in from before still get their password checked: an attacker rotating addresses
   * slows down to this rate, and cannot lock the owner out of their usual devices.
   */
  signInAccount: { points: 20, duration: 15 * 60 },
  /** Remembers an (account, address) pair that signed in successfully. */
  knownAddress: { points: 1_000_000, duration: 90 * 24 * 3600 },
  /** Registrations from one address. */
  registerAddress: { points: 10, duration: 3600 },
  /** Registrations naming one email or one phone number (each may send the owner a mail). */
  registerTarget: { points: 3, duration: 3600 },
  /**
   * Signed-in forms that send mail, per account (ADR 0012's "one hit call"). For oneself
   * (booking, cancelling, answering a shift): a person books a handful of sessions a week; 20
   * an hour leaves room for a busy evening and stops a loop of book-cancel from filling their
   * own mailbox and our SMTP quota.
   */
  mailSelf: { points: 20, duration: 3600 },
  /** Staff acting for others (booking at the desk, rostering): a full class at the desk is ~80 in an hour. */
  mailForOthers: { points: 300, duration: 3600 },
} as const;

export type LimitName = keyof typeof LIMITS;

const limiters = new WeakMap<Db, Map<LimitName, RateLimiterDrizzle>>();

function limiter(db: Db, name: LimitName): RateLimiterDrizzle {
  let byName = limiters.get(db);
  if (!byName) limiters.set(db, (byName = new Map()));
  let found = byName.get(name);
  if (!found) {
    // Housekeeping is pruneRateLimits' job, not a timer per limiter in every process.
    found = new RateLimiterDrizzle({ storeClient: db, schema: rateLimits, keyPrefix: name, ...LIMITS[name], clearExpiredByTimeout: false });
    byName.set(name, found);
  }
  return found;
}

export type Hit = { ok: true } | { ok: false; retryAfterMs: number };

/** Counts one attempt under `key` and says whether it is still within the limit. */
export async function hit(db: Db, name: LimitName, key: string, points = 1): Promise<Hit> {
  try {
    await limiter(db, name).consume(key, points);
    return { ok: true };
  } catch (result) {
    // The library rejects with a RateLimiterRes when over the limit, with an Error when the store fails.
    if (result instanceof RateLimiterRes) return { ok: false, retryAfterMs: result.msBeforeNext };
    throw result;
  }
}

/** Takes back one counted attempt (a success should not use up the address's budget). */
export async function refund(db: Db, name: LimitName, key: string) {
  await limiter(db, name).reward(key);
}

export async function clear(db: Db, name: LimitName, key: string) {
  await limiter(db, name).delete(key);
}

/** Marks `key` as present for the limit's whole duration (used for remembered addresses). */
export async function remember(db: Db, name: LimitName, key: string) {
  await limiter(db, name).set(key, 1, LIMITS[name].duration);
}

export async function isRemembered(db: Db, name: LimitName, key: string): Promise<boolean> {
  const res = await limiter(db, name).get(key);
  return !!res && res.consumedPoints > 0;
}

/**
 * Counts a mail-sending action of a signed-in account — for itself (`mailSelf`) or for
 * others (`mailForOthers`) — and refuses it with TooManyMails (429, minutes to wait) past the
 * budget. Counted before the action, like the open doors: a refused or failed attempt counts too.
 * `actions`: a booking for several people is that many mails.
 */
export async function spendMailBudget(db: Db, accountId: number, forOthers: boolean, actions = 1): Promise<void> {
  const result = await hit(db, forOthers ? "mailForOthers" : "mailSelf", `account:${accountId}`, actions);
  if (!result.ok) throw new TooManyMails(minutesOf(result.retryAfterMs));
}

/** Housekeeping: counters whose window has passed. */
export async function pruneRateLimits(db: Db, now = new Date()) {
  await db.delete(rateLimits).where(lt(rateLimits.expire, now));
}

/** The whole minutes to tell a refused person to wait (at least one). */
export const minutesOf = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));
