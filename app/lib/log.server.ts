import { noteDatabaseError } from "#models/db/availability";
import { describeError } from "#models/db/errors";

// Path segments that are tokens (unsubscribe links, personal feeds) stay out of the log.
const maskPath = (pathname: string) => pathname.replace(/[^/]{20,}/g, "…");

/**
 * One line per failed request: its id (the X-Request-Id the client saw), method, path without
 * tokens or query, and the error as describeError tells it: database errors by code and
 * constraint, never with the statement's parameters. A database that could not be reached is
 * also noted, so the requests that follow are answered 503 until it is back.
 */
export function reportRequestError(requestId: unknown, method: string, url: string, error: unknown) {
  const id = typeof requestId === "string" ? requestId : "-";
  noteDatabaseError(error, typeof requestId === "string" ? requestId : undefined);
  let pathname = url;
  try {
    pathname = new URL(url, "http://x.invalid").pathname;
  } catch {
    // keep what was given
  }
  console.error(`[hearth] ${id} ${method} ${maskPath(pathname)}: ${describeError(error)}`);
}
