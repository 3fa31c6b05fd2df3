/**
 * Reading CSV files as the station's spreadsheets write them (ADR 24): Excel on a Chinese
 * Windows saves "CSV" in GB18030 (code page 936) and "CSV UTF-8" with a byte-order mark; other
 * tools write UTF-8 without one. Writing CSV is app/lib/csv.server.ts.
 */

export type CsvEncoding = "utf-8" | "gb18030";

export type Decoded =
  | { ok: true; text: string; encoding: CsvEncoding }
  /** `workbook`: an .xlsx/.xls file; `utf16`: Excel's "Unicode text"; `unknown`: neither UTF-8 nor GB18030 (`line` where it breaks). */
  | { ok: false; reason: "workbook" | "utf16" | "unknown"; line?: number };

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

function decodes(bytes: Uint8Array, encoding: CsvEncoding): string | null {
  try {
    // fatal: a byte sequence that is not this encoding throws instead of becoming U+FFFD.
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The text of a CSV file: UTF-8 when every byte sequence is valid UTF-8 (a BOM is dropped),
 * else GB18030 when valid as that, else refused. A Chinese text in GB18030 is almost never valid
 * UTF-8 (its lead bytes 0x81–0xFE are followed by ASCII or other lead bytes), so the order decides
 * nothing for real files. Node 20's full ICU decodes GB18030 (four-byte sequences included).
 */
export function decodeCsv(bytes: Uint8Array): Decoded {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) return { ok: false, reason: "workbook" };
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return { ok: false, reason: "utf16" };
  const utf8 = decodes(bytes, "utf-8");
  if (utf8 !== null) return { ok: true, text: utf8, encoding: "utf-8" };
  const gb = decodes(bytes, "gb18030");
  if (gb !== null) return { ok: true, text: gb, encoding: "gb18030" };
  return { ok: false, reason: "unknown", line: firstBadLine(bytes) };
}

/** The 1-based line where neither encoding holds (lines split on LF, which neither encoding uses inside a character). */
function firstBadLine(bytes: Uint8Array): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      const part = bytes.subarray(start, i);
      if (decodes(part, "utf-8") === null && decodes(part, "gb18030") === null) return line;
      line++;
      start = i + 1;
    }
  }
  return line - 1;
}

export interface CsvRecord {
  /** The record's row number as a spreadsheet counts it (the first record is row 1). */
  row: number;
  cells: string[];
}

export type Parsed = { ok: true; records: CsvRecord[] } | { ok: false; row: number };

/**
 * RFC 4180 records: comma-separated, fields in double quotes may hold commas, quotes ("") and
 * line breaks; CRLF, LF or CR end a record. A quote left open to the end of the file is refused
 * with the row it opened on; a stray quote inside an unquoted field is kept as text, as Excel does.
 * Stops once `maxRecords` are read (the caller refuses the file; nothing past it is parsed).
 */
export function parseCsv(text: string, maxRecords = Infinity): Parsed {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let row = 1;
  let openedAt = 0;
  let i = 0;
  const endRecord = () => {
    cells.push(cell);
    records.push({ row, cells });
    cells = [];
    cell = "";
    row++;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === "") {
      quoted = true;
      openedAt = row;
    } else if (c === ",") {
      cells.push(cell);
      cell = "";
    } else if (c === "\r" || c === "\n") {
      endRecord();
      if (records.length >= maxRecords) return { ok: true, records };
      if (c === "\r" && text[i + 1] === "\n") i++;
    } else cell += c;
    i++;
  }
  if (quoted) return { ok: false, row: openedAt };
  if (cell !== "" || cells.length > 0) endRecord();
  return { ok: true, records };
}
