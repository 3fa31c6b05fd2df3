/**
 * The floor for the feed bench: the least work that turns already-loaded rows into a valid
 * VCALENDAR. String concatenation, times in UTC (so no VTIMEZONE), RFC 5545 text escaping and
 * folding at 75 octets (the feed's own `foldLine`: the same work, so it is not counted twice
 * differently): what any serialiser must do, and nothing else.
 */
import { foldLine, type EventRow } from "../../models/feeds";

/** The rows the floor serialises: the feed's own event rows. */
export type FloorRow = EventRow;

const utc = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
const escape = (text: string) => text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, "\\n");

export function floorCalendar(name: string, slug: string, rows: FloorRow[], baseUrl: string): string {
  let out = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Hearth//Hearth//ZH\r\n${foldLine(`X-WR-CALNAME:${escape(name)}`)}\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\nX-PUBLISHED-TTL:PT1H\r\n`;
  for (const row of rows) {
    const cancelled = row.status === "cancelled";
    const url = `${baseUrl}/sessions/${row.id}`;
    const description = row.description ? `${row.description}\n\n${url}` : url;
    const modified = utc(row.updatedAt);
    out +=
      `BEGIN:VEVENT\r\nUID:session-${row.id}@${slug}.hearth\r\nSEQUENCE:${row.sequence}\r\nDTSTAMP:${modified}\r\n` +
      `DTSTART:${utc(row.startsAt)}\r\nDTEND:${utc(row.endsAt)}\r\n` +
      `${foldLine(`SUMMARY:${escape(cancelled ? `已取消 ${row.title}` : row.title)}`)}\r\n` +
      (row.location ? `${foldLine(`LOCATION:${escape(row.location)}`)}\r\n` : "") +
      `${foldLine(`DESCRIPTION:${escape(description)}`)}\r\n${foldLine(`CATEGORIES:${escape(row.categoryNameZh)}`)}\r\n` +
      `${foldLine(`URL;VALUE=URI:${url}`)}\r\nSTATUS:${cancelled ? "CANCELLED" : "CONFIRMED"}\r\nLAST-MODIFIED:${modified}\r\nEND:VEVENT\r\n`;
  }
  return `${out}END:VCALENDAR`;
}
