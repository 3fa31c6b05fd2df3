import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { RateLimiterDrizzle } from "rate-limiter-flexible";
import { backends, useBackend } from "../support/db";
import { ensureStation, makeAccount } from "../support/fixtures";
import { authenticate } from "../../models/auth";
import { accounts, rateLimits } from "../../models/db/schema";
import { LIMITS } from "../../models/rate-limits";
import { InvalidCredentials, TooManyAttempts } from "../../models/errors";
import { verifyPassword } from "../../models/passwords";
import type { Db } from "../../models/db";

// Races only show on real PostgreSQL: PGlite is one connection and serialises everything.
const postgres = backends.find((b) => b.name === "postgres");
const PARALLEL = 20;

/**
 * The check-then-record shape the limiter must not have: read the counter, verify, then count a
 * failure — here on the very same rate-limiter table and key, so only the order differs.
 */
async function naiveAuthenticate(db: Db, email: string, password: string, ip: string) {
  const naive = new RateLimiterDrizzle({
    storeClient: db,
    schema: rateLimits,
    keyPrefix: "signInPair",
    ...LIMITS.signInPair,
    clearExpiredByTimeout: false,
  });
  const key = `${email}|${ip}`;
  const seen = await naive.get(key);
  if ((seen?.consumedPoints ?? 0) >= LIMITS.signInPair.points) throw new TooManyAttempts(15);
  const [account] = await db.select().from(accounts).where(eq(accounts.email, email));
  if (!account || !(await verifyPassword(account.passwordHash ?? "", password))) {
    await naive.penalty(key);
    throw new InvalidCredentials();
  }
  return account.id;
}

async function guessInParallel(guess: () => Promise<unknown>) {
  const results = await Promise.allSettled(Array.from({ length: PARALLEL }, guess));
  const checked = results.filter((r) => r.status === "rejected" && r.reason instanceof InvalidCredentials).length;
  const refused = results.filter((r) => r.status === "rejected" && r.reason instanceof TooManyAttempts).length;
  return { checked, refused };
}

describe.runIf(postgres)("login limit under parallel guesses (PostgreSQL)", () => {
  const t = useBackend(postgres!, { beforeAll, afterAll });
  let stationId = 0;
  beforeAll(async () => {
    stationId = (await ensureStation(t.db)).id;
  });

  it(`checks at most ${LIMITS.signInPair.points} of ${PARALLEL} simultaneous wrong passwords`, async () => {
    const { email } = await makeAccount(t.db, stationId, ["resident"]);
    const { checked, refused } = await guessInParallel(() => authenticate(t.db, { email, password: "wrong guess", ip: "203.0.113.7" }));
    expect(checked).toBeLessThanOrEqual(LIMITS.signInPair.points);
    expect(checked + refused).toBe(PARALLEL);
  });

  it("negative control: the naive count-then-insert limiter lets more guesses through", async () => {
    const { email } = await makeAccount(t.db, stationId, ["resident"]);
    const { checked } = await guessInParallel(() => naiveAuthenticate(t.db, email, "wrong guess", "203.0.113.8"));
    expect(checked).toBeGreaterThan(LIMITS.signInPair.points);
  });
});
