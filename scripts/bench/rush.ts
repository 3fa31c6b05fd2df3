/**
 * The signup rush (issue 3, "Measure"): 2,000 people for 80 places, at the model layer
 * beside its physical floor, and over HTTP through the JSON API. Needs PostgreSQL; without
 * it the rush is reported as skipped and the rest of the bench runs on.
 */
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { backgroundLoad } from "./cpu";
import { ADMIN_URL, dropAllBenchDatabases, postgresProblem, serverFacts } from "./rush-db";
import { runHttpRush, type HttpRush } from "./rush-http";
import { runModelRush, type ModelRush } from "./rush-model";

export interface RushFigures {
  when: string;
  /** Set when the rush did not run at all (no PostgreSQL). */
  skipped?: string;
  postgres?: { version: string; settings: Record<string, string>; url: string };
  model?: ModelRush;
  modelError?: string;
  http?: HttpRush;
  httpError?: string;
  /** Other processes' load just before the rush, in cores. */
  backgroundAtStart: number;
  totalS: number;
}

/** The admin URL without anything secret in it, for the report. */
const shownUrl = () => {
  const url = new URL(ADMIN_URL);
  url.password = "";
  return url.toString();
};

/** `beforePhase` runs before each measured phase (the bench's `--wait-idle`) and says whether it waited. */
export async function runRush(root: string, log: (m: string) => void, beforePhase: () => Promise<boolean> = async () => false): Promise<RushFigures> {
  const t0 = performance.now();
  const when = new Date().toISOString();
  const problem = await postgresProblem();
  if (problem) {
    log(`signup rush skipped: no PostgreSQL at ${shownUrl()} (${problem})`);
    return { when, skipped: `no PostgreSQL at ${shownUrl()} (${problem})`, backgroundAtStart: NaN, totalS: 0 };
  }
  const facts = await serverFacts();
  const backgroundAtStart = await backgroundLoad(1000);
  const figures: RushFigures = { when, postgres: { ...facts, url: shownUrl() }, backgroundAtStart, totalS: 0 };
  log(`signup rush on PostgreSQL ${facts.version} (${shownUrl()}); other processes' load ${backgroundAtStart.toFixed(2)} cores`);
  try {
    log("rush at the model layer (64 clients) beside the hot-row floor …");
    try {
      figures.model = await runModelRush(log, async () => void (await beforePhase()));
    } catch (error) {
      figures.modelError = error instanceof Error ? error.message : String(error);
      log(`  model-layer rush failed: ${figures.modelError}`);
    }
    log("rush over HTTP (200 clients, JSON API, production build) …");
    try {
      figures.http = await runHttpRush(root, log, beforePhase);
    } catch (error) {
      figures.httpError = error instanceof Error ? error.message : String(error);
      log(`  HTTP rush failed: ${figures.httpError.split("\n")[0]}`);
    }
  } finally {
    await dropAllBenchDatabases();
  }
  figures.totalS = (performance.now() - t0) / 1000;
  return figures;
}

/** For exit handlers (no await possible): drop this process's bench databases with psql. */
export function dropBenchDatabasesSync() {
  spawnSync("psql", [ADMIN_URL, "-qAt"], {
    input: `SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', datname) FROM pg_database WHERE datname LIKE 'hearth\\_bench\\_${process.pid}\\_%' \\gexec\n`,
    stdio: ["pipe", "ignore", "ignore"],
    timeout: 5000,
  });
}
