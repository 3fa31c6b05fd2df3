import { DateTime } from "luxon";
import type { Db } from "../../models/db";
import { personSkills } from "../../models/db/schema";
import { createConsultationService, type ConsultationService, type ServiceInput } from "../../models/consultations/services";
import { addProviderHours } from "../../models/consultations/hours";
import type { Actor } from "../../models/permissions";
import { ZONE, makeActor } from "./signup-fixtures";
import { makeSkill } from "./roster-fixtures";

/**
 * The world most consultation tests start from: a service, a provider with its skill, and weekly
 * hours on one weekday. Built through the models (services and hours are admin and staff
 * actions the tests do not test), so a test states only what differs from the usual.
 */

/** A service as the tests mostly want it: 30-minute slots, no buffer, two weeks ahead. */
export const SERVICE_DEFAULTS = {
  kind: "legal",
  nameZh: "法律援助",
  nameEn: "Legal aid",
  slotMinutes: 30,
  bufferMinutes: 0,
  bookAheadDays: 14,
  cancelDeadlineMinutes: 0,
  maxUpcoming: 3,
} satisfies Omit<ServiceInput, "skillId">;

/**
 * A volunteer who holds a new skill, ready to provide a service that asks for it. A `restricted`
 * skill (a lawyer's) counts only once `confirmed` by staff; `confirmed` alone stamps an open
 * skill too, as some older tests set it up, so that they keep the data they had.
 */
export async function makeProvider(
  db: Db,
  stationId: number,
  name: string,
  skill: { nameZh?: string; restricted?: boolean; confirmed?: boolean } = {},
) {
  const provider = await makeActor(db, stationId, ["volunteer"], name);
  const skillId = await makeSkill(db, stationId, { nameZh: skill.nameZh, restricted: skill.restricted });
  await db.insert(personSkills).values({ personId: provider.personId, skillId, ...(skill.confirmed ? { confirmedAt: new Date() } : {}) });
  return { provider, skillId };
}

/** A service on the provider's skill, created by an admin; `service` overrides the defaults. */
export function makeService(
  db: Db,
  stationId: number,
  admin: Actor,
  skillId: number,
  service: Partial<ServiceInput> = {},
): Promise<ConsultationService> {
  return createConsultationService(db, { stationId, actor: admin }, { ...SERVICE_DEFAULTS, skillId, ...service });
}

/**
 * Weekly hours on `day`'s weekday, from today (or `fromDate`) on, kept by `keeper` (staff or the
 * provider); `untilDate` ends them, for the tests that want hours on one day only.
 */
export function giveWeeklyHours(
  db: Db,
  stationId: number,
  keeper: Actor,
  hours: {
    service: Pick<ConsultationService, "id">;
    provider: Pick<Actor, "personId">;
    day: DateTime;
    from: string;
    to: string;
    location?: string;
    fromDate?: string;
    untilDate?: string;
  },
): Promise<{ id: number }> {
  return addProviderHours(
    db,
    { stationId, actor: keeper },
    {
      serviceId: hours.service.id,
      providerPersonId: hours.provider.personId,
      weekday: hours.day.weekday,
      startTime: hours.from,
      endTime: hours.to,
      location: hours.location ?? "谈话室",
      fromDate: hours.fromDate ?? DateTime.now().setZone(ZONE).toISODate()!,
      ...(hours.untilDate ? { untilDate: hours.untilDate } : {}),
    },
  );
}
