/**
 * Tests only (Node): the ONNX corpus written by scripts/corpus/export_torchvision.py into .corpus/onnx
 * (vitest's global setup runs it when the folder is stale). Reads files from disk; never import from app code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileLike } from '../load';

export const CORPUS_DIR = fileURLToPath(new URL('../../../.corpus/onnx', import.meta.url));

export interface CorpusEntry {
  name: string;
  files: string[];
  opset: number;
  /** NCHW of the reference input. */
  inputShape: [number, number, number, number];
  outputShape: [number, number];
  dynamicBatch: boolean;
  /** Class whose summed output PyTorch differentiated for NAME.grad.bin. */
  gradClass: number;
  exportSeconds: number;
  ops: string[];
  family: string;
  bundledId?: string;
  modelJson?: string;
}

/** The corpus manifest. Throws (never skips) when the corpus is missing. */
export function corpusManifest(): { models: CorpusEntry[]; totalSeconds: number } {
  const p = path.join(CORPUS_DIR, 'manifest.json');
  if (!fs.existsSync(p)) {
    const errFile = path.join(CORPUS_DIR, '..', 'onnx.error');
    const why = fs.existsSync(errFile) ? `: the export failed:\n${fs.readFileSync(errFile, 'utf8')}` : '';
    throw new Error(`the ONNX corpus is missing (${p}); vitest's global setup runs node scripts/corpus/ensure-corpus.mjs${why}`);
  }
  return JSON.parse(fs.readFileSync(p, 'utf8')) as { models: CorpusEntry[]; totalSeconds: number };
}

export function corpusEntry(name: string): CorpusEntry {
  const e = corpusManifest().models.find((m) => m.name === name);
  if (!e) throw new Error(`corpus model ${name} is not in ${CORPUS_DIR}/manifest.json`);
  return e;
}

/** A file on disk as the FileLike the loaders take. */
export function diskFile(p: string, name = path.basename(p)): FileLike {
  const size = fs.statSync(p).size;
  return {
    name,
    size,
    arrayBuffer: async () => {
      const b = await fs.promises.readFile(p);
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    },
    text: () => fs.promises.readFile(p, 'utf8'),
  };
}

/** An in-memory file. */
export function memoryFile(name: string, bytes: Uint8Array | string): FileLike {
  const b = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return {
    name,
    size: b.byteLength,
    arrayBuffer: async () => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer,
    text: async () => new TextDecoder().decode(b),
  };
}

export function corpusFiles(e: CorpusEntry): FileLike[] {
  return e.files.map((f) => diskFile(path.join(CORPUS_DIR, f)));
}

function readF32(p: string): Float32Array {
  const b = fs.readFileSync(p);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function toNhwc(nchw: Float32Array, [n, c, h, w]: readonly number[]): Float32Array {
  const out = new Float32Array(nchw.length);
  for (let b = 0; b < (n as number); b++)
    for (let k = 0; k < (c as number); k++)
      for (let i = 0; i < (h as number); i++)
        for (let j = 0; j < (w as number); j++) out[((b * (h as number) + i) * (w as number) + j) * (c as number) + k] = nchw[((b * (c as number) + k) * (h as number) + i) * (w as number) + j] as number;
  return out;
}

/** The reference input in NHWC (model space), PyTorch's output, and PyTorch's input gradient (NHWC). */
export function corpusReference(e: CorpusEntry): { nhwc: Float32Array; shape: [number, number, number, number]; output: Float32Array; grad: Float32Array } {
  const [n, c, h, w] = e.inputShape;
  return {
    nhwc: toNhwc(readF32(path.join(CORPUS_DIR, `${e.name}.input.bin`)), e.inputShape),
    shape: [n, h, w, c],
    output: readF32(path.join(CORPUS_DIR, `${e.name}.output.bin`)),
    grad: toNhwc(readF32(path.join(CORPUS_DIR, `${e.name}.grad.bin`)), e.inputShape),
  };
}

/** max |a − b| / max |b| (relative to the reference's scale). */
export function maxRelativeDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length || b.length === 0) return Infinity;
  let d = 0;
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
    s = Math.max(s, Math.abs(b[i] as number));
  }
  return d / Math.max(s, 1e-12);
}
