// A small JSON Schema checker for the subset app/lib/openapi.ts uses ($ref, type, enum,
// properties/required, items, oneOf, format date-time). Objects are treated as closed: a
// reply field the document does not describe is a problem, so the document cannot lag
// behind the routes unnoticed.
type Schema = Record<string, unknown>;
type Doc = { paths: Record<string, Record<string, unknown>>; components: Record<string, Record<string, unknown>> };

function resolve(doc: Doc, node: unknown): Schema {
  let current = node as Schema;
  for (let depth = 0; current && typeof current.$ref === "string" && depth < 10; depth++) {
    const [, , section, name] = (current.$ref as string).split("/");
    current = doc.components[section!]?.[name!] as Schema;
    if (!current) throw new Error(`unresolved $ref ${String((node as Schema).$ref)}`);
  }
  return current;
}

const typeOf = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value);

export function check(doc: Doc, node: unknown, value: unknown, at = "$"): string[] {
  const schema = resolve(doc, node);
  if (schema.oneOf) {
    const matches = (schema.oneOf as unknown[]).filter((option) => check(doc, option, value, at).length === 0).length;
    return matches === 1 ? [] : [`${at}: matches ${matches} of oneOf`];
  }
  const problems: string[] = [];
  if (schema.type !== undefined) {
    const allowed = [schema.type].flat() as string[];
    const actual = typeOf(value);
    if (!allowed.includes(actual) && !(actual === "integer" && allowed.includes("number"))) return [`${at}: ${actual} is not ${allowed.join("|")}`];
  }
  if (schema.enum && !(schema.enum as unknown[]).includes(value)) problems.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if (schema.format === "date-time" && typeof value === "string" && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    problems.push(`${at}: ${value} is not a date-time with offset`);
  }
  if (typeOf(value) === "object") {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, unknown>;
    for (const name of (schema.required ?? []) as string[]) if (!(name in object)) problems.push(`${at}.${name}: missing`);
    for (const [name, field] of Object.entries(object)) {
      if (name in properties) problems.push(...check(doc, properties[name], field, `${at}.${name}`));
      else if (schema.additionalProperties && typeof schema.additionalProperties === "object")
        problems.push(...check(doc, schema.additionalProperties, field, `${at}.${name}`));
      else if (schema.properties) problems.push(`${at}.${name}: not in the document`);
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => problems.push(...check(doc, schema.items, item, `${at}[${i}]`)));
  return problems;
}

/** Problems with a reply: status not documented for the operation, or body not matching. */
export function documentedReply(doc: unknown, path: string, method: string, status: number, body: unknown): string[] {
  const d = doc as Doc;
  const operation = d.paths[path]?.[method.toLowerCase()] as { responses?: Record<string, unknown> } | undefined;
  if (!operation) return [`${method} ${path} is not in the document`];
  const reply = operation.responses?.[String(status)];
  if (!reply) return [`${method} ${path}: status ${status} is not documented`];
  const schema = (resolve(d, reply) as { content?: Record<string, { schema?: unknown }> }).content?.["application/json"]?.schema;
  if (!schema) return [`${method} ${path} ${status}: no JSON schema`];
  return check(d, schema, body);
}
