import type { Request, Response } from "express";

/**
 * A refusal decided before the app runs (so in no one's chosen language yet): the API's JSON
 * error shape under /api/, one bilingual plain-text line elsewhere. Never cached.
 */
export function plainReply(req: Request, res: Response, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  res.status(status).set({ "Cache-Control": "no-store", ...headers });
  if (req.path.startsWith("/api/")) res.json({ error: { code, message } });
  else res.type("text/plain; charset=utf-8").send(message);
}
