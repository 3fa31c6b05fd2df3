import { isDatabaseUnavailable } from "./errors";

/**
 * What this process last learnt about reaching its database: set down by a failed connection
 * or a lost one, up again by the next good connection. The HTTP layer reads it to answer 503
 * (try again shortly) instead of 500 (our fault) while PostgreSQL is down or restarting.
 */
const key = Symbol.for("hearth.db.availability");
type Holder = { [key]?: { downSince: number | null } };
const holder = globalThis as Holder;
// On globalThis: the server entry and the Remix build each load their own copy of models/.
const state = (holder[key] ??= { downSince: null });

export function noteDatabaseError(error: unknown) {
  if (isDatabaseUnavailable(error)) state.downSince ??= Date.now();
}

export function noteDatabaseReachable() {
  state.downSince = null;
}

export const databaseSeemsDown = () => state.downSince !== null;
