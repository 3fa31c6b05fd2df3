import type { NextFunction, Request, Response } from "express";
import { plainReply } from "./plain-reply";

// Writes a third-party site may make on purpose: RFC 8058 one-click unsubscribe (a mail client
// posts it), and the JSON API, which knows callers by bearer token only (no cookie rides along).
const CROSS_SITE_ALLOWED = [/^\/unsubscribe\/[^/]+\/one-click\/?$/, /^\/api\//];
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses a write to a page action that a browser sent from another site (CSRF), with a plain
 * 403 before the app runs. The browser says where a request came from in Origin (or, failing
 * that, Sec-Fetch-Site); it is compared with PUBLIC_URL's origin when that is set (a proxy may
 * rewrite Host), else with the Host the request was sent to. A request that names no origin at
 * all is not a browser's cross-site form (curl, scripts) and passes: the cookie's SameSite=Lax
 * is the second line.
 */
export function sameOrigin(publicUrl: string | undefined) {
  const expectedOrigin = publicUrl ? new URL(publicUrl).origin : undefined;
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method) || CROSS_SITE_ALLOWED.some((pattern) => pattern.test(req.path))) return next();
    if (isSameOrigin(req, expectedOrigin)) return next();
    plainReply(req, res, 403, "cross_site", "跨站请求已拒绝 / Cross-site request refused");
  };
}

function isSameOrigin(req: Request, expectedOrigin: string | undefined): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) {
    const site = req.headers["sec-fetch-site"];
    return site === undefined || site === "same-origin" || site === "none";
  }
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, privacy redirects) and anything unreadable
  }
  if (expectedOrigin) return url.origin === expectedOrigin;
  // Without PUBLIC_URL: the host the browser sent the request to. The scheme is not compared:
  // a TLS proxy in front makes the browser's https differ from what this process sees.
  return url.host === req.headers.host;
}
