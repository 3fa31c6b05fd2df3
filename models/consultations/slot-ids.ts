import { DateTime } from "luxon";

/**
 * A slot's id in the API (ADR 18, addendum): service, provider and start (UTC, to the minute),
 * "3-17-20261207T0600Z". Slots are not stored, so the id is their key itself: the same slot has
 * the same id however the hours around it change, and booking it checks it is still a slot.
 */
export function slotIdOf(slot: { serviceId: number; providerPersonId: number; startsAt: Date }): string {
  const utc = DateTime.fromJSDate(slot.startsAt, { zone: "utc" }).toFormat("yyyyLLdd'T'HHmm'Z'");
  return `${slot.serviceId}-${slot.providerPersonId}-${utc}`;
}

export const SLOT_ID_PATTERN = "^[1-9][0-9]{0,9}-[1-9][0-9]{0,9}-[0-9]{8}T[0-9]{4}Z$";
const INT4_MAX = 2_147_483_647;

/** The parts of a slot id, or null for anything that cannot be one (the API answers 404). */
export function parseSlotId(id: string): { serviceId: number; providerPersonId: number; startsAt: Date } | null {
  if (!new RegExp(SLOT_ID_PATTERN).test(id)) return null;
  const [service, provider, start] = id.split("-") as [string, string, string];
  const startsAt = DateTime.fromFormat(start, "yyyyLLdd'T'HHmm'Z'", { zone: "utc" });
  const serviceId = Number(service);
  const providerPersonId = Number(provider);
  if (!startsAt.isValid || serviceId > INT4_MAX || providerPersonId > INT4_MAX) return null;
  return { serviceId, providerPersonId, startsAt: startsAt.toJSDate() };
}
