/**
 * CPU during a rush phase, split three ways on the shared machine: PostgreSQL (every process
 * named `postgres`), the bench process itself (the load generator), an optional server
 * process, and everything else (other people's work on the same cores).
 */
import { performance } from "node:perf_hooks";
import { share, snapshot } from "./cpu";
import { postgresCpuMs, postgresTicks } from "./rush-db";

export interface RushCpu {
  /** In cores over the phase (1.00 = one core busy the whole time). */
  postgres: number;
  bench: number;
  server: number;
  other: number;
  /** CPU time per operation, in ms. */
  postgresMsPerOp: number;
  benchMsPerOp: number;
  serverMsPerOp: number;
}

export function measureCpu(serverPid?: number) {
  const pg0 = postgresTicks();
  const cpu0 = snapshot(serverPid);
  const t0 = performance.now();
  return {
    stop(ops: number): RushCpu {
      const wallMs = performance.now() - t0;
      const shares = share(cpu0, snapshot(serverPid), serverPid ? undefined : 0);
      const pgMs = postgresCpuMs(pg0, postgresTicks());
      const postgres = pgMs / wallMs;
      const server = serverPid ? shares.server : 0;
      const benchMs = shares.bench * wallMs;
      return {
        postgres,
        bench: shares.bench,
        server,
        other: Number.isFinite(postgres) ? Math.max(0, shares.other - postgres) : shares.other,
        postgresMsPerOp: pgMs / ops,
        benchMsPerOp: benchMs / ops,
        serverMsPerOp: serverPid ? shares.serverMs / ops : NaN,
      };
    },
  };
}

export const cpuLine = (c: RushCpu) =>
  `cpu: postgres ${c.postgres.toFixed(2)} (${c.postgresMsPerOp.toFixed(2)} ms/op)${c.serverMsPerOp >= 0 ? `, server ${c.server.toFixed(2)} (${c.serverMsPerOp.toFixed(2)} ms/op)` : ""}, bench ${c.bench.toFixed(2)}, other ${c.other.toFixed(2)} cores`;
