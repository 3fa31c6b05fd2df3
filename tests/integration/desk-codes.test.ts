import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { makeActor, makePeople, makeSession } from "../support/signup-fixtures";
import { makeDeskVolunteer } from "../support/desk-fixtures";
import { cancelSignup, signUp } from "../../models/signups";
import { checkInByCode } from "../../models/desk/checkin";
import { CODE_VALID_AFTER_END_MS, checkinCodeFor, checkinKey, verifyCheckinCode } from "../../models/desk/codes";
import { auditLog, signups, stationSecrets } from "../../models/db/schema";
import { NotAllowed, NotFound } from "../../models/errors";
import type { Actor } from "../../models/permissions";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

for (const backend of backends) {
  describe(`check-in codes on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let stationId = 0;
    let coordinator: Actor;
    const audits = async () => (await t.db.select({ n: sql<number>`count(*)::int` }).from(auditLog))[0]!.n;

    async function booked(parties = 1) {
      const s = await makeSession(t.db, stationId, { capacity: 10 });
      const [personId] = await makePeople(t.db, stationId, 1);
      const signup = await signUp(
        t.db,
        { stationId, actor: coordinator, now: new Date(s.startsAt.getTime() - DAY) },
        { sessionId: s.sessionId, personId: personId!, partySize: parties },
      );
      const code = (await checkinCodeFor(t.db, stationId, signup.id))!;
      return { ...s, personId: personId!, signupId: signup.id, code, at: (m: number) => new Date(s.startsAt.getTime() + m * MINUTE) };
    }

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      coordinator = await makeActor(t.db, stationId, ["coordinator"]);
    });

    it("gives each station one unguessable key, made on first use", async () => {
      const key = await checkinKey(t.db, stationId);
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect(await checkinKey(t.db, stationId)).toBe(key);
      const other = await ensureStation(t.db, "codes-other");
      expect(await checkinKey(t.db, other.id)).not.toBe(key);
      expect(await t.db.select().from(stationSecrets)).toHaveLength(2);
    });

    it("checks in the holder of a good code, staff only", async () => {
      const b = await booked(2);
      expect(b.code).toMatch(/^\d+-[A-Za-z0-9_-]{22}$/);
      const desk = await makeDeskVolunteer(t.db, stationId, b.sessionId);
      await expect(checkInByCode(t.db, { stationId, actor: desk, now: b.at(0) }, { sessionId: b.sessionId, code: b.code })).rejects.toBeInstanceOf(
        NotAllowed,
      );
      const result = await checkInByCode(t.db, { stationId, actor: coordinator, now: b.at(0) }, { sessionId: b.sessionId, code: b.code });
      expect(result).toMatchObject({ signupId: b.signupId, personId: b.personId, attendedCount: 2, alreadyCheckedIn: false });
      const [audit] = await t.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.targetId, b.signupId))
        .orderBy(sql`${auditLog.id} desc`)
        .limit(1);
      expect(audit).toMatchObject({ action: "checkin", details: expect.objectContaining({ via: "code" }) as unknown });
    });

    it("refuses a tampered, foreign, cancelled, expired or other station's code as not found, writing nothing", async () => {
      const b = await booked();
      const other = await booked();
      // The mac is base64url and may itself hold a "-": split at the first one only.
      const id = b.code.slice(0, b.code.indexOf("-"));
      const mac = b.code.slice(b.code.indexOf("-") + 1);
      const flipped = mac.slice(0, -1) + (mac.endsWith("A") ? "B" : "A");
      const cases: { code: unknown; sessionId: number; now: Date; reason: string }[] = [
        { code: `${id}-${flipped}`, sessionId: b.sessionId, now: b.at(0), reason: "forged" },
        { code: `${other.signupId}-${mac}`, sessionId: b.sessionId, now: b.at(0), reason: "forged" },
        { code: b.code, sessionId: other.sessionId, now: other.at(0), reason: "forged" },
        { code: "12345", sessionId: b.sessionId, now: b.at(0), reason: "malformed" },
        { code: 42, sessionId: b.sessionId, now: b.at(0), reason: "malformed" },
        { code: b.code, sessionId: b.sessionId, now: new Date(b.at(120).getTime() + CODE_VALID_AFTER_END_MS + MINUTE), reason: "expired" },
      ];
      const before = await audits();
      for (const c of cases) {
        expect(await verifyCheckinCode(t.db, stationId, c.sessionId, c.code, c.now)).toEqual({ ok: false, reason: c.reason });
        await expect(
          checkInByCode(t.db, { stationId, actor: coordinator, now: c.now }, { sessionId: c.sessionId, code: c.code }),
        ).rejects.toBeInstanceOf(NotFound);
      }
      // Another station's staff, with a good code of ours: its key signs nothing of ours.
      const elsewhere = await ensureStation(t.db, "codes-elsewhere");
      const outsider = await makeActor(t.db, elsewhere.id, ["coordinator"]);
      await expect(
        checkInByCode(t.db, { stationId: elsewhere.id, actor: outsider, now: b.at(0) }, { sessionId: b.sessionId, code: b.code }),
      ).rejects.toBeInstanceOf(NotFound);
      // Cancelled: the code dies with the booking.
      await cancelSignup(t.db, { stationId, actor: coordinator, now: b.at(-300) }, b.signupId);
      expect(await verifyCheckinCode(t.db, stationId, b.sessionId, b.code, b.at(0))).toEqual({ ok: false, reason: "cancelled" });
      const afterCancel = await audits();
      await expect(
        checkInByCode(t.db, { stationId, actor: coordinator, now: b.at(0) }, { sessionId: b.sessionId, code: b.code }),
      ).rejects.toBeInstanceOf(NotFound);
      expect(await audits()).toBe(afterCancel);
      expect(afterCancel).toBe(before + 1); // the cancellation's own row only
      expect((await t.db.select().from(signups).where(eq(signups.id, b.signupId)))[0]!.attendance).toBeNull();
      expect((await t.db.select().from(signups).where(eq(signups.id, other.signupId)))[0]!.attendance).toBeNull();
    });

    it("a good code before the doors open is refused like any check-in", async () => {
      const b = await booked();
      await expect(
        checkInByCode(t.db, { stationId, actor: coordinator, now: b.at(-90) }, { sessionId: b.sessionId, code: b.code }),
      ).rejects.toMatchObject({
        code: "checkin_not_open",
      });
      expect(await verifyCheckinCode(t.db, stationId, b.sessionId, b.code, b.at(-90))).toMatchObject({ ok: true, signupId: b.signupId });
    });
  });
}
