import type { NextFunction, Request, Response } from "express";
import { databaseSeemsDown, takeRequestUnavailable } from "../models/db/availability";
import { isDatabaseUnavailable } from "../models/db/errors";

export const RETRY_AFTER_SECONDS = 5;

const PAGE = `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>请稍后再试 · Please try again shortly</title></head>
<body style="font: 1.25rem/1.6 system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem">
<h1>请稍后再试</h1><p>系统正在恢复，请过一会儿再刷新本页。您已经提交的报名不会丢失。</p>
<h1 lang="en">Please try again shortly</h1><p lang="en">The system is recovering. Please reload this page in a moment. Bookings you already made are kept.</p>
</body></html>`;

const JSON_BODY = JSON.stringify({
  error: { code: "unavailable", message: "服务暂时不可用，请稍后再试 / Service unavailable, please try again shortly" },
});

/** The answer while the database cannot be reached: 503 with Retry-After, plain words, never cached. */
function unavailable(req: Request) {
  const api = req.path.startsWith("/api/");
  return {
    body: api ? JSON_BODY : PAGE,
    headers: {
      "Content-Type": api ? "application/json; charset=utf-8" : "text/html; charset=utf-8",
      "Retry-After": String(RETRY_AFTER_SECONDS),
      "Cache-Control": "no-store",
    },
  };
}

// Headers of the failed answer that still hold for the replacement.
const KEEP = new Set([
  "x-request-id",
  "content-security-policy",
  "x-content-type-options",
  "referrer-policy",
  "strict-transport-security",
  "x-frame-options",
  "connection",
]);

/**
 * While the database is unreachable, a request the app failed with a 5xx is answered 503 +
 * Retry-After with a plain page (or the API's JSON error) instead: the visitor learns to try
 * again, and monitoring tells an outage from a bug. The app's own failure (Remix's error page,
 * the API's 500) is replaced as its headers are about to go out.
 */
export function databaseOutage(req: Request, res: Response, next: NextFunction) {
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  let replaced = false;
  const requestId = res.locals.requestId as string | undefined;
  // Forgotten when the answer is done, whatever it was (a mark no 5xx ever took).
  res.once("close", () => takeRequestUnavailable(requestId));
  const replace = () => {
    if (replaced || res.headersSent || res.statusCode < 500) return replaced;
    if (!takeRequestUnavailable(requestId) && !databaseSeemsDown()) return replaced;
    replaced = true;
    for (const name of res.getHeaderNames()) if (!KEEP.has(name)) res.removeHeader(name);
    const { body, headers } = unavailable(req);
    res.status(503).set(headers);
    end(req.method === "HEAD" ? undefined : body);
    return true;
  };
  res.write = ((...args: unknown[]) => (replace() ? true : write(...args))) as Response["write"];
  res.end = ((...args: unknown[]) => (replace() ? res : end(...args))) as Response["end"];
  next();
}

/** Express's last error handler: database outages as 503, anything else a plain 500 without a stack. */
export function finalErrorHandler(log: (req: Request, res: Response, error: unknown) => void) {
  return (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      // Nothing more can be said on this connection (a body refused mid-read, a client gone).
      if (!res.writableEnded) res.destroy();
      return;
    }
    void next;
    log(req, res, error);
    if (isDatabaseUnavailable(error) || databaseSeemsDown()) {
      const { body, headers } = unavailable(req);
      res.status(503).set(headers).send(body);
      return;
    }
    res.status(500).set("Cache-Control", "no-store");
    if (req.path.startsWith("/api/")) res.json({ error: { code: "server_error", message: "服务器出错 / Server error" } });
    else res.type("text/plain; charset=utf-8").send("服务器出错 / Server error");
  };
}
