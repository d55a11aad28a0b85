/**
 * Test access to the Keras fixtures saved by real Keras 3.15 (../shared/fixtures/keras, beside the repo;
 * CI puts shared/ there). Absence is a failure with a clear message, never a skip.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FileLike } from '@/lib/models/load';

export const FIXTURE_DIR = path.resolve(process.cwd(), '..', 'shared', 'fixtures', 'keras');
export const FIXTURE_NAMES = ['small-cnn', 'residual', 'mobilenetv2-a035-96'] as const;
export type FixtureName = (typeof FIXTURE_NAMES)[number];

/** Keras' reference for one fixture: input [2, h, w, c] in [0, 1] row-major and Keras' output [2, K]. */
export interface KerasReference {
  model: string;
  keras_version: string;
  input_shape: [number, number, number, number];
  input: number[];
  output_shape: [number, number];
  output: number[];
  output_kind: 'probabilities' | 'logits';
  params: number;
}

function fixturePath(file: string): string {
  const p = path.join(FIXTURE_DIR, file);
  if (!existsSync(p)) {
    throw new Error(`Keras fixture missing: ${p}. The tests need ../shared/fixtures/keras beside the repository (see its README.md).`);
  }
  return p;
}

export function readFixtureBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(file)));
}

export function readReference(name: FixtureName): KerasReference {
  return JSON.parse(readFileSync(fixturePath(`${name}.reference.json`), 'utf8')) as KerasReference;
}

/** A FileLike over bytes (what a browser File gives the loader). */
export function bytesFile(name: string, bytes: Uint8Array): FileLike {
  return {
    name,
    size: bytes.byteLength,
    arrayBuffer: () => Promise.resolve(bytes.slice().buffer),
    text: () => Promise.resolve(new TextDecoder().decode(bytes)),
  };
}

export function fixtureFile(file: string): FileLike {
  return bytesFile(file, readFixtureBytes(file));
}

export function textFile(name: string, text: string): FileLike {
  return bytesFile(name, new TextEncoder().encode(text));
}
