/** Sections of docs/benchmarks.md that parts of the bench (--only=…) replace on their own. */
export const PART_HEADINGS = [
  "Signup rush",
  "Calendar feeds",
  "Mail",
  "Roster suggestion",
  "Roster grid",
  "Front desk",
  "Signed-in pages, start-up and memory",
  "Page cache",
  "Several instances",
  "Household import",
  "Signup rush on the embedded database",
] as const;

function bounds(doc: string, heading: string): [number, number] | null {
  const start = doc.indexOf(`\n## ${heading}\n`);
  if (start < 0) return null;
  const next = doc.indexOf("\n## ", start + 1);
  return [start + 1, next >= 0 ? next + 1 : doc.length];
}

/** Replaces the section `## heading`, or inserts it before "How to reproduce" (or at the end). */
export function spliceSection(doc: string, heading: string, section: string): string {
  const body = section.trimEnd() + "\n";
  const at = bounds(doc, heading);
  if (at) return doc.slice(0, at[0]) + body + (at[1] < doc.length ? "\n" + doc.slice(at[1]) : "");
  const anchor = doc.indexOf("\n## How to reproduce");
  if (anchor >= 0) return doc.slice(0, anchor + 1) + body + "\n" + doc.slice(anchor + 1);
  return `${doc.trimEnd()}\n\n${body}`;
}

/** The part sections `previous` has and `doc` lacks, carried over (a pages run rewrites the file). */
export function keepSections(doc: string, previous: string): string {
  let out = doc;
  for (const heading of PART_HEADINGS) {
    const at = bounds(previous, heading);
    if (at && !bounds(out, heading)) out = spliceSection(out, heading, previous.slice(at[0], at[1]));
  }
  return out;
}
