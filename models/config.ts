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
  STATION_SLUG: z.string().min(1).default("fuwen"),
  SESSION_SECRET: z.string().min(16).optional(),
  SEED_ON_EMPTY: z.enum(["true", "false"]).default("true"),
  CALENDAR_HORIZON_DAYS: z.coerce.number().int().min(14).max(730).default(180),
  // How long anonymous visitors may be served a cached public page (0 turns the cache off).
  PAGE_CACHE_SECONDS: z.coerce.number().min(0).max(3600).default(10),
  COOKIE_SECURE: z.enum(["true", "false", "auto"]).default("auto"),
  // Express "trust proxy": unset when clients connect directly; "true", a hop count or addresses behind a proxy.
  TRUST_PROXY: z.string().max(200).optional(),
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
  // The notification worker inside the server process; "false" when `npm run worker` runs apart.
  RUN_WORKER: z.enum(["true", "false"]).default("true"),
  WORKER_POLL_SECONDS: z.coerce.number().min(0.05).max(600).default(15),
});

export type Config = z.infer<typeof schema> & { dataDir: string; PUBLIC_URL: string };

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
  const config = { ...parsed.data, dataDir: path.resolve(parsed.data.DATA_DIR), PUBLIC_URL: parsed.data.PUBLIC_URL ?? defaultPublicUrl(parsed.data) };
  if (env === process.env) cached = config;
  return config;
}
