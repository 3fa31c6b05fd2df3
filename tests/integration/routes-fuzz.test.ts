// Odd input never gives a 500: every loader and action of every file in app/routes (read from
// the directory, so a new route is covered the day it lands) is called with odd ids, odd
// query strings, odd and mistyped bodies, as an anonymous visitor and as a signed-in admin
// (the widest staff role, so the handlers' own code is reached). Every reply must be below
// 500, and a refusal (4xx) must say something from the catalogs, in words a person can read —
// not a stack, not a driver's message, not an empty body.
//
// The field names, intents and query names sent are read from each route's source and the
// app/lib modules it imports, so the odd values land on the fields the handler really reads.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, useBackend } from "../support/db";
import { ensureStation, makeAccount } from "../support/fixtures";
import { callSafely, seedSeries, type Handler, type Outcome } from "../support/routes-kit";
import { categoryId } from "../support/fixtures";
import { zhCN } from "../../models/i18n/zh-CN";
import { en } from "../../models/i18n/en";
import { listRouteFiles, routePath } from "../support/route-files";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const routesDir = path.join(root, "app/routes");
// A folder route counts by its route.tsx (desk/route.tsx); its other files are not routes.
const routeFiles = listRouteFiles().map((route) => route.file);
const modules = Object.fromEntries(
  await Promise.all(routeFiles.map(async (f) => [f, (await import(path.join(routesDir, f))) as Record<string, unknown>] as const)),
);

// ---------------------------------------------------------------- what each route reads

/** The route's source and the modules it imports from app/lib or its own folder (one level: where its form handling lives). */
function sourcesOf(file: string): string {
  const own = fs.readFileSync(path.join(routesDir, file), "utf8");
  const libs = [
    ...[...own.matchAll(/from "~\/lib\/([\w.-]+)"/g)].map((m) => path.join(root, "app/lib", m[1]!)),
    ...[...own.matchAll(/from "\.\/([\w.-]+)"/g)].map((m) => path.join(routesDir, path.dirname(file), m[1]!)),
  ];
  const texts = libs.map((base) => [".ts", ".tsx"].map((ext) => base + ext).find((f) => fs.existsSync(f))).filter((f): f is string => !!f);
  return [own, ...texts.map((f) => fs.readFileSync(f, "utf8"))].join("\n");
}

const unique = (values: Iterable<string>) => [...new Set(values)].sort();

/** Input names a route's forms, schemas and query reads mention. */
function fieldNamesOf(source: string): string[] {
  const names = [
    ...[...source.matchAll(/name="([a-zA-Z]+)"/g)].map((m) => m[1]!),
    ...[...source.matchAll(/\b([a-zA-Z]+): (?:fields|json|f)\.\w+\(/g)].map((m) => m[1]!),
    ...[...source.matchAll(/\b([a-zA-Z]+): z\./g)].map((m) => m[1]!),
    ...[...source.matchAll(/searchParams\.get(?:All)?\("([a-zA-Z]+)"\)/g)].map((m) => m[1]!),
  ];
  return unique(names.filter((n) => n !== "intent")).slice(0, 40);
}

/** The intents a route's forms send (the hidden `intent` inputs and the literals its schemas accept). */
function intentsOf(source: string): string[] {
  const intents = [
    ...[...source.matchAll(/name="intent" value="([a-z-]+)"/g)].map((m) => m[1]!),
    // IntentButton's fields: { intent: "retry", … }
    ...[...source.matchAll(/\{ intent: "([a-z-]+)"/g)].map((m) => m[1]!),
    ...[...source.matchAll(/intent: z\.literal\("([a-z-]+)"\)/g)].map((m) => m[1]!),
    ...[...source.matchAll(/intent === "([a-z-]+)"/g)].map((m) => m[1]!),
    ...[...source.matchAll(/case "([a-z-]+)":/g)].map((m) => m[1]!),
  ];
  return unique(intents);
}

// ---------------------------------------------------------------- the odd values

/** Odd values for an id or any scalar, as they arrive in a path parameter (already decoded) or a field. */
const ODD_SCALARS = [
  "99999999999999999999999",
  "2147483648",
  "-1",
  "0",
  "1e999",
  "1.5",
  "0x10",
  " 1",
  "\u0000",
  "%00",
  "长者",
  "😀",
  "\ud800",
  "",
  "2026-13-45",
  "abc",
  "x".repeat(3000),
];

const QUERY_NAMES = ["month", "week", "date", "year", "q", "category", "by", "from", "to", "personId", "redirectTo", "done", "saved", "start", "end"];
/** Query strings (raw, as a browser or a script could send them). */
const ODD_QUERIES = [
  "month=2026-13",
  "month=0000-00",
  "month=99999-01",
  "week=abc",
  "week=2026-W99",
  "date=2026-02-30",
  "date=1e999",
  "year=-1",
  "year=99999999999999999999",
  "year=1e999",
  "from=2026-13-01&to=abc",
  "from=2030-01-01&to=2020-01-01",
  "personId=-1",
  "personId=99999999999999",
  "q=%00",
  "q=%F0%9F%98%80%ED%A0%80",
  "q=%ZZ",
  "category=..%2F..",
  "redirectTo=%0A%0D",
  "by=nobody",
  "done=__proto__",
  "saved=1&saved=2",
  "start=1e999&end=-1",
  ...QUERY_NAMES.map((n) => `${n}=1&${n}=2`),
  ...QUERY_NAMES.map((n) => `${n}=%00`),
];

/** Bodies that are not a form of ours: wrong content type, JSON that is not an object, broken framing. */
const ODD_RAW_BODIES: { name: string; body: string; type?: string }[] = [
  { name: "JSON object", body: JSON.stringify({ intent: "x", id: 1 }), type: "application/json" },
  { name: "JSON array", body: "[1,2,3]", type: "application/json" },
  { name: "JSON string", body: '"text"', type: "application/json" },
  { name: "JSON null", body: "null", type: "application/json" },
  { name: "JSON number", body: "1e999", type: "application/json" },
  { name: "broken JSON", body: '{"a":', type: "application/json" },
  { name: "plain text", body: "hello", type: "text/plain" },
  { name: "no content type", body: "a=1" },
  { name: "multipart without boundary", body: "\u0001\u0002--garbage", type: "multipart/form-data" },
  { name: "multipart with a boundary and no parts", body: "--b--\r\n", type: "multipart/form-data; boundary=b" },
  { name: "invalid UTF-8 form", body: "intent=%FF%FE&name=%C0", type: "application/x-www-form-urlencoded" },
  { name: "octets", body: "\u00ff\u00fe", type: "application/octet-stream" },
];

/** JSON bodies for the API's writes: typed values where the schemas expect others. */
const ODD_JSON_VALUES: unknown[] = [null, -1, 0, 1.5, 1e308, "1e999", "\u0000", "\ud800", "长者", [], [1, 2], {}, { a: 1 }, true, "x".repeat(3000)];

// ---------------------------------------------------------------- clear messages

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// A template that is all placeholder ("{name}") would call anything clear: such entries say nothing alone.
const templates = [...Object.values(zhCN), ...Object.values(en)]
  .filter((text) => text.replace(/\{\w+\}/g, "").trim().length > 1)
  .map((text) => new RegExp("^" + escape(text).replace(/\\\{\w+\\\}/g, "[\\s\\S]*") + "$"));
const isCatalogText = (message: string) => templates.some((re) => re.test(message.trim()));

/** The texts a refusal carries: a page's text or form reply, the guard's 403 data, the API's JSON error. */
function messagesIn(outcome: Outcome): string[] {
  let body = outcome.body;
  if (typeof body === "string") {
    const text = body;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      return text.trim() ? [text] : [];
    }
    if (!body || typeof body !== "object") return text.trim() ? [text] : [];
  }
  if (!body || typeof body !== "object") return [];
  const b = body as {
    error?: { message?: unknown; fields?: Record<string, unknown> };
    formError?: unknown;
    fieldErrors?: Record<string, unknown>;
    message?: unknown;
  };
  const all = [b.error?.message, ...Object.values(b.error?.fields ?? {}), b.formError, ...Object.values(b.fieldErrors ?? {}), b.message];
  return all.filter((m): m is string => typeof m === "string" && m.trim() !== "");
}

/** Why this reply is not acceptable, or null when it is. */
function fault(outcome: Outcome): string | null {
  if (outcome.status >= 500) {
    const error = outcome.error as { stack?: string } | undefined;
    return `${outcome.status}: ${String(outcome.body).slice(0, 300)}${error?.stack ? `\n${error.stack.split("\n").slice(0, 6).join("\n")}` : ""}`;
  }
  if (outcome.status < 400) return null;
  const messages = messagesIn(outcome);
  if (messages.length === 0) return `${outcome.status} without a message: ${JSON.stringify(outcome.body).slice(0, 200)}`;
  const unclear = messages.filter((m) => !isCatalogText(m));
  return unclear.length ? `${outcome.status} with a message not from the catalogs: ${JSON.stringify(unclear).slice(0, 300)}` : null;
}

// ---------------------------------------------------------------- requests

const BASE = "http://localhost:3000";

/** The names of the route's path parameters (`*` for a splat). */
function paramNamesOf(file: string): string[] {
  const names = [...file.matchAll(/\$([a-zA-Z]+)/g)].map((m) => m[1]!);
  if (/(^|\.)\$\./.test(file)) names.push("*");
  return names;
}

/** Plausible values: ids that exist in the fixture (1), a real category, a token of the right shape. */
function plausibleParams(file: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const name of paramNamesOf(file))
    params[name] = name === "category" ? "tai-chi" : name === "token" ? "x".repeat(43) : name === "*" ? "nowhere" : "1";
  return params;
}

interface Viewer {
  kind: "anonymous" | "admin";
  cookie?: string;
  bearer?: string;
}

function headersFor(viewer: Viewer, api: boolean, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { ...extra };
  if (viewer.kind === "admin") {
    if (api) headers.Authorization = `Bearer ${viewer.bearer}`;
    else headers.Cookie = viewer.cookie!;
  }
  return headers;
}

function formBody(form: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) for (const v of [value].flat()) body.append(key, v);
  return body.toString();
}

interface Attempt {
  name: string;
  request: Request;
  params: Record<string, string>;
}

/** Every odd request for one loader or action. */
function attemptsFor(file: string, kind: "loader" | "action", viewer: Viewer): Attempt[] {
  const api = file.startsWith("api.");
  const source = sourcesOf(file);
  const fieldNames = fieldNamesOf(source);
  const intents = intentsOf(source);
  const plausible = plausibleParams(file);
  const attempts: Attempt[] = [];
  const methods = kind === "loader" ? ["GET"] : api ? ["POST", "PUT", "PATCH", "DELETE"] : ["POST"];

  const add = (name: string, params: Record<string, string>, init: { method?: string; query?: string; body?: string; type?: string } = {}) => {
    const headers = headersFor(viewer, api, init.type ? { "Content-Type": init.type } : {});
    let request: Request;
    try {
      const url = BASE + routePath(file, params) + (init.query ? `?${init.query}` : "");
      request = new Request(url, { method: init.method ?? "GET", headers, body: init.body });
    } catch {
      return; // a URL no client could send
    }
    attempts.push({ name, request, params });
  };

  // Odd path parameters, for each method (the id is read before the body).
  for (const name of paramNamesOf(file)) {
    for (const value of ODD_SCALARS) {
      for (const method of methods) {
        add(
          `${method} ${name}=${JSON.stringify(value.slice(0, 30))}`,
          { ...plausible, [name]: value },
          method === "GET" ? { method } : { method, body: "", type: "application/x-www-form-urlencoded" },
        );
      }
    }
  }

  if (kind === "loader") {
    for (const query of [...ODD_QUERIES, ...fieldNames.flatMap((n) => [`${n}=1e999`, `${n}=%00`, `${n}=-1&${n}=2`])])
      add(`GET ?${query}`, plausible, { query });
    return attempts;
  }

  // Bodies that are not a form (pages) or not a JSON object (the API).
  for (const method of methods) {
    for (const raw of ODD_RAW_BODIES) add(`${method} ${raw.name}`, plausible, { method, body: raw.body, type: raw.type });
  }

  if (api) {
    // Each field the API could read, with each odd typed value; all of them at once; unknown fields.
    for (const method of methods) {
      for (const value of ODD_JSON_VALUES) {
        add(`${method} every field = ${JSON.stringify(value).slice(0, 30)}`, plausible, {
          method,
          body: JSON.stringify(Object.fromEntries(fieldNames.map((n) => [n, value]))),
          type: "application/json",
        });
      }
      add(`${method} unknown fields`, plausible, { method, body: JSON.stringify({ zzz: 1, __proto__x: {} }), type: "application/json" });
      add(`${method} JSON with a lone surrogate escape`, plausible, { method, body: '{"title":"\\ud800"}', type: "application/json" });
      add(`${method} deeply nested JSON`, plausible, { method, body: "[".repeat(5000) + "]".repeat(5000), type: "application/json" });
    }
    return attempts;
  }

  // Page actions: each intent (and none) with every field odd, repeated, missing, and extra.
  for (const intent of [undefined, ...intents, "no-such-intent"]) {
    const base: Record<string, string | string[]> = intent ? { intent } : {};
    const label = intent ?? "(no intent)";
    add(`POST ${label}: fields missing`, plausible, { method: "POST", body: formBody(base), type: "application/x-www-form-urlencoded" });
    for (const value of ODD_SCALARS) {
      add(`POST ${label}: every field = ${JSON.stringify(value.slice(0, 30))}`, plausible, {
        method: "POST",
        body: formBody({ ...Object.fromEntries(fieldNames.map((n) => [n, value])), ...base }),
        type: "application/x-www-form-urlencoded",
      });
    }
    add(`POST ${label}: every field twice`, plausible, {
      method: "POST",
      body: formBody({ ...Object.fromEntries(fieldNames.map((n) => [n, ["1", "2"]])), ...base }),
      type: "application/x-www-form-urlencoded",
    });
    add(`POST ${label}: intent twice, extra fields`, plausible, {
      method: "POST",
      body: formBody({ ...Object.fromEntries(fieldNames.map((n) => [n, "1"])), intent: [intent ?? "", "x"], zzz: "1", ["__proto__"]: "x" }),
      type: "application/x-www-form-urlencoded",
    });
  }
  return attempts;
}

// ---------------------------------------------------------------- the walk

describe("the judge of a reply", () => {
  const reply = (status: number, body: unknown, error?: unknown): Outcome => ({ status, headers: new Headers(), body, thrown: false, error });
  it("fails a 500, an empty refusal, and a refusal in words not from the catalogs", () => {
    expect(fault(reply(500, "Error: Failed query", new Error("x")))).toMatch(/^500/);
    expect(fault(reply(400, ""))).toMatch(/not from the catalogs|without a message/);
    expect(fault(reply(422, JSON.stringify({ error: { code: "x", message: "invalid input syntax for type integer" } })))).toMatch(
      /not from the catalogs/,
    );
    expect(fault(reply(400, { ok: false, formError: "TypeError: cannot read", fieldErrors: {} }))).toMatch(/not from the catalogs/);
  });
  it("passes answers and refusals that speak the catalogs", () => {
    expect(fault(reply(302, ""))).toBeNull();
    expect(fault(reply(404, zhCN["error.notFound"]))).toBeNull();
    expect(fault(reply(400, { ok: false, formError: en["error.form"], fieldErrors: { title: zhCN["field.required"] } }))).toBeNull();
    expect(fault(reply(403, { code: "not_allowed", roles: ["admin"], message: zhCN["error.notAllowed"] }))).toBeNull();
  });
});

for (const backend of backends) {
  describe(`odd input never gives a 500, on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll }, { poolSize: 4 });
    let stationId = 0;
    let adminAccountId = 0;
    beforeAll(async () => {
      const station = await ensureStation(t.db);
      stationId = station.id;
      const admin = await makeAccount(t.db, stationId, ["admin"]);
      adminAccountId = admin.accountId;
      // Something to find at id 1 and beyond, so a plausible id reaches the handler's own checks.
      await seedSeries(t.db, { stationId, actorAccountId: admin.accountId, categoryId: await categoryId(t.db, stationId, "tai-chi") });
    });

    it("finds the route files", () => expect(routeFiles.length).toBeGreaterThan(40));

    /** A fresh admin for each route: a sign-out among the odd inputs must not sign out the next route's viewer. */
    async function admin(): Promise<Viewer> {
      const account = await makeAccount(t.db, stationId, ["admin"]);
      const { writeSessionToken } = await import("../../app/lib/cookies.server");
      const setCookie = await writeSessionToken(new Request(BASE), account.token);
      const { createApiToken } = await import("../../models/api-tokens");
      const bearer = (await createApiToken(t.db, { stationId, accountId: account.accountId }, "fuzz")).token;
      void adminAccountId;
      return { kind: "admin", cookie: setCookie.split(";")[0]!, bearer };
    }

    for (const file of routeFiles) {
      const mod = modules[file]!;
      for (const kind of (["loader", "action"] as const).filter((k) => typeof mod[k] === "function")) {
        for (const who of ["anonymous", "admin"] as const) {
          it(`${file} ${kind} (${who})`, async () => {
            const viewer: Viewer = who === "admin" ? await admin() : { kind: "anonymous" };
            const attempts = attemptsFor(file, kind, viewer);
            expect(attempts.length).toBeGreaterThan(5);
            const faults: string[] = [];
            for (const attempt of attempts) {
              const outcome = await callSafely(mod[kind] as Handler, attempt.request, attempt.params);
              const why = fault(outcome);
              if (why) faults.push(`${attempt.name}: ${why}`);
            }
            expect(faults, `${faults.length} of ${attempts.length} odd requests went wrong`).toEqual([]);
          });
        }
      }
    }
  });
}
