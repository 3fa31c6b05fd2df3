/**
 * CPU accounting from /proc (Linux), so the report can say how busy the server was and how
 * much of the machine something else used meanwhile: on a shared 2-core box, other
 * processes' load moves every figure, and the reader should know.
 */
import fs from "node:fs";
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";

export interface Snapshot {
  /** All CPUs' ticks since boot, and the busy part of them. */
  total: number;
  busy: number;
  /** utime + stime of the bench itself and of the watched pid (same unit as /proc/stat). */
  self: number;
  pid?: number;
  pidTicks: number;
}

function procTicks(pid: number | "self"): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the ")" that closes the command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return NaN;
  }
}

export function snapshot(pid?: number): Snapshot {
  let total = NaN;
  let busy = NaN;
  try {
    const line = fs.readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!;
    const v = line.trim().split(/\s+/).slice(1, 9).map(Number); // user nice system idle iowait irq softirq steal
    total = v.reduce((a, b) => a + b, 0);
    busy = total - v[3]! - v[4]!;
  } catch {
    // Not Linux: figures stay NaN and the report says n/a.
  }
  return { total, busy, self: procTicks("self"), pid, pidTicks: pid ? procTicks(pid) : NaN };
}

export interface CpuShare {
  /** In cores (1.0 = one core fully busy over the interval). */
  server: number;
  bench: number;
  other: number;
  /** The server's CPU time over the interval, in ms. */
  serverMs: number;
}

const TICK_MS = 10; // USER_HZ is 100 on every Linux we run on.

/** Shares between two snapshots. `serverTicks` overrides the pid reading (for a process that has exited). */
export function share(a: Snapshot, b: Snapshot, serverTicks?: number): CpuShare {
  const cores = os.cpus().length;
  const perCore = (b.total - a.total) / cores; // ticks of one core over the interval
  const server = serverTicks ?? b.pidTicks - (a.pid === b.pid ? a.pidTicks : 0);
  const bench = b.self - a.self;
  const other = Math.max(0, b.busy - a.busy - (Number.isFinite(server) ? server : 0) - bench);
  return { server: server / perCore, bench: bench / perCore, other: other / perCore, serverMs: server * TICK_MS };
}

/** How many cores other processes keep busy, sampled over `ms`. */
export async function backgroundLoad(ms = 1000): Promise<number> {
  const a = snapshot();
  await sleep(ms);
  const b = snapshot();
  return share(a, b, 0).other;
}

/** Waits until other processes use less than `maxCores` for 2 s in a row, or `timeoutS` has passed. */
export async function waitForQuiet(maxCores: number, timeoutS: number, log: (m: string) => void): Promise<number> {
  const deadline = Date.now() + timeoutS * 1000;
  let quiet = 0;
  let last = NaN;
  let lastLog = 0;
  while (Date.now() < deadline) {
    last = await backgroundLoad(Math.min(1000, Math.max(100, deadline - Date.now())));
    quiet = last < maxCores ? quiet + 1 : 0;
    if (quiet >= 2) return last;
    if (quiet === 0 && Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      log(`  machine busy: other processes use ${last.toFixed(2)} cores; waiting (up to ${Math.round(timeoutS)} s) …`);
    }
  }
  return last;
}
