import { describe, expect, it } from 'vitest';
import { pdfText, wrapLines } from './text';

const mono = (s: string) => s.length; // one unit per character

describe('wrapLines', () => {
  it('breaks at spaces, never past the width, and keeps every word', () => {
    const text = 'When the model predicts Shirt on the test set, it is right 71 % of the time (140 of 197).';
    const lines = wrapLines(text, 20, mono);
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(20);
    expect(lines.join(' ')).toBe(text);
  });
  it('a word longer than a line is split, not cut; line breaks are kept', () => {
    const lines = wrapLines('a_very_long_layer_name_without_breaks end\nnext', 10, mono);
    expect(lines.slice(0, 4)).toEqual(['a_very_lon', 'g_layer_na', 'me_without', '_breaks'].slice(0, 4));
    expect(lines.join('')).toBe('a_very_long_layer_name_without_breaksendnext');
    expect(lines.at(-1)).toBe('next');
  });
  it('empty text is one empty line', () => {
    expect(wrapLines('', 10, mono)).toEqual(['']);
  });
});

describe('pdfText', () => {
  it('keeps Latin-1 and WinAnsi, spells out signs the fonts lack, drops control characters', () => {
    const cases: [string, string][] = [
      ['True: Shirt · Model: T-shirt/top ✗', 'True: Shirt · Model: T-shirt/top (wrong)'],
      ['p ≥ 0.5 → “yes” — café € 3×3', 'p >= 0.5 -> “yes” — café € 3×3'],
      ['a\u0007b\u0085c', 'a bc'],
      ['猫 🐱', '? ?'],
    ];
    for (const [input, want] of cases) expect(pdfText(input), input).toBe(want);
  });
});
