import path from "node:path";
import { z } from "zod";

/**
 * Configuration is read and validated once, here. Every default is chosen so that
 * `npm start` works on a fresh machine with nothing set.
 */
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("localhost"),
  // An empty value counts as unset, so `DATABASE_URL= npm start` uses the embedded database.
  DATABASE_URL: z.preprocess((v) => (v === "" ? undefined : v), z.string().url().optional()),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  // How many signups of one session may wait on its row lock at once per process (0 = no limit).
  SIGNUP_GATE_WIDTH: z.coerce.number().int().min(0).max(1000).default(4),
  // The longest a request waits for a row lock before the user is told to try again.
  LOCK_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(5000),
  // A database that does not answer fails the request fast (503) instead of hanging it.
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  // On SIGTERM, how long requests in flight may take to finish before the process stops anyway.
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(600).default(10),
  STATION_SLUG: z.string().min(1).default("fuwen"),
  SESSION_SECRET: z.string().min(16).optional(),
  SEED_ON_EMPTY: z.enum(["true", "false"]).default("true"),
  CALENDAR_HORIZON_DAYS: z.coerce.number().int().min(14).max(730).default(180),
  // How long anonymous visitors may be served a cached public page (0 turns the cache off).
  PAGE_CACHE_SECONDS: z.coerce.number().min(0).max(3600).default(10),
  COOKIE_SECURE: z.enum(["true", "false", "auto"]).default("auto"),
  // Which hops may say who the client is (X-Forwarded-For): see trustProxySetting and the README.
  TRUST_PROXY: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .max(500)
      .refine(
        (v) => trustProxySetting(v) !== null,
        "false, true, a hop count 1–10, or a comma list of proxy addresses/CIDRs (loopback, uniquelocal allowed)",
      )
      .optional(),
  ),
  // Where people reach the station: links in mails (unsubscribe, session pages) start with it.
  PUBLIC_URL: z.preprocess((v) => (v === "" ? undefined : v), z.string().url().optional()),
  // smtp:// or smtps://, with user:password@ when the server wants it. Unset: mail is written
  // to DATA_DIR/outbox as .eml files and listed on the admin Outbox page.
  SMTP_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .regex(/^smtps?:\/\/.+/, "must start with smtp:// or smtps://")
      .optional(),
  ),
  MAIL_FROM: z.string().min(3).max(200).default("家庭健康驿站 <no-reply@hearth.localhost>"),
  // Where the embedded database (no DATABASE_URL) runs: in a worker thread, so that its CPU is
  // not the server's (ADR 37), or "main", in the server's own thread as before.
  PGLITE_THREAD: z.enum(["worker", "main"]).default("worker"),
  // The notification worker inside the server process; "false" when `npm run worker` runs apart.
  RUN_WORKER: z.enum(["true", "false"]).default("true"),
  WORKER_POLL_SECONDS: z.coerce.number().min(0.05).max(600).default(15),
  // How long a worker's claim on a mail outlives its last heartbeat: a crashed worker's mail
  // goes out again this soon (the heartbeat renews every third of it).
  WORKER_LEASE_SECONDS: z.coerce.number().min(0.3).max(3600).default(60),
});

export type Config = z.infer<typeof schema> & {
  dataDir: string;
  PUBLIC_URL: string;
  /** PUBLIC_URL was set, not derived from HOST and PORT: only then may it overrule the Host a request was sent to. */
  publicUrlSet: boolean;
};

/**
 * Unset, PUBLIC_URL is where this server listens: HOST and PORT. A server listening on every
 * interface (0.0.0.0, ::) is reached by name, so links say localhost there.
 */
function defaultPublicUrl(env: { HOST: string; PORT: number }) {
  const host = ["0.0.0.0", "::", "[::]"].includes(env.HOST)
    ? "localhost"
    : env.HOST.includes(":") && !env.HOST.startsWith("[")
      ? `[${env.HOST}]`
      : env.HOST;
  return `http://${host}:${env.PORT}`;
}

let cached: Config | undefined;

export function getConfig(env: NodeJS.ProcessEnv = process.env): Config {
  if (cached && env === process.env) return cached;
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const config = {
    ...parsed.data,
    dataDir: path.resolve(parsed.data.DATA_DIR),
    PUBLIC_URL: parsed.data.PUBLIC_URL ?? defaultPublicUrl(parsed.data),
    publicUrlSet: parsed.data.PUBLIC_URL !== undefined,
  };
  if (env === process.env) cached = config;
  return config;
}

const PROXY_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);
const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}(\/\d{1,2})?$/;
const IPV6 = /^[0-9a-f.]*:[0-9a-f:.]*(\/\d{1,3})?$/i;

/**
 * What Express's "trust proxy" gets from TRUST_PROXY, or null when the value means nothing.
 * The client's address is read from X-Forwarded-For only through hops we trust, right to left:
 * - unset or "false": nobody; the address is the TCP peer's, and the header is ignored.
 * - a count N (1–10): the last N hops are our proxies; the client is the address the outermost
 *   of them saw. "true" means 1, not Express's "trust every hop", which takes the left-most
 *   entry — the one any client can write — and would hand out fresh limits per forged header.
 * - addresses, CIDRs or the names loopback/linklocal/uniquelocal: exactly those peers are
 *   proxies; the client is the right-most address that is not one of them.
 */
export function trustProxySetting(value: string | undefined): false | number | string[] | null {
  const v = value?.trim().toLowerCase();
  if (!v || v === "false") return false;
  if (v === "true") return 1;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return hops >= 1 && hops <= 10 ? hops : null;
  }
  const parts = v.split(",").map((p) => p.trim());
  return parts.every((p) => PROXY_NAMES.has(p) || IPV4.test(p) || IPV6.test(p)) ? parts : null;
}
