import { describe, expect, it } from 'vitest';
import { csvCell, detectDelimiter, parseCsv, toCsv } from './csv';

describe('parseCsv', () => {
  it('quoted fields, escaped quotes, embedded delimiters and newlines, CRLF, BOM, line numbers', () => {
    const text = '\ufeffa,"b, c","say ""hi"""\r\n\r\n"multi\nline", x ,\n  y  ,"  kept  "\n';
    expect(parseCsv(text)).toEqual([
      { cells: ['a', 'b, c', 'say "hi"'], line: 1 },
      { cells: ['multi\nline', 'x'], line: 3 },
      { cells: ['y', '  kept  '], line: 5 },
    ]);
  });
  it('detects ; and tab delimiters', () => {
    expect(detectDelimiter('a;b;c\n1,5;2;3')).toBe(';');
    expect(detectDelimiter('a\tb\n')).toBe('\t');
    expect(detectDelimiter('"x;y",b\n')).toBe(',');
    expect(parseCsv('a\tb\n1\t2')).toEqual([
      { cells: ['a', 'b'], line: 1 },
      { cells: ['1', '2'], line: 2 },
    ]);
  });
  it('keeps inner empty cells but drops trailing ones', () => {
    expect(parseCsv('a,,b,,\n')[0]?.cells).toEqual(['a', '', 'b']);
  });
  it('throws on an unterminated quote, naming its line', () => {
    expect(() => parseCsv('a,b\nc,"oops\n')).toThrow(/Line 2: a quoted field is never closed/);
  });
  it('round trips through toCsv', () => {
    const rows = [
      ['label', 'T-shirt/top', 'Bag, small'],
      ['q"uote', ' pad ', 'x\ny'],
    ];
    expect(parseCsv(toCsv(rows)).map((r) => r.cells)).toEqual(rows);
    expect(csvCell('plain')).toBe('plain');
  });
});
