// Races only show on real PostgreSQL (PGlite is one connection): these run when
// TEST_DATABASE_URL is set, and CI always sets it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor } from "../support/signup-fixtures";
import { tallyVisit } from "../../models/desk/visits";
import { insertServiceLines } from "../../models/desk/service-lines";
import { visits } from "../../models/db/schema";
import type { Db } from "../../models/db";
import type { Actor } from "../../models/permissions";

const postgres = backends.find((b) => b.name === "postgres");
const CLIENTS = 24;
const TAPS_PER_CLIENT = 20;

/** The counter the tally must not be: read today's count, then write it back plus one. */
async function naiveTap(db: Db, lineId: number) {
  const rows = await db.execute<{ n: number }>(sql`SELECT n FROM naive_counter WHERE line_id = ${lineId}`);
  const current = Number(rows.rows[0]?.n ?? 0);
  // A real round trip sits between the read and the write, as it would in a request.
  await db.execute(sql`SELECT pg_sleep(0.002)`);
  await db.execute(sql`UPDATE naive_counter SET n = ${current + 1} WHERE line_id = ${lineId}`);
}

describe.runIf(postgres)("concurrent taps on the tally, on PostgreSQL", () => {
  // One connection per client, so the taps really are concurrent in the database.
  const t = useBackend(postgres!, { beforeAll, afterAll }, { poolSize: CLIENTS });
  let stationId = 0;
  let volunteers: Actor[] = [];
  let lineId = 0;

  beforeAll(async () => {
    stationId = (await ensureStation(t.db)).id;
    volunteers = await Promise.all(Array.from({ length: 4 }, () => makeActor(t.db, stationId, ["volunteer"])));
    [lineId] = (await insertServiceLines(t.db, stationId)) as [number];
    await t.db.execute(sql`CREATE TABLE naive_counter (line_id int PRIMARY KEY, n int NOT NULL)`);
    await t.db.execute(sql`INSERT INTO naive_counter VALUES (${lineId}, 0)`);
  });

  it(`loses no tap when ${CLIENTS} clients tap ${TAPS_PER_CLIENT} times each at once`, async () => {
    const now = new Date();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let i = 0; i < TAPS_PER_CLIENT; i++)
          await tallyVisit(t.db, { stationId, actor: volunteers[c % volunteers.length]!, now }, { serviceLineId: lineId, count: 1 + (i % 2) });
      }),
    );
    const [row] = await t.db
      .select({ taps: sql<number>`count(*)::int`, visits: sql<number>`sum(${visits.count})::int` })
      .from(visits)
      .where(eq(visits.serviceLineId, lineId));
    expect(row).toEqual({ taps: CLIENTS * TAPS_PER_CLIENT, visits: CLIENTS * TAPS_PER_CLIENT * 1.5 });
  });

  it("negative control: a read-then-write counter under the same load loses taps, so the test above can fail", async () => {
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let i = 0; i < TAPS_PER_CLIENT; i++) await naiveTap(t.db, lineId);
      }),
    );
    const rows = await t.db.execute<{ n: number }>(sql`SELECT n FROM naive_counter WHERE line_id = ${lineId}`);
    expect(Number(rows.rows[0]!.n)).toBeLessThan(CLIENTS * TAPS_PER_CLIENT);
  });
});
