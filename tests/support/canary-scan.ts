// The independent scan behind the erasure tests (ADR 23): strings that must not survive an
// erasure, looked for in every table, in the rendered mails, and in what the server answers, in
// the forms a reader would still recognise.
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Db } from "../../models/db";
import { getConfig } from "../../models/config";
import { outboxDir } from "../../models/notifications/outbox";
import { listRouteFiles } from "./route-files";

/** Route names in app/routes (a file without extension, or a folder route's folder), as Remix names them. */
export function routeFiles(): string[] {
  return listRouteFiles().map((route) => route.name);
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

/** Every text form of every row of every table, searched for each needle: table -> needles found. */
export async function scanTables(db: Db, needles: string[]): Promise<Record<string, string[]>> {
  const tables = await db.execute<{ table_name: string }>(sql`
    SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`);
  const found: Record<string, string[]> = {};
  for (const { table_name } of tables.rows) {
    for (const needle of needles) {
      const hits = await db.execute<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM ${sql.identifier(table_name)} t WHERE strpos(lower(t::text), lower(${needle})) > 0`,
      );
      if (Number(hits.rows[0]?.n) > 0) (found[table_name] ??= []).push(needle);
    }
  }
  return found;
}

export function scanOutbox(needles: string[]): string[] {
  const dir = outboxDir(getConfig());
  if (!fs.existsSync(dir)) return [];
  const found: string[] = [];
  for (const file of fs.readdirSync(dir)) {
    const raw = fs.readFileSync(path.join(dir, file));
    // Subjects and bodies are encoded (quoted-printable, base64): search the decoded forms too.
    const text = `${raw.toString("utf8")}\n${decodeMime(raw.toString("utf8"))}`;
    for (const needle of needles) if (text.includes(needle)) found.push(`${file}: ${needle}`);
  }
  return found;
}

function decodeMime(message: string): string {
  const parts: string[] = [];
  for (const block of message.split(/\r?\n\r?\n/)) {
    const compact = block.replace(/\r?\n/g, "");
    if (/^[A-Za-z0-9+/=]+$/.test(compact) && compact.length > 8) parts.push(Buffer.from(compact, "base64").toString("utf8"));
    const qp = block.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => `%${h}`);
    try {
      parts.push(decodeURIComponent(qp.replace(/%(?![0-9A-F]{2})/g, "%25")));
    } catch {
      // not quoted-printable
    }
  }
  for (const word of message.matchAll(/=\?utf-8\?([bq])\?([^?]*)\?=/gi)) {
    parts.push(word[1]!.toLowerCase() === "b" ? Buffer.from(word[2]!, "base64").toString("utf8") : word[2]!);
  }
  return parts.join("\n");
}
