import crypto from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "./db";
import { accounts, feedTokens } from "./db/schema";
import { recordAudit } from "./audit";
import { NotFound } from "./errors";

/**
 * Secret links to an account's personal calendar feed (/feeds/me/<token>.ics). The token is
 * 256 random bits (base64url) and is the only credential a calendar app can present; only its
 * SHA-256 is stored, so it is shown once, when made, and a lost link is replaced, not recovered.
 *
 * "Sign out everywhere" does not revoke it on purpose: a calendar subscription is not a login
 * session, it grants read access to one person's own bookings only, and people would lose
 * their phone calendar each time they sign out everywhere. The account page offers "turn off".
 */
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

const hashFeedToken = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

/** When the account's live link was made, or null when it has none. Never the hash. */
export async function getFeedTokenCreatedAt(db: Db, accountId: number): Promise<Date | null> {
  const [row] = await db
    .select({ createdAt: feedTokens.createdAt })
    .from(feedTokens)
    .where(and(eq(feedTokens.accountId, accountId), isNull(feedTokens.revokedAt)));
  return row?.createdAt ?? null;
}

/**
 * Makes the account's feed link, revoking the one it had (if any) in the same transaction,
 * and returns the raw token: the only time it exists in clear. The account row is locked so
 * two requests at once cannot both insert (the partial unique index would refuse one anyway).
 */
export async function regenerateFeedToken(db: Db, ctx: { stationId: number; accountId: number }): Promise<{ token: string; replaced: boolean }> {
  const token = crypto.randomBytes(32).toString("base64url");
  return db.transaction(async (tx) => {
    const [account] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, ctx.accountId)).for("update");
    if (!account) throw new NotFound("account");
    const old = await tx
      .update(feedTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(feedTokens.accountId, ctx.accountId), isNull(feedTokens.revokedAt)))
      .returning({ id: feedTokens.id });
    const [row] = await tx
      .insert(feedTokens)
      .values({ accountId: ctx.accountId, tokenHash: hashFeedToken(token) })
      .returning({ id: feedTokens.id });
    await recordAudit(tx, {
      stationId: ctx.stationId,
      actorAccountId: ctx.accountId,
      action: old.length ? "feed_token.regenerate" : "feed_token.create",
      targetType: "feed_token",
      targetId: row!.id,
    });
    return { token, replaced: old.length > 0 };
  });
}

/** Turns the account's feed link off; true when there was one. Its URL answers 404 from now on. */
export async function revokeFeedToken(db: Db, ctx: { stationId: number; accountId: number }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(feedTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(feedTokens.accountId, ctx.accountId), isNull(feedTokens.revokedAt)))
      .returning({ id: feedTokens.id });
    if (!row) return false;
    await recordAudit(tx, {
      stationId: ctx.stationId,
      actorAccountId: ctx.accountId,
      action: "feed_token.revoke",
      targetType: "feed_token",
      targetId: row.id,
    });
    return true;
  });
}

/** The account behind a feed token; undefined when it is malformed, unknown or revoked. */
export async function getFeedTokenAccountId(db: Db, token: string): Promise<number | undefined> {
  if (!TOKEN_FORMAT.test(token)) return undefined;
  const [row] = await db
    .select({ accountId: feedTokens.accountId })
    .from(feedTokens)
    .where(and(eq(feedTokens.tokenHash, hashFeedToken(token)), isNull(feedTokens.revokedAt)));
  return row?.accountId;
}
