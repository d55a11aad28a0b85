import { describe, expect, it } from 'vitest';
import { findJsonErrorOffset, jsonErrorOffset, lineColumnAt, parseJsonText } from './json';

describe('JSON error positions', () => {
  it('finds the first syntax error itself (V8 in Node 20 does not say where)', () => {
    expect(findJsonErrorOffset('{"a": 1}')).toBeUndefined();
    expect(findJsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(findJsonErrorOffset('{"a" 1}')).toBe(5);
    expect(findJsonErrorOffset('[1, 2')).toBe(5);
    expect(findJsonErrorOffset('{"a": "\\x"}')).toBe(8);
    expect(findJsonErrorOffset('{"a": 1} x')).toBe(9);
    expect(findJsonErrorOffset('{"a": [true, nul]}')).toBe(13);
  });
  it('reads positions from V8 and Firefox messages', () => {
    expect(jsonErrorOffset('{}', 'Unexpected token } in JSON at position 12')).toBe(12);
    expect(jsonErrorOffset('ab\ncdef', 'JSON.parse: expected property name at line 2 column 3 of the JSON data')).toBe(5);
    expect(lineColumnAt('ab\ncdef', 5)).toEqual({ line: 2, column: 3 });
  });
  it('messages say where and whether the file is cut off', () => {
    expect(() => parseJsonText('{\n  "a": 1,\n  "b" 2\n}', 'x.json')).toThrow(/x\.json is not valid JSON: the text breaks at line 3, column 7/);
    expect(() => parseJsonText('{"a": [1, 2', 'x.json')).toThrow(/x\.json ends too early .*cut off/);
    expect(() => parseJsonText('  ', 'x.json')).toThrow(/x\.json is empty/);
  });
});
