// Replies checked against the generated OpenAPI document with ajv (JSON Schema 2020-12, the
// dialect of OpenAPI 3.1), not a checker of our own. Reply objects are closed in the document
// (zod's output schemas say additionalProperties: false), so a field the document does not
// describe is a problem and the document cannot lag behind the routes unnoticed.
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { OpenApiDocument } from "../../app/lib/openapi";

type Json = Record<string, unknown>;
const DOC_ID = "hearth-openapi";

// One validator per document object (the document is built once per process).
const validators = new WeakMap<object, Ajv2020>();
function ajvFor(doc: OpenApiDocument): Ajv2020 {
  let ajv = validators.get(doc);
  if (!ajv) {
    // strict off: the document carries OpenAPI's own keywords (openapi, info, paths …) beside the schemas.
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ ...doc, $id: DOC_ID });
    validators.set(doc, ajv);
  }
  return ajv;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

/** Problems with a value against a schema of the document (named by its JSON pointer), as readable lines. */
export function validateAt(doc: OpenApiDocument, at: string, value: unknown): string[] {
  const validate = ajvFor(doc).getSchema(`${DOC_ID}#${at}`);
  if (!validate) return [`no schema at ${at}`];
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `$${e.instancePath}: ${e.message ?? "invalid"}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
}

/** Problems with a reply: status not documented for the operation, or body not matching its schema. */
export function documentedReply(doc: OpenApiDocument, path: string, method: string, status: number, body: unknown): string[] {
  const operation = (doc.paths[path] as Json | undefined)?.[method.toLowerCase()] as { responses?: Record<string, Json> } | undefined;
  if (!operation) return [`${method} ${path} is not in the document`];
  let reply = operation.responses?.[String(status)];
  if (!reply) return [`${method} ${path}: status ${status} is not documented`];
  let at = "/" + pointer("paths", path, method.toLowerCase(), "responses", String(status));
  if (typeof reply.$ref === "string") {
    at = (reply.$ref as string).slice(1);
    reply = (doc.components.responses as Record<string, Json>)[at.split("/").pop()!];
  }
  if (!(reply?.content as Json | undefined)?.["application/json"]) return [`${method} ${path} ${status}: no JSON schema`];
  return validateAt(doc, `${at}/${pointer("content", "application/json", "schema")}`, body);
}
