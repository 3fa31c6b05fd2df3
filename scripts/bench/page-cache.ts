/**
 * What the anonymous page cache (server/page-cache.ts) costs and saves, per request, measured
 * in one process on loopback: the cache's middleware in front of a stub page that writes a
 * fixed body of the month page's size (with the CSP nonce in its scripts, as Remix does), so
 * the figures are the cache's own work, not a render's. Four ways through, each against the
 * same stub without the middleware:
 * - signed-in (bypass): the cookie parsed by the app's own parser, then on to the app;
 * - miss: an anonymous request rendered and kept (body collected, hashed, headers copied);
 * - hit: served from memory, the nonce swapped for the request's own;
 * - revalidation: a hit answered 304 to If-None-Match.
 * CPU per request is the process's (client and server together) minus the baseline's, so the
 * difference is the middleware's; medians of several rounds. `npm run bench -- --only=page-cache`.
 */
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import os from "node:os";
import type { Request as ExpressRequest } from "express";
import { anonymousKey, createPageCache, swapNonce } from "../../server/page-cache";
import { writeSessionToken } from "../../app/lib/cookies.server";

const BODY_KIB = 55; // the month page as served (docs/benchmarks.md, pages)
const NONCE = "__NONCE__";
const REQUESTS = 1000;
const WARMUP = 300;
const ROUNDS = 7;

export interface PageCacheRow {
  name: string;
  /** Process CPU per request, µs (client and server). */
  cpuUs: number;
  /** The same minus the baseline without the cache: the cache's own cost (negative: a saving). */
  deltaUs: number;
  p50Ms: number;
  status: number;
}

export interface PageCacheFigures {
  bodyKiB: number;
  requests: number;
  rounds: number;
  rows: PageCacheRow[];
  /** What one kept copy holds: its body's bytes (headers add well under 1 KiB), KiB. */
  entryKiB: number;
  /** The cache's decision alone (is this request anonymous, and its key), µs per call. */
  decisionUs: { signedIn: number; anonymous: number };
  /** The per-path work on a page of this size, alone in a tight loop, µs: a hit's nonce swap, a miss's copy and hash. */
  workUs: { nonceSwap: number; nonceSwapText: number; keep: number };
  /** One-minute load average at the start (other processes on the machine). */
  load: number;
}

/** The decision every GET of a public page pays, cache hit or not: CPU per call in a tight loop. */
async function decisionCost(headers: Record<string, string>): Promise<number> {
  const req = { headers, originalUrl: "/calendar?month=2026-12" } as unknown as ExpressRequest;
  const runs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.cpuUsage();
    for (let i = 0; i < 5000; i++) await anonymousKey(req);
    const used = process.cpuUsage(start);
    runs.push((used.user + used.system) / 5000);
  }
  return median(runs);
}

function stubBody(): string {
  const script = `<script nonce="${NONCE}">window.__remixContext = {};</script>`;
  const filler = "<li>太极拳晨练 · 07:30–08:30 · 社区广场 · 余 12 位</li>\n";
  let html = `<!DOCTYPE html><html lang="zh-CN"><head>${script}</head><body><ul>\n`;
  while (Buffer.byteLength(html) < BODY_KIB * 1024 - 600) html += filler;
  return html + `</ul>${script}${script}${script}</body></html>`;
}

async function startStub(withCache: boolean) {
  const body = stubBody();
  const cache = createPageCache(withCache ? 3_600_000 : 0);
  const app = express();
  app.disable("x-powered-by");
  app.use((_req, res, next) => {
    res.locals.cspNonce = crypto.randomBytes(16).toString("base64");
    next();
  });
  if (withCache) app.use(cache.middleware);
  app.get("/calendar", (_req, res) => {
    res.set("Content-Type", "text/html; charset=utf-8");
    res.end(body.replaceAll(NONCE, String(res.locals.cspNonce)));
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { port: (server.address() as AddressInfo).port, cache, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function get(agent: http.Agent, port: number, headers: http.OutgoingHttpHeaders) {
  return new Promise<{ status: number; etag: string }>((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: "/calendar", headers, agent }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, etag: String(res.headers.etag ?? "") }));
    });
    req.on("error", reject);
    req.end();
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Way {
  port: number;
  headers: () => http.OutgoingHttpHeaders;
  before?: () => void;
}

/**
 * Every way through, ROUNDS rounds of REQUESTS sequential requests, the ways interleaved round
 * by round so that other processes' load falls on all of them alike; per way the lowest CPU per
 * request over the rounds (others' load only ever adds) and the median latency.
 */
type Measured = { cpuUs: number; p50Ms: number; status: number };

async function measureAll(ways: Way[]): Promise<Measured[]> {
  const agents = ways.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  const cpu: number[][] = ways.map(() => []);
  const latencies: number[][] = ways.map(() => []);
  const status: number[] = ways.map(() => 0);
  for (const [w, way] of ways.entries()) {
    for (let i = 0; i < WARMUP; i++) {
      way.before?.();
      status[w] = (await get(agents[w]!, way.port, way.headers())).status;
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [w, way] of ways.entries()) {
      const start = process.cpuUsage();
      for (let i = 0; i < REQUESTS; i++) {
        way.before?.();
        const t0 = performance.now();
        await get(agents[w]!, way.port, way.headers());
        latencies[w]!.push(performance.now() - t0);
      }
      const used = process.cpuUsage(start);
      cpu[w]!.push((used.user + used.system) / REQUESTS);
    }
  }
  for (const agent of agents) agent.destroy();
  return ways.map((_, w) => ({ cpuUs: Math.min(...cpu[w]!), p50Ms: median(latencies[w]!), status: status[w]! }));
}

/** CPU per call of `fn` in a tight loop, the lowest of ROUNDS rounds. */
function loopCost(fn: () => unknown, calls = 2000): number {
  const runs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.cpuUsage();
    for (let i = 0; i < calls; i++) fn();
    const used = process.cpuUsage(start);
    runs.push((used.user + used.system) / calls);
  }
  return Math.min(...runs);
}

/** The work server/page-cache.ts does per hit (swap the nonce) and per kept miss (join the chunks, hash them). */
function pathWork() {
  const nonce = crypto.randomBytes(16).toString("base64");
  const kept = Buffer.from(stubBody().replaceAll(NONCE, nonce));
  const chunks = [kept.subarray(0, 16384), kept.subarray(16384, 32768), kept.subarray(32768)];
  return {
    nonceSwap: loopCost(() => swapNonce(kept, nonce, crypto.randomBytes(16).toString("base64"))),
    // What the swap cost before it worked on the bytes: decode, replace, encode.
    nonceSwapText: loopCost(() => Buffer.from(kept.toString("utf8").replaceAll(nonce, crypto.randomBytes(16).toString("base64")))),
    keep: loopCost(() => crypto.createHash("sha1").update(Buffer.concat(chunks)).digest("base64url")),
  };
}

export async function runPageCache(log: (m: string) => void): Promise<PageCacheFigures> {
  const load = os.loadavg()[0]!;
  const cookie = (await writeSessionToken(new Request("http://localhost/"), "x".repeat(43))).split(";")[0]!;
  log("page cache: the decision alone …");
  const decisionUs = { signedIn: await decisionCost({ cookie }), anonymous: await decisionCost({}) };
  const workUs = pathWork();
  const off = await startStub(false);
  const on = await startStub(true);
  try {
    log("page cache: no cache, signed-in (bypass), miss, hit, 304, interleaved …");
    // The hit's key (anonymous, no query) is kept by the warm-up; the miss empties the cache before each request.
    await get(new http.Agent(), on.port, {});
    const { etag } = await get(new http.Agent(), on.port, {});
    const [baseline, bypass, hit, revalidated, miss] = (await measureAll([
      { port: off.port, headers: () => ({}) },
      { port: on.port, headers: () => ({ Cookie: cookie }) },
      { port: on.port, headers: () => ({}) },
      { port: on.port, headers: () => ({ "If-None-Match": etag }) },
      { port: on.port, headers: () => ({}), before: on.cache.clear },
    ])) as [Measured, Measured, Measured, Measured, Measured];

    const row = (name: string, m: { cpuUs: number; p50Ms: number; status: number }): PageCacheRow => ({
      name,
      ...m,
      deltaUs: m.cpuUs - baseline.cpuUs,
    });
    return {
      bodyKiB: BODY_KIB,
      requests: REQUESTS,
      rounds: ROUNDS,
      rows: [
        row("no cache (the stub alone: baseline)", baseline),
        row("signed-in request, cache on (bypass: cookie parsed, on to the app)", bypass),
        row("anonymous miss (rendered, kept: body collected, hashed)", miss),
        row("anonymous hit (from memory, nonce swapped)", hit),
        row("anonymous revalidation (hit answered 304)", revalidated),
      ],
      entryKiB: Buffer.byteLength(stubBody().replaceAll(NONCE, "x".repeat(24))) / 1024,
      decisionUs,
      workUs,
      load,
    };
  } finally {
    await off.close();
    await on.close();
  }
}

export function pageCacheMarkdown(f: PageCacheFigures, machineLine: string, renderMs?: number): string {
  const lines = [
    "## Page cache",
    "",
    `The anonymous page cache's own work per request (server/page-cache.ts), in one process on loopback, in front of a stub page of ${f.bodyKiB} KiB (the month page's size, its scripts carrying the CSP nonce) so that no render is measured. CPU is the process's (client and server) per request, the lowest of ${f.rounds} rounds of ${f.requests} sequential requests, the ways interleaved round by round (other processes' load only ever adds); "cost" is that minus the same stub without the cache: the middleware's own work.`,
    "",
    "| way through | CPU per request | cost vs no cache | p50 latency | status |",
    "|---|---|---|---|---|",
    ...f.rows.map(
      (r, i) =>
        `| ${r.name} | ${r.cpuUs.toFixed(0)} µs | ${i === 0 ? "—" : `${r.deltaUs >= 0 ? "+" : ""}${r.deltaUs.toFixed(0)} µs`} | ${r.p50Ms.toFixed(2)} ms | ${r.status} |`,
    ),
    "",
    `The decision alone, which every GET of a public page pays (server/page-cache.ts \`anonymousKey\`: the app's cookie parser on the headers Remix builds, then the preferences for the key), in a tight loop: ${f.decisionUs.signedIn.toFixed(1)} µs for a signed-in request, ${f.decisionUs.anonymous.toFixed(1)} µs for an anonymous one. The work on each path, alone in the same way: a hit's nonce swap over the ${f.bodyKiB} KiB copy ${f.workUs.nonceSwap.toFixed(0)} µs (in the bytes, \`swapNonce\`; it was ${f.workUs.nonceSwapText.toFixed(0)} µs as text: decode, replace, encode); a miss's joining and hashing of the body to keep it ${f.workUs.keep.toFixed(0)} µs. These loops are the reliable figures; the end-to-end differences in the table (HTTP on loopback, client in the same process) moved by a few hundred µs between runs with the machine's noise (load average ${f.load.toFixed(1)} at the start, on 2 shared cores).`,
    "",
    `Memory: a kept copy holds its body as bytes (${f.entryKiB.toFixed(1)} KiB here) and its headers; the cache keeps at most 1,000 copies (about ${((f.entryKiB * 1000) / 1024).toFixed(0)} MiB of pages this size), each for \`PAGE_CACHE_SECONDS\`.`,
    "",
    renderMs !== undefined
      ? `Against a render: the month page costs ${renderMs.toFixed(1)} ms of server CPU when rendered (the pages' section, page cache off), so the cache's decision on a signed-in request costs ${((f.decisionUs.signedIn / 1000 / renderMs) * 100).toFixed(2)} % of it, keeping a miss adds ${((f.workUs.keep / 1000 / renderMs) * 100).toFixed(1)} % (its hashing), and a hit replaces the render with ${(((f.decisionUs.anonymous + f.workUs.nonceSwap) / 1000 / renderMs) * 100).toFixed(1)} % of its work (decision and nonce swap) plus writing the bytes out.`
      : "",
    "",
    `Measured on ${machineLine}. Reproduce: \`npm run bench -- --only=page-cache\` (about a minute, one process, no server).`,
  ];
  return lines.filter((l, i, all) => !(l === "" && all[i - 1] === "")).join("\n") + "\n";
}
