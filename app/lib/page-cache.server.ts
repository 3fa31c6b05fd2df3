import crypto from "node:crypto";
import type { NextFunction, Request, Response } from "express";

/**
 * A short-lived cache of public pages as anonymous visitors see them. When signups open at
 * 08:00 and two thousand residents load the calendar at once, each render costs a few
 * milliseconds of CPU and database time; a cached copy costs almost nothing.
 *
 * What is cached: GET/HEAD of the public calendar and session pages (documents and their
 * .data requests), status 200, no Set-Cookie, for visitors without a login cookie, keyed by
 * URL and the language/text-size cookie. Any other request that can write (POST …) through
 * this process empties the cache; writes through another instance show after at most `ttlMs`.
 * Responses carry an ETag, so a browser revalidating gets a 304.
 */
interface Entry {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  etag: string;
  expires: number;
}

const PUBLIC_PATHS = /^\/(calendar(\/week|\/list)?|sessions\/\d+)(\.data)?$/;
const MAX_ENTRIES = 1000;

function cookieValue(header: string | undefined, name: string): string | undefined {
  return header
    ?.split(";")
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name}=`))
    ?.slice(name.length + 1);
}

export function createPageCache(ttlMs: number) {
  const entries = new Map<string, Entry>();
  // Bumped by every clear: a page rendered while a write went through is not kept.
  let generation = 0;
  const clear = () => {
    entries.clear();
    generation++;
  };

  function middleware(req: Request, res: Response, next: NextFunction) {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.on("finish", clear);
      return next();
    }
    const cookies = req.headers.cookie;
    if (ttlMs <= 0 || !PUBLIC_PATHS.test(req.path) || cookieValue(cookies, "hearth_session")) return next();

    const key = `${req.originalUrl}|${cookieValue(cookies, "hearth_prefs") ?? ""}`;
    const hit = entries.get(key);
    if (hit && hit.expires > Date.now()) {
      res.status(hit.status).set(hit.headers).set("X-Page-Cache", "hit");
      if (req.headers["if-none-match"] === hit.etag) return void res.status(304).end();
      return void res.end(req.method === "HEAD" ? undefined : hit.body);
    }

    // Collect what the app writes, then keep it if it is cacheable.
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    const startedIn = generation;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (chunk) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
      return write(chunk, ...rest);
    }) as Response["write"];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk && typeof chunk !== "function") chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
      if (res.statusCode === 200 && !res.getHeader("set-cookie") && req.method === "GET" && startedIn === generation) {
        const body = Buffer.concat(chunks);
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.getHeaders())) {
          if (value !== undefined && name !== "content-length" && name !== "transfer-encoding" && name !== "connection") {
            headers[name] = Array.isArray(value) ? value.join(", ") : String(value);
          }
        }
        const etag = `"${crypto.createHash("sha1").update(body).digest("base64url")}"`;
        if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
        entries.set(key, { status: 200, headers: { ...headers, etag }, body, etag, expires: Date.now() + ttlMs });
      }
      return end(chunk, ...rest);
    }) as Response["end"];
    next();
  }

  return { middleware, clear, size: () => entries.size };
}
