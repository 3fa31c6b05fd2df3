import { DEFAULT_LOCALE, type Locale } from "~/i18n";

/**
 * The JSON API's reply shapes (docs/decisions/0005-json-api.md): every answer is JSON and never
 * cached, and every refusal is `{"error": {"code", "message", params?, fields?}}`.
 */
const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };

export function apiJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

export interface ErrorExtra {
  params?: Record<string, string | number>;
  fields?: Record<string, string>;
  headers?: Record<string, string>;
}

export function apiError(status: number, code: string, message: string, extra: ErrorExtra = {}): Response {
  const error: Record<string, unknown> = { code, message };
  if (extra.params && Object.keys(extra.params).length) error.params = extra.params;
  if (extra.fields) error.fields = extra.fields;
  return apiJson({ error }, status, extra.headers);
}

export const bearerChallenge = (error?: string) => ({ "WWW-Authenticate": `Bearer realm="hearth"${error ? `, error="${error}"` : ""}` });

/** zh-CN unless the caller ranks English above Chinese (q-values honoured, order breaks ties). */
export function apiLocale(request: Request): Locale {
  const header = request.headers.get("Accept-Language")?.slice(0, 500);
  if (!header) return DEFAULT_LOCALE;
  const ranges = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().toLowerCase().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { tag: tag.trim(), q: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranges) {
    if (tag === "zh" || tag.startsWith("zh-")) return "zh-CN";
    if (tag === "en" || tag.startsWith("en-")) return "en";
  }
  return DEFAULT_LOCALE;
}
