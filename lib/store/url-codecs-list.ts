/**
 * Compact codecs for lists and matrices of numbers in one query value (for the Evaluate view's cost
 * matrix, priors and merges): numbers are written without exponent, at most `decimals` decimals.
 *
 *   numberListCodec  "0.1,0.2,0.7"             a list (length in [minItems, maxItems], each in [min, max])
 *   matrixCodec      "0,1,5;1,0,1;2,1,0"       rows joined by ";" (square when `square`)
 *   pairsCodec       "3.5,7.2"                 index pairs (a merge list: class a into class b)
 *
 * Every codec refuses (undefined) text that is malformed, over its length cap or out of range. Pure.
 */
import { capped, type Codec } from './url-codecs';

const NUM = /^-?\d{1,9}(\.\d{1,6})?$/;

export interface NumberListOptions {
  min: number;
  max: number;
  minItems?: number;
  maxItems: number;
  /** Decimals written (default 4). */
  decimals?: number;
  integer?: boolean;
}

function parseNumbers(s: string, o: NumberListOptions): number[] | undefined {
  const parts = s.split(',');
  if (parts.length < (o.minItems ?? 1) || parts.length > o.maxItems) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!NUM.test(p)) return undefined;
    const v = Number(p);
    if (v < o.min || v > o.max || (o.integer && !Number.isInteger(v))) return undefined;
    out.push(v);
  }
  return out;
}

const formatNumbers = (v: readonly number[], decimals: number) =>
  v.map((x) => String(Number(x.toFixed(decimals)))).join(',');

/** A comma-separated list of numbers. */
export function numberListCodec(o: NumberListOptions): Codec<number[]> {
  const maxLength = o.maxItems * 18;
  return {
    maxLength,
    parse: capped(maxLength, (s) => parseNumbers(s, o)),
    format: (v) => formatNumbers(v, o.decimals ?? 4),
  };
}

/** Rows of numbers joined by ";" (every row as long as the first; square when `square`). */
export function matrixCodec(o: NumberListOptions & { maxRows: number; square?: boolean }): Codec<number[][]> {
  const maxLength = o.maxRows * o.maxItems * 18;
  return {
    maxLength,
    parse: capped(maxLength, (s) => {
      const rows = s.split(';');
      if (rows.length > o.maxRows) return undefined;
      const out: number[][] = [];
      for (const r of rows) {
        const v = parseNumbers(r, o);
        if (!v || (out[0] && v.length !== out[0].length)) return undefined;
        out.push(v);
      }
      if (o.square && out.length !== out[0]?.length) return undefined;
      return out;
    }),
    format: (m) => m.map((r) => formatNumbers(r, o.decimals ?? 4)).join(';'),
  };
}

/** Pairs of class indices `a.b` joined by ","; each index in [0, maxIndex]. */
export function pairsCodec(o: { maxIndex: number; maxItems: number }): Codec<[number, number][]> {
  const maxLength = o.maxItems * 12;
  return {
    maxLength,
    parse: capped(maxLength, (s) => {
      if (s === '') return [];
      const out: [number, number][] = [];
      for (const p of s.split(',')) {
        const m = /^(\d{1,5})\.(\d{1,5})$/.exec(p);
        if (!m || out.length >= o.maxItems) return undefined;
        const a = Number(m[1]);
        const b = Number(m[2]);
        if (a > o.maxIndex || b > o.maxIndex) return undefined;
        out.push([a, b]);
      }
      return out;
    }),
    format: (v) => v.map(([a, b]) => `${a}.${b}`).join(','),
  };
}
