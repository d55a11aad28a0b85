/**
 * A small read-only view of an HDF5 file held in memory, on top of h5wasm (the HDF Group's C library
 * compiled to WebAssembly, maintained by NIST: https://github.com/usnistgov/h5wasm).
 *
 * h5wasm's ESM build embeds its .wasm binary (no fetch, no extra asset) and uses no `eval` /
 * `new Function` (embind is built without dynamic execution), so it runs in a module worker under a CSP
 * with 'wasm-unsafe-eval' and without 'unsafe-eval'; the same build runs in Node for the tests. It is
 * ~4 MB of JavaScript, so it is imported lazily, on the first HDF5 file.
 *
 * Files are written to h5wasm's in-memory file system (MEMFS), opened read-only, and removed on `close()`.
 */
import { ModelError } from '../types';

type H5 = typeof import('h5wasm');
type H5Group = InstanceType<H5['Group']>;
type H5Dataset = InstanceType<H5['Dataset']>;

let modulePromise: Promise<H5> | undefined;

/** Loads and initialises h5wasm once (the WASM instance is shared by every file). */
export function loadH5wasm(): Promise<H5> {
  modulePromise ??= (async () => {
    const h5 = await import('h5wasm');
    const mod = await h5.ready;
    // HDF5 errors become exceptions instead of being printed on the console (where e2e checks see them).
    mod.activate_throwing_error_handler();
    return h5;
  })().catch((e: unknown) => {
    modulePromise = undefined;
    throw new ModelError('load-failed', `The HDF5 reader (h5wasm) could not start: ${e instanceof Error ? e.message : String(e)}`);
  });
  return modulePromise;
}

let counter = 0;

/** A float dataset read into memory: row-major values and the HDF5 shape. */
export interface H5Array {
  shape: number[];
  /** Values as float32 (float64 datasets are narrowed; float16 ones are refused). */
  values: Float32Array;
}

/** An HDF5 file opened read-only from bytes. Call `close()` when done (frees the in-memory copy). */
export class H5File {
  private closed = false;
  private bytesRead = 0;

  private constructor(
    private readonly h5: H5,
    private readonly file: InstanceType<H5['File']>,
    private readonly path: string,
    /** For messages: the name of the file the bytes came from. */
    readonly displayName: string,
    private readonly fileBytes: number,
    private readonly onRead?: (fraction: number) => void,
  ) {}

  /**
   * Opens `bytes` as HDF5. Throws ModelError('not-a-model') when the bytes are not an HDF5 file (or are
   * truncated so that HDF5 cannot open them). `onRead` gets the fraction of the file's bytes read so far
   * as datasets are read (≈ progress, in [0, 1]).
   */
  static async open(bytes: Uint8Array, displayName: string, onRead?: (fraction: number) => void): Promise<H5File> {
    if (!isHdf5(bytes)) throw new ModelError('not-a-model', `${displayName} is not an HDF5 file (it does not start with the HDF5 signature).`);
    const h5 = await loadH5wasm();
    const FS = h5.FS;
    if (!FS) throw new ModelError('load-failed', 'The HDF5 reader (h5wasm) has no file system.');
    counter += 1;
    const path = `/keras-${Date.now().toString(36)}-${counter}.h5`;
    FS.writeFile(path, bytes);
    let file: InstanceType<H5['File']>;
    try {
      file = new h5.File(path, 'r');
      if (!file.file_id || file.file_id < 0n) throw new Error('H5Fopen failed');
    } catch (e) {
      try {
        FS.unlink(path);
      } catch {
        /* already gone */
      }
      throw new ModelError('not-a-model', `${displayName} could not be opened as HDF5 (the file may be truncated or damaged): ${hdf5Reason(e)}.`);
    }
    return new H5File(h5, file, path, displayName, bytes.byteLength, onRead);
  }

  private group(path: string): H5Group | undefined {
    const g = path === '/' || path === '' ? this.file : this.file.get(path);
    return g instanceof this.h5.Group ? g : undefined;
  }

  /** Whether `path` is a group. */
  hasGroup(path: string): boolean {
    return this.group(path) !== undefined;
  }

  /** Member names of the group at `path` ([] when it is not a group). */
  keys(path: string): string[] {
    return this.group(path)?.keys() ?? [];
  }

  /** A string attribute of the object at `path` (undefined when absent or not text). */
  attrString(path: string, name: string): string | undefined {
    const obj = path === '/' ? this.file : this.file.get(path);
    const attrs = (obj as { attrs?: Record<string, { value: unknown }> } | null)?.attrs;
    const v = attrs?.[name]?.value;
    if (typeof v === 'string') return v;
    if (v instanceof Uint8Array) return new TextDecoder().decode(v);
    return undefined;
  }

  /** A string-list attribute (HDF5 arrays of strings; an empty attribute reads as []). */
  attrStrings(path: string, name: string): string[] | undefined {
    const obj = path === '/' ? this.file : this.file.get(path);
    const attrs = (obj as { attrs?: Record<string, { value: unknown }> } | null)?.attrs;
    if (!attrs || !(name in attrs)) return undefined;
    const v = attrs[name]?.value;
    if (typeof v === 'string') return [v];
    if (Array.isArray(v)) return v.map((x) => (x instanceof Uint8Array ? new TextDecoder().decode(x) : String(x)));
    return []; // empty attributes come back as an empty typed array or {}
  }

  /** Reads a float32/float64 dataset. Throws ModelError('load-failed') for float16 or non-float data. */
  readFloat(path: string): H5Array {
    const ds = this.file.get(path);
    if (!(ds instanceof this.h5.Dataset)) throw new ModelError('missing-weights', `${this.displayName} has no dataset “${path}”.`);
    const d = ds as H5Dataset;
    const meta = d.metadata;
    const shape = [...(d.shape ?? [])];
    if (meta.type === 1 && meta.size === 2) {
      // h5wasm 0.10 has no float16 reader ("Float16 not supported").
      throw new ModelError('load-failed', `The weight “${path}” in ${this.displayName} is stored as float16, which the HDF5 reader cannot read; save the model with float32 weights.`);
    }
    const raw = d.value;
    let values: Float32Array;
    if (raw instanceof Float32Array) values = raw;
    else if (raw instanceof Float64Array) values = Float32Array.from(raw);
    else if (typeof raw === 'number') values = Float32Array.of(raw);
    else {
      throw new ModelError('load-failed', `The weight “${path}” in ${this.displayName} is not floating-point data (HDF5 type ${meta.type}, ${meta.size} bytes).`);
    }
    if (this.onRead) {
      this.bytesRead += values.length * (meta.size || 4);
      this.onRead(Math.min(1, this.bytesRead / Math.max(1, this.fileBytes)));
    }
    return { shape, values };
  }

  /** Closes the file and removes its in-memory copy. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.file.close();
    } finally {
      try {
        this.h5.FS?.unlink(this.path);
      } catch {
        /* already gone */
      }
    }
  }
}

/** The innermost reason of an HDF5 error stack ("truncated file: eof = 4096, …"), or the message. */
export function hdf5Reason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const reasons = [...msg.matchAll(/\(\): ([^\n]+)/g)].map((m) => (m[1] ?? '').trim());
  return reasons[reasons.length - 1] ?? msg.split('\n')[0] ?? msg;
}

/** Whether `bytes` start with the HDF5 signature \x89HDF\r\n\x1a\n (at offset 0; user blocks are not supported). */
export function isHdf5(bytes: Uint8Array): boolean {
  const sig = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  return bytes.length >= 8 && sig.every((b, i) => bytes[i] === b);
}
