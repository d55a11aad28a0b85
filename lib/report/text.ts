/**
 * Text for fixed-width boxes: word wrapping against any measure (canvas `measureText`, a PDF font's
 * widths), and the PDF's character set. Pure.
 */

/**
 * `text` broken into lines no wider than `maxWidth` (in the measure's units): at spaces, and inside a
 * word only when the word alone is wider than a line. Existing line breaks are kept; never drops text.
 */
export function wrapLines(text: string, maxWidth: number, measure: (s: string) => number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      const test = line ? `${line} ${word}` : word;
      if (measure(test) <= maxWidth) {
        line = test;
        continue;
      }
      if (line) out.push(line);
      line = '';
      let rest = word;
      while (measure(rest) > maxWidth && rest.length > 1) {
        let n = rest.length - 1;
        while (n > 1 && measure(rest.slice(0, n)) > maxWidth) n--;
        out.push(rest.slice(0, n));
        rest = rest.slice(n);
      }
      line = rest;
    }
    out.push(line);
  }
  return out;
}

// Characters of the PDF's standard fonts (WinAnsi) beyond Latin-1.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const REPLACE: Record<string, string> = {
  '−': '-',
  '≈': '~',
  '≤': '<=',
  '≥': '>=',
  '→': '->',
  '←': '<-',
  '✓': '(right)',
  '✗': '(wrong)',
  '⇄': '<->',
  '\u202f': ' ',
  '\u2009': ' ',
  '′': "'",
};

/**
 * `text` in the characters the PDF's built-in fonts can show (Latin-1 and WinAnsi's extras): known signs
 * become their plain forms ("≥" → ">=", "✗" → "(wrong)"), anything else "?". Control characters go.
 */
export function pdfText(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (c === 10 || (c >= 32 && c < 127) || (c >= 160 && c <= 255) || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else if (REPLACE[ch] !== undefined) out += REPLACE[ch];
    else if (c >= 127 && c < 160) continue;
    else if (c < 32) out += ' ';
    else out += '?';
  }
  return out;
}
