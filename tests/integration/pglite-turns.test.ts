// The embedded database takes turns with the event loop (ADR 34): a queue of statements must
// not hold it until the last one is done, or the server accepts no connection meanwhile.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PGlite } from "@electric-sql/pglite";
import { takeTurns } from "../../models/db/pglite-turns";

const STATEMENTS = 200;

/** How many of the queued statements had finished when an event-loop callback queued with them ran. */
async function finishedWhenTheLoopTurned(client: PGlite): Promise<number> {
  let finished = 0;
  const work = Array.from({ length: STATEMENTS }, () => client.query("select pg_sleep(0.001)").then(() => finished++));
  const turned = new Promise<number>((resolve) => setImmediate(() => resolve(finished)));
  await Promise.all(work);
  return turned;
}

describe("PGlite and the event loop (ADR 34)", () => {
  let plain: PGlite;
  let turning: PGlite;
  beforeAll(async () => {
    [plain, turning] = await Promise.all([PGlite.create(), PGlite.create()]);
    takeTurns(turning);
  });
  afterAll(async () => {
    await Promise.all([plain.close(), turning.close()]);
  });

  it("lets the event loop run between statements, where PGlite alone runs the whole queue first", async () => {
    // The control: PGlite hands its lock from statement to statement within one microtask drain.
    expect(await finishedWhenTheLoopTurned(plain)).toBe(STATEMENTS);
    // With turns, the loop runs after a slice of a few milliseconds: long before the queue is done.
    expect(await finishedWhenTheLoopTurned(turning)).toBeLessThan(STATEMENTS / 2);
  });

  it("keeps statements in order and transactions whole", async () => {
    await turning.query("create table t (n int)");
    const order: number[] = [];
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => turning.query("insert into t values ($1)", [i]).then(() => order.push(i))),
      turning.transaction(async (tx) => {
        await tx.query("insert into t values (100)");
        await tx.query("insert into t values (101)");
      }),
      turning
        .transaction(async (tx) => {
          await tx.query("insert into t values (200)");
          throw new Error("rolled back");
        })
        .catch(() => undefined),
    ]);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const rows = await turning.query<{ n: number }>("select n from t order by n");
    expect(rows.rows.map((r) => r.n)).toEqual([...Array.from({ length: 20 }, (_, i) => i), 100, 101]);
  });
});
