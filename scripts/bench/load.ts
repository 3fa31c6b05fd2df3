/**
 * One autocannon run, with latency percentiles computed from every response's own time
 * (autocannon 8's summary has p50/p90/p97.5/p99 but no p95).
 */
import autocannon, { type Result } from "autocannon";
import { share, snapshot, type CpuShare } from "./cpu";

export interface LoadResult {
  path: string;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /** Server, bench (autocannon) and other processes' CPU over the run, in cores. */
  cpu: CpuShare;
  raw: Result;
}

/** Nearest-rank percentile over sorted values. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export const HEADERS = { "accept-language": "zh-CN,zh;q=0.9", accept: "text/html" };

/** `headers` are sent besides HEADERS (e.g. a signed-in visitor's Cookie). */
export function runLoad(
  url: string,
  opts: { connections: number; duration?: number; amount?: number; serverPid: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const cpu0 = snapshot(opts.serverPid);
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: opts.connections,
        // autocannon rejects an explicit `undefined`: pass only the one that is set.
        ...(opts.amount !== undefined ? { amount: opts.amount } : { duration: opts.duration ?? 10 }),
        headers: { ...HEADERS, ...opts.headers },
        timeout: 10,
      },
      (err, result) => {
        if (err) return reject(err);
        const cpu = share(cpu0, snapshot(opts.serverPid));
        const sorted = latencies.slice(0, count).sort();
        const statusCodes: Record<string, number> = {};
        for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count;
        resolve({
          path: new URL(url).pathname + new URL(url).search,
          // Completed requests over the measured duration: the same figure autocannon's
          // `requests.average` approximates per 1 s sample, but without the sampling.
          rps: result.requests.total! / result.duration,
          p50: percentile(sorted, 50),
          p95: result.latency.p95 ?? percentile(sorted, 95),
          p99: percentile(sorted, 99),
          max: sorted.length ? sorted[sorted.length - 1]! : NaN,
          requests: result.requests.total!,
          errors: result.errors,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
          statusCodes,
          cpu,
          raw: result,
        });
      },
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => {
      if (count === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2);
        bigger.set(latencies);
        latencies = bigger;
      }
      latencies[count++] = responseTime;
    });
  });
}
