/**
 * Decoded images held by the worker (RGBA at their own resolution), and their conversion to a model's
 * input. The header is checked before any decoding, so a small file that claims 30000×30000 pixels is
 * refused without allocating anything.
 */
import type { ImageInput } from '@/lib/explain/types';
import type { Preprocessing, ResizePolicy } from '@/lib/models/types';
import { decodeImageBytes, preprocessRGBA } from '@/lib/images';
import type { ImageMeta } from './protocol';

export const MAX_IMAGE_PIXELS = 40_000_000;

interface Held {
  meta: ImageMeta;
  rgba: Uint8ClampedArray;
}

let seq = 0;

export class WorkerImages {
  private readonly images = new Map<string, Held>();

  private hold(rgba: Uint8ClampedArray, width: number, height: number, format: string, name: string): ImageMeta {
    const meta: ImageMeta = { id: `img-${++seq}`, name, width, height, format };
    this.images.set(meta.id, { meta, rgba });
    return meta;
  }

  async addEncoded(bytes: ArrayBuffer, name: string): Promise<ImageMeta> {
    const img = await decodeImageBytes(bytes, { maxPixels: MAX_IMAGE_PIXELS, name });
    return this.hold(img.rgba, img.width, img.height, img.format, name);
  }

  addPixels(pixels: Uint8Array, width: number, height: number, channels: 1 | 3, name: string): ImageMeta {
    if (pixels.length !== width * height * channels) throw new Error('pixel buffer size does not match its shape');
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      const r = pixels[i * channels] ?? 0;
      rgba[i * 4] = r;
      rgba[i * 4 + 1] = channels === 3 ? (pixels[i * 3 + 1] ?? 0) : r;
      rgba[i * 4 + 2] = channels === 3 ? (pixels[i * 3 + 2] ?? 0) : r;
      rgba[i * 4 + 3] = 255;
    }
    return this.hold(rgba, width, height, 'raw', name);
  }

  addRGBA(rgba: Uint8ClampedArray, width: number, height: number, name: string): ImageMeta {
    return this.hold(new Uint8ClampedArray(rgba), width, height, 'raw', name);
  }

  has(id: string): boolean {
    return this.images.has(id);
  }

  remove(id: string): void {
    this.images.delete(id);
  }

  /** The image as held (RGBA at its own size; not to be mutated). */
  source(id: string): { data: Uint8ClampedArray; width: number; height: number } {
    const held = this.images.get(id);
    if (!held) throw new Error('This image is no longer loaded. Add it again.');
    return { data: held.rgba, width: held.meta.width, height: held.meta.height };
  }

  /** The exact model input (pixel space, p ∈ [0,1], HWC) for a preprocessing spec and resize policy. */
  toModelInput(id: string, pre: Preprocessing, policy: ResizePolicy): ImageInput {
    const held = this.images.get(id);
    if (!held) throw new Error('This image is no longer loaded. Add it again.');
    return preprocessRGBA({ data: held.rgba, width: held.meta.width, height: held.meta.height }, pre, policy);
  }
}
