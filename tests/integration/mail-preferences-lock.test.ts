/**
 * The account page's save and a one-click unsubscribe at the same moment (PostgreSQL only:
 * PGlite runs one transaction at a time, so there is no interleaving to get wrong). The save
 * must read the opt-outs under the person's row lock, after the unsubscribe commits, or it
 * writes back a list without the kind just stopped.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation, makeAccount } from "../support/fixtures";
import { untilWaitingOnLock } from "../support/lock-waits";
import { people } from "../../models/db/schema";
import { setMailOptOuts } from "../../models/notifications/preferences";

for (const backend of backends.filter((b) => b.name === "postgres")) {
  describe(`mail preferences under the person's lock (${backend.name})`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });

    it("a save waiting on an unsubscribe's lock keeps the kind the unsubscribe stopped", async () => {
      const station = await ensureStation(t.db);
      const person = await makeAccount(t.db, station.id, ["volunteer"], "志愿者");
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const holding = new Promise<void>((resolve) => (locked = resolve));
      // What unsubscribe() does, held open: lock the row, then add a kind.
      const unsubscribing = t.db.transaction(async (tx) => {
        const [row] = await tx.select({ optOuts: people.mailOptOuts }).from(people).where(eq(people.id, person.personId)).for("update");
        locked();
        await gate;
        await tx
          .update(people)
          .set({ mailOptOuts: [...row!.optOuts, "shift_reminder"].sort() })
          .where(eq(people.id, person.personId));
      });
      await holding;
      const saving = setMailOptOuts(t.db, { stationId: station.id, actorAccountId: person.accountId }, person.personId, {
        stop: ["reminder"],
        resume: ["signup_confirmed"],
      });
      // Let the unsubscribe commit only once the save is waiting for the row.
      await untilWaitingOnLock(t.db, undefined, 20);
      release();
      await unsubscribing;
      await saving;
      const [after] = await t.db.select({ optOuts: people.mailOptOuts }).from(people).where(eq(people.id, person.personId));
      expect(after!.optOuts).toEqual(["reminder", "shift_reminder"]);
    });
  });
}
