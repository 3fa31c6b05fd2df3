import type { NextFunction, Request, Response } from "express";
import { plainReply } from "./plain-reply";

/**
 * The largest request body, per kind of path: the one place these limits live. API bodies are
 * small JSON documents; page forms (a series with its rules and notes) a little larger.
 */
export const BODY_LIMITS = { api: 64 * 1024, page: 256 * 1024 } as const;

export const bodyLimitFor = (path: string) => (path.startsWith("/api/") ? BODY_LIMITS.api : BODY_LIMITS.page);

const TOO_LARGE = "请求内容太大 / Request too large";

/**
 * Refuses a body past the limit whatever its transfer encoding, as the bytes arrive and before
 * anything buffers them. A Content-Length past the limit is refused at once; a chunked or
 * streamed body is counted where the HTTP parser hands each chunk to the request stream, and
 * the moment the count passes the limit the request gets its 413, the rest is dropped as it
 * arrives and the connection is closed once the answer is out (so memory never grows with the
 * attempted size, and the app, which never sees the end of the body, writes nothing).
 */
export function bodyLimit(req: Request, res: Response, next: NextFunction) {
  if (req.method === "GET" || req.method === "HEAD") return next();
  const limit = bodyLimitFor(req.path);
  const refuse = () => {
    res.set("Connection", "close");
    plainReply(req, res, 413, "body_too_large", TOO_LARGE);
  };
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return refuse();

  let received = 0;
  let over = false;
  const push = req.push.bind(req);
  req.push = (chunk: unknown, encoding?: BufferEncoding) => {
    if (over) return true;
    if (chunk !== null && chunk !== undefined) received += (chunk as Buffer).length;
    if (received <= limit) return push(chunk, encoding);
    over = true;
    // From here every chunk is dropped: the app (if it is reading) never gets the end of the
    // body, so it fails when the connection goes instead of acting on part of a form.
    if (!res.headersSent) refuse();
    // Once the answer is out, say goodbye (FIN, so the client reads the 413 rather than a
    // reset), keep dropping what is still in flight, and cut the connection if it lingers.
    const close = () => {
      req.socket.end();
      setTimeout(() => req.socket.destroy(), 5000).unref();
    };
    if (res.writableFinished) close();
    else res.once("finish", close);
    return true;
  };
  next();
}
