// Loaded into a bench server with `node --import` (scripts/bench/memory-parts.ts): on SIGUSR2 it
// writes the process's own view of its memory to HEARTH_MEMORY_PROBE_FILE, with the size of
// every WebAssembly memory made since start (PGlite's), which /proc cannot name.
//
// Worker threads inherit `--import`, so the probe also runs in the embedded database's worker
// (ADR 37). Only the main thread gets signals: it asks the workers over a BroadcastChannel for
// their V8 heap and WebAssembly memories, and waits a moment for their answers.
import { writeFileSync } from "node:fs";
import v8 from "node:v8";
import { isMainThread } from "node:worker_threads";

const memories = [];
const Original = WebAssembly.Memory;
WebAssembly.Memory = function Memory(descriptor) {
  const memory = new Original(descriptor);
  memories.push(new WeakRef(memory));
  return memory;
};
WebAssembly.Memory.prototype = Original.prototype;

const wasmSizes = () => memories.map((ref) => ref.deref()?.buffer.byteLength ?? 0).filter((n) => n > 0);
const channel = new BroadcastChannel("hearth-memory-probe");
channel.unref();

if (isMainThread) {
  process.on("SIGUSR2", () => {
    const own = { ...process.memoryUsage(), wasmBytes: wasmSizes() };
    const workers = [];
    channel.onmessage = ({ data }) => data.kind === "report" && workers.push(data);
    channel.postMessage({ kind: "ask" });
    setTimeout(() => {
      channel.onmessage = null;
      const workerHeap = (key) => workers.reduce((sum, w) => sum + w[key], 0);
      writeFileSync(
        process.env.HEARTH_MEMORY_PROBE_FILE,
        JSON.stringify({
          ...own,
          wasmBytes: [...own.wasmBytes, ...workers.flatMap((w) => w.wasmBytes)],
          workers: workers.length,
          workerHeapTotal: workerHeap("heapTotal"),
          workerHeapUsed: workerHeap("heapUsed"),
        }),
      );
    }, 300);
  });
} else {
  channel.onmessage = ({ data }) => {
    if (data.kind !== "ask") return;
    const heap = v8.getHeapStatistics();
    channel.postMessage({ kind: "report", wasmBytes: wasmSizes(), heapTotal: heap.total_heap_size, heapUsed: heap.used_heap_size });
  };
}
