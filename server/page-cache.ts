import crypto from "node:crypto";
import type { NextFunction, Request, Response } from "express";
// The adapter's own header builder (not re-exported by its index): the cache sees the
// Cookie header exactly as the app will.
import { createRemixHeaders } from "@remix-run/express/dist/server.js";
import { hasSessionCookie, readPreferences } from "../app/lib/cookies.server";

/**
 * A short-lived cache of public pages as anonymous visitors see them. When signups open at
 * 08:00 and two thousand residents load the calendar at once, each render costs a few
 * milliseconds of CPU and database time; a cached copy costs almost nothing.
 *
 * What is cached: GET/HEAD of the public calendar and session pages (documents and their
 * .data requests), status 200, no Set-Cookie, for visitors without a session cookie and
 * without an Authorization header, keyed by URL and the language/text-size preferences.
 * "Without a session cookie" is decided by the app's own cookie parser on the headers Remix
 * itself builds, never by looking at the text: a cookie the app would read, however it is
 * spelt, quoted or repeated, keeps the request away from the cache. Any other request that can write (POST …) through
 * this process empties the cache; writes through another instance show after at most `ttlMs`.
 * Responses carry an ETag, so a browser revalidating gets a 304.
 */
interface Entry {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  etag: string;
  /** The CSP nonce the copy was rendered with (replaced by each request's own when served). */
  nonce: string;
  expires: number;
}

const PUBLIC_PATHS = /^\/(calendar(\/week|\/list)?|sessions\/\d+)(\.data)?$/;
const MAX_ENTRIES = 1000;
// Headers that belong to one response, never to a copy served to someone else.
const PER_REQUEST_HEADERS = new Set(["content-length", "transfer-encoding", "connection", "content-security-policy", "x-request-id"]);

/** The cache key's view of a request, or null when the request may be someone's (exported for scripts/bench/page-cache.ts). */
export async function anonymousKey(req: Request): Promise<string | null> {
  if (req.headers.authorization !== undefined) return null;
  const headers = createRemixHeaders(req.headers);
  if (await hasSessionCookie(headers.get("Cookie"))) return null;
  const prefs = await readPreferences(new globalThis.Request("http://cache.invalid/", { headers }));
  return `${req.originalUrl}|${prefs.locale}|${prefs.largeText}`;
}

/**
 * The copy with every occurrence of one nonce replaced by another, in the bytes: a nonce is
 * ASCII, and an ASCII byte never occurs inside a UTF-8 sequence, so this is the text's
 * replaceAll without decoding and re-encoding the page (350 µs for 55 KiB; this, a copy and a
 * scan: docs/benchmarks.md, "Page cache").
 */
export function swapNonce(body: Buffer, from: string, to: string): Buffer {
  const old = Buffer.from(from);
  const replacement = Buffer.from(to);
  if (old.length !== replacement.length) return Buffer.from(body.toString("utf8").replaceAll(from, to));
  const out = Buffer.from(body);
  for (let at = out.indexOf(old); at >= 0; at = out.indexOf(old, at + old.length)) replacement.copy(out, at);
  return out;
}

export function createPageCache(ttlMs: number) {
  const entries = new Map<string, Entry>();
  // Bumped by every clear: a page rendered while a write went through is not kept.
  let generation = 0;
  const clear = () => {
    entries.clear();
    generation++;
  };

  async function serve(req: Request, res: Response, next: NextFunction) {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.on("finish", clear);
      return next();
    }
    if (ttlMs <= 0 || !PUBLIC_PATHS.test(req.path)) return next();
    const key = await anonymousKey(req);
    if (key === null) return next();

    const nonce = typeof res.locals.cspNonce === "string" ? res.locals.cspNonce : "";
    const hit = entries.get(key);
    if (hit && hit.expires > Date.now()) {
      res.status(hit.status).set(hit.headers).set("X-Page-Cache", "hit");
      if (req.headers["if-none-match"] === hit.etag) {
        // The browser keeps the body it has, whose scripts carry that copy's nonce; a 304
        // carrying this request's policy would replace the stored one and block them.
        res.removeHeader("Content-Security-Policy");
        return void res.status(304).end();
      }
      // A copy's scripts carry the nonce of the request that rendered it: give them this one's.
      const body = hit.nonce && nonce ? swapNonce(hit.body, hit.nonce, nonce) : hit.body;
      return void res.end(req.method === "HEAD" ? undefined : body);
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
          if (value !== undefined && !PER_REQUEST_HEADERS.has(name)) {
            headers[name] = Array.isArray(value) ? value.join(", ") : String(value);
          }
        }
        const etag = `"${crypto.createHash("sha1").update(body).digest("base64url")}"`;
        if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
        entries.set(key, { status: 200, headers: { ...headers, etag }, body, etag, nonce, expires: Date.now() + ttlMs });
      }
      return end(chunk, ...rest);
    }) as Response["end"];
    next();
  }

  const middleware = (req: Request, res: Response, next: NextFunction) => void serve(req, res, next).catch(next);
  return { middleware, clear, size: () => entries.size };
}
