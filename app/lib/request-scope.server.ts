import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What one HTTP request reads once and all its loaders share. Remix hands each loader of a
 * page (the root, the layouts, the page) its own copy of the `Request`, so a memo keyed by the
 * Request object is per loader, not per request; this scope is opened by the HTTP layer around
 * the whole request instead.
 *
 * Only reads that cannot change during the request belong here: the HTTP layer opens a scope
 * for GET and HEAD alone, because a POST runs an action (which may change the viewer: a new
 * name, a role) before its loaders run again.
 */
export type RequestScope = Map<string, unknown>;

// On globalThis: the server entry and the Remix build each load their own copy of this module,
// and both must see the one store.
const key = Symbol.for("hearth.requestScope");
type Holder = { [key]?: AsyncLocalStorage<RequestScope> };
const holder = globalThis as Holder;
const storage = (holder[key] ??= new AsyncLocalStorage<RequestScope>());

/** Runs `handle` (the rest of a read-only request) with a fresh scope. */
export function withRequestScope<T>(handle: () => T): T {
  return storage.run(new Map(), handle);
}

/** The current request's scope, or undefined outside one (a POST, a test calling a loader). */
export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}

/**
 * `read()` once per HTTP GET, shared by its loaders; outside a read-only request (an action
 * that may write between two reads), every call reads afresh.
 */
export function readOnce<T>(key: string, read: () => Promise<T>): Promise<T> {
  const scope = storage.getStore();
  if (!scope) return read();
  let value = scope.get(key) as Promise<T> | undefined;
  if (!value) scope.set(key, (value = read()));
  return value;
}
