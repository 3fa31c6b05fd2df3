import crypto from "node:crypto";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "./db";
import { accounts, apiTokens } from "./db/schema";
import { viewerJoinsSql, viewerOf, viewerSelectSql, type Viewer } from "./viewer";
import { namedStatement } from "./db/prepared";
import { recordAudit } from "./audit";
import { Conflict, NotFound } from "./errors";

/**
 * Bearer tokens for the JSON API. A token is `hth_` + 256 random bits (base64url), shown
 * once when made; only its SHA-256 is stored, so the table alone lets nobody in. The prefix
 * makes a leaked token recognisable to people and to secret scanners.
 */
export const TOKEN_PREFIX = "hth_";
const TOKEN_FORMAT = /^hth_[A-Za-z0-9_-]{43}$/;
/** Enough for every kiosk and phone a person could have; stops a script from piling them up. */
export const MAX_TOKENS_PER_ACCOUNT = 20;
// Writing last_used_at on every call would turn each API read into a write.
const TOUCH_AFTER_MS = 60_000;

export const hashApiToken = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

export interface ApiTokenSummary {
  id: number;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/**
 * Makes a token for an account and returns it; this is the only time the token exists in
 * clear. The account row is locked so two requests at once cannot pass the limit together.
 */
export async function createApiToken(
  db: Db,
  ctx: { stationId: number; accountId: number },
  name: string,
): Promise<{ id: number; name: string; token: string }> {
  const token = TOKEN_PREFIX + crypto.randomBytes(32).toString("base64url");
  const cleanName = name.trim();
  return db.transaction(async (tx) => {
    const [account] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, ctx.accountId)).for("update");
    if (!account) throw new NotFound("account");
    const [live] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(apiTokens)
      .where(and(eq(apiTokens.accountId, ctx.accountId), isNull(apiTokens.revokedAt)));
    if ((live?.n ?? 0) >= MAX_TOKENS_PER_ACCOUNT) throw new Conflict("api_token_limit");
    const [row] = await tx
      .insert(apiTokens)
      .values({ accountId: ctx.accountId, name: cleanName, tokenHash: hashApiToken(token) })
      .returning({ id: apiTokens.id });
    await recordAudit(tx, {
      stationId: ctx.stationId,
      actorAccountId: ctx.accountId,
      action: "api_token.create",
      targetType: "api_token",
      targetId: row!.id,
    });
    return { id: row!.id, name: cleanName, token };
  });
}

/** The account's live tokens, oldest first: what the account page lists. Never the hash. */
export async function listApiTokens(db: Db, accountId: number): Promise<ApiTokenSummary[]> {
  return db
    .select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .where(and(eq(apiTokens.accountId, accountId), isNull(apiTokens.revokedAt)))
    .orderBy(asc(apiTokens.createdAt), asc(apiTokens.id));
}

/** Revokes one of the account's own tokens; someone else's (or an unknown one) is "not found". */
export async function revokeApiToken(db: Db, ctx: { stationId: number; accountId: number }, tokenId: number): Promise<{ id: number; name: string }> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.accountId, ctx.accountId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id, name: apiTokens.name });
    if (!row) throw new NotFound("api_token");
    await recordAudit(tx, {
      stationId: ctx.stationId,
      actorAccountId: ctx.accountId,
      action: "api_token.revoke",
      targetType: "api_token",
      targetId: row.id,
    });
    return row;
  });
}

/** Revokes every token of an account ("sign out everywhere"); call inside that transaction. */
export async function revokeAllApiTokens(db: DbOrTx, accountId: number) {
  await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.accountId, accountId), isNull(apiTokens.revokedAt)));
}

type ApiTokenViewerRow = Parameters<typeof viewerOf>[0][number] & { tokenId: number; stale: boolean };

/** Every API call runs this first, so it is a named statement (models/db/prepared.ts), planned once per connection. */
const apiTokenViewerStatement = namedStatement<{ tokenHash: string; stationId: number; touchBefore: Date }, ApiTokenViewerRow>(
  "api_token_viewer",
  (v) => sql`
    SELECT ${apiTokens.id} AS "tokenId", ${viewerSelectSql},
           (${apiTokens.lastUsedAt} IS NULL OR ${apiTokens.lastUsedAt} < ${v.touchBefore}) AS "stale"
    FROM ${apiTokens} JOIN ${accounts} ON ${accounts.id} = ${apiTokens.accountId} ${viewerJoinsSql(v.stationId)}
    WHERE ${apiTokens.tokenHash} = ${v.tokenHash} AND ${apiTokens.revokedAt} IS NULL`,
);

/**
 * The viewer behind a bearer token in one statement (token, account, person and roles), as a
 * session cookie's is: every API call asks this first. Null when the token is malformed,
 * unknown or revoked.
 */
export async function getApiTokenViewer(db: Db, token: string, stationId: number, now = new Date()): Promise<Viewer | null> {
  // A string that cannot be a token is not worth a query.
  if (!TOKEN_FORMAT.test(token)) return null;
  const rows = await apiTokenViewerStatement(db, {
    tokenHash: hashApiToken(token),
    stationId,
    touchBefore: new Date(now.getTime() - TOUCH_AFTER_MS),
  });
  const first = rows[0];
  if (!first) return null;
  // The token is marked used at most once a TOUCH_AFTER_MS.
  if (first.stale) await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, first.tokenId));
  return viewerOf(rows);
}
