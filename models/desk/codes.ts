import crypto from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../db";
import { sessions, signups, stationSecrets } from "../db/schema";

/**
 * Check-in codes: `<signupId>-<mac>`, the mac an HMAC-SHA256 under the station's own key of
 * the station, session and signup. It cannot be guessed or altered, names one signup of one
 * session, and a cancelled signup or an ended session makes it useless. Nothing is stored
 * per code: the key and the signup's row are the whole state.
 */
const MAC_CHARS = 22; // 132 bits of the mac, base64url
const CODE = /^(\d{1,10})-([A-Za-z0-9_-]{22})$/;
/** A code is good until this long after its session ends. */
export const CODE_VALID_AFTER_END_MS = 6 * 3600_000;

export async function checkinKey(db: DbOrTx, stationId: number): Promise<string> {
  // Stations made after the migration get their key on first use; concurrent first uses agree on one.
  const rows = await db.execute<{ checkin_key: string }>(sql`
    WITH made AS (
      INSERT INTO ${stationSecrets} (station_id) VALUES (${stationId}) ON CONFLICT (station_id) DO NOTHING RETURNING checkin_key
    )
    SELECT checkin_key FROM made UNION ALL SELECT checkin_key FROM ${stationSecrets} WHERE station_id = ${stationId}`);
  const key = rows.rows[0]?.checkin_key;
  if (!key) throw new Error(`no check-in key for station ${stationId}`);
  return key;
}

function mac(key: string, stationId: number, sessionId: number, signupId: number): string {
  return crypto
    .createHmac("sha256", Buffer.from(key, "hex"))
    .update(`hearth-checkin:v1:${stationId}:${sessionId}:${signupId}`)
    .digest("base64url")
    .slice(0, MAC_CHARS);
}

/** The code of one signup (for 我的预约 and the confirmation mail's QR code). */
export async function checkinCodeFor(db: DbOrTx, stationId: number, signupId: number): Promise<string | undefined> {
  const [row] = await db
    .select({ sessionId: signups.sessionId })
    .from(signups)
    .where(and(eq(signups.id, signupId), eq(signups.stationId, stationId)));
  if (!row) return undefined;
  return `${signupId}-${mac(await checkinKey(db, stationId), stationId, row.sessionId, signupId)}`;
}

export type CodeCheck =
  { ok: true; signupId: number; personId: number } | { ok: false; reason: "malformed" | "forged" | "foreign" | "cancelled" | "expired" };

/**
 * Verifies a code for a session. The mac is compared in constant time, and it is checked
 * before the signup's state, so a forger learns nothing about which signups exist.
 */
export async function verifyCheckinCode(db: DbOrTx, stationId: number, sessionId: number, code: unknown, now = new Date()): Promise<CodeCheck> {
  const match = typeof code === "string" ? CODE.exec(code.trim()) : null;
  if (!match) return { ok: false, reason: "malformed" };
  const signupId = Number(match[1]);
  const expected = Buffer.from(mac(await checkinKey(db, stationId), stationId, sessionId, signupId));
  const given = Buffer.from(match[2]!);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return { ok: false, reason: "forged" };
  const [row] = await db
    .select({ personId: signups.personId, status: signups.status, sessionId: signups.sessionId, endsAt: sessions.endsAt })
    .from(signups)
    .innerJoin(sessions, eq(sessions.id, signups.sessionId))
    .where(and(eq(signups.id, signupId), eq(signups.stationId, stationId)));
  // A valid mac for this session with no such signup here cannot happen short of a leaked key; treat it as foreign.
  if (!row || row.sessionId !== sessionId) return { ok: false, reason: "foreign" };
  if (row.status === "cancelled") return { ok: false, reason: "cancelled" };
  if (now.getTime() > row.endsAt.getTime() + CODE_VALID_AFTER_END_MS) return { ok: false, reason: "expired" };
  return { ok: true, signupId, personId: row.personId };
}

/** The codes of several signups of this station at once (我的预约 shows one per coming booking): one key read. */
export async function checkinCodesFor(
  db: DbOrTx,
  stationId: number,
  bookings: readonly { id: number; sessionId: number }[],
): Promise<Map<number, string>> {
  if (bookings.length === 0) return new Map();
  const key = await checkinKey(db, stationId);
  return new Map(bookings.map((b) => [b.id, `${b.id}-${mac(key, stationId, b.sessionId, b.id)}`]));
}
