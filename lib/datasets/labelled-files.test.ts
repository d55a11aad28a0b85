import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { sniffImageFormat } from '@/lib/images';
import {
  matchClassName,
  normalizePath,
  parseLabelledFiles,
  type DuplicateGroup,
  type InputFile,
} from './labelled-files';

/** Minimal byte strings with the right magic numbers; `tag` makes each file's content distinct. */
const SIG = {
  png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  jpeg: [0xff, 0xd8, 0xff, 0xe0],
  gif: [...'GIF89a'].map((c) => c.charCodeAt(0)),
  webp: [...'RIFF']
    .map((c) => c.charCodeAt(0))
    .concat(
      [0, 0, 0, 0],
      [...'WEBPVP8 '].map((c) => c.charCodeAt(0)),
    ),
  bmp: [0x42, 0x4d, ...new Array<number>(30).fill(0)],
};
let counter = 0;
function img(kind: keyof typeof SIG = 'png', tag = ++counter): Uint8Array {
  return Uint8Array.from([...SIG[kind], ...strToU8(`#${tag}`)]);
}
const text = (s: string) => strToU8(s);
const f = (path: string, bytes: Uint8Array = img()): InputFile => ({ path, bytes });

const LABELS = ['cat', 'dog', 'bird'];
/** An expected duplicate group: its kind, the paths with their labels and class names, and whether they conflict. */
const dup = (
  kind: DuplicateGroup['kind'],
  paths: string[],
  labels: number[],
  classNames: string[],
  conflicting: boolean,
): DuplicateGroup => ({ kind, paths, labels, classNames, conflicting });

describe('sniffImageFormat', () => {
  it('recognises PNG, JPEG, WebP, GIF, BMP by magic bytes', () => {
    for (const k of ['png', 'jpeg', 'gif', 'webp', 'bmp'] as const) expect(sniffImageFormat(img(k))).toBe(k);
    expect(sniffImageFormat(text('hello'))).toBeNull();
    expect(sniffImageFormat(new Uint8Array(0))).toBeNull();
    expect(sniffImageFormat(Uint8Array.from([0x42, 0x4d]))).toBeNull(); // "BM" alone is too short for a BMP
  });
});

describe('matchClassName', () => {
  const fashion = ['T-shirt/top', 'Trouser', 'Pullover'];
  it('exact, then case-insensitive, then index, then normalised', () => {
    expect(matchClassName('Trouser', fashion)).toEqual({ label: 1, how: 'exact' });
    expect(matchClassName(' trouser ', fashion)).toEqual({ label: 1, how: 'case-insensitive' });
    expect(matchClassName('2', fashion)).toEqual({ label: 2, how: 'index' });
    expect(matchClassName('T-shirt_top', fashion)).toEqual({ label: 0, how: 'normalised' });
    expect(matchClassName('3', fashion)).toBeNull();
    expect(matchClassName('Shirt', fashion)).toBeNull();
  });
  it('exact beats index (MNIST labels are digits)', () => {
    const odd = ['1', '0'];
    expect(matchClassName('1', odd)).toEqual({ label: 0, how: 'exact' });
  });
  it('an ambiguous normalised name matches nothing', () => {
    expect(matchClassName('ab', ['a-b', 'a_b'])).toBeNull();
  });
});

describe('normalizePath', () => {
  it('unifies separators and strips leading ./ and /', () => {
    expect(normalizePath('.\\set\\cat//1.png')).toBe('set/cat/1.png');
    expect(normalizePath('/set/./cat/1.png')).toBe('set/cat/1.png');
  });
});

describe('folder layout', () => {
  it('root/<class>/<file> inside a wrapper folder; nested sub-folders; empty classes reported', () => {
    const { items, report } = parseLabelledFiles(
      [f('set/cat/1.png'), f('set/cat/2.jpg', img('jpeg')), f('set/dog/a.png'), f('set/dog/sub/b.gif', img('gif'))],
      LABELS,
    );
    expect(report.layout).toBe('folders');
    expect(items.map((i) => [i.path, i.label, i.format])).toEqual([
      ['set/cat/1.png', 0, 'png'],
      ['set/cat/2.jpg', 0, 'jpeg'],
      ['set/dog/a.png', 1, 'png'],
      ['set/dog/sub/b.gif', 1, 'gif'],
    ]);
    expect(report.classCounts).toEqual([2, 2, 0]);
    expect(report.emptyClasses).toEqual([{ label: 2, name: 'bird' }]);
    expect(report.unknownLabels).toEqual([]);
  });

  it('maps folder names case-insensitively and by index, and says how', () => {
    const { items, report } = parseLabelledFiles([f('Cat/1.png'), f('2/x.png'), f('dog/y.png')], LABELS);
    expect(items.map((i) => i.label)).toEqual([0, 2, 1]);
    expect(report.classMatches).toEqual([
      { name: 'Cat', label: 0, how: 'case-insensitive', count: 1 },
      { name: '2', label: 2, how: 'index', count: 1 },
      { name: 'dog', label: 1, how: 'exact', count: 1 },
    ]);
  });

  it('reports unknown labels with their files instead of dropping them silently', () => {
    const { items, report } = parseLabelledFiles([f('d/cat/1.png'), f('d/zebra/1.png'), f('d/zebra/2.png')], LABELS);
    expect(items).toHaveLength(1);
    expect(report.unknownLabels).toEqual([{ name: 'zebra', files: ['d/zebra/1.png', 'd/zebra/2.png'] }]);
  });

  it('reports non-images (by extension and by content), ignores system files, accepts images by content', () => {
    const { items, report } = parseLabelledFiles(
      [
        f('d/cat/1.png'),
        f('d/cat/notes.txt', text('hello')),
        f('d/cat/fake.png', text('not really a png')),
        f('d/cat/empty.jpg', new Uint8Array(0)),
        f('d/dog/photo.dat', img('png')),
        f('d/.DS_Store', text('x')),
        f('__MACOSX/d/cat/._1.png', text('x')),
        f('d/cat/Thumbs.db', text('x')),
        f('__MACOSX/d/cat/2.png', img()),
      ],
      LABELS,
    );
    expect(items.map((i) => i.path)).toEqual(['d/cat/1.png', 'd/dog/photo.dat']);
    expect(report.unreadable).toEqual([
      { path: 'd/cat/notes.txt', reason: 'not an image (PNG, JPEG, WebP, GIF or BMP)' },
      {
        path: 'd/cat/fake.png',
        reason: 'has a .png extension but its content is not a PNG, JPEG, WebP, GIF or BMP image',
      },
      { path: 'd/cat/empty.jpg', reason: 'empty file' },
    ]);
    expect(report.ignored).toEqual([
      { path: 'd/.DS_Store', reason: 'hidden file or folder' },
      { path: '__MACOSX/d/cat/._1.png', reason: 'macOS resource fork (__MACOSX)' },
      { path: 'd/cat/Thumbs.db', reason: 'system file' },
      { path: '__MACOSX/d/cat/2.png', reason: 'macOS resource fork (__MACOSX)' },
    ]);
  });

  it('a loose file beside class folders is unlabelled; a single folder is the class', () => {
    expect(parseLabelledFiles([f('d/cat/1.png'), f('d/readme.png')], LABELS).report.unlabelled).toEqual([
      'd/readme.png',
    ]);
    const one = parseLabelledFiles([f('photos/dog/1.png'), f('photos/dog/2.png')], LABELS);
    expect(one.items.map((i) => i.label)).toEqual([1, 1]);
    const none = parseLabelledFiles([f('1.png'), f('2.png')], LABELS);
    expect(none.items).toEqual([]);
    expect(none.report.unlabelled).toEqual(['1.png', '2.png']);
  });

  it('reports duplicates: the same path twice, and identical bytes in two classes (conflicting)', () => {
    const same = img();
    const { items, report } = parseLabelledFiles(
      [f('d/cat/1.png', same), f('d/cat/1.png', same), f('d/dog/9.png', same), f('d/dog/2.png')],
      LABELS,
    );
    expect(items.map((i) => i.path)).toEqual(['d/cat/1.png', 'd/dog/9.png', 'd/dog/2.png']);
    expect(report.duplicates).toEqual([
      dup('same-path', ['d/cat/1.png', 'd/cat/1.png'], [0, 0], ['cat', 'cat'], false),
      dup('same-content', ['d/cat/1.png', 'd/dog/9.png'], [0, 1], ['cat', 'dog'], true),
    ]);
  });

  it('empty input', () => {
    const { items, report } = parseLabelledFiles([], LABELS);
    expect(items).toEqual([]);
    expect(report.layout).toBe('empty');
    expect(report.emptyClasses).toHaveLength(3);
  });
});

describe('zip', () => {
  it('expands a zip of class folders, ignoring __MACOSX and dotfiles', () => {
    const a = img();
    const zip = zipSync({
      'set/cat/1.png': a,
      'set/dog/2.png': img('jpeg'),
      'set/dog/': new Uint8Array(0),
      'set/.DS_Store': text('junk'),
      '__MACOSX/set/cat/._1.png': text('junk'),
    });
    const { items, report } = parseLabelledFiles([f('upload/data.zip', zip)], LABELS);
    expect(report.zips).toEqual(['upload/data.zip']);
    expect(items.map((i) => [i.path, i.label])).toEqual([
      ['upload/data.zip/set/cat/1.png', 0],
      ['upload/data.zip/set/dog/2.png', 1],
    ]);
    expect(Array.from(items[0]?.bytes ?? [])).toEqual(Array.from(a));
    expect(report.ignored.map((i) => i.path).sort()).toEqual([
      'upload/data.zip/__MACOSX/set/cat/._1.png',
      'upload/data.zip/set/.DS_Store',
    ]);
  });

  it('a zip of images plus a CSV', () => {
    const zip = zipSync({
      'x/a.png': img(),
      'x/b.png': img(),
      'x/labels.csv': text('file,label\na.png,dog\nb.png,bird\n'),
    });
    const { items, report } = parseLabelledFiles([f('set.zip', zip)], LABELS);
    expect(report.layout).toBe('csv');
    expect(report.csvFile).toBe('set.zip/x/labels.csv');
    expect(items.map((i) => i.label)).toEqual([1, 2]);
  });

  it('a corrupt zip and a zip inside a zip are reported', () => {
    const inner = zipSync({ 'cat/1.png': img() });
    const outer = zipSync({ 'cat/2.png': img(), 'more.zip': inner });
    const { items, report } = parseLabelledFiles([f('bad.zip', text('PK but not really')), f('ok.zip', outer)], LABELS);
    expect(items.map((i) => i.path)).toEqual(['ok.zip/cat/2.png']);
    expect(report.unreadable.map((u) => u.path)).toEqual(['bad.zip', 'ok.zip/more.zip']);
    expect(report.unreadable[0]?.reason).toMatch(/truncated or not a zip/);
    expect(report.unreadable[1]?.reason).toMatch(/zip inside a zip/);
  });

  it('refuses entries over the size limit', () => {
    const zip = zipSync({
      'cat/big.png': Uint8Array.from([...SIG.png, ...new Array<number>(5000).fill(7)]),
      'cat/small.png': img(),
    });
    const { items, report } = parseLabelledFiles([f('z.zip', zip)], LABELS, { maxEntryBytes: 1000 });
    expect(items.map((i) => i.path)).toEqual(['z.zip/cat/small.png']);
    expect(report.unreadable[0]?.reason).toMatch(/over the 1000-byte limit/);
  });
});

describe('CSV layout', () => {
  const images = () => [f('imgs/a.png'), f('imgs/b.png'), f('imgs/c.png'), f('imgs/d.png')];

  it('matches by basename and by path; reports missing files, unknown labels and unlisted images', () => {
    const csv = f('labels.csv', text('file,label\na.png,cat\nimgs/b.png,dog\nmissing.png,cat\nc.png,zebra\n'));
    const { items, report } = parseLabelledFiles([...images(), csv], LABELS);
    expect(report.layout).toBe('csv');
    expect(items.map((i) => [i.path, i.label])).toEqual([
      ['imgs/a.png', 0],
      ['imgs/b.png', 1],
    ]);
    expect(report.missingFiles).toEqual([{ line: 4, file: 'missing.png' }]);
    expect(report.unknownLabels).toEqual([{ name: 'zebra', files: ['imgs/c.png'] }]);
    expect(report.unlabelled).toEqual(['imgs/d.png']);
  });

  it('the header is optional, and named columns may come in any order', () => {
    const noHeader = parseLabelledFiles([...images(), f('l.csv', text('a.png,cat\nb.png,1\n'))], LABELS);
    expect(noHeader.items.map((i) => i.label)).toEqual([0, 1]);
    expect(noHeader.report.missingFiles).toEqual([]);
    const swapped = parseLabelledFiles(
      [...images(), f('l.csv', text('Label;Filename\nbird;a.png\ndog;b.png\n'))],
      LABELS,
    );
    expect(swapped.items.map((i) => i.label)).toEqual([2, 1]);
    const other = parseLabelledFiles([...images(), f('l.csv', text('img_id,cls\na.png,bird\n'))], LABELS);
    expect(other.items.map((i) => i.label)).toEqual([2]);
    // a first row naming a missing image is data, not a header
    const missingFirst = parseLabelledFiles([...images(), f('l.csv', text('zz.png,cat\na.png,dog\n'))], LABELS);
    expect(missingFirst.report.missingFiles).toEqual([{ line: 1, file: 'zz.png' }]);
  });

  it('paths relative to the CSV folder win; an ambiguous basename is reported', () => {
    const files = [f('set/x/a.png'), f('set/y/a.png'), f('set/labels.csv', text('x/a.png,cat\na.png,dog\n'))];
    const { items, report } = parseLabelledFiles(files, LABELS);
    expect(items.map((i) => [i.path, i.label])).toEqual([['set/x/a.png', 0]]);
    expect(report.ambiguous).toEqual([{ line: 2, file: 'a.png', matches: ['set/x/a.png', 'set/y/a.png'] }]);
    expect(report.unlabelled).toEqual([]);
  });

  it('an image listed twice: kept once when the labels agree, left out when they conflict', () => {
    const csv = f('l.csv', text('a.png,cat\na.png,Cat\nb.png,cat\nb.png,dog\n'));
    const { items, report } = parseLabelledFiles([...images(), csv], LABELS);
    expect(items.map((i) => i.path)).toEqual(['imgs/a.png']);
    expect(report.duplicates).toEqual([
      dup('csv-repeat', ['imgs/a.png', 'imgs/a.png'], [0, 0], ['cat', 'Cat'], false),
      dup('csv-repeat', ['imgs/b.png', 'imgs/b.png'], [0, 1], ['cat', 'dog'], true),
    ]);
  });

  it('rows with a missing cell are reported', () => {
    const { report } = parseLabelledFiles([...images(), f('l.csv', text('a.png,cat\nb.png\n'))], LABELS);
    expect(report.csvProblems).toEqual([{ line: 2, message: 'expected a file name and a label' }]);
  });

  it('a CSV that names none of the images falls back to folders and is reported as ignored', () => {
    const files = [f('d/cat/1.png'), f('d/dog/2.png'), f('d/meta.csv', text('id,notes\n7,hello\n'))];
    const { items, report } = parseLabelledFiles(files, LABELS);
    expect(report.layout).toBe('folders');
    expect(items.map((i) => i.label)).toEqual([0, 1]);
    expect(report.ignored).toEqual([
      { path: 'd/meta.csv', reason: 'the CSV names none of the images; folder names were used instead' },
    ]);
    expect(report.missingFiles).toEqual([]);
  });

  it('prefers labels.csv when there are several CSVs', () => {
    const files = [...images(), f('a.csv', text('a.png,dog\n')), f('labels.csv', text('a.png,bird\n'))];
    const { items, report } = parseLabelledFiles(files, LABELS);
    expect(report.csvFile).toBe('labels.csv');
    expect(items[0]?.label).toBe(2);
    expect(report.ignored[0]?.path).toBe('a.csv');
  });
});

describe('accounting', () => {
  it('every input file ends up in items or in exactly one report list', () => {
    const zip = zipSync({ 'cat/z1.png': img(), 'cat/z2.txt': text('t'), '__MACOSX/._a': text('j') });
    const files = [
      f('d/cat/1.png'),
      f('d/cat/1.png'),
      f('d/dog/2.png'),
      f('d/zebra/3.png'),
      f('d/loose.png'),
      f('d/cat/x.txt', text('x')),
      f('d/.hidden', text('x')),
      f('d/z.zip', zip),
    ];
    const { items, report } = parseLabelledFiles(files, LABELS);
    const accounted =
      items.length +
      report.unknownLabels.reduce((s, u) => s + u.files.length, 0) +
      report.unlabelled.length +
      report.unreadable.length +
      report.ignored.length +
      report.duplicates.filter((d) => d.kind === 'same-path').reduce((s, d) => s + d.paths.length - 1, 0);
    // 7 plain files + 3 zip entries (the zip itself is consumed)
    expect(accounted).toBe(7 + 3);
    expect(report.classCounts.reduce((a, b) => a + b, 0)).toBe(items.length);
    // the zip counts as unzipped in place: its cat/ folder joins d/cat
    expect(items.map((i) => [i.path, i.label])).toEqual([
      ['d/cat/1.png', 0],
      ['d/dog/2.png', 1],
      ['d/z.zip/cat/z1.png', 0],
    ]);
    expect(report.unknownLabels.map((u) => u.name)).toEqual(['zebra']);
    expect(report.unlabelled).toEqual(['d/loose.png']);
  });
});
