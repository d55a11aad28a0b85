import { describe, expect, it, vi } from 'vitest';
import { decodeImageBytes, decodeImageFile, type DecodeEnv } from './decode';
import { ImageError } from './header';
import { makePng } from './__fixtures__/bytes';

/** A fake platform: createImageBitmap "decodes" to a w×h bitmap; getImageData returns a pattern. */
function fakeEnv(opts: { fail?: boolean; w?: number; h?: number } = {}) {
  const calls: { opts?: ImageBitmapOptions; type?: string } = {};
  const close = vi.fn();
  const env: DecodeEnv = {
    createImageBitmap: vi.fn(async (blob: Blob, o: ImageBitmapOptions) => {
      calls.opts = o;
      calls.type = blob.type;
      if (opts.fail) throw new DOMException('The source image could not be decoded.', 'InvalidStateError');
      return { width: opts.w ?? 2, height: opts.h ?? 1, close } as unknown as ImageBitmap;
    }),
    context2d: (width, height) => ({
      drawImage: vi.fn(),
      getImageData: () =>
        ({
          data: Uint8ClampedArray.from({ length: width * height * 4 }, (_, i) => i),
          width,
          height,
          colorSpace: 'srgb',
        }) as ImageData,
    }),
  };
  return { env, calls, close };
}

describe('decodeImageFile (mocked browser)', () => {
  it('checks the header, decodes with EXIF orientation, returns RGBA and closes the bitmap', async () => {
    const { env, calls, close } = fakeEnv({ w: 2, h: 1 });
    const png = makePng(2, 1);
    const file = { name: 'dot.png', arrayBuffer: () => Promise.resolve(png.slice().buffer) };
    const out = await decodeImageFile(file, { env });
    expect(out).toMatchObject({ width: 2, height: 1, format: 'png', name: 'dot.png' });
    expect(Array.from(out.rgba)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(calls.opts).toEqual({ imageOrientation: 'from-image' });
    expect(calls.type).toBe('image/png');
    expect(close).toHaveBeenCalledOnce();
  });

  it('refuses an oversized header claim without calling the decoder', async () => {
    const { env } = fakeEnv();
    await expect(
      decodeImageBytes(makePng(30000, 30000, undefined, { idat: false }).slice().buffer, { env }),
    ).rejects.toMatchObject({ code: 'too-large' });
    expect(env.createImageBitmap).not.toHaveBeenCalled();
  });

  it('turns a decoder failure (damaged body) into a clear decode-failed error', async () => {
    const { env } = fakeEnv({ fail: true });
    const err = await decodeImageBytes(makePng(4, 3).slice().buffer, { env, name: 'broken.png' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ImageError);
    expect((err as ImageError).code).toBe('decode-failed');
    expect((err as ImageError).message).toMatch(
      /“broken\.png” looks like a PNG image of 4×3 pixels, but its picture data is damaged/,
    );
  });
});
