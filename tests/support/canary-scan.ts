// The independent scan behind the erasure tests (ADR 23): strings that must not survive an
// erasure, looked for in what the server answers, in the forms a reader would still recognise.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Route files (name without extension) in app/routes, as Remix names them. */
export function routeFiles(): string[] {
  return fs
    .readdirSync(path.join(root, "app/routes"))
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => file.replace(/\.tsx?$/, ""))
    .sort();
}

/**
 * A body as text a needle can be found in: calendar lines unfolded (RFC 5545 folds at 75
 * octets, which may cut a name in two), HTML entities and JSON \u escapes decoded.
 */
export function readable(body: string): string {
  const unfolded = body.replace(/\r?\n[ \t]/g, "");
  const entities = unfolded
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
  const escapes = entities.replace(/\\u([0-9a-f]{4})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  // React puts <!-- --> between neighbouring text parts; a name is one part, but be safe.
  return `${escapes}\n${escapes.replace(/<!-- -->/g, "")}`;
}

/** A pattern per needle; a phone number also matches when written in groups ("139 0000 7777", "139-0000-7777"). */
export function needlePatterns(needles: readonly string[]): { needle: string; pattern: RegExp }[] {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return needles.map((needle) => ({
    needle,
    pattern: /^\d{8,}$/.test(needle) ? new RegExp(needle.split("").join("[\\s-]?")) : new RegExp(escape(needle), "i"),
  }));
}

/** The needles found in a body. */
export function needlesIn(body: string, patterns: ReturnType<typeof needlePatterns>): string[] {
  const text = readable(body);
  return patterns.filter(({ pattern }) => pattern.test(text)).map(({ needle }) => needle);
}

/** How often a needle appears in a body (read as needlesIn reads it). */
export function occurrences(body: string, needle: string): number {
  const { pattern } = needlePatterns([needle])[0]!;
  return readable(body).match(new RegExp(pattern.source, "gi"))?.length ?? 0;
}
