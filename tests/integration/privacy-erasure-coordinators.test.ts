/**
 * Erasing a caretaker tells the coordinators (ADR 23, addendum): one mail each, a count and a
 * link to the households without a caretaker, nothing about the erased person; the staff home
 * page says how many households an erasure left without one until each has a caretaker again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makePeople } from "../support/signup-fixtures";
import { giveConsent as giveHouseholdConsent } from "../support/care-fixtures";
import { getRequest } from "../support/requests";
import { callSafely, type Handler } from "../support/routes-kit";
import { households, notifications, people } from "../../models/db/schema";
import { setCaretaker } from "../../models/care/households";
import { erasePerson } from "../../models/privacy/erasure";
import { mailSettings } from "../../models/notifications/render";
import type { MailTransport, SendMailOptions } from "../../models/notifications/transport";
import { runOnce } from "../../models/notifications/worker";
import * as manageHome from "../../app/routes/manage._index/route";
import * as manageHouseholds from "../../app/routes/manage.households";

const settings = mailSettings({ MAIL_FROM: "家庭健康驿站 <no-reply@hearth.example>", PUBLIC_URL: "https://hearth.example.org", PORT: 3000 });
const CANARY = "金凤凰CANARY";

for (const backend of backends) {
  describe(`coordinators told of households left without a caretaker on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    const sent: SendMailOptions[] = [];
    const transport: MailTransport = { kind: "smtp", send: async (mail) => void sent.push(mail), close: async () => {} };
    let stationId = 0;
    let coordinator: Awaited<ReturnType<typeof makeActor>>;
    let second: Awaited<ReturnType<typeof makeActor>>;
    let admin: Awaited<ReturnType<typeof makeActor>>;
    let cared: number[] = [];

    const home = async (token: string) => {
      const reply = await callSafely(manageHome.loader as unknown as Handler, await getRequest("/manage", { token }));
      return reply.body as Awaited<ReturnType<typeof manageHome.loader>>;
    };

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"], "协调员陈");
      second = await makeActor(t.db, stationId, ["coordinator"], "协调员吴");
      admin = await makeActor(t.db, stationId, ["admin"], "管理员何");
    });

    it("erasing a caretaker of three households mails each coordinator a count and a link, and names nobody", async () => {
      const carer = await makeActor(t.db, stationId, ["volunteer"], CANARY);
      const rows = await t.db
        .insert(households)
        .values([1, 2, 3].map((i) => ({ stationId, label: `富文路 ${i} 号`, caretakerId: carer.personId })))
        .returning({ id: households.id });
      cared = rows.map((r) => r.id);
      for (const id of cared) await giveHouseholdConsent(t.db, stationId, id, carer.personId);
      expect((await home(coordinator.token)).unassigned).toBe(0);

      await erasePerson(t.db, { stationId, actor: coordinator }, carer.personId, { via: "in_person" });

      const mail = await t.db
        .select({ personId: notifications.personId, payload: notifications.payload })
        .from(notifications)
        .where(eq(notifications.kind, "households_unassigned"));
      // The coordinators, not the admin (a station with coordinators has them do it).
      expect(mail.map((m) => m.personId).sort()).toEqual([coordinator.personId, second.personId].sort());
      expect(mail.every((m) => (m.payload as { households: number }).households === 3)).toBe(true);

      await runOnce(t.db, { transport, settings, batchSize: 500 });
      const toCoordinator = sent.find((m) => (m.to as { address: string }).address === coordinator.email)!;
      expect(toCoordinator.subject).toBe("3 户家庭没有联系会员了");
      expect(String(toCoordinator.text)).toContain("https://hearth.example.org/manage/households?caretaker=none");
      for (const m of sent) expect(`${m.subject}\n${m.text}\n${m.html}`).not.toContain(CANARY);
      const states = await t.db
        .select({ status: notifications.status, subject: notifications.subject })
        .from(notifications)
        .where(eq(notifications.kind, "households_unassigned"));
      expect(states.every((s) => s.status === "sent")).toBe(true);
    });

    it("the staff home page shows the households until each has a caretaker again; the filter lists them", async () => {
      expect((await home(coordinator.token)).unassigned).toBe(3);
      expect((await home(admin.token)).unassigned).toBe(3);
      const listed = await callSafely(
        manageHouseholds.loader as unknown as Handler,
        await getRequest("/manage/households?caretaker=none", { token: coordinator.token }),
      );
      const ids = (listed.body as Awaited<ReturnType<typeof manageHouseholds.loader>>).households.map((h) => h.id);
      expect(ids).toEqual(expect.arrayContaining(cared));
      expect((listed.body as { noCaretaker: boolean }).noCaretaker).toBe(true);

      const carer = await makeActor(t.db, stationId, ["volunteer"], "新会员郑");
      await setCaretaker(t.db, { stationId, actor: coordinator }, cared[0]!, carer.personId);
      expect((await home(coordinator.token)).unassigned).toBe(2);
      const again = await callSafely(
        manageHouseholds.loader as unknown as Handler,
        await getRequest("/manage/households?caretaker=none", { token: coordinator.token }),
      );
      expect((again.body as Awaited<ReturnType<typeof manageHouseholds.loader>>).households.map((h) => h.id)).not.toContain(cared[0]);
    });

    it("a coordinator who was a caretaker is not told of her own erasure; a caretaker of none tells nobody", async () => {
      await t.db.insert(households).values({ stationId, label: "富文路 9 号", caretakerId: second.personId });
      await erasePerson(t.db, { stationId, actor: coordinator }, second.personId, { via: "paper" });
      const told = await t.db
        .select({ personId: notifications.personId })
        .from(notifications)
        .where(
          and(
            eq(notifications.kind, "households_unassigned"),
            eq(notifications.dedupeKey, `households_unassigned:${second.personId}:${coordinator.personId}`),
          ),
        );
      expect(told).toHaveLength(1);
      const toSelf = await t.db
        .select()
        .from(notifications)
        .where(
          and(
            eq(notifications.kind, "households_unassigned"),
            eq(notifications.personId, second.personId),
            inArray(notifications.dedupeKey, [`households_unassigned:${second.personId}:${second.personId}`]),
          ),
        );
      expect(toSelf).toEqual([]);

      const [nobody] = await makePeople(t.db, stationId, 1, "普通居民");
      const before = await t.db.select({ id: notifications.id }).from(notifications).where(eq(notifications.kind, "households_unassigned"));
      await erasePerson(t.db, { stationId, actor: coordinator }, nobody!, { via: "in_person" });
      const after = await t.db.select({ id: notifications.id }).from(notifications).where(eq(notifications.kind, "households_unassigned"));
      expect(after.length).toBe(before.length);
      const [row] = await t.db.select({ name: people.fullName }).from(people).where(eq(people.id, nobody!));
      expect(row!.name).not.toContain("普通居民");
    });
  });
}
