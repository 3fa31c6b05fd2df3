import { z } from "zod";
import { ErrorReply, replies, requests, SHARED, type Operation, type RouteSpec } from "./api-schemas";

export type { RouteSpec } from "./api-schemas";

/**
 * The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json, generated: each API
 * route file exports a `spec` naming its operations, the zod schemas it validates its body and
 * query with, and the zod schemas of its replies (app/lib/api-schemas.ts); here they become
 * JSON Schema (`z.toJSONSchema`). Nothing is written twice, so the document cannot drift from
 * what the routes accept. tests/integration/api-openapi.test.ts checks it against the route
 * files both ways and every API test validates replies against it with ajv.
 */
type Json = Record<string, unknown>;
const schemaRef = (id: string) => ({ $ref: `#/components/schemas/${id}` });

function refOf(registry: z.core.$ZodRegistry<{ id: string }>, schema: z.ZodType, where: string): Json {
  const meta = registry.get(schema);
  if (!meta) throw new Error(`openapi: ${where} uses a schema that is not registered with a component name`);
  return schemaRef(meta.id);
}

/** A zod schema as inline JSON Schema (query parameters). */
const inline = (schema: z.ZodType): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as Json;
  return rest;
};

function components(registry: z.core.$ZodRegistry<{ id: string }>, io: "input" | "output"): Record<string, Json> {
  const { schemas } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Json> };
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _schema, $id: _id, ...schema }]) => [id, schema]));
}

/** The URL path of an API route file: api.v1.sessions.$id -> /api/v1/sessions/{id}. */
export function pathOfRoute(file: string): string {
  return (
    "/" +
    file
      .replace(/\.tsx?$/, "")
      .replace("[.]", "~")
      .split(".")
      .map((segment) => (segment.startsWith("$") ? `{${segment.slice(1)}}` : segment))
      .join("/")
      .replace("~", ".")
  );
}

function operationOf(op: Operation, where: string): Json {
  const responses: Json = {};
  for (const [status, answer] of Object.entries(op.responses)) {
    responses[status] =
      typeof answer === "string"
        ? { $ref: `#/components/responses/${answer}` }
        : answer[1] === undefined
          ? { description: answer[0] }
          : { description: answer[0], content: { "application/json": { schema: refOf(replies, answer[1], `${where} ${status}`) } } };
  }
  const query = op.query
    ? Object.entries(op.query.shape).map(([name, schema]) => {
        const field = schema as z.ZodType;
        const description = z.globalRegistry.get(field)?.description;
        return {
          name,
          in: "query",
          ...(field.safeParse(undefined).success ? {} : { required: true }),
          ...(description ? { description } : {}),
          schema: inline(field),
        };
      })
    : [];
  return {
    operationId: op.operationId,
    tags: op.tags,
    summary: op.summary,
    ...(op.public ? { security: [] } : {}),
    ...(query.length ? { parameters: query } : {}),
    ...(op.body
      ? { requestBody: { required: op.bodyRequired ?? true, content: { "application/json": { schema: refOf(requests, op.body, `${where} body`) } } } }
      : {}),
    responses,
  };
}

/** The document from the route modules (file name -> module); files without a `spec` are not part of the API. */
export function buildOpenApi(routes: Record<string, { spec?: RouteSpec }>) {
  const paths: Record<string, Json> = {};
  for (const [file, mod] of Object.entries(routes).sort(([a], [b]) => a.localeCompare(b))) {
    if (!mod.spec) continue;
    const path = pathOfRoute(file.replace(/^.*\//, ""));
    const item: Json = {};
    const idPattern = mod.spec.idPattern;
    const pathParams = { ...(mod.spec.id ? { id: mod.spec.id } : {}), ...mod.spec.params };
    if (Object.keys(pathParams).length)
      item.parameters = Object.entries(pathParams).map(([name, description]) => ({
        name,
        in: "path",
        required: true,
        description,
        schema: name === "id" && idPattern ? { type: "string", pattern: idPattern } : { type: "integer", minimum: 1 },
      }));
    for (const [method, op] of Object.entries(mod.spec.operations)) item[method.toLowerCase()] = operationOf(op, `${method} ${path}`);
    paths[path] = item;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Hearth API",
      version: "1.0.0",
      summary: "Sessions, signups and proxy booking of a community health station.",
      description:
        'Errors are `{"error": {"code", "message", "params"?, "fields"?}}`; `message` is in the language of `Accept-Language` (zh-CN by default, en when preferred). Times carry the station\'s offset. See docs/api.md.',
    },
    security: [{ bearer: [] }],
    tags: [
      { name: "auth" },
      { name: "sessions" },
      { name: "signups" },
      { name: "staff" },
      { name: "rosters" },
      { name: "front desk" },
      { name: "consultations" },
      { name: "households" },
    ],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "A token from POST /api/v1/auth/token or the account page (hth_…)." },
      },
      responses: Object.fromEntries(
        Object.entries(SHARED).map(([name, description]) => [
          name,
          { description, content: { "application/json": { schema: refOf(replies, ErrorReply, name) } } },
        ]),
      ),
      schemas: { ...components(requests, "input"), ...components(replies, "output") },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApi>;

let built: OpenApiDocument | undefined;
/**
 * The document of this build's API routes. Built on first use, not at import: the routes
 * import this module's types and the document route imports it, so the routes must have
 * finished loading first.
 */
export function openApiDocument(): OpenApiDocument {
  built ??= buildOpenApi(import.meta.glob<{ spec?: RouteSpec }>("../routes/api.v1.*.ts", { eager: true }));
  return built;
}
