import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "../db";
import { people } from "../db/schema";
import type { Actor } from "../permissions";
import { householdsOf } from "./mine";

export interface PickerGroup {
  householdId: number | null;
  /** The household's label; null for a person in no household (only themself to book). */
  label: string | null;
  own: boolean;
  /** The actor first in their own group, then by the households' order (birth year). */
  people: { id: number; fullName: string }[];
}

/**
 * Whom the session page offers to book (ADR 25): oneself, the people of one's own household,
 * and the people of the households in one's care that agreed to it (ADR 19) — exactly those
 * `canActFor` with SESSION_BOOKINGS admits, names only. Households in care without consent are
 * left out: their caretaker cannot book for them.
 */
export async function bookingPicker(db: DbOrTx, stationId: number, actor: Actor): Promise<PickerGroup[]> {
  const households = await householdsOf(db, stationId, actor);
  const groups: PickerGroup[] = households
    .filter((h) => h.own || h.mayAct)
    .map((h) => ({
      householdId: h.id,
      label: h.label,
      own: h.own,
      people: [...h.people]
        .sort((a, b) => Number(b.id === actor.personId) - Number(a.id === actor.personId))
        .map((p) => ({ id: p.id, fullName: p.fullName })),
    }));
  if (!groups.some((g) => g.own)) {
    const [me] = await db
      .select({ id: people.id, fullName: people.fullName })
      .from(people)
      .where(and(eq(people.id, actor.personId), eq(people.stationId, stationId)));
    if (me) groups.unshift({ householdId: null, label: null, own: true, people: [me] });
  }
  return groups;
}

/** Someone a caretaker may book a consultation for, with the household that puts them in her care. */
export interface ConsultationCandidate {
  id: number;
  name: string;
  household: string | null;
}

/**
 * Whom the consultation page offers a caretaker besides herself (ADR 19 and 25): the people of
 * the households in her care that agreed to it, in the picker's order. Not her own household:
 * consultations keep the default scope, and a counselling topic is not a housemate's business
 * (ADR 25). Empty for anyone with no household in care, who books for themself only.
 */
export async function consultationPicker(db: DbOrTx, stationId: number, actor: Actor): Promise<ConsultationCandidate[]> {
  const groups = await bookingPicker(db, stationId, actor);
  return groups.filter((group) => !group.own).flatMap((group) => group.people.map((p) => ({ id: p.id, name: p.fullName, household: group.label })));
}
