// The OpenAPI document against the route files, both ways: every api.v1.* file's path and
// the methods it accepts (found by calling it, not by reading it) are documented, and every
// documented path and method is served by a route file. Public/protected in the document
// matches what an anonymous caller gets. Reply bodies are checked against the schemas in
// every API test (tests/support/api-requests.ts).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, useBackend } from "../support/db";
import { ensureStation } from "../support/fixtures";
import { API_ROUTES, METHODS, callApi, pathOf, type Method, type RouteName } from "../support/api-requests";
import { validateAt } from "../support/api-schema";
import { z } from "zod";
import { buildOpenApi, openApiDocument, type RouteSpec } from "../../app/lib/openapi";
import { requests } from "../../app/lib/api-schemas";

type Operation = {
  operationId?: string;
  responses?: Record<string, unknown>;
  security?: unknown[];
  parameters?: { name: string; in: string }[];
  requestBody?: unknown;
};
const doc = openApiDocument() as unknown as {
  openapi: string;
  info: { title?: string; version?: string };
  paths: Record<string, Record<string, Operation | Operation["parameters"]>>;
  components: Record<string, Record<string, unknown>>;
  security: unknown[];
};
const HTTP = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
// The catch-all answers unknown addresses with a JSON 404; it is not part of the API.
const CATCH_ALL = "api.v1.$";

const operations = () =>
  Object.entries(doc.paths).flatMap(([p, item]) =>
    Object.entries(item)
      .filter(([key]) => HTTP.has(key))
      .map(([method, op]) => ({ path: p, method: method.toUpperCase() as Method, op: op as Operation, item })),
  );

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 with a title, a version and a bearer scheme", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    expect(doc.components.securitySchemes).toEqual({ bearer: expect.objectContaining({ type: "http", scheme: "bearer" }) });
    expect(doc.security).toEqual([{ bearer: [] }]);
  });

  it("gives every path operations, and every operation a unique id and responses with a success", () => {
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
    for (const [p, item] of Object.entries(doc.paths)) {
      expect(p, p).toMatch(/^\/api\/v1\//);
      expect(Object.keys(item).filter((k) => HTTP.has(k)).length, p).toBeGreaterThan(0);
    }
    const ids = operations().map(({ op }) => op.operationId);
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path: p, method, op } of operations()) {
      const statuses = Object.keys(op.responses ?? {});
      expect(
        statuses.some((s) => /^2\d\d$/.test(s)),
        `${method} ${p}`,
      ).toBe(true);
      for (const s of statuses) expect(s, `${method} ${p}`).toMatch(/^[1-5]\d\d$/);
    }
  });

  it("declares every path parameter of every template, and only those", () => {
    for (const { path: p, method, op, item } of operations()) {
      const inTemplate = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = [...((item.parameters as Operation["parameters"]) ?? []), ...(op.parameters ?? [])]
        .filter((x) => x.in === "path")
        .map((x) => x.name)
        .sort();
      expect(declared, `${method} ${p}`).toEqual(inTemplate);
    }
  });

  it("resolves every $ref", () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const [, , section, name] = ref.slice(8, -1).split("/");
      expect(doc.components[section!]?.[name!], ref).toBeDefined();
    }
  });

  it("describes the error shape the API sends", () => {
    const reply = { error: { code: "invalid_input", message: "请求内容有误：partySize: 应为整数。", fields: { partySize: "应为整数。" } } };
    expect(validateAt(openApiDocument(), "/components/schemas/Error", reply)).toEqual([]);
    expect(validateAt(openApiDocument(), "/components/schemas/Error", { error: { code: "x" } })).not.toEqual([]);
    expect(validateAt(openApiDocument(), "/components/schemas/Error", { error: { code: "x", message: "y" }, extra: 1 })).not.toEqual([]);
  });
});

describe("the document is generated from the routes' own schemas", () => {
  const modules = API_ROUTES as unknown as Record<string, { spec?: RouteSpec }>;

  it("every API route but the catch-all exports its spec", () => {
    const without = Object.keys(modules).filter((r) => r !== CATCH_ALL && !modules[r]!.spec);
    expect(without).toEqual([]);
    expect(modules[CATCH_ALL]!.spec).toBeUndefined();
  });

  it("is exactly what the route modules' specs build, path by path", () => {
    for (const [route, mod] of Object.entries(modules)) {
      if (!mod.spec) continue;
      const own = buildOpenApi({ [route]: mod });
      expect(doc.paths[pathOf(route)], route).toEqual(own.paths[pathOf(route)]);
    }
    expect(openApiDocument()).toEqual(buildOpenApi(modules));
  });

  it("documents each request body as the JSON Schema of the zod schema the route validates with", () => {
    let bodies = 0;
    for (const [route, mod] of Object.entries(modules)) {
      for (const [method, op] of Object.entries(mod.spec?.operations ?? {})) {
        if (!op.body) continue;
        bodies++;
        const operation = (doc.paths[pathOf(route)] as Record<string, Operation>)[method.toLowerCase()]!;
        const { $ref } = (operation.requestBody as { content: Record<string, { schema: { $ref: string } }> }).content["application/json"]!.schema;
        const generated = z.toJSONSchema(op.body, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as Record<string, unknown>;
        const documented = doc.components.schemas![$ref.split("/").pop()!] as Record<string, unknown>;
        // Same properties, bounds and required fields (nested named schemas are $refs in the document).
        expect(Object.keys(documented.properties as object), `${method} ${route}`).toEqual(Object.keys(generated.properties as object));
        expect(documented.required, `${method} ${route}`).toEqual(generated.required);
      }
    }
    expect(bodies).toBeGreaterThanOrEqual(7);
  });

  it("changes when a route's schema changes (a bound, a field)", () => {
    const mod = modules["api.v1.sessions.$id.signups"]!;
    const body = z.strictObject({ partySize: z.int().meta({ minimum: 1, maximum: 3 }), note: z.string() });
    requests.add(body, { id: "ProbeSignupRequest" });
    const changed = buildOpenApi({
      "api.v1.sessions.$id.signups": { spec: { ...mod.spec!, operations: { POST: { ...mod.spec!.operations.POST!, body } } } },
    });
    expect(changed.components.schemas.ProbeSignupRequest).toMatchObject({ properties: { partySize: { maximum: 3 }, note: { type: "string" } } });
    requests.remove(body);
  });

  it("documents the body refusals (400, 413, 415, 422) of every operation that reads a body", () => {
    const withBody = operations().filter(({ op }) => op.requestBody);
    expect(withBody.length).toBeGreaterThanOrEqual(7);
    for (const { path: p, method, op } of withBody)
      expect(Object.keys(op.responses!), `${method} ${p}`).toEqual(expect.arrayContaining(["400", "413", "415", "422"]));
  });

  it("refuses a reply or body schema that has no component name", () => {
    const unnamed = z.object({ x: z.int() });
    const spec: RouteSpec = { operations: { GET: { operationId: "probe", tags: [], summary: "", responses: { 200: ["x", unnamed] } } } };
    expect(() => buildOpenApi({ "api.v1.probe": { spec } })).toThrow(/not registered/);
  });
});

describe("the route files", () => {
  it("are exactly the ones the tests know (tests/support/api-requests.ts)", () => {
    const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../app/routes");
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.startsWith("api."))
      .map((f) => f.replace(/\.(tsx|ts)$/, ""));
    expect(Object.keys(API_ROUTES).sort()).toEqual(files.sort());
  });

  it("map to the document's paths", () => {
    const routePaths = Object.keys(API_ROUTES)
      .filter((r) => r !== CATCH_ALL)
      .map(pathOf)
      .sort();
    expect(routePaths).toEqual(Object.keys(doc.paths).sort());
  });
});

for (const backend of backends) {
  describe(`routes against the document on ${backend.name}`, () => {
    const t = useBackend(backend, { beforeAll, afterAll });
    const accepted = new Map<string, Method[]>();

    beforeAll(async () => {
      await ensureStation(t.db);
      // What each route accepts, found by calling it anonymously with every method: 405 or not.
      for (const route of Object.keys(API_ROUTES) as RouteName[]) {
        const methods: Method[] = [];
        for (const method of METHODS)
          if ((await callApi(route, method, { params: { id: "1" }, unchecked: true })).status !== 405) methods.push(method);
        accepted.set(route, methods);
      }
    });

    it("every route file's methods are documented, and every documented operation is served", () => {
      const served = [...accepted.entries()]
        .filter(([route]) => route !== CATCH_ALL)
        .flatMap(([route, methods]) => methods.map((m) => `${m} ${pathOf(route)}`));
      const documented = operations().map(({ path: p, method }) => `${method} ${p}`);
      expect(served.sort()).toEqual(documented.sort());
    });

    it("documents as public exactly the operations an anonymous caller may use", async () => {
      for (const { path: p, method, op } of operations()) {
        const route = Object.keys(API_ROUTES).find((r) => pathOf(r) === p) as RouteName;
        const result = await callApi(route, method, { params: { id: "1" } });
        const isPublic = Array.isArray(op.security) && op.security.length === 0;
        expect(result.status === 401, `${method} ${p} -> ${result.status}`).toBe(!isPublic);
      }
    });

    it("serves the document itself at /api/v1/openapi.json", async () => {
      const result = await callApi("api.v1.openapi[.]json", "GET");
      expect(result.status).toBe(200);
      expect(result.json).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    });

    it("the catch-all answers every method with a JSON 404", async () => {
      for (const method of METHODS) expect((await callApi(CATCH_ALL, method, { params: { "*": "x" } })).status).toBe(404);
    });
  });
}
