/**
 * Unsubscribing through Remix's own request handler, as the server answers it: the route
 * files mapped to URLs by the app's Vite build (virtual:remix/server-build, exactly what
 * `server.ts --dev` serves), Remix's cross-site check on page actions, its turning of
 * loader headers into response headers. Calling a route's action directly skips all of that,
 * which is how a one-click unsubscribe that answered 500 once passed its tests.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createServer, type ViteDevServer } from "vite";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { backends, useBackend } from "../support/db";
import { ensureStation, makeAccount } from "../support/fixtures";
import { text } from "../support/routes-kit";
import { notifications, people } from "../../models/db/schema";
import type { Db } from "../../models/db";
import { mailSettings, registerRenderer, renderNotification } from "../../models/notifications/render";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ORIGIN = "http://hearth.test";

let vite: ViteDevServer;
let handle: (request: Request) => Promise<Response>;

beforeAll(async () => {
  vite = await createServer({
    root,
    configFile: path.join(root, "vite.config.ts"),
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  const build = (await vite.ssrLoadModule("virtual:remix/server-build")) as ServerBuild;
  const handler = createRequestHandler(build, "production");
  handle = (request) => handler(request, { ip: "127.0.0.1" });
}, 120_000);

afterAll(async () => {
  await vite?.close();
});

let seq = 0;
async function sentMail(db: Db, personId: number, kind: "reminder" | "shift_assigned" = "reminder") {
  const stationId = (await ensureStation(db)).id;
  const now = Date.now();
  const [row] = await db
    .insert(notifications)
    .values({
      stationId,
      kind,
      dedupeKey: `http:${++seq}`,
      personId,
      recipientPersonId: personId,
      status: "sent",
      dueAt: new Date(now - 3600_000),
      expiresAt: new Date(now + 86_400_000),
    })
    .returning();
  return row!;
}
const optOutsOf = async (db: Db, personId: number) => (await db.select({ o: people.mailOptOuts }).from(people).where(eq(people.id, personId)))[0]!.o;

/** The POST a mail provider makes (RFC 8058 §3.2): its own origin, no cookie, a form body. */
const oneClickPost = (url: string, body = "List-Unsubscribe=One-Click") =>
  new Request(url, {
    method: "POST",
    body,
    headers: { Host: "hearth.test", Origin: "https://mail.example.com", "Content-Type": "application/x-www-form-urlencoded" },
  });

for (const backend of backends) {
  describe(`unsubscribe over HTTP (${backend.name})`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });

    it("the List-Unsubscribe URL takes the provider's cross-site one-click POST: 200, and the group stops", async () => {
      const stationId = (await ensureStation(t.db)).id;
      const person = await makeAccount(t.db, stationId, ["resident"], "张秀兰");
      const row = await sentMail(t.db, person.personId);
      // The URL the mail carries, as renderNotification writes it (the body here is just the
      // footer link the kind's renderer is given: a person's click opens the page, which asks).
      registerRenderer("reminder", async (ctx) => ({ mail: { subject: "提醒", text: ctx.unsubscribeUrl, html: "" } }));
      const rendered = await renderNotification({
        db: t.db,
        row,
        recipient: { personId: person.personId, address: person.email, name: "张秀兰", locale: "zh-CN", forName: null, via: "own" },
        settings: mailSettings({ MAIL_FROM: "驿站 <no-reply@hearth.test>", PUBLIC_URL: ORIGIN, PORT: 3000 }),
      });
      if (!("mail" in rendered)) throw new Error("no mail rendered");
      expect(rendered.mail.text).toBe(`${ORIGIN}/unsubscribe/${row.unsubscribeToken}`);
      expect(rendered.mail.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
      const header = rendered.mail.headers["List-Unsubscribe"];
      expect(header).toBe(`<${ORIGIN}/unsubscribe/${row.unsubscribeToken}/one-click>`);
      const url = header!.slice(1, -1);

      const response = await handle(oneClickPost(url));
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(text("zh-CN", "unsub.oneClick"));
      expect(await optOutsOf(t.db, person.personId)).toEqual(["consultation_reminder", "reminder"]);
      // A second provider POST is the same answer and no new change.
      const again = await handle(oneClickPost(url));
      expect(again.status).toBe(200);
      expect(await optOutsOf(t.db, person.personId)).toEqual(["consultation_reminder", "reminder"]);
    });

    it("the one-click URL: GET goes to the page that asks, another method is 405, a wrong body 400, an unknown token 404, nothing written", async () => {
      const stationId = (await ensureStation(t.db)).id;
      const person = await makeAccount(t.db, stationId, ["resident"], "李大爷");
      const row = await sentMail(t.db, person.personId);
      const url = `${ORIGIN}/unsubscribe/${row.unsubscribeToken}/one-click`;
      const opened = await handle(new Request(url, { redirect: "manual" }));
      expect(opened.status).toBe(302);
      expect(opened.headers.get("Location")).toBe(`/unsubscribe/${row.unsubscribeToken}`);
      const deleted = await handle(new Request(url, { method: "DELETE", headers: { Host: "hearth.test" } }));
      expect(deleted.status).toBe(405);
      expect(deleted.headers.get("Allow")).toBe("POST");
      const wrong = await handle(oneClickPost(url, "List-Unsubscribe=yes"));
      expect(wrong.status).toBe(400);
      expect(await wrong.text()).toBe(text("zh-CN", "error.badRequest"));
      const unknown = await handle(oneClickPost(`${ORIGIN}/unsubscribe/${"0".repeat(32)}/one-click`));
      expect(unknown.status).toBe(404);
      expect(await unknown.text()).toBe(text("zh-CN", "error.notFound"));
      expect(await optOutsOf(t.db, person.personId)).toEqual([]);
    });

    it("the page: no-store and no-referrer reach the browser; its own button (same-site POST) still unsubscribes", async () => {
      const stationId = (await ensureStation(t.db)).id;
      const person = await makeAccount(t.db, stationId, ["resident"], "王秀英");
      const row = await sentMail(t.db, person.personId);
      const url = `${ORIGIN}/unsubscribe/${row.unsubscribeToken}`;
      const page = await handle(new Request(url, { headers: { Host: "hearth.test" } }));
      expect(page.status).toBe(200);
      expect(page.headers.get("Cache-Control")).toBe("no-store");
      expect(page.headers.get("Referrer-Policy")).toBe("no-referrer");
      expect(await page.text()).toContain(text("zh-CN", "unsub.button"));
      expect(await optOutsOf(t.db, person.personId)).toEqual([]);

      const pressed = await handle(
        new Request(url, {
          method: "POST",
          body: "intent=unsubscribe",
          headers: { Host: "hearth.test", Origin: ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
        }),
      );
      expect(pressed.status).toBe(200);
      expect(await pressed.text()).toContain(text("zh-CN", "unsub.done", { what: text("zh-CN", "mailGroup.reminders") }));
      expect(await optOutsOf(t.db, person.personId)).toEqual(["consultation_reminder", "reminder"]);
    });

    it("a same-site one-click POST to the page URL (mails sent before the /one-click URL) renders the page, not a 500", async () => {
      const stationId = (await ensureStation(t.db)).id;
      const person = await makeAccount(t.db, stationId, ["resident"], "赵阿姨");
      const row = await sentMail(t.db, person.personId);
      const response = await handle(
        new Request(`${ORIGIN}/unsubscribe/${row.unsubscribeToken}`, {
          method: "POST",
          body: "List-Unsubscribe=One-Click",
          headers: { Host: "hearth.test", "Content-Type": "application/x-www-form-urlencoded" },
        }),
      );
      expect(response.status).toBe(200);
      expect(await response.text()).toContain(text("zh-CN", "unsub.done", { what: text("zh-CN", "mailGroup.reminders") }));
      expect(await optOutsOf(t.db, person.personId)).toEqual(["consultation_reminder", "reminder"]);
    });
  });
}
