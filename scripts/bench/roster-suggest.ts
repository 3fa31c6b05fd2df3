/**
 * `npx tsx scripts/bench/roster-suggest.ts [--runs 7]`: the roster suggestion over one month of
 * the demo community. Seeds the demo into an in-memory PGlite, then times loadSuggestInput (the
 * database side) and suggestRoster (the pure side) for the whole of next month, median of
 * several runs, with the memory each takes, and prints a markdown block.
 *
 * Exported so scripts/bench/run.ts can call it; run directly, it prints its own block.
 */
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { DateTime } from "luxon";
import { openDatabase } from "../../models/db";
import { loadSuggestInput } from "../../models/rosters/suggest-input";
import { suggestRoster, type Proposal, type SuggestInput } from "../../models/rosters/suggest";
import { seedDemoCommunity } from "../demo/community";

export interface RosterSuggestBench {
  runs: number;
  month: string;
  slots: number;
  places: number;
  candidates: number;
  filled: number;
  openPlaces: number;
  seedMs: number;
  load: { medianMs: number; minMs: number; maxMs: number };
  suggest: { medianMs: number; minMs: number; maxMs: number };
  /** Heap and RSS growth across one load + suggest, after a GC where --expose-gc allows. */
  heapDeltaMb: number;
  rssDeltaMb: number;
  peakRssMb: number;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const ms = (value: number) => Math.round(value * 10) / 10;

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { medianMs: ms(sorted[Math.floor(sorted.length / 2)]!), minMs: ms(sorted[0]!), maxMs: ms(sorted[sorted.length - 1]!) };
}

const gc = () => (globalThis as { gc?: () => void }).gc?.();

export async function benchRosterSuggest(options: { runs?: number } = {}): Promise<RosterSuggestBench> {
  const runs = options.runs ?? 7;
  const handle = await openDatabase({ kind: "pglite-memory" });
  try {
    await handle.migrate();
    const seedStarted = performance.now();
    const now = new Date();
    const { stationId } = await seedDemoCommunity(handle.db, { now });
    const seedMs = performance.now() - seedStarted;

    const monthStart = DateTime.fromJSDate(now, { zone: "Asia/Shanghai" }).startOf("month").plus({ months: 1 });
    const range = { from: monthStart.toJSDate(), to: monthStart.plus({ months: 1 }).toJSDate(), now };

    // One warm-up of each, so the first run's JIT and PGlite's plan caches do not count.
    let input: SuggestInput = await loadSuggestInput(handle.db, stationId, range);
    let proposal: Proposal = suggestRoster(input);

    gc();
    const before = process.memoryUsage();
    const loadTimes: number[] = [];
    const suggestTimes: number[] = [];
    let peakRss = before.rss;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      input = await loadSuggestInput(handle.db, stationId, range);
      const t1 = performance.now();
      proposal = suggestRoster(input);
      const t2 = performance.now();
      loadTimes.push(t1 - t0);
      suggestTimes.push(t2 - t1);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const after = process.memoryUsage();

    return {
      runs,
      month: monthStart.toFormat("yyyy-MM"),
      slots: input.slots.length,
      places: input.slots.reduce((n, s) => n + s.open, 0),
      candidates: input.candidates.length,
      filled: proposal.items.length,
      openPlaces: proposal.open.reduce((n, o) => n + o.open, 0),
      seedMs: Math.round(seedMs),
      load: stats(loadTimes),
      suggest: stats(suggestTimes),
      heapDeltaMb: mb(after.heapUsed - before.heapUsed),
      rssDeltaMb: mb(after.rss - before.rss),
      peakRssMb: mb(peakRss),
    };
  } finally {
    await handle.close();
  }
}

export function rosterSuggestMarkdown(r: RosterSuggestBench): string {
  return [
    `### Roster suggestion, one month of the demo (${r.month})`,
    "",
    `${r.slots} open slots (${r.places} places), ${r.candidates} people holding a skill; the proposal fills ${r.filled} places and leaves ${r.openPlaces} open (each with a reason per person). In-memory PGlite, demo seeded in ${r.seedMs} ms; ${r.runs} runs after one warm-up.`,
    "",
    "| step | median ms | min ms | max ms |",
    "|---|---:|---:|---:|",
    `| loadSuggestInput (7 set-based queries) | ${r.load.medianMs} | ${r.load.minMs} | ${r.load.maxMs} |`,
    `| suggestRoster (pure) | ${r.suggest.medianMs} | ${r.suggest.minMs} | ${r.suggest.maxMs} |`,
    "",
    `Memory: heap ${r.heapDeltaMb >= 0 ? "+" : ""}${r.heapDeltaMb} MB and RSS ${r.rssDeltaMb >= 0 ? "+" : ""}${r.rssDeltaMb} MB across the ${r.runs} runs; peak RSS ${r.peakRssMb} MB (PGlite's WASM heap included).`,
  ].join("\n");
}

const runsArg = process.argv.indexOf("--runs");
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : undefined;
  benchRosterSuggest({ runs })
    .then((result) => console.log(rosterSuggestMarkdown(result)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
