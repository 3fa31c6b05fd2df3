import crypto from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "./db";
import { accounts, people, signInCodes, stationRoles } from "./db/schema";
import { recordAudit } from "./audit";
import { checkinKey } from "./desk/codes";
import {
  countSignInAttempt,
  endAllAccess,
  findAccountBySignInName,
  normaliseEmail,
  normaliseMobile,
  signInTarget,
  takenError,
  type SignInName,
} from "./auth";
import { AccountExists, InvalidSignInCode, NotFound, SignInCodeNotAllowed, SignInNameRequired } from "./errors";

/**
 * One-time sign-in codes handed over at the front desk (ADR 21). Eight digits — typed on a
 * phone's number pad, read aloud, printed large — valid for a week, used once; a new code
 * voids the one before. Only an HMAC of the code under the station's own secret key is kept,
 * so the table alone does not give the codes away (eight digits hash in seconds otherwise).
 * A code is tried under the very limits of a password (per address, per account, per both),
 * against the account named by its phone or email: guessing is as slow as guessing a password.
 */
export const CODE_DIGITS = 8;
export const CODE_VALID_MS = 7 * 24 * 3600_000;
/** Roles an account may have for staff to sign it in with a code: nothing above a resident's or a member's. */
const CODE_ROLES = new Set(["resident", "volunteer"]);

/** "12345678" as it is printed and read aloud: "1234 5678". */
export const groupCode = (code: string) => `${code.slice(0, 4)} ${code.slice(4)}`;

/** The eight digits of a typed code (spaces and dashes dropped), or null. */
export function normaliseCode(text: string): string | null {
  const digits = text.replace(/[\s-]/g, "");
  return new RegExp(`^[0-9]{${CODE_DIGITS}}$`).test(digits) ? digits : null;
}

const newCode = () => String(crypto.randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, "0");

async function codeHash(db: DbOrTx, stationId: number, accountId: number, code: string) {
  return crypto
    .createHmac("sha256", Buffer.from(await checkinKey(db, stationId), "hex"))
    .update(`hearth-sign-in-code:v1:${stationId}:${accountId}:${code}`)
    .digest("hex");
}

export interface DeskAccountView {
  person: { id: number; fullName: string; phone: string | null; email: string | null };
  account: { email: string | null; phone: string | null; hasPassword: boolean } | null;
  liveCode: { createdAt: Date; expiresAt: Date } | null;
  /** Whether staff may hand this account a code (false for staff, doctors, other stations' roles). */
  mayIssue: boolean;
}

/** What the desk's sign-in page shows of a person of this station, or NotFound. */
export async function deskAccountView(db: Db, stationId: number, personId: number, now = new Date()): Promise<DeskAccountView> {
  const [row] = await db
    .select({
      id: people.id,
      fullName: people.fullName,
      phone: people.phone,
      email: people.email,
      accountId: accounts.id,
      accountEmail: accounts.email,
      accountPhone: accounts.phone,
      hasPassword: sql<boolean>`${accounts.passwordHash} is not null`,
    })
    .from(people)
    .leftJoin(accounts, eq(accounts.personId, people.id))
    .where(and(eq(people.stationId, stationId), eq(people.id, personId)));
  if (!row) throw new NotFound("person");
  const person = { id: row.id, fullName: row.fullName, phone: row.phone, email: row.email };
  if (row.accountId === null) return { person, account: null, liveCode: null, mayIssue: true };
  const [live] = await db
    .select({ createdAt: signInCodes.createdAt, expiresAt: signInCodes.expiresAt })
    .from(signInCodes)
    .where(and(eq(signInCodes.accountId, row.accountId), isNull(signInCodes.usedAt), isNull(signInCodes.voidedAt), gt(signInCodes.expiresAt, now)));
  return {
    person,
    account: { email: row.accountEmail, phone: row.accountPhone, hasPassword: row.hasPassword },
    liveCode: live ?? null,
    mayIssue: await mayHaveCode(db, stationId, row.accountId),
  };
}

async function mayHaveCode(db: DbOrTx, stationId: number, accountId: number) {
  const roles = await db
    .select({ stationId: stationRoles.stationId, role: stationRoles.role })
    .from(stationRoles)
    .where(eq(stationRoles.accountId, accountId));
  return roles.every((r) => r.stationId === stationId && CODE_ROLES.has(r.role));
}

export interface IssuedCode {
  code: string;
  expiresAt: Date;
  /** What the person signs in with, as the slip prints it. */
  signInName: string;
}

interface DeskContext {
  stationId: number;
  actorAccountId: number;
}

/** Voids the account's live code and writes a new one, with its audit row; the caller holds the account's row lock. */
async function writeCode(tx: DbOrTx, ctx: DeskContext, accountId: number, now: Date) {
  const code = newCode();
  const expiresAt = new Date(now.getTime() + CODE_VALID_MS);
  await tx
    .update(signInCodes)
    .set({ voidedAt: now })
    .where(and(eq(signInCodes.accountId, accountId), isNull(signInCodes.usedAt), isNull(signInCodes.voidedAt)));
  await tx.insert(signInCodes).values({
    stationId: ctx.stationId,
    accountId,
    codeHash: await codeHash(tx, ctx.stationId, accountId, code),
    issuedByAccountId: ctx.actorAccountId,
    expiresAt,
  });
  // Never the code, nor its hash: the log says who handed a code to whom, and until when.
  await recordAudit(tx, {
    stationId: ctx.stationId,
    actorAccountId: ctx.actorAccountId,
    action: "sign_in_code.issue",
    targetType: "account",
    targetId: accountId,
    details: { expiresAt: expiresAt.toISOString() },
  });
  return { code, expiresAt };
}

/**
 * Staff make an account for a person of their station who has none, signed in with `phone`
 * or `email` (at least one), with no password yet, and the first one-time code — one transaction.
 */
export async function createDeskAccount(
  db: Db,
  ctx: DeskContext,
  personId: number,
  input: { email?: string | null; phone?: string | null },
  now = new Date(),
): Promise<IssuedCode> {
  const email = input.email ? normaliseEmail(input.email) : null;
  const phone = normaliseMobile(input.phone);
  if (!email && !phone) throw new SignInNameRequired();
  try {
    return await db.transaction(async (tx) => {
      // The person's row lock: two desks making an account for one person take turns.
      const [person] = await tx
        .select({ id: people.id })
        .from(people)
        .where(and(eq(people.stationId, ctx.stationId), eq(people.id, personId)))
        .for("update");
      if (!person) throw new NotFound("person");
      const [existing] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.personId, personId));
      if (existing) throw new AccountExists();
      const [account] = await tx.insert(accounts).values({ email, phone, passwordHash: null, personId }).returning({ id: accounts.id });
      const accountId = account!.id;
      await tx.insert(stationRoles).values({ accountId, stationId: ctx.stationId, role: "resident" });
      await recordAudit(tx, {
        stationId: ctx.stationId,
        actorAccountId: ctx.actorAccountId,
        action: "account.create_at_desk",
        targetType: "person",
        targetId: personId,
        details: { accountId },
      });
      const issued = await writeCode(tx, ctx, accountId, now);
      return { ...issued, signInName: phone ?? email! };
    });
  } catch (error) {
    throw takenError(error) ?? error;
  }
}

/** A new one-time code for the account of a person of this station; the code before it stops working. */
export async function issueSignInCode(db: Db, ctx: DeskContext, personId: number, now = new Date()): Promise<IssuedCode> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ accountId: accounts.id, email: accounts.email, phone: accounts.phone })
      .from(accounts)
      .innerJoin(people, eq(people.id, accounts.personId))
      .where(and(eq(people.stationId, ctx.stationId), eq(people.id, personId)))
      .for("update", { of: accounts });
    if (!row) throw new NotFound("account");
    if (!(await mayHaveCode(tx, ctx.stationId, row.accountId))) throw new SignInCodeNotAllowed();
    const issued = await writeCode(tx, ctx, row.accountId, now);
    return { ...issued, signInName: row.phone ?? row.email! };
  });
}

/**
 * Signs in with a one-time code for the account named by phone or email, under the sign-in
 * limits. A wrong, used, voided or expired code, an unknown name, or a code for another account
 * all answer InvalidSignInCode alike. The code is spent in one conditional update, so two
 * parallel uses cannot both pass. Using a code starts over: the old password (if any) stops
 * working, and every other session and API token of the account ends — the person sets a new
 * password next, or signs in with a new code from the desk next time.
 */
export async function signInWithCode(db: Db, input: { name: SignInName | null; code: string; ip: string }, now = new Date()): Promise<number> {
  const account = input.name ? await findAccountBySignInName(db, input.name) : undefined;
  const succeeded = await countSignInAttempt(db, signInTarget(input.name, account?.id), input.ip);
  const code = normaliseCode(input.code);
  const [live] = account
    ? await db
        .select({ id: signInCodes.id, stationId: signInCodes.stationId, codeHash: signInCodes.codeHash })
        .from(signInCodes)
        .where(and(eq(signInCodes.accountId, account.id), isNull(signInCodes.usedAt), isNull(signInCodes.voidedAt), gt(signInCodes.expiresAt, now)))
    : [];
  if (!account || !live || !code) throw new InvalidSignInCode();
  const expected = Buffer.from(live.codeHash, "hex");
  const given = Buffer.from(await codeHash(db, live.stationId, account.id, code), "hex");
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) throw new InvalidSignInCode();
  const spent = await db.transaction(async (tx) => {
    const [used] = await tx
      .update(signInCodes)
      .set({ usedAt: now })
      .where(and(eq(signInCodes.id, live.id), isNull(signInCodes.usedAt), isNull(signInCodes.voidedAt)))
      .returning({ id: signInCodes.id });
    if (!used) return false;
    await tx.update(accounts).set({ passwordHash: null }).where(eq(accounts.id, account.id));
    await endAllAccess(tx, live.stationId, account.id, "sign_in_code.use");
    return true;
  });
  if (!spent) throw new InvalidSignInCode();
  await succeeded();
  return account.id;
}
