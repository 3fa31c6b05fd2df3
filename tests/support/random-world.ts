// The start of the "random world" tests (reach-calls, reports-monthly): a seeded generator and a
// station of its own, in the zone the test names, with a few categories and one activity each.
// The tests then insert raw rows at random and check the models against figures they compute
// themselves.
import type { Db } from "../../models/db";
import { DEFAULT_CATEGORIES } from "../../models/categories";
import { activities, categories, stations } from "../../models/db/schema";

/** A linear congruential generator: the same world on every run for one seed. */
export class Lcg {
  constructor(private state: number) {}
  next() {
    this.state = (this.state * 1103515245 + 12345) % 2 ** 31;
    return this.state / 2 ** 31;
  }
  int(min: number, max: number) {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
}

/**
 * A station in `timeZone` with the first `categories` default categories and one activity ("活动0" …)
 * in each: 20 places and an hour, unless the options say otherwise.
 */
export async function stationWithActivities(
  db: Db,
  station: { slug: string; nameZh: string; nameEn: string; timeZone: string },
  options: { categories: number; startDate: string; capacity?: number; durationMinutes?: number },
) {
  const [row] = await db.insert(stations).values(station).returning();
  const stationId = row!.id;
  const cats = await db
    .insert(categories)
    .values(DEFAULT_CATEGORIES.slice(0, options.categories).map((c, i) => ({ ...c, stationId, sortOrder: i })))
    .returning({ id: categories.id });
  const acts = await db
    .insert(activities)
    .values(
      cats.map((c, i) => ({
        stationId,
        categoryId: c.id,
        title: `活动${i}`,
        capacity: options.capacity ?? 20,
        durationMinutes: options.durationMinutes ?? 60,
        startDate: options.startDate,
        startTime: "09:00",
      })),
    )
    .returning({ id: activities.id });
  return { stationId, acts };
}

/**
 * The signups of one session at random: draws go on while `seq` is within a fresh
 * `random.int(min, max)`, and someone drawn twice is skipped, so each person comes once and
 * keeps the seq of the draw that chose them.
 */
export function* drawAttendees(random: Lcg, people: readonly { id: number }[], min: number, max: number) {
  const chosen = new Set<number>();
  for (let seq = 1; seq <= random.int(min, max); seq++) {
    const personId = random.pick(people).id;
    if (chosen.has(personId)) continue;
    chosen.add(personId);
    yield { personId, seq };
  }
}
