import { describe, expect, it } from 'vitest';
import { checkImageBytes } from '@/lib/images';
import { crc32 } from './image-encoders';
import { VALID_IMAGES } from './valid-images';

describe('valid, must load: unusual but valid images pass the header check with their size', () => {
  it('has the cases the issue names', () => {
    const ids = VALID_IMAGES.map((c) => c.id);
    for (const id of ['png-rgb16', 'png-palette', 'png-interlaced', 'png-grey-alpha', 'png-apng', 'png-named-jpg'])
      expect(ids).toContain(id);
    for (const id of ['png-trailing-bytes', 'jpeg-progressive', 'jpeg-cmyk', 'jpeg-exif-rotated'])
      expect(ids).toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(VALID_IMAGES.map((c) => [c.id, c] as const))('%s', (_, c) => {
    const h = checkImageBytes(c.make());
    const upright = h.orientation >= 5 ? { width: h.height, height: h.width } : { width: h.width, height: h.height };
    expect(upright).toEqual({ width: c.width, height: c.height });
  });

  it.each(['png-interlaced', 'png-trailing-bytes', 'jpeg-progressive', 'jpeg-motion-trailer', 'gif-trailing-bytes'])(
    '%s cut before its end marker is still refused as incomplete',
    (id) => {
      const c = VALID_IMAGES.find((v) => v.id === id);
      if (!c) throw new Error(`no case ${id}`);
      const bytes = c.make();
      // Cut just before the end marker: PNG's IEND chunk, JPEG's FF D9, GIF's 3B (the last one of the file's picture).
      const end = id.startsWith('png')
        ? Buffer.from(bytes).indexOf('IEND') - 4
        : id.startsWith('jpeg')
          ? Buffer.from(bytes).indexOf(Buffer.from([0xff, 0xd9]), 20)
          : Buffer.from(bytes).indexOf(0x3b, 13);
      expect(end).toBeGreaterThan(8);
      expect(() => checkImageBytes(bytes.slice(0, end))).toThrow(/incomplete/);
    },
  );

  it('crc32 is the PNG/zip CRC (known answer: "IEND" → AE426082)', () => {
    expect(crc32(new TextEncoder().encode('IEND')).toString(16)).toBe('ae426082');
  });
});
