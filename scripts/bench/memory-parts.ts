/**
 * What holds the server's resident memory after start (issue 15: "≤ 300 MB, or say what holds
 * it"). Three processes on the same seeded DATA_DIR, each read 1 s after it is ready: Node
 * alone; PGlite alone as the server opens it, every table read once; the whole server. The
 * server runs with a probe (memory-probe.mjs) that reports V8's heap and the size of PGlite's
 * WebAssembly memory, whose mapping /proc/<pid>/smaps then shows resident.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { PGLITE_SHARED_BUFFERS } from "../../models/db/client";
import { freePort, readMemory, startServer, stopServer } from "./server-process";

const MiB = 1024 * 1024;

export interface ServerMemory {
  rssMiB: number;
  heapTotalMiB: number;
  heapUsedMiB: number;
  /** The V8 heaps of the server's worker threads (the embedded database's, ADR 37), committed and in use. */
  workerHeapTotalMiB: number;
  workerHeapUsedMiB: number;
  /** PGlite's WebAssembly memory: its size, and how much of it is resident. */
  wasmSizeMiB: number;
  wasmResidentMiB: number | null;
  /** The node executable's own pages (code and data mapped from the file). */
  nodeBinaryMiB: number;
}

export interface MemoryParts {
  bareNodeMiB: number[];
  pgliteAloneMiB: number[];
  server: ServerMemory[];
}

interface Mapping {
  name: string;
  sizeKb: number;
  rssKb: number;
}

function mappings(pid: number): Mapping[] {
  const out: Mapping[] = [];
  for (const line of fs.readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) out.push({ name: head[1] ?? "", sizeKb: 0, rssKb: 0 });
    else if (line.startsWith("Size:")) out[out.length - 1]!.sizeKb = Number(line.split(/\s+/)[1]);
    else if (line.startsWith("Rss:")) out[out.length - 1]!.rssKb = Number(line.split(/\s+/)[1]);
  }
  return out;
}

/** Spawns `node args…`, waits for `readyLine` on its output (or 1 s if none), then 1 s more, and reads its RSS. */
async function idleRss(root: string, args: string[], readyLine?: string): Promise<number> {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  try {
    const until = Date.now() + 120_000;
    while (readyLine && !output.includes(readyLine)) {
      if (child.exitCode !== null || Date.now() > until) throw new Error(`node ${args.join(" ")} did not get ready:\n${output}`);
      await sleep(50);
    }
    await sleep(1000);
    const memory = readMemory(child.pid!);
    if (!memory) throw new Error(`no /proc reading for node ${args.join(" ")}`);
    return memory.rssMiB;
  } finally {
    child.kill("SIGKILL");
  }
}

async function serverMemory(root: string, dataDir: string, probeFile: string): Promise<ServerMemory> {
  const server = await startServer({
    root,
    dataDir,
    port: await freePort(),
    nodeArgs: ["--import", path.join(root, "scripts/bench/memory-probe.mjs")],
    env: { HEARTH_MEMORY_PROBE_FILE: probeFile },
  });
  try {
    await sleep(1000); // as the signed-in section reads it: the horizon roll and the worker's first pass
    fs.rmSync(probeFile, { force: true });
    process.kill(server.pid, "SIGUSR2");
    const maps = mappings(server.pid);
    const rss = readMemory(server.pid)!.rssMiB;
    for (let i = 0; !fs.existsSync(probeFile); i++) {
      if (i > 200) throw new Error("the memory probe did not answer");
      await sleep(25);
    }
    const probe = JSON.parse(fs.readFileSync(probeFile, "utf8")) as {
      heapTotal: number;
      heapUsed: number;
      wasmBytes: number[];
      workerHeapTotal: number;
      workerHeapUsed: number;
    };
    const wasmBytes = Math.max(0, ...probe.wasmBytes);
    // The WebAssembly memory is one anonymous mapping of exactly its size (its guard region is separate).
    const wasm = maps.filter((m) => m.name === "" && m.sizeKb * 1024 === wasmBytes);
    const exe = fs.readlinkSync(`/proc/${server.pid}/exe`);
    return {
      rssMiB: rss,
      heapTotalMiB: probe.heapTotal / MiB,
      heapUsedMiB: probe.heapUsed / MiB,
      workerHeapTotalMiB: probe.workerHeapTotal / MiB,
      workerHeapUsedMiB: probe.workerHeapUsed / MiB,
      wasmSizeMiB: wasmBytes / MiB,
      wasmResidentMiB: wasm.length === 1 ? wasm[0]!.rssKb / 1024 : null,
      nodeBinaryMiB: maps.filter((m) => m.name === exe).reduce((sum, m) => sum + m.rssKb, 0) / 1024,
    };
  } finally {
    await stopServer(server);
  }
}

/** `rounds` of the three readings, alternating, on a seeded DATA_DIR no server holds. */
export async function measureMemoryParts(root: string, dataDir: string, rounds: number, quiet: () => Promise<unknown>): Promise<MemoryParts> {
  const parts: MemoryParts = { bareNodeMiB: [], pgliteAloneMiB: [], server: [] };
  const probeFile = path.join(path.dirname(dataDir), "memory-probe.json");
  for (let round = 0; round < rounds; round++) {
    await quiet();
    parts.bareNodeMiB.push(await idleRss(root, ["-e", "setInterval(() => {}, 60000)"]));
    await quiet();
    const pglite = path.join(root, "scripts/bench/memory-pglite.mjs");
    parts.pgliteAloneMiB.push(await idleRss(root, [pglite, path.join(dataDir, "pg"), PGLITE_SHARED_BUFFERS], "ready"));
    await quiet();
    parts.server.push(await serverMemory(root, dataDir, probeFile));
  }
  return parts;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The table for docs/benchmarks.md: medians, with every round in brackets. */
export function memoryPartsMarkdown(parts: MemoryParts): string {
  const mib = (n: number) => `${n.toFixed(0)} MiB`;
  const each = (values: number[]) => values.map((v) => v.toFixed(0)).join(" / ");
  const of = (pick: (s: ServerMemory) => number | null) => parts.server.map(pick).filter((v): v is number => v !== null);
  const row = (what: string, values: number[]) => `| ${what} | ${values.length ? mib(median(values)) : "n/a"} | ${each(values)} |`;
  const rss = of((s) => s.rssMiB);
  const heap = of((s) => s.heapTotalMiB);
  const wasm = of((s) => s.wasmResidentMiB);
  const binary = of((s) => s.nodeBinaryMiB);
  const workerHeap = of((s) => s.workerHeapTotalMiB);
  const rest = parts.server
    .filter((s) => s.wasmResidentMiB !== null)
    .map((s) => s.rssMiB - s.heapTotalMiB - s.workerHeapTotalMiB - s.wasmResidentMiB! - s.nodeBinaryMiB);
  return [
    `What holds the server's memory, 1 s after start on the demo data. Median of ${parts.server.length} rounds (each round in brackets, MiB), the three processes alternating.`,
    "",
    "| Process or part | Resident (median) | Rounds |",
    "| --- | ---: | ---: |",
    row("Node alone, idle (`node -e`)", parts.bareNodeMiB),
    row("PGlite alone, opened as the server opens it, every table read once", parts.pgliteAloneMiB),
    row("**The whole server**", rss),
    row("— V8's heap of the server's thread, committed", heap),
    row(
      `— of it in use (\`heapUsed\`)`,
      of((s) => s.heapUsedMiB),
    ),
    row(`— V8's heap of the embedded database's worker thread (ADR 37), committed; in use ${each(of((s) => s.workerHeapUsedMiB))} MiB`, workerHeap),
    row(`— PGlite's WebAssembly memory, resident (its size: ${each(of((s) => s.wasmSizeMiB))} MiB)`, wasm),
    row("— the node executable's own pages", binary),
    row("— the rest: native allocations (PGlite's compiled WebAssembly code, V8's code and compiler zones, ICU, buffers)", rest),
  ].join("\n");
}
