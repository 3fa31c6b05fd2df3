import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { signUp } from "../../models/signups";

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
      // PostgreSQL names it after the statement (executeNamed); PGlite's client by its order (prepareRepeated).
      const { rows } = await t.db.execute<{ name: string }>(sql`select name from pg_prepared_statements where statement like '%WITH locked AS%'`);
      expect(rows).toHaveLength(1);
    });
  });
}
