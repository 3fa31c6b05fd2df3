import { eq } from "drizzle-orm";
import type { Db, DbOrTx } from "./db";
import { calendarVersions } from "./db/schema";

/**
 * What the calendar and session pages show changes rarely (a place taken, a session moved)
 * and is read on every request. It is cached here per process, behind the station's
 * calendar version, which the database bumps by trigger in the same transaction as every
 * such change (migration 0008): one primary-key read per request tells whether an entry is
 * still good, on every server instance, whoever wrote.
 *
 * Order matters: the version is read BEFORE the data. A write committing between the two
 * makes the data newer than the version it is stored under, which only costs a rebuild on
 * the next request (that one sees the higher version); the other order could store old rows
 * under a new version and keep them.
 */
export async function calendarVersion(db: DbOrTx, stationId: number): Promise<number> {
  const [row] = await db.select({ version: calendarVersions.version }).from(calendarVersions).where(eq(calendarVersions.stationId, stationId));
  return row?.version ?? 0;
}

interface Entry {
  version: number;
  value: Promise<unknown>;
}

/** Least recently used first; a month page with its category filters is a handful of keys. */
const MAX_ENTRIES = 500;
/** One cache per database handle: tests open many databases in one process, each with its own versions. */
const caches = new WeakMap<object, Map<string, Entry>>();

/**
 * The value of `load()` for this key at this version: built once per version per process;
 * requests arriving while it is being built share the one build. A failed build is not kept.
 */
export function cachedAtVersion<T>(db: object, key: string, version: number, load: () => Promise<T>): Promise<T> {
  let entries = caches.get(db);
  if (!entries) caches.set(db, (entries = new Map()));
  const hit = entries.get(key);
  if (hit && hit.version === version) {
    entries.delete(key);
    entries.set(key, hit);
    return hit.value as Promise<T>;
  }
  const value = load();
  const entry: Entry = { version, value };
  // A newer version never gives way to an older one finishing later.
  if (!hit || hit.version < version) {
    entries.delete(key);
    entries.set(key, entry);
    if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  }
  value.catch(() => {
    if (entries.get(key) === entry) entries.delete(key);
  });
  return value;
}

/**
 * Versioned, so `key` must say everything the value depends on besides the station's calendar
 * data (range, category, language …). `db` is the database handle, never a transaction: what
 * a transaction has not committed must not be cached for others.
 */
export async function cachedCalendar<T>(
  db: Db,
  stationId: number,
  key: string,
  load: () => Promise<T>,
  // A page's loaders share one read of the version per request (app/lib/request-scope.server.ts).
  readVersion: () => Promise<number> = () => calendarVersion(db, stationId),
): Promise<T> {
  const version = await readVersion();
  return cachedAtVersion(db, `${stationId}:${key}`, version, load);
}
