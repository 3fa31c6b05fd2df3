/**
 * RFC 4180 CSV with a UTF-8 BOM. A cell that starts with = + - @ (or a tab / CR) is
 * prefixed with ' so a spreadsheet never runs it as a formula (CSV injection).
 */
export function toCsv(rows: string[][]): string {
  const cell = (value: string) => {
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return "\uFEFF" + rows.map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}
