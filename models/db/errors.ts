/** drizzle >= 0.44 wraps driver errors: the PostgreSQL code and constraint sit on `cause`. */
export function pgErrorOf(error: unknown): { code?: string; constraint?: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const candidate = current as { code?: unknown; constraint?: unknown; cause?: unknown };
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return {
        code: candidate.code,
        constraint: typeof candidate.constraint === "string" ? candidate.constraint : undefined,
      };
    }
    current = candidate.cause;
  }
  return undefined;
}

export const isUniqueViolation = (error: unknown, constraint?: string) => {
  const pgError = pgErrorOf(error);
  return pgError?.code === "23505" && (!constraint || pgError.constraint === constraint);
};

// PostgreSQL codes that mean "not reachable now" (shutting down, starting up, too many
// connections, connection lost) or "did not finish in the time allowed" (statement_timeout):
// a retry later may succeed, so the client is told 503, not 500.
const UNAVAILABLE_CODES = /^(08...|57P0[1-3]|53300|57014)$/;
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
// node-postgres says these in words only.
const UNAVAILABLE_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error|connection timeout/i;

function* chain(error: unknown) {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    yield current as { code?: unknown; constraint?: unknown; table?: unknown; message?: unknown; cause?: unknown; name?: unknown };
    current = (current as { cause?: unknown }).cause;
  }
}

/** Whether an error means the database could not be reached or did not answer in time. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const link of chain(error)) {
    if (typeof link.code === "string" && (UNAVAILABLE_CODES.test(link.code) || NETWORK_CODES.has(link.code))) return true;
    if (typeof link.message === "string" && !link.message.startsWith("Failed query") && UNAVAILABLE_MESSAGES.test(link.message)) return true;
  }
  return false;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * One line about an error for the log, safe to keep: for database errors the code, constraint
 * and table, never the statement's text or its parameters (drizzle puts both in its message,
 * and they carry names, phone numbers, health needs). Other errors: the stack for a log line,
 * or with `{ stack: false }` only the message — what a stored field (a mail's `last_error`,
 * shown to admins) keeps.
 */
export function describeError(error: unknown, options: { stack?: boolean } = {}): string {
  const links = [...chain(error)];
  const wrapped = links.some((link) => typeof link.message === "string" && link.message.startsWith("Failed query"));
  // A code says "database" when it is an SQLSTATE, or any code under drizzle's wrapper (ECONNRESET
  // mid-query); a mail transport's EENVELOPE on its own is not a database's.
  const database =
    links.find((link) => typeof link.code === "string" && SQLSTATE.test(link.code)) ??
    (wrapped ? links.find((link) => typeof link.code === "string") : undefined);
  if (database || wrapped) {
    const parts = ["database error"];
    if (database) {
      parts.push(`code=${String(database.code)}`);
      if (typeof database.constraint === "string") parts.push(`constraint=${database.constraint}`);
      if (typeof database.table === "string") parts.push(`table=${database.table}`);
    }
    // node-postgres's own words ("Connection terminated …") carry no data; a server message may
    // quote a value ("Key (email)=(…) already exists" sits in detail, not message, but be safe).
    const plain = links.find((link) => typeof link.message === "string" && !link.message.startsWith("Failed query") && !("severity" in link));
    if (plain && !database?.constraint) parts.push(`(${String(plain.message).slice(0, 200)})`);
    return parts.join(" ");
  }
  if (error instanceof Error) return options.stack === false ? error.message.slice(0, 500) : (error.stack ?? `${error.name}: ${error.message}`);
  return String(error).slice(0, 500);
}
