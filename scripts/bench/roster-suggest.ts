/**
 * `npx tsx scripts/bench/roster-suggest.ts [--runs 7]`: the roster suggestion over a month of
 * the demo community. Seeds the demo into an in-memory PGlite, then times loadSuggestInput (the
 * database side) and suggestRoster (the pure side) for next month (partly rostered already by
 * the demo) and the month after (all open), median of several runs, with the memory they take,
 * and prints a markdown block. Run with `node --expose-gc` (or NODE_OPTIONS=--expose-gc) for
 * steadier heap figures; `/usr/bin/time -v` adds the process's maximum RSS.
 *
 * Exported so scripts/bench/run.ts can call it; run directly, it prints its own block.
 */
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { DateTime } from "luxon";
import { openDatabase, type Db } from "../../models/db";
import { loadSuggestInput } from "../../models/rosters/suggest-input";
import { suggestRoster, type Proposal, type SuggestCandidate, type SuggestInput, type SuggestSlot } from "../../models/rosters/suggest";
import { seedDemoCommunity } from "../../demo/community";

const ZONE = "Asia/Shanghai";

interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
}

export interface RosterSuggestMonth {
  month: string;
  slots: number;
  places: number;
  candidates: number;
  filled: number;
  openPlaces: number;
  load: Timing;
  suggest: Timing;
  /** Heap growth across the runs (after a GC where --expose-gc allows), and the largest RSS seen. */
  heapDeltaMb: number;
  peakRssMb: number;
}

/** How big a month's suggestion was: its open slots and places, the people to choose from, and what was filled. */
const sizeOf = (input: SuggestInput, proposal: Proposal) => ({
  slots: input.slots.length,
  places: input.slots.reduce((n, s) => n + s.open, 0),
  candidates: input.candidates.length,
  filled: proposal.items.length,
  openPlaces: proposal.open.reduce((n, o) => n + o.open, 0),
});

export interface RosterSuggestBench {
  runs: number;
  seedMs: number;
  members: number;
  months: RosterSuggestMonth[];
  /** suggestRoster alone on a synthetic month ten times the demo's needs. */
  stress: { slots: number; places: number; candidates: number; filled: number; openPlaces: number; suggest: Timing };
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const ms = (value: number) => Math.round(value * 10) / 10;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

function stats(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return { medianMs: ms(sorted[Math.floor(sorted.length / 2)]!), minMs: ms(sorted[0]!), maxMs: ms(sorted[sorted.length - 1]!) };
}

async function benchMonth(db: Db, stationId: number, start: DateTime, now: Date, runs: number): Promise<RosterSuggestMonth> {
  const range = { from: start.toJSDate(), to: start.plus({ months: 1 }).toJSDate(), now };
  // One warm-up of each, so the first run's JIT and PGlite's plan caches do not count.
  let input: SuggestInput = await loadSuggestInput(db, stationId, range);
  let proposal: Proposal = suggestRoster(input);
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  let peakRss = process.memoryUsage().rss;
  const loadTimes: number[] = [];
  const suggestTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    input = await loadSuggestInput(db, stationId, range);
    const t1 = performance.now();
    proposal = suggestRoster(input);
    loadTimes.push(t1 - t0);
    suggestTimes.push(performance.now() - t1);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  gc();
  return {
    month: start.toFormat("yyyy-MM"),
    ...sizeOf(input, proposal),
    load: stats(loadTimes),
    suggest: stats(suggestTimes),
    heapDeltaMb: mb(process.memoryUsage().heapUsed - heapBefore),
    peakRssMb: mb(peakRss),
  };
}

/**
 * A month with 1,000 needs at random hours over 4 skills and 350 people with random skills and
 * weekdays (a fixed seed, so every run sees the same input): how the pure side scales.
 */
export function stressInput(start: DateTime): SuggestInput {
  let seed = 3;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const slots: SuggestSlot[] = Array.from({ length: 1000 }, (_, i) => {
    const at = start.plus({ days: Math.floor(random() * 28), hours: 7 + Math.floor(random() * 12) });
    return {
      needId: i + 1,
      sessionId: i + 1,
      skillId: 1 + Math.floor(random() * 4),
      startsAt: at.toJSDate(),
      endsAt: at.plus({ minutes: 90 }).toJSDate(),
      open: 1 + Math.floor(random() * 3),
      session: {
        localDate: at.toISODate()!,
        weekday: at.weekday,
        startTime: at.toFormat("HH:mm"),
        endTime: at.plus({ minutes: 90 }).toFormat("HH:mm"),
      },
    };
  });
  const candidates: SuggestCandidate[] = Array.from({ length: 350 }, (_, i) => ({
    personId: i + 1,
    name: `P${i + 1}`,
    skillIds: [1, ...(random() < 0.3 ? [2] : []), ...(random() < 0.05 ? [3] : [])],
    availability: [1, 2, 3, 4, 5, 6, 7].filter(() => random() < 0.5).map((weekday) => ({ weekday, startTime: "07:00", endTime: "21:00" })),
    blackouts: [],
    commitments: [],
    minutesByMonth: {},
    minutesByWeek: {},
    weeklyMaxMinutes: 720,
  }));
  return { timeZone: ZONE, slots, candidates };
}

function benchStress(start: DateTime, runs: number): RosterSuggestBench["stress"] {
  const input = stressInput(start);
  let proposal = suggestRoster(input);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    proposal = suggestRoster(input);
    times.push(performance.now() - t0);
  }
  return {
    ...sizeOf(input, proposal),
    suggest: stats(times),
  };
}

export async function benchRosterSuggest(options: { runs?: number; now?: Date } = {}): Promise<RosterSuggestBench> {
  const runs = options.runs ?? 7;
  const now = options.now ?? new Date();
  const handle = await openDatabase({ kind: "pglite-memory" });
  try {
    await handle.migrate();
    const seedStarted = performance.now();
    const seeded = await seedDemoCommunity(handle.db, { now });
    const seedMs = Math.round(performance.now() - seedStarted);
    const next = DateTime.fromJSDate(now, { zone: ZONE }).startOf("month").plus({ months: 1 });
    const months = [
      await benchMonth(handle.db, seeded.stationId, next, now, runs),
      await benchMonth(handle.db, seeded.stationId, next.plus({ months: 1 }), now, runs),
    ];
    return { runs, seedMs, members: seeded.members, months, stress: benchStress(next, runs) };
  } finally {
    await handle.close();
  }
}

export function rosterSuggestMarkdown(r: RosterSuggestBench): string {
  const sign = (n: number) => (n >= 0 ? `+${n}` : String(n));
  return [
    `### Roster suggestion, a month of the demo (${r.members} members)`,
    "",
    `In-memory PGlite, demo seeded in ${r.seedMs} ms; median of ${r.runs} runs after one warm-up. Load = loadSuggestInput (7 set-based queries); suggest = suggestRoster (pure). Every open place is left with a reason per candidate.`,
    "",
    "| month | slots | places | candidates | filled | left open | load ms (median / min / max) | suggest ms (median / min / max) | heap Δ MB | peak RSS MB |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...r.months.map(
      (m) =>
        `| ${m.month} | ${m.slots} | ${m.places} | ${m.candidates} | ${m.filled} | ${m.openPlaces} | ${m.load.medianMs} / ${m.load.minMs} / ${m.load.maxMs} | ${m.suggest.medianMs} / ${m.suggest.minMs} / ${m.suggest.maxMs} | ${sign(m.heapDeltaMb)} | ${m.peakRssMb} |`,
    ),
    "",
    `Peak RSS includes PGlite's WASM heap. Scale: suggestRoster alone on a synthetic month of ${r.stress.slots} needs (${r.stress.places} places, 4 skills, one skill nobody holds) and ${r.stress.candidates} people fills ${r.stress.filled} and leaves ${r.stress.openPlaces} open in ${r.stress.suggest.medianMs} ms (median; min ${r.stress.suggest.minMs}, max ${r.stress.suggest.maxMs}).`,
  ].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf("--runs");
  const runs = at > 0 ? Number(process.argv[at + 1]) : undefined;
  benchRosterSuggest({ runs })
    .then((result) => console.log(rosterSuggestMarkdown(result)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
