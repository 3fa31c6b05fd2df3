import { sql } from "drizzle-orm";
import type { DbOrTx } from "./db";
import type { SessionStatus, SessionView } from "./sessions";

/** One session of a series as its page lists it: when, where, how full, and whether it was changed. */
export type Occurrence = Pick<SessionView, "id" | "startsAt" | "endsAt" | "status" | "moved" | "capacity" | "taken" | "location">;

export interface SeriesOccurrences {
  /** Not yet ended (a session under way is still upcoming), soonest first. */
  upcoming: Occurrence[];
  upcomingTotal: number;
  /** Ended, latest first: one page of them. */
  past: Occurrence[];
  pastTotal: number;
}

export interface OccurrencePage {
  now?: Date;
  /** How many upcoming sessions to list (the horizon holds a few months of them). */
  upcomingLimit?: number;
  pastOffset?: number;
  pastLimit?: number;
}

type Row = {
  id: number;
  starts_at: string | Date;
  ends_at: string | Date;
  status: SessionStatus;
  moved: boolean;
  capacity: number;
  taken: number;
  location: string;
  upcoming: boolean;
  total: number;
};

/**
 * A series' sessions for its page, in one statement: the upcoming ones and one page of the past
 * ones, each side counted by a window so the page can say how many there are. Scoped by the
 * station on both the session and its activity: another station's series lists nothing.
 */
export async function listSeriesOccurrences(
  db: DbOrTx,
  stationId: number,
  activityId: number,
  page: OccurrencePage = {},
): Promise<SeriesOccurrences> {
  const now = (page.now ?? new Date()).toISOString();
  const upcomingLimit = page.upcomingLimit ?? 100;
  const pastOffset = page.pastOffset ?? 0;
  const pastLimit = page.pastLimit ?? 20;
  const result = await db.execute<Row>(sql`
    SELECT id, starts_at, ends_at, status, moved, capacity, taken, location, upcoming, total
    FROM (
      SELECT s.id, s.starts_at, s.ends_at, s.status, s.moved, s.capacity, s.taken,
             coalesce(s.location, a.location) AS location,
             s.ends_at > ${now}::timestamptz AS upcoming,
             (count(*) OVER (PARTITION BY s.ends_at > ${now}::timestamptz))::int AS total,
             -- Upcoming soonest first, past latest first: one numbering per side.
             row_number() OVER (
               PARTITION BY s.ends_at > ${now}::timestamptz
               ORDER BY CASE WHEN s.ends_at > ${now}::timestamptz THEN extract(epoch FROM s.starts_at) ELSE -extract(epoch FROM s.starts_at) END, s.id
             ) AS n
      FROM sessions s
      JOIN activities a ON a.id = s.activity_id AND a.station_id = ${stationId}
      WHERE s.station_id = ${stationId} AND s.activity_id = ${activityId}
    ) o
    WHERE (upcoming AND n <= ${upcomingLimit}) OR (NOT upcoming AND n > ${pastOffset} AND n <= ${pastOffset + pastLimit})
    ORDER BY upcoming DESC, n`);
  const out: SeriesOccurrences = { upcoming: [], upcomingTotal: 0, past: [], pastTotal: 0 };
  for (const row of result.rows) {
    const occurrence: Occurrence = {
      id: Number(row.id),
      startsAt: new Date(row.starts_at),
      endsAt: new Date(row.ends_at),
      status: row.status,
      moved: row.moved,
      capacity: Number(row.capacity),
      taken: Number(row.taken),
      location: row.location,
    };
    if (row.upcoming) {
      out.upcoming.push(occurrence);
      out.upcomingTotal = Number(row.total);
    } else {
      out.past.push(occurrence);
      out.pastTotal = Number(row.total);
    }
  }
  return out;
}
