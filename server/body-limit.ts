import type { NextFunction, Request, Response } from "express";
import { IMPORT_BODY_BYTES, MAX_BODY_BYTES } from "../models/limits";
import { plainReply } from "./plain-reply";

// The household import's upload (and Remix's single-fetch `.data` twin of it): one CSV file of up
// to IMPORT.maxFileBytes (ADR 24). Only this path; the route reads it only after the staff guard.
const IMPORT_PATH = /^\/manage\/households\/import(\.data)?\/?$/;

/**
 * The largest request body: the domain's one limit (models/limits.ts), for pages and the API
 * alike, enforced here as the bytes arrive and again where the app reads a body; the household
 * import's upload alone takes a file of a few MiB.
 */
export const bodyLimitFor = (path: string) => (IMPORT_PATH.test(path) ? IMPORT_BODY_BYTES : MAX_BODY_BYTES);

const TOO_LARGE = "请求内容太大 / Request too large";
// How long the rest of a refused body may keep arriving (and be dropped) before the connection is cut.
const DRAIN_MS = 10_000;

/**
 * Refuses a body past the limit whatever its transfer encoding, as the bytes arrive and before
 * anything buffers them. A Content-Length past the limit is refused at once; a chunked or
 * streamed body is counted where the HTTP parser hands each chunk to the request stream, and
 * the moment the count passes the limit the request gets its 413 and the rest is dropped as it
 * arrives (so memory never grows with the attempted size, and the app, which never sees the
 * end of the body, writes nothing).
 */
export function bodyLimit(req: Request, res: Response, next: NextFunction) {
  if (req.method === "GET" || req.method === "HEAD") return next();
  const limit = bodyLimitFor(req.path);
  // Declared too large: refused unread, and the connection closed rather than drained.
  if (Number(req.headers["content-length"] ?? 0) > limit) {
    res.set("Connection", "close");
    return plainReply(req, res, 413, "body_too_large", TOO_LARGE);
  }

  let received = 0;
  let over = false;
  const push = req.push.bind(req);
  // Whoever is reading the body (the app) learns it was refused instead of waiting for an end
  // that will not come, and never acts on part of a form. Told only once the body has ended:
  // a reader that then destroys the request must not reset a connection the client is still
  // writing to (the client would lose the 413).
  const failReaders = () => {
    if (req.listenerCount("error") > 0) req.emit("error", new Error("request body over the limit"));
  };
  req.push = (chunk: unknown, encoding?: BufferEncoding) => {
    if (over) {
      if (chunk === null) setImmediate(failReaders);
      return true;
    }
    if (chunk !== null && chunk !== undefined) received += (chunk as Buffer).length;
    if (received <= limit) return push(chunk, encoding);
    over = true;
    if (!res.headersSent) plainReply(req, res, 413, "body_too_large", TOO_LARGE);
    // The rest is dropped as it arrives (returning true keeps the parser going, so memory stays
    // flat) and the connection stays usable once the body ends; a body that does not end is
    // cut off after a while.
    setTimeout(() => req.complete || req.socket.destroy(), DRAIN_MS).unref();
    return true;
  };
  next();
}
