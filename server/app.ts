import express, { type RequestHandler } from "express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { trustProxySetting, type Config } from "../models/config";
import { reportRequestError } from "../app/lib/log.server";
import { withRequestScope } from "../app/lib/request-scope.server";
import { requestId } from "./request-id";
import { allowedMethods } from "./methods";
import { noStore, securityHeaders } from "./security-headers";
import { sameOrigin } from "./same-origin";
import { bodyLimit } from "./body-limit";
import { topLevelFiles } from "./static-files";
import { databaseOutage, finalErrorHandler } from "./db-outage";
import type { createPageCache } from "./page-cache";

export interface HttpAppOptions {
  config: Config;
  dev: boolean;
  build: ServerBuild | (() => Promise<ServerBuild>);
  pageCache: ReturnType<typeof createPageCache>;
  /** Vite's middlewares in development; the build's static files otherwise. */
  viteMiddlewares?: RequestHandler;
  /** Resolves when the database answers (readiness); rejects or hangs when it does not. */
  checkDatabase: () => Promise<unknown>;
  /** True once SIGTERM has come: connections are not kept alive, readiness says no. */
  draining: () => boolean;
}

const READY_CHECK_MS = 2000;

/**
 * The HTTP stack in the order each concern must see a request: who it is (request id), what it
 * may be (method), the headers every answer carries, the body limit and cross-site refusal
 * before the app reads a byte, outage answers and the page cache around the app, then the
 * app itself, then a last error handler that never shows a stack.
 */
export function createHttpApp(options: HttpAppOptions) {
  const { config, dev } = options;
  const app = express();
  app.disable("x-powered-by");
  // Behind a reverse proxy the client's address is in X-Forwarded-For; the per-IP sign-in
  // limit needs it, or every visitor would share the proxy's one address.
  // Exactly which hops are trusted is trustProxySetting's (models/config.ts) and the README's.
  app.set("trust proxy", trustProxySetting(config.TRUST_PROXY) ?? false);

  app.use(requestId);
  app.use((_req, res, next) => {
    if (options.draining()) res.set("Connection", "close");
    next();
  });
  app.use(allowedMethods);
  app.use(securityHeaders({ dev }));
  // Before anything that waits: the HTTP parser goes on handing body chunks to the request as
  // soon as this turn ends, and every one of them must be counted.
  app.use(bodyLimit);
  app.use(noStore);

  // Liveness is /healthz (a Remix route, no database); readiness asks the database.
  app.get("/readyz", (_req, res) => {
    res.set("Cache-Control", "no-store").type("text/plain; charset=utf-8");
    if (options.draining()) return void res.status(503).send("stopping");
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), READY_CHECK_MS).unref());
    Promise.race([options.checkDatabase(), timeout]).then(
      () => res.status(200).send("ready"),
      () => res.status(503).set("Retry-After", "5").send("database unreachable"),
    );
  });

  // A derived PUBLIC_URL names where this process listens, not what a proxy in front is called.
  app.use(sameOrigin(config.publicUrlSet ? config.PUBLIC_URL : undefined));
  app.use(databaseOutage);
  app.use(options.pageCache.middleware);

  if (options.viteMiddlewares) app.use(options.viteMiddlewares);
  else {
    app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
    app.use(topLevelFiles("build/client"));
  }

  const remixHandler = createRequestHandler({
    build: options.build,
    mode: dev ? "development" : "production",
    getLoadContext: (req, res) => ({
      ip: req.ip ?? req.socket.remoteAddress ?? "unknown",
      cspNonce: res.locals.cspNonce as string,
      requestId: res.locals.requestId as string,
    }),
  });
  // Remix's handler passes its own failures to next(); Express 4 ignores the promise itself.
  // A read (GET, HEAD) shares what it reads once across its loaders (the viewer): see request-scope.
  app.all("*", (req, res, next) =>
    req.method === "GET" || req.method === "HEAD" ? withRequestScope(() => void remixHandler(req, res, next)) : void remixHandler(req, res, next),
  );
  app.use(finalErrorHandler((req, res, error) => reportRequestError(res.locals.requestId, req.method, req.originalUrl, error)));
  return app;
}
