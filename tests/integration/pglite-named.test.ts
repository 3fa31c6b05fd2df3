// Named prepared statements on PGlite (ADR 36, models/db/pglite-named.ts): parsed once, then
// only bound and executed; values typed as PGlite's own query types them; an error leaves the
// session usable; and a statement never runs inside another caller's open transaction.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, PGlite, protocol } from "@electric-sql/pglite";
import { queryNamed } from "../../models/db/pglite-named";
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
    expect([...first, ...second]).toEqual(plain.rows);
    expect(first[0]).toEqual({ id: 1, note: "太极拳 'quoted'", at, flag: true, data: { a: 1 } });
    const prepared = await client.query<{ name: string }>("select name from pg_prepared_statements");
    expect(prepared.rows.map((r) => r.name)).toEqual(["t_insert"]);
  });

  it("throws the database's error with its code, and the next statements run as usual", async () => {
    const insert = "insert into t (id) values ($1) returning id";
    await expect(queryNamed(client, "t_insert_id", insert, [1])).rejects.toMatchObject({ code: "23505" });
    expect(await queryNamed(client, "t_insert_id", insert, [3])).toEqual([{ id: 3 }]);
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
    expect(await named).toEqual([{ n: 0 }]);
    await transaction;
    await client.close();
  });
});
