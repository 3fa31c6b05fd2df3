// The real HTTP stack (server/app.ts) around the real production build, in this process, on
// the database the test installed: requests go over loopback exactly as a browser's would.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { sql } from "drizzle-orm";
import { getConfig, type Config } from "../../models/config";
import { getDb } from "../../models/db";
import { createHttpApp } from "../../server/app";
import { createPageCache } from "../../server/page-cache";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export async function loadBuild(): Promise<ServerBuild> {
  const file = path.join(root, "build/server/index.js");
  if (!fs.existsSync(file)) throw new Error("tests of the HTTP stack need the production build: run `npm run build`");
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as ServerBuild;
}

export interface Stack {
  base: string;
  port: number;
  close(): Promise<void>;
}

export async function startStack(overrides: Partial<Config> = {}, build?: ServerBuild): Promise<Stack> {
  const config = { ...getConfig(), ...(overrides.PUBLIC_URL ? { publicUrlSet: true } : {}), ...overrides };
  const app = createHttpApp({
    config,
    dev: false,
    build: build ?? (await loadBuild()),
    pageCache: createPageCache(0),
    checkDatabase: async () => (await getDb()).execute(sql`select 1`),
    draining: () => false,
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** node:http, so that methods (TRACE), Host and repeated headers go out exactly as written. */
export function raw(port: number, method: string, pathname: string, headers: http.OutgoingHttpHeaders = {}, body?: string) {
  return new Promise<RawResponse>((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, method, path: pathname, headers, agent: false }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    request.on("error", reject);
    request.end(body);
  });
}
