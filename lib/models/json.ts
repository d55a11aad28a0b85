/**
 * JSON parsing with errors a person can act on: where the file breaks (line, column, byte offset) and a
 * short excerpt around it, instead of the engine's one-liner.
 */
import { ModelError } from './types';

/** Line and column (both 1-based) of a 0-based character offset in `text`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Finds the character offset of a JSON syntax error from the engine's message. V8 says "… at position N"
 * (or "Unexpected end of JSON input"); Firefox says "… at line L column C of the JSON data".
 * Returns undefined when the message carries no position.
 */
export function jsonErrorOffset(text: string, message: string): number | undefined {
  const pos = /position (\d+)/.exec(message);
  if (pos?.[1] !== undefined) return Number(pos[1]);
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc?.[1] !== undefined && lc[2] !== undefined) {
    const line = Number(lc[1]);
    const column = Number(lc[2]);
    let offset = 0;
    for (let l = 1; l < line; l++) {
      const nl = text.indexOf('\n', offset);
      if (nl < 0) return undefined;
      offset = nl + 1;
    }
    return offset + column - 1;
  }
  if (/end of (JSON )?(input|data)/i.test(message)) return text.length;
  return findJsonErrorOffset(text);
}

/**
 * Offset of the first JSON syntax error in `text` (text.length when it ends early), or undefined when the
 * text is valid. A small recursive-descent scanner, used because some engines (V8 in Node 20) name the
 * bad token but not its position.
 */
export function findJsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const n = text.length;
  class Fail {
    constructor(readonly at: number) {}
  }
  const ws = (): void => {
    while (i < n && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const expectChar = (c: string): void => {
    if (text[i] !== c) throw new Fail(i);
    i++;
  };
  const string = (): void => {
    expectChar('"');
    while (i < n && text[i] !== '"') {
      const ch = text.charCodeAt(i);
      if (ch < 0x20) throw new Fail(i);
      if (text[i] === '\\') {
        i++;
        if (i >= n) throw new Fail(n);
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) throw new Fail(Math.min(i + 1, n));
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] as string)) throw new Fail(i);
      }
      i++;
    }
    expectChar('"');
  };
  /** The members of an object or array after its opening bracket, separated by commas, then `close`. */
  const members = (close: string, member: () => void): void => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      member();
      ws();
      if (text[i] === ',') i++;
      else if (text[i] === close) {
        i++;
        return;
      } else throw new Fail(i);
    }
  };
  const value = (): void => {
    ws();
    if (i >= n) throw new Fail(n);
    const c = text[i] as string;
    if (c === '{') {
      return members('}', () => {
        ws();
        string();
        ws();
        expectChar(':');
        value();
      });
    }
    if (c === '[') return members(']', value);
    if (c === '"') return string();
    const lit = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!lit) throw new Fail(i);
    i += lit[0].length;
  };
  try {
    value();
    ws();
    return i < n ? i : undefined;
  } catch (e) {
    if (e instanceof Fail) return Math.min(e.at, n);
    throw e;
  }
}

/**
 * JSON.parse that throws `ModelError('malformed-json')` naming the file, the line/column/offset of the
 * problem and an excerpt. `what` is how the file is called in the message, e.g. "model.json".
 */
export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const raw = e instanceof Error ? e.message : String(e);
    if (text.trim() === '') {
      throw new ModelError('malformed-json', `${what} is empty: it should contain JSON text.`);
    }
    const offset = jsonErrorOffset(text, raw);
    if (offset === undefined) {
      throw new ModelError('malformed-json', `${what} is not valid JSON (${raw}).`);
    }
    const { line, column } = lineColumnAt(text, offset);
    const atEnd = offset >= text.trimEnd().length;
    const excerpt = text.slice(Math.max(0, offset - 20), offset + 20).replace(/\s+/g, ' ');
    const where = `line ${line}, column ${column} (character ${offset} of ${text.length})`;
    const message = atEnd
      ? `${what} ends too early at ${where}: the file looks cut off. Was the download or copy complete?`
      : `${what} is not valid JSON: the text breaks at ${where}, near “${excerpt}”.`;
    throw new ModelError('malformed-json', message);
  }
}

/** Narrowing helper: a non-null, non-array object. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
