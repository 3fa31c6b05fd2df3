// Named prepared statements on PGlite (ADR 36, models/db/pglite-named.ts): parsed once, then
// only bound and executed; values typed as PGlite's own query types them; an error leaves the
// session usable; a statement never runs inside another caller's open transaction; and the
// client prepares a text from its second call on, with the same results as unnamed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, PGlite, protocol } from "@electric-sql/pglite";
import { prepareRepeated, queryNamed } from "../../models/db/pglite-named";
import { takeTurns } from "../../models/db/pglite-turns";

describe("named statements on PGlite", () => {
  let client: PGlite;
  beforeAll(async () => {
    client = await PGlite.create();
    takeTurns(client);
    await client.exec("create table t (id int primary key, note text, at timestamptz, flag boolean, data jsonb)");
  });
  afterAll(async () => {
    await client.close();
  });

  it("parses a statement once under its name and binds each call's values as PGlite's query would", async () => {
    const insert = "insert into t values ($1, $2, $3, $4, $5) returning *";
    const at = new Date("2026-12-07T08:00:00.000Z");
    const first = await queryNamed<Record<string, unknown>>(client, "t_insert", insert, [1, "太极拳 'quoted'", at, true, JSON.stringify({ a: 1 })]);
    const second = await queryNamed<Record<string, unknown>>(client, "t_insert", insert, [2, null, null, false, null]);
    const plain = await client.query<Record<string, unknown>>("select * from t order by id");
    expect([...first.rows, ...second.rows]).toEqual(plain.rows);
    expect(first.rows[0]).toEqual({ id: 1, note: "太极拳 'quoted'", at, flag: true, data: { a: 1 } });
    const prepared = await client.query<{ name: string }>("select name from pg_prepared_statements");
    expect(prepared.rows.map((r) => r.name)).toEqual(["t_insert"]);
  });

  it("throws the database's error with its code, and the next statements run as usual", async () => {
    const insert = "insert into t (id) values ($1) returning id";
    await expect(queryNamed(client, "t_insert_id", insert, [1])).rejects.toMatchObject({ code: "23505" });
    expect((await queryNamed(client, "t_insert_id", insert, [3])).rows).toEqual([{ id: 3 }]);
    await expect(queryNamed(client, "t_broken", "select no_such_column from t", [])).rejects.toMatchObject({ code: "42703" });
    expect((await client.query("select count(*)::int as n from t")).rows).toEqual([{ n: 3 }]);
  });

  it("waits for another caller's open transaction instead of running inside it", async () => {
    // A client without turns (ADR 34), whose queue alone would already keep the two apart.
    const client = await PGlite.create();
    await client.exec("create table t (id int primary key)");
    const count = "select count(*)::int as n from t where id = $1";
    let insideOpen!: () => void;
    const open = new Promise<void>((resolve) => (insideOpen = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = client.transaction(async (tx) => {
      await tx.query("insert into t (id) values (99)");
      insideOpen();
      await held;
      await tx.rollback();
    });
    await open;
    // The control: PGlite's own runExclusive takes only the statement lock, so protocol messages
    // sent under it run inside the open transaction and see its uncommitted row.
    const naive = await client.runExclusive(async () => {
      const { messages } = await client.execProtocol(protocol.serialize.query("select count(*)::int as n from t where id = 99"));
      return parse.parseResults(messages, client.parsers)[0]?.rows;
    });
    expect(naive).toEqual([{ n: 1 }]);
    const named = queryNamed<{ n: number }>(client, "t_count", count, [99]);
    setTimeout(release, 50);
    expect((await named).rows).toEqual([{ n: 0 }]);
    await transaction;
    await client.close();
  });

  it("prepares what the client is asked a second time, with the results an unnamed query gives, for drizzle's options too", async () => {
    const repeated = await PGlite.create();
    const plain = await PGlite.create();
    prepareRepeated(repeated, 3);
    const setUp =
      "create table r (id int primary key, at timestamptz, note text); insert into r values (1, '2026-12-07T08:00:00Z', '甲'), (2, null, null)";
    await Promise.all([repeated.exec(setUp), plain.exec(setUp)]);
    // drizzle's options for a select: rows as arrays, timestamps left as text.
    const asDrizzle = { rowMode: "array" as const, parsers: { 1184: (value: string) => value } };
    const select = "select id, at, note from r where id >= $1 order by id";
    // Read with exec (the simple protocol), which does not pass through the wrapped query.
    const preparedNames = async () =>
      ((await repeated.exec("select statement from pg_prepared_statements order by prepare_time"))[0]!.rows as { statement: string }[]).map(
        (r) => r.statement,
      );
    for (let call = 1; call <= 3; call++) {
      const [got, expected] = await Promise.all([repeated.query(select, [1], asDrizzle), plain.query(select, [1], asDrizzle)]);
      expect(got.rows, `call ${call}`).toEqual(expected.rows);
      expect(got.fields, `call ${call}`).toEqual(expected.fields);
      expect(await preparedNames(), `call ${call}`).toEqual(call === 1 ? [] : [select]);
    }
    const update = "update r set note = $1 where id = $2";
    await repeated.query(update, ["乙", 2]);
    expect((await repeated.query(update, ["丙", 2])).affectedRows).toBe(1);
    expect((await repeated.query<{ note: string }>("select note from r where id = 2")).rows).toEqual([{ note: "丙" }]);
    // Past its limit (3 here) a client keeps running new texts unnamed.
    for (const text of ["select 1 as a", "select 2 as b", "select 1 as a", "select 2 as b"]) await repeated.query(text);
    expect(await preparedNames()).toEqual([select, update, "select 1 as a"]);
    await Promise.all([repeated.close(), plain.close()]);
  });
});
