// Races only show on real PostgreSQL (PGlite is one connection): these run when
// TEST_DATABASE_URL is set, and CI always sets it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { ZONE, makeActor, makePeople } from "../support/signup-fixtures";
import { giveWeeklyHours, makeProvider, makeService } from "../support/consultation-fixtures";
import type { ConsultationService } from "../../models/consultations/services";
import { bookConsultation } from "../../models/consultations/bookings";
import { consultations } from "../../models/db/schema";
import { DomainError } from "../../models/errors";
import type { Actor } from "../../models/permissions";

const postgres = backends.find((b) => b.name === "postgres");
const CLIENTS = 24;
const ROUNDS = 5;

/**
 * One slot, one booking (ADR 18), under a rush of phone calls: run on the database as migrated,
 * and (the negative control) on one without `consultations_one_per_slot` and the ledger's
 * trigger, to show the same test sees a slot given twice when the engine does not refuse it.
 */
function races(withGuards: boolean) {
  return () => {
    const t = useBackend(postgres!, { beforeAll, afterAll }, { poolSize: CLIENTS + 4 });
    let stationId = 0;
    let coordinator: Actor;
    let lawyer: Actor;
    let service: ConsultationService;
    const day = DateTime.now().setZone(ZONE).plus({ days: 2 }).startOf("day");

    beforeAll(async () => {
      if (!withGuards) {
        await t.db.execute(sql`DROP INDEX consultations_one_per_slot`);
        await t.db.execute(sql`ALTER TABLE consultations DISABLE TRIGGER consultation_commitments`);
      }
      stationId = (await ensureStation(t.db)).id;
      const admin = await makeActor(t.db, stationId, ["admin"]);
      coordinator = await makeActor(t.db, stationId, ["coordinator"]);
      const made = await makeProvider(t.db, stationId, "李律师");
      lawyer = made.provider;
      service = await makeService(t.db, stationId, admin, made.skillId, { slotMinutes: 20 });
      await giveWeeklyHours(t.db, stationId, coordinator, {
        service,
        provider: lawyer,
        day,
        from: "09:00",
        to: "17:00",
        location: "法律服务室",
        fromDate: day.toISODate()!,
      });
    });

    it(`${CLIENTS} callers booked onto one slot at once, ${ROUNDS} times: ${withGuards ? "exactly one gets it" : "the control sees it given twice"}`, async () => {
      const winners: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const startsAt = day.set({ hour: 9, minute: 20 * round }).toJSDate();
        const callers = await makePeople(t.db, stationId, CLIENTS, `来电${round}-`);
        const outcomes = await Promise.all(
          callers.map((personId) =>
            bookConsultation(
              t.db,
              { stationId, actor: coordinator },
              { serviceId: service.id, startsAt, providerPersonId: lawyer.personId, personId },
            ).then(
              () => "booked",
              (error: unknown) => (error instanceof DomainError ? error.code : Promise.reject(error)),
            ),
          ),
        );
        const [held] = await t.db
          .select({ n: sql<number>`count(*)::int` })
          .from(consultations)
          .where(and(eq(consultations.providerPersonId, lawyer.personId), eq(consultations.startsAt, startsAt), eq(consultations.status, "booked")));
        winners.push(held!.n);
        if (withGuards) {
          expect(outcomes.filter((o) => o === "booked")).toHaveLength(1);
          expect(new Set(outcomes.filter((o) => o !== "booked"))).toEqual(new Set(["consultation_slot_unavailable"]));
        }
      }
      console.log(`[consultations race ${withGuards ? "guarded" : "control"}] bookings per slot: ${winners.join(", ")}`);
      if (withGuards) expect(winners).toEqual(Array(ROUNDS).fill(1));
      else expect(Math.max(...winners)).toBeGreaterThan(1);
    }, 120_000);
  };
}

describe.runIf(postgres)("consultation slots under a rush (PostgreSQL)", races(true));
describe.runIf(postgres)("consultation slots under a rush, negative control without the engine's guards", races(false));
