import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_GRAPH_OPS } from './graph-ops';

describe('SUPPORTED_GRAPH_OPS', () => {
  it('equals the op table of the installed @tensorflow/tfjs-converter', () => {
    const require = createRequire(import.meta.url);
    const pkgDir = dirname(require.resolve('@tensorflow/tfjs-converter/package.json'));
    // The lists OperationMapper loads (ragged and tfdf are not among them in 4.22).
    const lists = ['arithmetic', 'basic_math', 'control', 'convolution', 'creation', 'dynamic', 'evaluation', 'graph', 'hash_table', 'image', 'logical', 'matrices', 'normalization', 'reduction', 'slice_join', 'sparse', 'spectral', 'string', 'transformation'];
    const mapper = readFileSync(join(pkgDir, 'dist/operations/operation_mapper.js'), 'utf8');
    for (const l of lists) expect(mapper).toContain(`./op_list/${l}`);
    const found = new Set<string>();
    for (const l of lists) {
      const src = readFileSync(join(pkgDir, `dist/operations/op_list/${l}.js`), 'utf8');
      for (const m of src.matchAll(/'tfOpName': '([A-Za-z0-9_]+)'/g)) found.add(m[1] as string);
    }
    expect(found.size).toBeGreaterThan(200);
    expect([...SUPPORTED_GRAPH_OPS].sort()).toEqual([...found].sort());
  });
});
