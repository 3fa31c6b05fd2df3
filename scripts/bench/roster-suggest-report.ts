/**
 * The "Roster suggestion" section of docs/benchmarks.md around scripts/bench/roster-suggest.ts's
 * own table: when and where it ran, how busy the machine was, and the goal (a month's
 * suggestion, load + suggest, within 1 s).
 */
import v8 from "node:v8";
import vm from "node:vm";
import { performance } from "node:perf_hooks";
import { benchRosterSuggest, rosterSuggestMarkdown, type RosterSuggestBench } from "./roster-suggest";
import { backgroundLoad, share, snapshot } from "./cpu";
import { gitCommit, machine, type Machine } from "./report";

export const SUGGEST_GOAL_MS = 1000;

export interface RosterSuggestRun {
  when: string;
  machine: Machine;
  commit: string;
  bench: RosterSuggestBench;
  /** Other processes' CPU (cores) before and during the run. */
  before: number;
  during: number;
  totalS: number;
}

export async function runRosterSuggest(root: string, log: (m: string) => void): Promise<RosterSuggestRun> {
  // The bench's heap figures are steadier after a full GC; the flag can be set at run time.
  if (typeof (globalThis as { gc?: unknown }).gc !== "function") {
    v8.setFlagsFromString("--expose-gc");
    (globalThis as { gc?: unknown }).gc = vm.runInNewContext("gc");
  }
  const when = new Date().toISOString();
  const before = await backgroundLoad(1000);
  log(`roster suggestion: seeding the demo in memory, then a month twice (other processes: ${before.toFixed(2)} cores) …`);
  const t0 = performance.now();
  const cpu0 = snapshot();
  const bench = await benchRosterSuggest();
  const during = share(cpu0, snapshot()).other;
  return { when, machine: machine(), commit: gitCommit(root), bench, before, during, totalS: (performance.now() - t0) / 1000 };
}

export function rosterSuggestVerdicts(r: RosterSuggestRun) {
  return r.bench.months.map((m) => ({
    month: m.month,
    totalMs: m.load.medianMs + m.suggest.medianMs,
    ok: m.load.medianMs + m.suggest.medianMs <= SUGGEST_GOAL_MS,
  }));
}

export function rosterSuggestSection(r: RosterSuggestRun): string {
  const busy = Math.max(r.before, r.during);
  const peak = Math.max(...r.bench.months.map((m) => m.peakRssMb));
  return [
    "## Roster suggestion",
    "",
    `Measured ${r.when} (${Math.round(r.totalS)} s) on ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memory}, Node ${r.machine.node}; commit \`${r.commit}\`. In the bench's own process (\`benchRosterSuggest\` in scripts/bench/roster-suggest.ts), with a forced GC before and after each month's runs.`,
    "",
    busy >= 0.2
      ? `> **Other processes were busy during this run** (${r.before.toFixed(2)} cores before, ${r.during.toFixed(2)} during, of ${r.machine.cores}): the times are inflated.`
      : `Other processes used ${busy.toFixed(2)} cores at most during the run (a quiet machine).`,
    "",
    rosterSuggestMarkdown(r.bench),
    "",
    "| Measure | Result | Goal | Verdict |",
    "| --- | --- | --- | --- |",
    ...rosterSuggestVerdicts(r).map(
      (v) =>
        `| A month's suggestion, load + suggest (medians), ${v.month} | ${v.totalMs.toFixed(1)} ms | ≤ ${SUGGEST_GOAL_MS} ms | ${v.ok ? "PASS" : "**MISS**"} |`,
    ),
    `| Peak RSS of the bench process (PGlite with the demo seeded included) | ${peak} MB |  | (informative) |`,
    "",
    "Run just this part with `npm run bench -- --only=roster-suggest` (it then replaces only this section of this file); `npx tsx scripts/bench/roster-suggest.ts` prints the table alone.",
  ].join("\n");
}
