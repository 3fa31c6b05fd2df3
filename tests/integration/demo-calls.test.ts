// The demo's care net (ADR 20): on first start the demo member (member@fuwen.example) has
// people of her households, none with email, booked tomorrow — on a Saturday, whose tomorrow
// holds no programme, a one-off walk is put on for them — and the station has a phone and an
// address for the hints.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { seedDemoCommunity } from "../../demo/community";
import { accounts, stationRoles, stations } from "../../models/db/schema";
import { callList } from "../../models/reach/calls";

const NOW = new Date("2026-12-05T02:00:00Z");

for (const backend of backends) {
  describe(`the demo's call list on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;

    beforeAll(async () => {
      stationId = (await seedDemoCommunity(t.db, { now: NOW })).stationId;
    });

    it("gives the demo member tomorrow's calls for her households, reached through her", async () => {
      const [member] = await t.db
        .select({ accountId: accounts.id, personId: accounts.personId, role: stationRoles.role })
        .from(accounts)
        .innerJoin(stationRoles, eq(stationRoles.accountId, accounts.id))
        .where(eq(accounts.email, "member@fuwen.example"));
      expect(member!.role).toBe("volunteer");
      const actor = { accountId: member!.accountId, personId: member!.personId, roles: ["volunteer" as const] };
      const rows = await callList(t.db, { stationId, timeZone: "Asia/Shanghai", actor }, "2026-12-06");
      expect(rows.length).toBeGreaterThanOrEqual(3);
      for (const row of rows) expect(row).toMatchObject({ route: "caretaker", caretaker: { id: member!.personId }, status: "confirmed" });
      const [station] = await t.db.select({ phone: stations.phone, address: stations.address }).from(stations).where(eq(stations.id, stationId));
      expect(station!.phone).toBeTruthy();
      expect(station!.address).toBeTruthy();
    });
  });
}
