// A database error is logged by code, constraint and request id, never with the statement's
// parameters (names, phone numbers, health needs): drizzle's own message carries them all.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ServerBuild } from "@remix-run/node";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { loadBuild } from "../support/http-stack";
import { people } from "../../models/db/schema";
import { reportRequestError } from "../../app/lib/log.server";

for (const backend of backends) {
  describe(`request error logs on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    let build: ServerBuild;
    let failure: unknown;
    const CANARY = "CANARY-王秀英-13800000000";

    beforeAll(async () => {
      build = await loadBuild();
      const station = await ensureStation(t.db);
      const [person] = await t.db.insert(people).values({ stationId: station.id, fullName: "someone" }).returning({ id: people.id });
      // The same primary key again, with the canary in another column: a unique violation.
      failure = await t.db
        .insert(people)
        .values({ id: person!.id, stationId: station.id, fullName: CANARY })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
    });

    it("the failure carries the canary, so logging it raw would leak it (the control)", () => {
      expect(failure).toBeInstanceOf(Error);
      expect(`${String(failure)} ${(failure as Error).stack}`).toContain(CANARY);
    });

    function captured(run: () => void) {
      const spy = vi.spyOn(console, "error").mockImplementation(() => {});
      try {
        run();
        return spy.mock.calls.map((args) => args.map(String).join(" ")).join("\n");
      } finally {
        spy.mockRestore();
      }
    }

    it("logs the code, constraint and request id, not the parameters", () => {
      const log = captured(() => reportRequestError("req-1234abcd", "POST", "/sessions/7?x=1", failure));
      expect(log).toContain("req-1234abcd");
      expect(log).toContain("POST /sessions/7");
      expect(log).toContain("code=23505");
      expect(log).toContain("constraint=people_pkey");
      expect(log).not.toContain(CANARY);
      expect(log).not.toContain("13800000000");
      expect(log).not.toContain("x=1");
    });

    it("the app's own error hook (entry.server handleError) logs the same way, with the request's id", () => {
      const handleError = build.entry.module.handleError!;
      const request = new Request("http://localhost/unsubscribe/abcdefghijklmnopqrstuvwxyz123456", { method: "POST" });
      const log = captured(() => void handleError(failure, { request, params: {}, context: { requestId: "req-from-express" } }));
      expect(log).toContain("req-from-express");
      expect(log).toContain("code=23505");
      expect(log).not.toContain(CANARY);
      // Tokens in paths stay out of the log too.
      expect(log).not.toContain("abcdefghijklmnopqrstuvwxyz123456");
    });
  });
}
