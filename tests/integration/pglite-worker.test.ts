// The embedded database in a worker thread (HEARTH_PGLITE_WORKER=1, ADR 37): a statement runs
// off the server's thread, and through drizzle the rows, errors and transactions are what
// PGlite in the server's own thread gives. Each check runs on both; in-thread is the control.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { openDatabase, type DatabaseHandle } from "../../models/db";
import { pgErrorOf } from "../../models/db/errors";

async function open(worker: boolean): Promise<DatabaseHandle> {
  const before = process.env.HEARTH_PGLITE_WORKER;
  if (worker) process.env.HEARTH_PGLITE_WORKER = "1";
  else delete process.env.HEARTH_PGLITE_WORKER;
  try {
    return await openDatabase({ kind: "pglite-memory" });
  } finally {
    if (before === undefined) delete process.env.HEARTH_PGLITE_WORKER;
    else process.env.HEARTH_PGLITE_WORKER = before;
  }
}

/** How many turns the event loop took while a slow statement ran (each turn queues the next until it is done). */
async function loopTurnsDuringStatement(handle: DatabaseHandle): Promise<number> {
  let done = false;
  let turns = 0;
  const turn = () => {
    if (done) return;
    turns++;
    setImmediate(turn);
  };
  setImmediate(turn);
  await handle.db.execute(sql`select pg_sleep(0.5)`);
  done = true;
  return turns;
}

describe("PGlite in a worker thread (ADR 37)", () => {
  const handles: Record<"inThread" | "worker", DatabaseHandle | undefined> = { inThread: undefined, worker: undefined };
  beforeAll(async () => {
    handles.inThread = await open(false);
    handles.worker = await open(true);
    for (const handle of Object.values(handles)) {
      await handle!.db.execute(sql`create table t (id int primary key, at timestamptz, day date, data jsonb)`);
    }
  });
  afterAll(async () => {
    for (const handle of Object.values(handles)) await handle?.close();
  });

  it("leaves the server's event loop free while a statement runs", async () => {
    // The control: in the server's thread the statement holds the loop until it is done; the
    // few turns it sees are the ones taken before it starts (ADR 34) and after it ends.
    expect(await loopTurnsDuringStatement(handles.inThread!)).toBeLessThan(10);
    expect(await loopTurnsDuringStatement(handles.worker!)).toBeGreaterThan(100);
  });

  it("gives drizzle the same rows and errors as PGlite in the server's thread", async () => {
    const answers = [];
    for (const handle of [handles.inThread!, handles.worker!]) {
      const { db } = handle;
      await db.execute(sql`insert into t values (1, '2026-12-07 08:30+08', '2026-12-07', '{"a": [1, "二"]}')`);
      const raw = (await db.execute(sql`select id, at, day, data, '1 day'::interval as span, 9007199254740993::int8 as big from t`)).rows;
      const duplicate = await db.execute(sql`insert into t (id) values (1)`).catch((error: unknown) => error);
      answers.push({ raw, duplicate: pgErrorOf(duplicate) });
    }
    // drizzle keeps timestamps, dates and intervals as PostgreSQL's text: its parsers are functions and run in this thread.
    expect(answers[0]!.raw[0]).toMatchObject({ at: "2026-12-07 00:30:00+00", day: "2026-12-07", span: "1 day" });
    expect(answers[0]!.duplicate).toEqual({ code: "23505", constraint: "t_pkey" });
    expect(answers[1]).toEqual(answers[0]);
  });

  it("keeps a transaction whole across threads: others wait for it, a rollback leaves nothing", async () => {
    const { db } = handles.worker!;
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted = () => {};
    const insertedYet = new Promise<void>((resolve) => (inserted = resolve));
    const transaction = db.transaction(async (tx) => {
      await tx.execute(sql`insert into t (id) values (10)`);
      inserted();
      await held;
      await tx.execute(sql`insert into t (id) values (11)`);
    });
    await insertedYet;
    // A statement from outside the open transaction waits for its commit; it never sees half of it.
    const count = db.execute(sql`select count(*)::int as n from t where id >= 10`);
    release();
    await transaction;
    expect((await count).rows).toEqual([{ n: 2 }]);

    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into t (id) values (20)`);
        await tx.execute(sql`insert into t (id) values (10)`);
      }),
    ).rejects.toSatisfy((error) => pgErrorOf(error)?.code === "23505");
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into t (id) values (30)`);
      await tx
        .transaction(async (inner) => {
          await inner.execute(sql`insert into t (id) values (31)`);
          inner.rollback();
        })
        .catch(() => undefined);
    });
    const ids = (await db.execute<{ id: number }>(sql`select id from t where id >= 10 order by id`)).rows.map((row) => row.id);
    expect(ids).toEqual([10, 11, 30]);
  });
});
