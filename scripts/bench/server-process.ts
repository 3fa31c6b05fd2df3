/**
 * Starting, timing and stopping the real server (`node build/hearth/server.mjs`) for the bench.
 * The spawned `node` is the server itself (no npm/tsx wrapper process), so its pid is the
 * one whose RSS we read and to which SIGTERM goes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { share, snapshot, type CpuShare } from "./cpu";

export const HOST = "127.0.0.1";

const live = new Set<ChildProcess>();

/** Kill whatever is still running (used on exit and on failure). */
export function killAll(signal: NodeJS.Signals = "SIGKILL") {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
  live.clear();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, HOST, () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  child: ChildProcess;
  pid: number;
  port: number;
  base: string;
  /** Wall time from spawn to the first 200 from the probe path, in ms. */
  readyMs: number;
  /** What the server printed as its own start time ("ready at … in N ms"), if it did. */
  selfReportedMs?: number;
  /** CPU from spawn to ready: the server's own, and what other processes used meanwhile. */
  startCpu: CpuShare;
  output: () => string;
}

export class ServerExitedError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
    this.name = "ServerExitedError";
  }
}

export interface StartOptions {
  root: string;
  dataDir: string;
  port: number;
  probePath?: string;
  timeoutMs?: number;
  pollMs?: number;
  /** Extra environment for the server, e.g. PAGE_CACHE_SECONDS=0. */
  env?: Record<string, string>;
  /** Extra arguments to node before the entry, e.g. a memory probe's `--import`. */
  nodeArgs?: string[];
}

export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const { root, dataDir, port, probePath = "/calendar", timeoutMs = 60_000, pollMs = 50 } = opts;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST,
    PORT: String(port),
    DATA_DIR: dataDir,
    SEED_ON_EMPTY: "true",
    ...opts.env,
  };
  // The embedded database in the temp dir, whatever the caller's shell has set, unless the caller names one.
  if (!opts.env?.DATABASE_URL) delete env.DATABASE_URL;
  delete env.NODE_OPTIONS;

  let output = "";
  const base = `http://${HOST}:${port}`;
  const cpu0 = snapshot();
  const t0 = performance.now();
  // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server under load.
  const nodeArgs = [...(process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean), ...(opts.nodeArgs ?? [])];
  const child = spawn(process.execPath, [...nodeArgs, "build/hearth/server.mjs"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  child.once("exit", () => live.delete(child));
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));

  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  for (;;) {
    if (hasExited) {
      throw new ServerExitedError(`server exited (code ${child.exitCode}, signal ${child.signalCode}) before serving ${probePath}`, output);
    }
    const elapsed = performance.now() - t0;
    if (elapsed > timeoutMs) {
      child.kill("SIGKILL");
      throw new ServerExitedError(`server did not answer 200 on ${probePath} within ${timeoutMs} ms`, output);
    }
    const attemptAt = performance.now();
    try {
      const res = await fetch(base + probePath, { signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      if (res.status === 200) {
        const readyMs = performance.now() - t0;
        const startCpu = share(cpu0, snapshot(child.pid));
        const self = /ready at \S+ in (\d+) ms/.exec(output);
        return { child, pid: child.pid!, port, base, readyMs, selfReportedMs: self ? Number(self[1]) : undefined, startCpu, output: () => output };
      }
    } catch {
      // Not listening yet (ECONNREFUSED): keep polling.
    }
    const wait = pollMs - (performance.now() - attemptAt);
    if (wait > 0) await Promise.race([sleep(wait), exited]);
  }
}

/** SIGTERM, then wait for the process to be gone. Returns the time it took, in ms. */
export async function stopServer(server: RunningServer, graceMs = 10_000): Promise<{ ms: number; code: number | null; signal: string | null }> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return { ms: 0, code: child.exitCode, signal: child.signalCode };
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const t0 = performance.now();
  child.kill("SIGTERM");
  const timedOut = await Promise.race([exited.then(() => false), sleep(graceMs).then(() => true)]);
  if (timedOut) {
    child.kill("SIGKILL");
    await exited;
  }
  return { ms: performance.now() - t0, code: child.exitCode, signal: child.signalCode };
}

/** VmRSS and VmHWM (peak RSS) of a process, in MiB, from /proc (Linux only). */
export function readMemory(pid: number): { rssMiB: number; hwmMiB: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m").exec(status)?.[1] ?? NaN);
    return { rssMiB: kb("VmRSS") / 1024, hwmMiB: kb("VmHWM") / 1024 };
  } catch {
    return null;
  }
}
