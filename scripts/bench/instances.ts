/**
 * One app instance against two, on one PostgreSQL, in the same run (docs/operations.md,
 * "Running several instances"): the signup rush over the JSON API (2,000 people, 80 places,
 * 200 clients, each person with their own resident's token), first through one server with a pool of 20, then through two servers with a
 * pool of 10 each (the same 20 connections), the two set-ups interleaved round by round so
 * that the machine's noise falls on both alike. The figure is the ratio of their medians.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type DatabaseHandle } from "../../models/db";
import { createBenchDatabase, dropBenchDatabase, makeResidents, makeRushSession, stationId } from "./rush-db";
import {
  errorLines,
  httpRun,
  HTTP_CAPACITY,
  HTTP_CLIENTS,
  HTTP_REQUESTS,
  SERVER_POOL_SIZE,
  startPostgresServer,
  statusLine,
  type HttpRun,
} from "./rush-http";
import { stopServer, type RunningServer } from "./server-process";

export const INSTANCE_ROUNDS = 3;
const WARMUP = 400;

export interface InstancesFigures {
  rounds: number;
  one: HttpRun[];
  two: HttpRun[];
  /** The lines the servers logged as errors while measured. */
  serverErrors: string[];
  load: number;
}

const median = (runs: HttpRun[], pick: (r: HttpRun) => number) => {
  const sorted = runs.map(pick).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

export async function runInstances(root: string, log: (m: string) => void): Promise<InstancesFigures> {
  const database = await createBenchDatabase("instances");
  const dirs: string[] = [];
  const servers: RunningServer[] = [];
  let handle: DatabaseHandle | undefined;
  const dataDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-instances-"));
    dirs.push(dir);
    return dir;
  };
  try {
    // The first server migrates and seeds the demo; the others find it done. No worker runs:
    // the mail the rush queues stays queued, so each set-up does the same work.
    const single = await startPostgresServer(root, database.url, dataDir(), log, SERVER_POOL_SIZE, { RUN_WORKER: "false" });
    servers.push(single);
    const half = SERVER_POOL_SIZE / 2;
    const pair = [
      await startPostgresServer(root, database.url, dataDir(), log, half, { RUN_WORKER: "false" }),
      await startPostgresServer(root, database.url, dataDir(), log, half, { RUN_WORKER: "false" }),
    ];
    servers.push(...pair);
    handle = await openDatabase({ kind: "postgres", url: database.url, poolSize: 4 });
    const db = handle.db;
    const station = await stationId(db, process.env.STATION_SLUG || "fuwen");
    // Residents booking for themselves, each with their own token (and mail budget, ADR 16).
    const { personIds, tokens } = await makeResidents(db, station, HTTP_REQUESTS, "抢号居民");
    const session = async (title: string) => makeRushSession(db, station, HTTP_CAPACITY, title);

    // Every server warmed on its own session first (JIT, pool connections opened).
    for (const [i, target] of [[single], pair].entries()) {
      await httpRun(target, db, tokens, await session(`义诊（预热 ${i + 1}）`), personIds.slice(0, WARMUP), HTTP_CLIENTS);
    }
    const marks = servers.map((s) => s.output().length);
    const load = os.loadavg()[0]!;
    const one: HttpRun[] = [];
    const two: HttpRun[] = [];
    for (let round = 1; round <= INSTANCE_ROUNDS; round++) {
      for (const [label, target, into] of [
        ["one", [single], one],
        ["two", pair, two],
      ] as const) {
        const r = await httpRun([...target], db, tokens, await session(`公益义诊 ${label} ${round}`), personIds, HTTP_CLIENTS);
        into.push(r);
        log(
          `  ${label} instance${label === "one" ? "" : "s"} ${round}/${INSTANCE_ROUNDS}: ${r.rps.toFixed(0).padStart(5)} signups/s  p99 ${r.p99.toFixed(1)} ms  ` +
            `status ${statusLine(r.statusCounts)}  confirmed ${r.outcome.confirmed}, waitlisted ${r.outcome.waitlisted}, duplicates ${r.outcome.duplicates}`,
        );
      }
    }
    const serverErrors = servers.flatMap((s, i) => errorLines(s, marks[i]!));
    return { rounds: INSTANCE_ROUNDS, one, two, serverErrors: serverErrors.slice(0, 20), load };
  } finally {
    for (const server of servers) await stopServer(server).catch(() => {});
    await handle?.close().catch(() => {});
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    await dropBenchDatabase(database.name).catch((e: Error) => log(`  could not drop ${database.name}: ${e.message}`));
  }
}

/** True when every run confirmed exactly the capacity, waitlisted the rest, and answered no 5xx. */
export function instancesCorrect(f: InstancesFigures): boolean {
  return [...f.one, ...f.two].every(
    (r) =>
      r.outcome.confirmed === HTTP_CAPACITY && r.outcome.waitlisted === HTTP_REQUESTS - HTTP_CAPACITY && r.status5xx === 0 && r.networkErrors === 0,
  );
}

export function instancesMarkdown(f: InstancesFigures, machineLine: string): string {
  const row = (label: string, runs: HttpRun[]) =>
    `| ${label} | ${runs.map((r) => r.rps.toFixed(0)).join(" / ")} | **${median(runs, (r) => r.rps).toFixed(0)}** | ${median(runs, (r) => r.p50).toFixed(0)} ms | ${median(runs, (r) => r.p99).toFixed(0)} ms | ${runs.map((r) => `${r.outcome.confirmed}+${r.outcome.waitlisted}`).join(", ")} | ${runs.reduce((n, r) => n + r.status5xx, 0)} |`;
  const ratio = median(f.two, (r) => r.rps) / median(f.one, (r) => r.rps);
  const lines = [
    "## Several instances",
    "",
    `The signup rush of the section above (JSON API, ${HTTP_REQUESTS.toLocaleString("en")} distinct people, ${HTTP_CAPACITY} places, ${HTTP_CLIENTS} clients) through **one** server (pool ${SERVER_POOL_SIZE}) and through **two** servers on the same database (pool ${SERVER_POOL_SIZE / 2} each, the same ${SERVER_POOL_SIZE} connections; client k always talks to server k mod 2), ${f.rounds} rounds, the two set-ups alternating round by round. \`RUN_WORKER=false\` on every server, as docs/operations.md runs them.`,
    "",
    "| set-up | signups/s per round | median | p50 | p99 | confirmed + waitlisted per round | 5xx |",
    "|---|---|---|---|---|---|---|",
    row("one instance", f.one),
    row("two instances", f.two),
    "",
    `**Two instances ÷ one: ${ratio.toFixed(2)}×** in signups/s (medians, same run). Every round confirmed exactly ${HTTP_CAPACITY}, waitlisted the rest and answered no 5xx: ${instancesCorrect(f) ? "yes" : "**no**"}.${f.serverErrors.length ? ` Server error lines: ${f.serverErrors.length} (first: \`${f.serverErrors[0]!.slice(0, 160)}\`).` : ""}`,
    "",
    `What limits it: this machine has ${os.cpus().length} cores for PostgreSQL, the servers and the load generator together (load average ${f.load.toFixed(1)} when measuring began). One Node.js server uses at most one core, so a second instance can only help while a core is left over; every signup also serialises on the one session row in PostgreSQL (\`SELECT … FOR UPDATE\`), which no number of instances shortens. On a host with more cores than one server can use, the second instance's share grows; the correctness figures (exactly ${HTTP_CAPACITY}, no 5xx) are what this machine proves, and the suite's \`several-instances\` test proves them again on every run.`,
    "",
    `Measured on ${machineLine}. Reproduce: \`npm run bench -- --only=instances\` (about two minutes; needs PostgreSQL at \`BENCH_DATABASE_URL\`).`,
  ];
  return lines.join("\n") + "\n";
}
