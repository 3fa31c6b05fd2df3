// A production server (`node build/hearth/server.mjs`, what `npm start` runs) in a child process, for what only a
// whole process shows: its memory, its database connection, its exit.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const HOST = "127.0.0.1";

export interface ChildServer {
  child: ChildProcess;
  port: number;
  log: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resident memory of the server process in bytes (Linux /proc). */
  rss: () => number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export async function startChildServer(env: Record<string, string | undefined>): Promise<ChildServer> {
  if (!fs.existsSync(path.join(root, "build/hearth/server.mjs"))) throw new Error("needs the production build: run `npm run build`");
  const port = await freePort();
  const fullEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST,
    SEED_ON_EMPTY: "false",
    RUN_WORKER: "false",
    ...env,
  };
  // As `npm start` runs it, the server chooses its NODE_ENV itself: vitest's "test" is not passed on.
  if (!("NODE_ENV" in env)) Reflect.deleteProperty(fullEnv, "NODE_ENV");
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete fullEnv[key];
  const child = spawn(process.execPath, ["build/hearth/server.mjs"], { cwd: root, env: fullEnv, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const server: ChildServer = {
    child,
    port,
    log: () => log,
    exited,
    rss: () => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, "utf8"))![1]) * 1024,
  };
  let dead = false;
  void exited.then(() => (dead = true));
  // A shared two-core machine under load can take minutes to start a server (PGlite's WASM).
  const until = Date.now() + 300_000;
  for (;;) {
    if (dead) throw new Error(`server exited before it was ready:\n${log}`);
    if (log.includes("[hearth] ready at")) return server;
    if (Date.now() > until) throw new Error(`server not ready in time:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function request(port: number, method: string, pathname: string, headers: http.OutgoingHttpHeaders = {}, body?: string, timeoutMs = 30_000) {
  return new Promise<Reply>((resolve, reject) => {
    const req = http.request({ host: HOST, port, method, path: pathname, headers, agent: false }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** A signed-in resident's 报名 on a session page, as the form posts it. */
export function postSignup(port: number, sessionId: number, cookie: string, timeoutMs?: number) {
  return request(
    port,
    "POST",
    `/sessions/${sessionId}`,
    { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    "intent=signup&partySize=1",
    timeoutMs,
  );
}
