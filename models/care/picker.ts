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
