import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx, Tx } from "./db";
import { pgErrorOf } from "./db/errors";
import { PersonConflict } from "./errors";
import { formatWhen } from "./rosters/common";

/**
 * The commitments ledger (docs/decisions/0015-commitments-ledger.md): triggers write a row for
 * every confirmed signup of a scheduled session and every active shift, in the statement that
 * wrote its source, and `commitments_no_overlap` refuses a person's overlapping rows. The code
 * here only names a clash after the engine refused it.
 */

export const COMMITMENT_CLASH = "commitments_no_overlap";

/** Whether an error is the ledger refusing a person's second commitment at the same time. */
export function isCommitmentClash(error: unknown): boolean {
  const pgError = pgErrorOf(error);
  return pgError?.code === "23P01" && pgError.constraint === COMMITMENT_CLASH;
}

export type CommitmentKind = "attending" | "shift" | "consultation" | "consulting" | "hours";

/**
 * The one pair the ledger allows (ADR 27): a provider's consultation given inside their own
 * hours. Writing one of them, the other is no clash.
 */
const COMPATIBLE: Partial<Record<CommitmentKind, CommitmentKind>> = { hours: "consulting", consulting: "hours" };

export interface ClashExcept {
  signupId?: number;
  assignmentId?: number;
  consultationId?: number;
  /** The kind being written, so that the pair the ledger allows is not named as the clash. */
  writing?: CommitmentKind;
}

export interface Clash {
  personId: number;
  name: string;
  kind: CommitmentKind;
  title: string;
  startsAt: Date;
  endsAt: Date;
  zone: string;
}

/**
 * The first commitment of `personId` overlapping `range` (both SQL: literals, or columns of an
 * outer query for a lateral join), named: its kind, title, station and bounds, one row at most.
 * `where` narrows the rows considered (the one being written, say). The one place that says how a
 * commitment is named: the refusal (findClash) and the roster picker's marks read it alike.
 */
export function firstCommitmentSql(personId: SQL, range: SQL, where: SQL = sql`true`): SQL {
  return sql`
    SELECT c.kind, coalesce(sa.title, aa.title, cs.name_zh, '') AS title, c.station_id,
           lower(c.during) AS lo, upper(c.during) AS hi
    FROM commitments c
    LEFT JOIN signups sg ON sg.id = c.signup_id
    LEFT JOIN sessions ss ON ss.id = sg.session_id
    LEFT JOIN activities sa ON sa.id = ss.activity_id
    LEFT JOIN assignments asg ON asg.id = c.assignment_id
    LEFT JOIN sessions ass ON ass.id = asg.session_id
    LEFT JOIN activities aa ON aa.id = ass.activity_id
    -- Hours are named by their service (public anyway: "法律援助（可预约）"); a consultation never is.
    LEFT JOIN provider_hours ph ON ph.id = c.provider_hours_id
    LEFT JOIN provider_hours_changes hc ON hc.id = c.hours_change_id
    LEFT JOIN consultation_services cs ON cs.id = coalesce(ph.service_id, hc.service_id)
    WHERE c.person_id = ${personId} AND c.during && ${range} AND (${where})
    ORDER BY lower(c.during), c.id
    LIMIT 1`;
}

/**
 * The person's first commitment overlapping [startsAt, endsAt), other than the one being written
 * (`except`). Read after the refused statement (outside it, or after its savepoint rolled back):
 * the clashing commitment was committed before the engine refused ours, so it is visible now.
 */
export async function findClash(db: DbOrTx, personId: number, startsAt: Date, endsAt: Date, except: ClashExcept = {}): Promise<Clash | undefined> {
  const compatible = (except.writing && COMPATIBLE[except.writing]) ?? null;
  const range = sql`tstzrange(${startsAt.toISOString()}::timestamptz, ${endsAt.toISOString()}::timestamptz, '[)')`;
  // Other than the row being written (ids are positive: -1 leaves nothing out).
  const other = sql`coalesce(c.signup_id, 0) <> ${except.signupId ?? -1}::int
      AND coalesce(c.assignment_id, 0) <> ${except.assignmentId ?? -1}::int
      AND coalesce(c.consultation_id, 0) <> ${except.consultationId ?? -1}::int
      AND (${compatible}::text IS NULL OR c.kind::text <> ${compatible}::text)`;
  const result = await db.execute<{ kind: CommitmentKind; title: string; name: string; zone: string; lo: string | Date; hi: string | Date }>(sql`
    SELECT f.kind, f.title, p.full_name AS name, st.time_zone AS zone, f.lo, f.hi
    FROM (${firstCommitmentSql(sql`${personId}`, range, other)}) f
    JOIN people p ON p.id = ${personId}
    JOIN stations st ON st.id = f.station_id`);
  const row = result.rows[0];
  if (!row) return undefined;
  return { personId, name: row.name, kind: row.kind, title: row.title, startsAt: new Date(row.lo), endsAt: new Date(row.hi), zone: row.zone };
}

/** A clash as the error the routes and the API turn into a 409 naming it. */
export function personConflict(clash: Clash | undefined): PersonConflict {
  if (!clash) return new PersonConflict();
  return new PersonConflict({
    name: clash.name,
    kind: clash.kind,
    title: clash.title,
    when: formatWhen(clash.startsAt, clash.endsAt, clash.zone),
    startsAt: clash.startsAt.toISOString(),
    endsAt: clash.endsAt.toISOString(),
  });
}

/** The person's clash with [startsAt, endsAt), as the error to throw. */
export async function describePersonConflict(
  db: DbOrTx,
  personId: number,
  startsAt: Date,
  endsAt: Date,
  except: ClashExcept = {},
): Promise<PersonConflict> {
  return personConflict(await findClash(db, personId, startsAt, endsAt, except));
}

/**
 * Which of a session's confirmed people cannot come at [startsAt, endsAt) (the session being
 * moved or restored there), and what holds them. Read after the refused update rolled back.
 */
export async function describeSessionConflict(tx: Tx, sessionId: number, startsAt: Date, endsAt: Date): Promise<PersonConflict> {
  const result = await tx.execute<{ person_id: number; signup_id: number }>(sql`
    SELECT sg.person_id, sg.id AS signup_id
    FROM signups sg
    JOIN commitments c ON c.person_id = sg.person_id AND c.signup_id IS DISTINCT FROM sg.id
      AND c.during && tstzrange(${startsAt.toISOString()}::timestamptz, ${endsAt.toISOString()}::timestamptz, '[)')
    WHERE sg.session_id = ${sessionId} AND sg.status = 'confirmed'
    ORDER BY lower(c.during), sg.id
    LIMIT 1`);
  const row = result.rows[0];
  if (!row) return new PersonConflict();
  return describePersonConflict(tx, Number(row.person_id), startsAt, endsAt, { signupId: Number(row.signup_id) });
}

/** Whether `db` is a transaction (so a refused statement needs a savepoint to be read after). */
