// CSV files as the station's spreadsheets write them, for the import's tests and its benchmark:
// GB18030 (Excel on a Chinese Windows) and UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
// Node decodes GB18030 but has no encoder; the one here is the decoder inverted over every
// two-byte code (lead 0x81–0xFE, trail 0x40–0xFE but 0x7F), which covers every common Chinese
// character; anything else throws rather than write a wrong byte.

let table: Map<string, [number, number]> | undefined;

function gbTable() {
  if (table) return table;
  table = new Map();
  const decoder = new TextDecoder("gb18030", { fatal: true });
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      try {
        const char = decoder.decode(new Uint8Array([lead, trail]));
        if (char.length === 1 && !table.has(char)) table.set(char, [lead, trail]);
      } catch {
        // not a character in this encoding
      }
    }
  }
  return table;
}

/** `text` in GB18030: ASCII as itself, every other character as its two bytes. */
export function gb18030(text: string): Uint8Array {
  const codes = gbTable();
  const out: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else {
      const pair = codes.get(char);
      if (!pair) throw new Error(`no two-byte GB18030 code for ${JSON.stringify(char)}`);
      out.push(...pair);
    }
  }
  return new Uint8Array(out);
}

/** `text` in UTF-8 with a byte-order mark, as Excel's "CSV UTF-8" writes it. */
export const utf8Bom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);

/** Rows to CSV text with CRLF line ends (as Excel writes), quoting cells that need it. */
export function csvText(rows: readonly (readonly string[])[]): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

/** The template's header, in Chinese. */
export const HEADER = ["户名", "地址", "座机", "姓名", "手机", "出生年份", "需求", "联系会员", "同意方式"] as const;
