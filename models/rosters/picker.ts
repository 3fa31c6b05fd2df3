import { sql } from "drizzle-orm";
import type { DbOrTx } from "../db";
import { firstCommitmentSql, type CommitmentKind } from "../commitments";
import { escapeLike } from "../people";

/** What holds a person during the shift: a commitment of the ledger, or a place on a waiting list. */
export interface PickerClash {
  kind: CommitmentKind | "waitlisted";
  title: string;
  startsAt: Date;
  endsAt: Date;
}

/** One person the roster picker offers for a shift, with what the assignment would meet. */
export interface PickerCandidate {
  personId: number;
  name: string;
  specialty: string;
  /** Holds the need's skill (a restricted one: confirmed by staff). */
  qualified: boolean;
  /** Already proposed or confirmed on this very shift. */
  assigned: boolean;
  /** The first other commitment overlapping the shift, set-up and clear-up minutes included. */
  clash: PickerClash | null;
}

export interface PickerQuery {
  needId: number;
  sessionId: number;
  /** Part of a name or the start of a phone number; empty: the people holding the skill. */
  q?: string;
  limit?: number;
}

type Row = {
  id: number;
  name: string;
  specialty: string | null;
  qualified: boolean;
  assigned: boolean;
  kind: CommitmentKind | null;
  title: string | null;
  lo: string | Date | null;
  hi: string | Date | null;
  wl_title: string | null;
  wl_lo: string | Date | null;
  wl_hi: string | Date | null;
};

/**
 * The roster picker's people for one shift (a need of a session), in one statement: who they
 * are, whether they hold the skill, are on this shift already, or are held elsewhere at the
 * shift's time (the commitments ledger, as the refusal names it, and waiting lists, which the
 * assignment refuses too). A hint before submitting; `assign` stays the check. Scoped by station:
 * a need or session of another station, or a need not of this session, finds nobody.
 */
export async function pickerCandidates(db: DbOrTx, stationId: number, query: PickerQuery): Promise<{ candidates: PickerCandidate[]; more: boolean }> {
  const limit = query.limit ?? 20;
  const q = (query.q ?? "").trim();
  const digits = q.replace(/[\s-]/g, "");
  const byPhone = /^\+?\d{3,}$/.test(digits) ? sql`p.phone LIKE ${`${escapeLike(digits)}%`}` : sql`false`;
  const found = q ? sql`(p.full_name ILIKE ${`%${escapeLike(q)}%`} OR ${byPhone})` : sql`ps.person_id IS NOT NULL`;
  // This shift's own rows are no clash: a person on it is marked "assigned".
  const notThisShift = sql`NOT EXISTS (SELECT 1 FROM assignments x WHERE x.id = c.assignment_id AND x.need_id = shift.need_id AND x.session_id = shift.session_id)`;
  const result = await db.execute<Row>(sql`
    WITH shift AS (
      SELECT n.id AS need_id, s.id AS session_id, n.skill_id, sk.restricted,
             tstzrange(s.starts_at - make_interval(mins => n.start_offset_minutes),
                       s.ends_at + make_interval(mins => n.end_offset_minutes), '[)') AS during
      FROM roster_needs n
      JOIN sessions s ON s.id = ${query.sessionId} AND s.station_id = ${stationId}
        AND (n.session_id = s.id OR n.activity_id = s.activity_id)
      JOIN skills sk ON sk.id = n.skill_id
      WHERE n.id = ${query.needId} AND n.station_id = ${stationId}
    )
    SELECT p.id, p.full_name AS name, ps.specialty,
           (ps.person_id IS NOT NULL AND (NOT shift.restricted OR ps.confirmed_at IS NOT NULL)) AS qualified,
           EXISTS (SELECT 1 FROM assignments a WHERE a.need_id = shift.need_id AND a.session_id = shift.session_id
                   AND a.person_id = p.id AND a.status IN ('proposed', 'confirmed')) AS assigned,
           clash.kind, clash.title, clash.lo, clash.hi,
           wl.title AS wl_title, wl.starts_at AS wl_lo, wl.ends_at AS wl_hi
    FROM shift
    JOIN people p ON p.station_id = ${stationId} AND p.erased_at IS NULL
    LEFT JOIN person_skills ps ON ps.person_id = p.id AND ps.skill_id = shift.skill_id
    LEFT JOIN LATERAL (${firstCommitmentSql(sql`p.id`, sql`shift.during`, notThisShift)}) clash ON true
    LEFT JOIN LATERAL (
      SELECT wa.title, ws.starts_at, ws.ends_at
      FROM signups wsg JOIN sessions ws ON ws.id = wsg.session_id JOIN activities wa ON wa.id = ws.activity_id
      WHERE wsg.person_id = p.id AND wsg.status = 'waitlisted' AND ws.status = 'scheduled'
        AND tstzrange(ws.starts_at, ws.ends_at, '[)') && shift.during
      ORDER BY ws.starts_at LIMIT 1
    ) wl ON true
    WHERE ${found}
    ORDER BY p.full_name = ${q} DESC, p.full_name, p.id
    LIMIT ${limit + 1}`);
  const rows = result.rows;
  const candidates = rows.slice(0, limit).map((r): PickerCandidate => ({
    personId: Number(r.id),
    name: r.name,
    specialty: r.specialty ?? "",
    qualified: r.qualified,
    assigned: r.assigned,
    clash:
      r.kind && r.lo && r.hi
        ? { kind: r.kind, title: r.title ?? "", startsAt: new Date(r.lo), endsAt: new Date(r.hi) }
        : r.wl_lo && r.wl_hi
          ? { kind: "waitlisted", title: r.wl_title ?? "", startsAt: new Date(r.wl_lo), endsAt: new Date(r.wl_hi) }
          : null,
  }));
  return { candidates, more: rows.length > limit };
}
