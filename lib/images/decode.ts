/**
 * Browser-side image decoding (page or worker): header check first (lib/images/header.ts: refuses empty,
 * non-image, truncated and oversized files before any decode), then createImageBitmap with
 * imageOrientation 'from-image' (EXIF-rotated like the browser shows it; GIF → first frame), drawn onto an
 * OffscreenCanvas (or a <canvas> where OffscreenCanvas is missing) to read straight RGBA.
 */
import { checkImageBytes, DEFAULT_MAX_PIXELS, ImageError, type ImageFormat } from './header';

export interface DecodedImage {
  /** Straight RGBA, row-major, upright (EXIF orientation applied). Owned by the caller. */
  rgba: Uint8ClampedArray<ArrayBuffer>;
  width: number;
  height: number;
  format: ImageFormat;
  name: string;
}

/** The part of File/Blob used here. */
export interface BlobLike {
  readonly name?: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Injectable platform pieces (tests replace them). */
export interface DecodeEnv {
  createImageBitmap: (blob: Blob, opts: ImageBitmapOptions) => Promise<ImageBitmap>;
  /** Returns a 2D context of a canvas of the given size. */
  context2d: (width: number, height: number) => Pick<OffscreenCanvasRenderingContext2D, 'drawImage' | 'getImageData'>;
}

const MIME: Record<ImageFormat, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  bmp: 'image/bmp',
  webp: 'image/webp',
};

function browserEnv(): DecodeEnv {
  const g = globalThis as unknown as {
    createImageBitmap?: DecodeEnv['createImageBitmap'];
    OffscreenCanvas?: typeof OffscreenCanvas;
    document?: Document;
  };
  if (!g.createImageBitmap)
    throw new ImageError('decode-failed', 'This browser cannot decode images here (createImageBitmap is missing).');
  return {
    createImageBitmap: g.createImageBitmap.bind(globalThis),
    context2d(width, height) {
      if (g.OffscreenCanvas) {
        const ctx = new g.OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
        if (ctx) return ctx;
      }
      if (g.document) {
        const c = g.document.createElement('canvas');
        c.width = width;
        c.height = height;
        const ctx = c.getContext('2d', { willReadFrequently: true });
        if (ctx) return ctx;
      }
      throw new ImageError('decode-failed', 'This browser has no canvas to read image pixels.');
    },
  };
}

/**
 * Checks and decodes an image file. Errors are `ImageError`s: the header codes of `checkImageBytes`, or
 * 'decode-failed' when the header is fine but the picture data is damaged.
 */
export async function decodeImageFile(
  file: BlobLike,
  opts: { maxPixels?: number; name?: string; env?: DecodeEnv } = {},
): Promise<DecodedImage> {
  const bytes = await file.arrayBuffer();
  return decodeImageBytes(bytes, { ...opts, name: opts.name ?? file.name ?? 'image' });
}

/** Same as decodeImageFile, from bytes already in memory (e.g. transferred to a worker). */
export async function decodeImageBytes(
  bytes: ArrayBuffer,
  opts: { maxPixels?: number; name?: string; env?: DecodeEnv } = {},
): Promise<DecodedImage> {
  const header = checkImageBytes(new Uint8Array(bytes), { maxPixels: opts.maxPixels ?? DEFAULT_MAX_PIXELS });
  const env = opts.env ?? browserEnv();
  const name = opts.name ?? 'image';
  let bitmap: ImageBitmap;
  try {
    bitmap = await env.createImageBitmap(new Blob([bytes], { type: MIME[header.format] }), {
      imageOrientation: 'from-image',
    });
  } catch {
    throw new ImageError(
      'decode-failed',
      `“${name}” looks like a ${header.format.toUpperCase()} image of ${header.width}×${header.height} pixels, but its picture data is damaged or incomplete and cannot be decoded.`,
    );
  }
  try {
    const { width, height } = bitmap;
    const ctx = env.context2d(width, height);
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, width, height).data;
    return { rgba: new Uint8ClampedArray(data), width, height, format: header.format, name };
  } finally {
    bitmap.close();
  }
}
