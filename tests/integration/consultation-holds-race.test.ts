// Races only show on real PostgreSQL (PGlite is one connection): these run when
// TEST_DATABASE_URL is set, and CI always sets it.
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { ZONE, makeActor, makePeople } from "../support/signup-fixtures";
import { giveWeeklyHours, makeProvider, makeService } from "../support/consultation-fixtures";
import type { ConsultationService } from "../../models/consultations/services";
import { bookConsultation, cancelConsultation } from "../../models/consultations/bookings";
import { joinWaitlist, offerFreedSlot } from "../../models/consultations/waitlist";
import { consultations } from "../../models/db/schema";
import type { Actor } from "../../models/permissions";

const postgres = backends.find((b) => b.name === "postgres");
const ROUNDS = 5;

/**
 * One person first in line for two services whose slots at the same hour are freed at once
 * (ADR 26, addendum): the hold is a commitment in the ledger, so the second transaction's hold
 * — whose look at the ledger ran before the first committed — is refused by the engine and the
 * person gets one hold. The control writes holds outside the ledger (the trigger as it was) and
 * sees the person hold both.
 */
function twoServices(inLedger: boolean) {
  return () => {
    const t = useBackend(postgres!, { beforeAll, afterAll }, { poolSize: 6 });
    let stationId = 0;
    let coordinator: Actor;
    const providers: Actor[] = [];
    const services: ConsultationService[] = [];
    const day = DateTime.now().setZone(ZONE).plus({ days: 2 }).startOf("day");

    beforeAll(async () => {
      stationId = (await ensureStation(t.db)).id;
      const admin = await makeActor(t.db, stationId, ["admin"]);
      coordinator = await makeActor(t.db, stationId, ["coordinator"]);
      for (const [kind, name] of [
        ["counselling", "心理咨询"],
        ["legal", "法律援助"],
      ] as const) {
        const { provider, skillId } = await makeProvider(t.db, stationId, `${name}老师`, { nameZh: name });
        const service = await makeService(t.db, stationId, admin, skillId, { kind, nameZh: name, nameEn: kind, slotMinutes: 60, bookAheadDays: 60 });
        await giveWeeklyHours(t.db, stationId, coordinator, { service, provider, day, from: "09:00", to: "12:00", fromDate: day.toISODate()! });
        providers.push(provider);
        services.push(service);
      }
      if (!inLedger) {
        // The control: the trigger without this change's hold branch (holds outside the ledger).
        const migration = readFileSync(new URL("../../models/db/migrations/0020_holds_in_ledger.sql", import.meta.url), "utf8");
        const fn = migration.slice(migration.indexOf("CREATE OR REPLACE FUNCTION"), migration.indexOf("--> statement-breakpoint"));
        await t.db.execute(sql.raw(fn.replace("ELSIF NEW.status::text = 'held' THEN", "ELSIF false THEN")));
      }
    });

    it(`two slots at one hour freed at once, ${ROUNDS} rounds: ${inLedger ? "the person holds one" : "the control sees them hold both"}`, async () => {
      const scope = { stationId, actor: coordinator };
      const holdsPerRound: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const startsAt = day.plus({ weeks: round }).set({ hour: 9 }).toJSDate();
        const date = day.plus({ weeks: round }).toISODate()!;
        const [person, ...holders] = await makePeople(t.db, stationId, 3, `第${round}轮-`);
        // The slots are freed before anyone waits, so the offers are made below, in the race.
        for (const [i, service] of services.entries()) {
          const booked = await bookConsultation(t.db, scope, { serviceId: service.id, startsAt, personId: holders[i]! });
          await cancelConsultation(t.db, scope, booked.id);
          await joinWaitlist(t.db, scope, { serviceId: service.id, personId: person!, fromDate: date, toDate: date });
        }
        const slot = (i: number) => ({ stationId, serviceId: services[i]!.id, providerPersonId: providers[i]!.personId, startsAt });
        let firstWrote!: () => void;
        const firstHolds = new Promise<void>((resolve) => (firstWrote = resolve));
        let secondStarted!: () => void;
        const secondStarts = new Promise<void>((resolve) => (secondStarted = resolve));
        // The first writes its hold and stays open until the second has begun its own.
        const first = t.db.transaction(async (tx) => {
          const id = await offerFreedSlot(tx, slot(0), new Date());
          firstWrote();
          await secondStarts;
          // Lets the second reach its insert (a wider window, not a condition of the outcome).
          await sleep(150);
          return id;
        });
        const second = (async () => {
          await firstHolds;
          return t.db.transaction(async (tx) => {
            secondStarted();
            return offerFreedSlot(tx, slot(1), new Date());
          });
        })();
        await Promise.all([first, second]);
        const held = await t.db
          .select({ id: consultations.id })
          .from(consultations)
          .where(and(eq(consultations.personId, person!), eq(consultations.status, "held")));
        holdsPerRound.push(held.length);
      }
      console.log(`[holds in the ledger ${inLedger ? "guarded" : "control"}] holds of one person per round: ${holdsPerRound.join(", ")}`);
      if (inLedger) expect(holdsPerRound).toEqual(Array(ROUNDS).fill(1));
      else expect(Math.max(...holdsPerRound)).toBe(2);
    }, 120_000);
  };
}

describe.runIf(postgres)("one person's holds of two services at one hour (PostgreSQL)", twoServices(true));
describe.runIf(postgres)("one person's holds of two services at one hour, negative control: holds outside the ledger", twoServices(false));
