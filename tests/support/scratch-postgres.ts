// A PostgreSQL server of the test's own (initdb in a temporary directory, its own port), for
// what the machine's shared server must never suffer: being stopped and restarted mid-test.
// The same binaries as the shared server (Debian's postgresql-15). PostgreSQL refuses to run
// as root, so as root the commands run as the `postgres` user.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./child-server";

const BIN = process.env.PG_BIN_DIR ?? `/usr/lib/postgresql/15/bin`;

export interface ScratchPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** Stops the server as a crash would (`-m immediate`: no checkpoint, WAL replay on start). */
  crash: () => void;
  start: () => void;
  /** Stops it and removes its directory. */
  remove: () => void;
}

function run(args: string[], asPostgres: boolean) {
  const [command, ...rest] = asPostgres ? ["runuser", "-u", "postgres", "--", ...args] : args;
  const result = spawnSync(command!, rest, { encoding: "utf8", timeout: 120_000 });
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed (${result.status}): ${result.stderr || result.stdout || result.error?.message}`);
  return result.stdout;
}

export const scratchPostgresAvailable = () => fs.existsSync(path.join(BIN, "initdb"));

export async function startScratchPostgres(): Promise<ScratchPostgres> {
  const asPostgres = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-pg-"));
  if (asPostgres) run(["chown", "postgres:postgres", dir], false);
  const data = path.join(dir, "data");
  // --no-sync: the test crashes the server, never the machine, so the OS keeps what was written.
  run([path.join(BIN, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], asPostgres);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=40 -c shared_buffers=32MB -c fsync=off`;
  const ctl = (...args: string[]) => run([path.join(BIN, "pg_ctl"), "-D", data, "-w", "-t", "60", ...args], asPostgres);
  const start = () => void ctl("-l", path.join(dir, "log"), "-o", options, "start");
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    crash: () => void ctl("-m", "immediate", "stop"),
    start,
    remove: () => {
      try {
        ctl("-m", "immediate", "stop");
      } catch {
        // Already stopped.
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
