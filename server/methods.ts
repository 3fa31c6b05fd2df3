import type { NextFunction, Request, Response } from "express";
import { plainReply } from "./plain-reply";

/** Everything the app answers; TRACE, PROPFIND … would otherwise reach Remix and end in a 500. */
export const ALLOWED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const ALLOWED = new Set(ALLOWED_METHODS);

export function allowedMethods(req: Request, res: Response, next: NextFunction) {
  if (ALLOWED.has(req.method)) return next();
  plainReply(req, res, 405, "method_not_allowed", "不支持此请求方法 / Method not allowed", { Allow: ALLOWED_METHODS.join(", ") });
}
