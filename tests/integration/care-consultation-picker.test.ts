// Whom a caretaker may book a consultation for (models/care/picker.ts, ADR 19 and 25): the people
// of the households in her care that agreed — not her own housemates (a counselling topic is not
// a housemate's business), not a household that has not agreed or has withdrawn, not strangers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor } from "../support/signup-fixtures";
import { people } from "../../models/db/schema";
import { createHousehold } from "../../models/care/households";
import { recordConsent, withdrawConsent } from "../../models/care/consent";
import { consultationPicker } from "../../models/care/picker";
import type { Actor } from "../../models/permissions";

for (const backend of backends) {
  describe(`whom a caretaker may book a consultation for on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Actor;
    let caretaker: Actor;
    let resident: Actor;
    let agreed = 0;
    const staff = () => ({ stationId, actor: coordinator });
    const ids: Record<string, number> = {};

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"]);
      caretaker = await makeActor(t.db, stationId, ["volunteer"], "周秀梅");
      const otherCaretaker = await makeActor(t.db, stationId, ["volunteer"], "冯会员");
      resident = await makeActor(t.db, stationId, ["resident"], "何桂芳");
      // Her own household (her husband); one household in her care that agreed, one that has not;
      // one in another volunteer's care that agreed to that volunteer; someone in no household;
      // and a resident who lives with her daughter and looks after nobody.
      const home = await createHousehold(t.db, staff(), { label: "周家" });
      agreed = await createHousehold(t.db, staff(), { label: "兴园路 3 号 韩家", caretakerId: caretaker.personId });
      const notYet = await createHousehold(t.db, staff(), { label: "兴园路 5 号 曹家", caretakerId: caretaker.personId });
      const elsewhere = await createHousehold(t.db, staff(), { label: "兴园路 7 号 许家", caretakerId: otherCaretaker.personId });
      const residentHome = await createHousehold(t.db, staff(), { label: "何家" });
      await recordConsent(t.db, staff(), agreed, "phone");
      await recordConsent(t.db, staff(), elsewhere, "in_person");
      await t.db.update(people).set({ householdId: home }).where(eq(people.id, caretaker.personId));
      await t.db.update(people).set({ householdId: residentHome }).where(eq(people.id, resident.personId));
      const rows: [string, number | null, number][] = [
        ["周先生", home, 1949],
        ["韩德明", agreed, 1941],
        ["韩老伴", agreed, 1945],
        ["曹秀兰", notYet, 1943],
        ["许国强", elsewhere, 1940],
        ["独居老人", null, 1938],
        ["何女儿", residentHome, 1975],
      ];
      for (const [fullName, householdId, birthYear] of rows) {
        const [row] = await t.db.insert(people).values({ stationId, fullName, householdId, birthYear }).returning({ id: people.id });
        ids[fullName] = row!.id;
      }
    });

    it("a caretaker: the people of the household in her care that agreed, with its label; nobody else", async () => {
      expect(await consultationPicker(t.db, stationId, caretaker)).toEqual([
        { id: ids["韩德明"], name: "韩德明", household: "兴园路 3 号 韩家" },
        { id: ids["韩老伴"], name: "韩老伴", household: "兴园路 3 号 韩家" },
      ]);
    });

    it("a resident with no household in care: nobody, not even her housemate", async () => {
      expect(await consultationPicker(t.db, stationId, resident)).toEqual([]);
    });

    it("a household that withdraws its consent leaves the list at once", async () => {
      await withdrawConsent(t.db, staff(), agreed);
      expect(await consultationPicker(t.db, stationId, caretaker)).toEqual([]);
    });
  });
}
