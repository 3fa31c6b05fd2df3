// Loaded into a bench server with `node --import` (scripts/bench/memory-parts.ts): on SIGUSR2 it
// writes the process's own view of its memory to HEARTH_MEMORY_PROBE_FILE, with the size of
// every WebAssembly memory made since start (PGlite's), which /proc cannot name.
import { writeFileSync } from "node:fs";

const memories = [];
const Original = WebAssembly.Memory;
WebAssembly.Memory = function Memory(descriptor) {
  const memory = new Original(descriptor);
  memories.push(new WeakRef(memory));
  return memory;
};
WebAssembly.Memory.prototype = Original.prototype;

process.on("SIGUSR2", () => {
  const wasmBytes = memories.map((ref) => ref.deref()?.buffer.byteLength ?? 0).filter((n) => n > 0);
  writeFileSync(process.env.HEARTH_MEMORY_PROBE_FILE, JSON.stringify({ ...process.memoryUsage(), wasmBytes }));
});
