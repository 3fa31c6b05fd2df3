import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { signUp } from "../../models/signups";
import { namedStatement } from "../../models/db/prepared";

/**
 * The signup's locking statement is a named prepared statement: each PostgreSQL connection,
 * and PGlite's one in-process session (ADR 36), parses and plans it once. One connection, so
 * the test sees that connection's prepared statements.
 */
for (const backend of backends) {
  describe(`prepared signup statement on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll }, { poolSize: 1 });

    it("prepares the signup statement once per connection and reuses it", async () => {
      const stationId = (await ensureStation(t.db)).id;
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 1 });
      const coordinator = await makeActor(t.db, stationId, ["coordinator"]);
      const people = await makePeople(t.db, stationId, 3);
      const statuses = [];
      for (const personId of people)
        statuses.push((await signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId, partySize: 1 })).status);
      expect(statuses).toEqual(["confirmed", "waitlisted", "waitlisted"]);
      const { rows } = await t.db.execute<{ name: string }>(sql`select name from pg_prepared_statements where name like 'signup_take_place_%'`);
      expect(rows).toHaveLength(1);
    });

    it("builds a named statement's text once, and binds each call's values", async () => {
      let built = 0;
      const echo = namedStatement<{ n: number; at: Date; yes: boolean }, { n: number; at: string; yes: boolean }>("test_echo", (v) => {
        built++;
        return sql`SELECT ${v.n}::int AS n, to_char(${v.at}::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS at, ${v.yes}::boolean AS yes`;
      });
      const answers = [];
      for (const n of [1, 2, 3]) answers.push((await echo(t.db, { n, at: new Date(Date.UTC(2026, 11, n, 9, 30)), yes: n % 2 === 1 }))[0]);
      expect(answers).toEqual([
        { n: 1, at: "2026-12-01 09:30", yes: true },
        { n: 2, at: "2026-12-02 09:30", yes: false },
        { n: 3, at: "2026-12-03 09:30", yes: true },
      ]);
      expect(built).toBe(1);
    });
  });
}
