import { sql } from "drizzle-orm";
import { DateTime } from "luxon";
import type { DbOrTx } from "../db";
import { caredHouseholds } from "./care";
import { InvalidReachInput } from "./errors";
import type { BookedPersonRow } from "./reach";

/**
 * Who was not reached (ADR 20): confirmed bookings on sessions held in a range of local days
 * for which no reminder (the usual one or the day-of one) was sent to anyone — the person,
 * their caretaker or a family member — and nobody marked a phone call. Grouped by the
 * person's caretaker and by the activity's category, for the coordinator to follow up.
 */

export const NOT_REACHED_MAX_DAYS = 92;

export interface NotReachedRow extends BookedPersonRow {
  categoryId: number;
  categoryZh: string;
  categoryEn: string;
  caretakerId: number | null;
  caretakerName: string | null;
}

export interface NotReachedReport {
  from: string;
  to: string;
  rows: NotReachedRow[];
  byCaretaker: { caretakerId: number | null; name: string | null; count: number }[];
  byCategory: { categoryId: number; nameZh: string; nameEn: string; count: number }[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Local dates from..to (both included) → [from, to) at the station; a reversed or too long range is refused. */
export function rangeBounds(from: string, to: string, zone: string): { from: Date; to: Date } {
  const a = DATE.test(from) ? DateTime.fromISO(from, { zone }) : null;
  const b = DATE.test(to) ? DateTime.fromISO(to, { zone }) : null;
  if (!a?.isValid || a.year < 2000 || a.year > 2100) throw new InvalidReachInput("from");
  if (!b?.isValid || b.year < 2000 || b.year > 2100 || b < a) throw new InvalidReachInput("to");
  if (b.diff(a, "days").days + 1 > NOT_REACHED_MAX_DAYS) throw new InvalidReachInput("to");
  return { from: a.startOf("day").toJSDate(), to: b.startOf("day").plus({ days: 1 }).toJSDate() };
}

export async function notReached(
  db: DbOrTx,
  scope: { stationId: number; timeZone: string },
  range: { from: string; to: string },
): Promise<NotReachedReport> {
  const { from, to } = rangeBounds(range.from, range.to, scope.timeZone);
  const result = await db.execute<{
    person_id: number;
    full_name: string;
    phone: string | null;
    session_id: number;
    title: string;
    starts_at: string | Date;
    category_id: number;
    category_zh: string;
    category_en: string;
    caretaker_id: number | null;
    caretaker_name: string | null;
  }>(sql`
    SELECT p.id AS person_id, p.full_name, p.phone, s.id AS session_id, a.title, s.starts_at,
           c.id AS category_id, c.name_zh AS category_zh, c.name_en AS category_en,
           cp.id AS caretaker_id, cp.full_name AS caretaker_name
    FROM signups sg
    JOIN sessions s ON s.id = sg.session_id
    JOIN activities a ON a.id = s.activity_id
    JOIN categories c ON c.id = a.category_id
    JOIN people p ON p.id = sg.person_id
    LEFT JOIN (${caredHouseholds(scope.stationId)}) ch ON ch.id = p.household_id
    LEFT JOIN people cp ON cp.id = ch.caretaker_id AND cp.id <> p.id
    WHERE sg.station_id = ${scope.stationId} AND s.station_id = ${scope.stationId}
      AND sg.status = 'confirmed' AND s.status = 'scheduled'
      AND s.starts_at >= ${from.toISOString()}::timestamptz AND s.starts_at < ${to.toISOString()}::timestamptz
      AND NOT EXISTS (SELECT 1 FROM notifications n
                      WHERE n.signup_id = sg.id AND n.kind IN ('reminder', 'reminder_day_of') AND n.status = 'sent')
      AND NOT EXISTS (SELECT 1 FROM call_marks cm
                      WHERE cm.person_id = sg.person_id AND cm.session_id = sg.session_id AND cm.station_id = sg.station_id)
    ORDER BY cp.full_name NULLS LAST, cp.id, s.starts_at, p.full_name, p.id`);
  const rows: NotReachedRow[] = result.rows.map((r) => ({
    personId: Number(r.person_id),
    fullName: r.full_name,
    phone: r.phone,
    sessionId: Number(r.session_id),
    title: r.title,
    startsAt: new Date(r.starts_at),
    categoryId: Number(r.category_id),
    categoryZh: r.category_zh,
    categoryEn: r.category_en,
    caretakerId: r.caretaker_id == null ? null : Number(r.caretaker_id),
    caretakerName: r.caretaker_name,
  }));
  const byCaretaker = new Map<string, NotReachedReport["byCaretaker"][number]>();
  const byCategory = new Map<number, NotReachedReport["byCategory"][number]>();
  for (const row of rows) {
    const key = String(row.caretakerId);
    const c = byCaretaker.get(key) ?? { caretakerId: row.caretakerId, name: row.caretakerName, count: 0 };
    c.count += 1;
    byCaretaker.set(key, c);
    const k = byCategory.get(row.categoryId) ?? { categoryId: row.categoryId, nameZh: row.categoryZh, nameEn: row.categoryEn, count: 0 };
    k.count += 1;
    byCategory.set(row.categoryId, k);
  }
  return {
    from: range.from,
    to: range.to,
    rows,
    byCaretaker: [...byCaretaker.values()].sort((a, b) => b.count - a.count || (a.name ?? "\uffff").localeCompare(b.name ?? "\uffff")),
    byCategory: [...byCategory.values()].sort((a, b) => b.count - a.count || a.categoryId - b.categoryId),
  };
}
