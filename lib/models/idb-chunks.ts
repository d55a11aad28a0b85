/**
 * Large buffers in IndexedDB as several records. Chromium refuses a single value over ~127 MiB ("The serialized
 * keys and/or value are too large (size=178034806 bytes, max=133169152 bytes)"), so a buffer longer than
 * `chunkBytes` is stored as records `chunk:<id>:<n>` of at most `chunkBytes` bytes each, and the data record
 * keeps a {@link ChunkRef} in its place. All records of one model go into one transaction (setMany), so a
 * model is saved whole or not at all.
 */

/** Chunk size: well under Chromium's per-value limit. */
export const CHUNK_BYTES = 32 * 1024 * 1024;

/** What the data record holds instead of a buffer stored in chunks. */
export interface ChunkRef {
  chunked: true;
  byteLength: number;
  keys: string[];
}

export const chunkPrefix = (id: string): string => `chunk:${id}:`;

/** Is `v` a {@link ChunkRef}? */
export function isChunkRef(v: unknown): v is ChunkRef {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    r.chunked === true &&
    typeof r.byteLength === 'number' &&
    Array.isArray(r.keys) &&
    r.keys.every((k) => typeof k === 'string')
  );
}

/**
 * `buf` as is when it fits in one chunk, else a {@link ChunkRef} plus the chunk records to write
 * (keys `chunk:<id>:<first>`, `…:<first + 1>`, …; `first` numbers the chunks across one model's buffers).
 */
export function splitBuffer(
  buf: ArrayBuffer,
  id: string,
  first: number,
  chunkBytes: number = CHUNK_BYTES,
): { value: ArrayBuffer | ChunkRef; entries: [string, ArrayBuffer][] } {
  if (!(chunkBytes > 0)) throw new RangeError(`chunkBytes must be positive, got ${chunkBytes}`);
  if (buf.byteLength <= chunkBytes) return { value: buf, entries: [] };
  const entries: [string, ArrayBuffer][] = [];
  for (let off = 0, n = first; off < buf.byteLength; off += chunkBytes, n++)
    entries.push([`${chunkPrefix(id)}${n}`, buf.slice(off, Math.min(off + chunkBytes, buf.byteLength))]);
  return { value: { chunked: true, byteLength: buf.byteLength, keys: entries.map(([k]) => k) }, entries };
}

/**
 * The buffer back: `value` itself when it is one, the joined chunks for a {@link ChunkRef}; undefined when a
 * chunk is missing, is not a buffer, or the lengths do not add up (a damaged record).
 */
export async function joinBuffer(
  value: unknown,
  getMany: (keys: string[]) => Promise<unknown[]>,
): Promise<ArrayBuffer | undefined> {
  if (value instanceof ArrayBuffer) return value;
  if (!isChunkRef(value)) return undefined;
  const parts = await getMany(value.keys);
  if (!parts.every((p): p is ArrayBuffer => p instanceof ArrayBuffer)) return undefined;
  const total = parts.reduce((s, p) => s + p.byteLength, 0);
  if (total !== value.byteLength) return undefined;
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), off);
    off += p.byteLength;
  }
  return out.buffer;
}
