// The embedded database in a worker thread (the server's default, ADR 37): a statement runs
// off the server's thread, and through drizzle the rows, errors and transactions are what
// PGlite in the server's own thread gives. Each check runs on both; in-thread is the control.
// A worker that stops is started again on the same data folder, and what was committed is kept.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { openDatabase, type DatabaseHandle } from "../../models/db";
import { isDatabaseUnavailable, pgErrorOf } from "../../models/db/errors";
import { databaseSeemsDown } from "../../models/db/availability";
import type { RemotePglite } from "../../models/db/pglite-remote";

const open = (worker: boolean): Promise<DatabaseHandle> => openDatabase({ kind: "pglite-memory", thread: worker ? "worker" : "main" });

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

/** Polls `check` until it holds; the restart takes PGlite's start-up, a second or more on a busy machine. */
async function eventually<T>(check: () => Promise<T>, ms = 45_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe("a worker that stops (ADR 37)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-pglite-worker-"));
  let handle: DatabaseHandle;
  const remote = () => (handle.db as unknown as { $client: RemotePglite }).$client;
  beforeAll(async () => {
    handle = await openDatabase({ kind: "pglite", dataDir: dir, thread: "worker" });
    await handle.db.execute(sql`create table kept (id int primary key)`);
    await handle.db.execute(sql`insert into kept values (1), (2)`);
  });
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("fails what was under way as unavailable (a 503, not a hang), then starts again with the committed rows", async () => {
    const first = remote().worker;
    const underWay = handle.db.execute(sql`select pg_sleep(30)`).catch((error: unknown) => error);
    // The statement is in the worker: stop the thread under it, as a crash would.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await first.terminate();
    const error = await underWay;
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(databaseSeemsDown()).toBe(true);
    // Until the new worker is up, a statement is refused at once as "starting up", also a 503.
    const meanwhile = await handle.db.execute(sql`select 1`).catch((e: unknown) => e);
    if (meanwhile instanceof Error) expect(isDatabaseUnavailable(meanwhile)).toBe(true);

    const rows = await eventually(async () => (await handle.db.execute<{ id: number }>(sql`select id from kept order by id`)).rows);
    expect(rows).toEqual([{ id: 1 }, { id: 2 }]);
    expect(remote().worker).not.toBe(first);
    expect(databaseSeemsDown()).toBe(false);
    // And it writes again.
    await handle.db.execute(sql`insert into kept values (3)`);
    expect((await handle.db.execute(sql`select count(*)::int as n from kept`)).rows).toEqual([{ n: 3 }]);
  });

  it("fails a transaction whose worker stopped as unavailable, even when it goes on after the new worker is up", async () => {
    // The callback waits on something else while the worker stops and a new one starts; its next
    // statement must not reach the new worker, which knows nothing of it (that was a 500).
    let resume!: () => void;
    const paused = new Promise<void>((resolve) => (resume = resolve));
    const outcome = handle.db
      .transaction(async (tx) => {
        await tx.execute(sql`insert into kept values (10)`);
        await paused;
        await tx.execute(sql`insert into kept values (11)`);
      })
      .then(
        () => "committed",
        (error: unknown) => error,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const first = remote().worker;
    await first.terminate();
    await eventually(() => handle.db.execute(sql`select 1`));
    expect(remote().worker).not.toBe(first);
    resume();
    const error = await outcome;
    expect(isDatabaseUnavailable(error), String(error)).toBe(true);
    expect(pgErrorOf(error)?.code).toBe("08006");
    expect((await handle.db.execute(sql`select count(*)::int as n from kept where id >= 10`)).rows).toEqual([{ n: 0 }]);
  });
});

describe("a worker that stops while the database closes (ADR 37)", () => {
  it("is not started again: close() finishes and the data folder's lock is released", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-pglite-worker-close-"));
    try {
      const handle = await openDatabase({ kind: "pglite", dataDir: dir, thread: "worker" });
      const remote = (handle.db as unknown as { $client: RemotePglite }).$client;
      // A statement under way holds the close back, and the worker stops in that moment.
      const slow = handle.db.execute(sql`select pg_sleep(2)`).catch((error: unknown) => error);
      const closing = handle.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const stopped = remote.worker;
      await stopped.terminate();
      await closing;
      expect(isDatabaseUnavailable(await slow)).toBe(true);
      // Long enough for a restart (0.5 s) to have happened if one had been scheduled.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(remote.worker).toBe(stopped);
      expect(fs.existsSync(path.join(dir, "hearth.lock"))).toBe(false);
      // Another process could open the folder now.
      const again = await openDatabase({ kind: "pglite", dataDir: dir, thread: "main" });
      await again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
