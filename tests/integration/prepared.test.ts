import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation, makeAccount } from "../support/fixtures";
import { makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { signUp } from "../../models/signups";
import { namedStatement } from "../../models/db/prepared";
import { getSessionViewer } from "../../models/auth";
import { createApiToken, getApiTokenViewer } from "../../models/api-tokens";
import { NotFound } from "../../models/errors";
import { sessions, signups } from "../../models/db/schema";

/**
 * Counts the statements the database is sent while `work` runs: the calls of the pool's
 * `query` on PostgreSQL; on PGlite the Execute and Query messages of its wire protocol, which
 * both its own `query` and the named statements (pglite-named.ts) go through.
 */
async function statementsSent(db: object, work: () => Promise<unknown>): Promise<number> {
  const client = (db as { $client: Record<string, (...args: unknown[]) => unknown> }).$client;
  const method = typeof client.execProtocol === "function" ? "execProtocol" : "query";
  const original = client[method]!;
  let sent = 0;
  client[method] = function (this: unknown, ...args: unknown[]) {
    const first = method === "execProtocol" ? (args[0] as Uint8Array)[0] : undefined;
    if (method === "query" || first === 0x45 /* Execute */ || first === 0x51 /* Query */) sent++;
    return original.apply(this, args);
  };
  try {
    await work();
  } finally {
    client[method] = original;
  }
  return sent;
}

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
      // namedStatement names it on both databases: one prepared statement with the signup text.
      const { rows } = await t.db.execute<{ name: string }>(sql`select name from pg_prepared_statements where statement like '%WITH locked AS%'`);
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

    it("a coordinator's booking for someone is one statement: the check that the person is one of the station's goes into it", async () => {
      const stationId = (await ensureStation(t.db)).id;
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 1 });
      const coordinator = await makeActor(t.db, stationId, ["coordinator"]);
      const [first, second] = await makePeople(t.db, stationId, 2);
      const confirmed = statementsSent(t.db, () => signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId: first!, partySize: 1 }));
      expect(await confirmed).toBe(1);
      const waitlisted = statementsSent(t.db, () => signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId: second!, partySize: 1 }));
      expect(await waitlisted).toBe(1);
    });

    // The prepared statements of this connection whose text reads the given table with the roles.
    const preparedReading = async (table: string) =>
      (
        await t.db.execute<{ name: string }>(
          sql`select name from pg_prepared_statements where statement ilike ${`%from "${table}"%"station_roles"%`}`,
        )
      ).rows;

    it("the viewer's session lookup, which every signed-in page runs first, is one named statement", async () => {
      const stationId = (await ensureStation(t.db)).id;
      const me = await makeAccount(t.db, stationId, ["volunteer", "coordinator"]);
      // PGlite's client names a text the second time it sees it (ADR 36): counted from then on.
      await getSessionViewer(t.db, me.token, stationId);
      for (let i = 0; i < 2; i++) {
        let viewer: Awaited<ReturnType<typeof getSessionViewer>> = null;
        // Just started, so nothing to touch: the lookup alone.
        expect(await statementsSent(t.db, async () => (viewer = await getSessionViewer(t.db, me.token, stationId)))).toBe(1);
        expect(viewer).toMatchObject({ accountId: me.accountId, personId: me.personId, email: me.email });
        expect(viewer!.roles.slice().sort()).toEqual(["coordinator", "volunteer"]);
      }
      expect(await preparedReading("auth_sessions")).toHaveLength(1);
    });

    it("so is a bearer token's lookup, which every API call runs first", async () => {
      const stationId = (await ensureStation(t.db)).id;
      const me = await makeAccount(t.db, stationId, ["resident"]);
      const { token } = await createApiToken(t.db, { stationId, accountId: me.accountId }, "kiosk");
      // The first call marks the token used; the next ones within the minute only read.
      await expect(getApiTokenViewer(t.db, token, stationId)).resolves.toMatchObject({ accountId: me.accountId, roles: ["resident"] });
      for (let i = 0; i < 2; i++) {
        let viewer: Awaited<ReturnType<typeof getApiTokenViewer>> = null;
        expect(await statementsSent(t.db, async () => (viewer = await getApiTokenViewer(t.db, token, stationId)))).toBe(1);
        expect(viewer).toMatchObject({ accountId: me.accountId, roles: ["resident"] });
      }
      expect(await preparedReading("api_tokens")).toHaveLength(1);
    });

    it("staff booking a person of another station is refused as not found, and nothing is taken", async () => {
      const stationId = (await ensureStation(t.db)).id;
      const elsewhere = (await ensureStation(t.db, "elsewhere")).id;
      const { sessionId } = await makeSession(t.db, stationId, { capacity: 3 });
      const coordinator = await makeActor(t.db, stationId, ["coordinator"]);
      const [stranger] = await makePeople(t.db, elsewhere, 1);
      await expect(signUp(t.db, { stationId, actor: coordinator }, { sessionId, personId: stranger!, partySize: 1 })).rejects.toBeInstanceOf(
        NotFound,
      );
      const [session] = await t.db.select({ taken: sessions.taken, seq: sessions.signupSeq }).from(sessions).where(eq(sessions.id, sessionId));
      expect(session).toEqual({ taken: 0, seq: 0 });
      expect(await t.db.select().from(signups).where(eq(signups.sessionId, sessionId))).toEqual([]);
    });
  });
}
