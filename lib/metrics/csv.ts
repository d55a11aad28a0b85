/**
 * A small RFC 4180 CSV reader/writer (quoted fields, "" escapes, CRLF/LF, a leading BOM), used by the cost
 * matrix import/export and by labelled-dataset CSVs. The delimiter is detected from the first record
 * (comma, semicolon or tab, whichever occurs most outside quotes; comma on a tie), because spreadsheet apps
 * in many locales save with semicolons. Written cells are neutralised against spreadsheet formula injection.
 */

export interface CsvRecord {
  /** Cells with surrounding whitespace trimmed (quoted cells keep inner whitespace). */
  cells: string[];
  /** 1-based line number where the record starts, for error messages. */
  line: number;
}

export class CsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvError';
  }
}

/** Picks , ; or tab from the first line (outside quotes). */
export function detectDelimiter(text: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  for (const ch of text) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) break;
    else if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[',']) return '\t';
  return ',';
}

/**
 * Parses CSV text into records. Blank lines are skipped; trailing empty cells (from trailing delimiters that
 * spreadsheets add) are dropped. Throws CsvError on an unterminated quote.
 */
export function parseCsv(text: string, delimiter: ',' | ';' | '\t' = detectDelimiter(text)): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cur = '';
  let quoted = false; // current cell was quoted (keep its whitespace)
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;

  const endCell = () => {
    cells.push(quoted ? cur : cur.trim());
    cur = '';
    quoted = false;
  };
  const endRecord = () => {
    endCell();
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    if (cells.length > 0) records.push({ cells, line: recordLine });
    cells = [];
  };

  for (let i = 0; i < src.length; i++) {
    const ch = src[i] as string;
    if (inQuotes) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cur += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === '\n') line++;
        cur += ch;
      }
      continue;
    }
    if (ch === '"' && cur.trim() === '') {
      inQuotes = true;
      quoted = true;
      quoteLine = line;
      cur = '';
    } else if (ch === delimiter) endCell();
    else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else cur += ch;
  }
  if (inQuotes) throw new CsvError(`Line ${quoteLine}: a quoted field is never closed.`);
  endRecord();
  return records;
}

/** First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain decimal number (kept as is: "-0.5" is a value, not a formula). */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Neutralises a cell a spreadsheet would run as a formula: text starting with = + - @ tab or CR gets a
 * leading single quote (OWASP CSV injection), except plain numbers such as `-1.5` or `+2e-3`.
 * `neutraliseCell('=HYPERLINK("x")')` → `'=HYPERLINK("x")`.
 */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** Undoes neutraliseCell on text read back (a quote followed by a formula start is dropped); else unchanged. */
export function unneutraliseCell(value: string): string {
  return value.length > 1 && value[0] === "'" && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/**
 * One CSV cell: neutralised (see neutraliseCell), then quoted when it contains the delimiter, a quote, a
 * newline, or surrounding whitespace. Every CSV export in the app goes through here.
 */
export function csvCell(raw: string, delimiter = ','): string {
  const value = neutraliseCell(raw);
  if (value.includes(delimiter) || /["\r\n]/.test(value) || value !== value.trim()) {
    return `"${value.replace(/"/g, '""')}"`;
  }
  return value;
}

/** Writes rows as CSV with LF line endings and a final newline. */
export function toCsv(rows: readonly (readonly string[])[], delimiter = ','): string {
  return rows.map((r) => r.map((c) => csvCell(c, delimiter)).join(delimiter)).join('\n') + '\n';
}
