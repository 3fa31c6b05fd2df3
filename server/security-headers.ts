import crypto from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { ServerResponse } from "node:http";
import helmet from "helmet";
import { createRemixHeaders } from "@remix-run/express/dist/server.js";
import { hasSessionCookie } from "../app/lib/cookies.server";

/**
 * Paths whose answers carry a secret (API tokens, the personal feed link and its QR code,
 * unsubscribe tokens) or personal data (bookings, attendee lists and their CSV, rosters,
 * hours, the outbox, exports): never kept by a browser or a proxy. Matched on the path
 * without Remix's ".data" suffix, so a page and its data request are decided alike.
 */
const PERSONAL_PATHS = [
  /^\/account(\/|$)/,
  /^\/bookings(\/|$)/,
  /^\/people\//,
  /^\/manage(\/|$)/,
  /^\/shifts(\/|$|_)/,
  /^\/login(\/|$)/,
  /^\/register(\/|$)/,
  /^\/logout(\/|$)/,
  /^\/preferences(\/|$)/,
  /^\/unsubscribe\//,
  /^\/feeds\/me\//,
  /^\/api\//,
];

const dataPath = (path: string) => path.replace(/\.data$/, "").replace(/^\/_root$/, "/");

/** Whether a response must say `Cache-Control: no-store`: its path, or a signed-in requester. */
export async function mustNotStore(req: Request): Promise<boolean> {
  const path = dataPath(req.path);
  if (PERSONAL_PATHS.some((pattern) => pattern.test(path))) return true;
  // Any page rendered for a signed-in visitor carries at least their name in the header
  // (the build's files are the same for everyone and keep their long cache life).
  if (path.startsWith("/assets/")) return false;
  return req.headers.authorization !== undefined || (await hasSessionCookie(createRemixHeaders(req.headers).get("Cookie")));
}

/** Sets Cache-Control last, as the headers go out, so nothing the app sets can weaken it. */
function forceNoStore(res: Response) {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((...args: unknown[]) => {
    res.setHeader("Cache-Control", "no-store");
    return writeHead(...args);
  }) as Response["writeHead"];
}

export function securityHeaders({ dev }: { dev: boolean }) {
  const headers = helmet({
    // The app's own scripts only: its bundles ('self') and Remix's inline scripts, which carry
    // this request's nonce (entry.server.tsx renders with it). Vite's dev server injects
    // scripts of its own, so development runs without a policy.
    contentSecurityPolicy: dev
      ? false
      : {
          useDefaults: true,
          directives: {
            "script-src": ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce as string}'`],
            "frame-ancestors": ["'none'"],
            // A station on plain http (a laptop in the community room) must still load its CSS.
            "upgrade-insecure-requests": null,
          },
        },
    // Tokens live in some paths (unsubscribe links, personal feeds): never send them elsewhere.
    referrerPolicy: { policy: "same-origin" },
    // HSTS below, only on https: on plain http it is meaningless and on localhost a nuisance.
    strictTransportSecurity: false,
    xFrameOptions: { action: "deny" },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.cspNonce = crypto.randomBytes(16).toString("base64");
    if (req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    headers(req, res, next);
  };
}

/** `Cache-Control: no-store` where mustNotStore says so. */
export function noStore(req: Request, res: Response, next: NextFunction) {
  mustNotStore(req).then((yes) => {
    if (yes) forceNoStore(res);
    next();
  }, next);
}
