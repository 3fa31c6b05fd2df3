import { lt } from "drizzle-orm";
import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "./db";
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
export async function hit(db: Db, name: LimitName, key: string): Promise<Hit> {
  try {
    await limiter(db, name).consume(key);
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

/** Housekeeping: counters whose window has passed. */
export async function pruneRateLimits(db: Db, now = new Date()) {
  await db.delete(rateLimits).where(lt(rateLimits.expire, now));
}

/** The whole minutes to tell a refused person to wait (at least one). */
export const minutesOf = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));
