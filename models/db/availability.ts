import { isDatabaseUnavailable } from "./errors";

/**
 * What this process last learnt about reaching its database: set down by a failed connection
 * or a lost one, up again by the next good connection. The HTTP layer reads it to answer 503
 * (try again shortly) instead of 500 (our fault) while PostgreSQL is down or restarting.
 */
const key = Symbol.for("hearth.db.availability");
type Holder = { [key]?: { downSince: number | null; requests: Set<string> } };
const holder = globalThis as Holder;
// On globalThis: the server entry and the Remix build each load their own copy of models/.
const state = (holder[key] ??= { downSince: null, requests: new Set() });
state.requests ??= new Set();

/**
 * `requestId`: the request the error failed. Besides the process-wide flag, the request itself
 * is marked: under load a request can wait past the pool's timeout while others get through
 * (and clear the flag at once), and that request too must be a 503 "try again", not a 500.
 */
export function noteDatabaseError(error: unknown, requestId?: string) {
  if (!isDatabaseUnavailable(error)) return;
  state.downSince ??= Date.now();
  if (requestId) state.requests.add(requestId);
}

/** Whether this request failed because the database was out of reach (or busy past its timeouts); forgets it. */
export function takeRequestUnavailable(requestId: string | undefined): boolean {
  return requestId !== undefined && state.requests.delete(requestId);
}

export function noteDatabaseReachable() {
  state.downSince = null;
}

export const databaseSeemsDown = () => state.downSince !== null;
