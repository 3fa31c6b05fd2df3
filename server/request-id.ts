import crypto from "node:crypto";
import type { NextFunction, Request, Response } from "express";

// A proxy's id is kept when it looks like one (so one id follows the request through both
// logs); anything else could forge log lines, so it is replaced.
const PLAUSIBLE = /^[A-Za-z0-9._:-]{8,100}$/;

/** Gives every request an id: on the response as X-Request-Id, in res.locals for the logs. */
export function requestId(req: Request, res: Response, next: NextFunction) {
  const offered = req.headers["x-request-id"];
  const id = typeof offered === "string" && PLAUSIBLE.test(offered) ? offered : crypto.randomUUID();
  res.locals.requestId = id;
  res.setHeader("X-Request-Id", id);
  next();
}
