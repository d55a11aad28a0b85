/**
 * User-supplied labelled evaluation sets: decide the true class of every dropped file, without a DOM.
 *
 * Input: a list of {path, bytes} (from a folder drop / <input webkitdirectory> / zip, read by the caller).
 * Supported layouts:
 *   (a) folders — root/<class>/<file>, optionally inside one or more wrapper folders; the class is the first
 *       folder below the folders every image shares (so `set/cat/1.png, set/dog/2.png` → cat, dog). Deeper
 *       sub-folders inside a class folder are allowed. If all images sit in one folder, that folder is the class.
 *   (b) a .zip of the same (or of (c)); expanded with fflate's `unzipSync` as if unzipped in place (a zip
 *       at d/z.zip holding cat/1.png counts as d/cat/1.png for layout and CSV matching); item paths keep the
 *       zip's name for display ("d/z.zip/cat/1.png"). `__MACOSX/`, dotfiles, Thumbs.db and desktop.ini are ignored.
 *   (c) images plus one CSV of `file,label` rows (header optional; a header naming columns like
 *       file/filename/path/image and label/class/category picks the columns). A CSV entry matches an image by
 *       its path relative to the CSV's folder, then by path suffix (which includes the bare basename); an
 *       entry matching several images is reported as ambiguous. When a CSV is used, images it does not list
 *       are reported as unlabelled (their folder names are not used). A CSV that names none of the images is
 *       ignored (reported) and the folder layout is used; with several CSVs, `labels.csv` is preferred.
 *
 * Class names map to the model's labels: exact, then case-insensitive, then as an integer index in [0, K),
 * then "normalised" (case and punctuation ignored, so a folder `T-shirt_top` matches `T-shirt/top`, which
 * cannot be a folder name). Nothing is dropped silently: every file ends up in `items` or in the report.
 */
import { unzipSync } from 'fflate';
import { sniffImageFormat, type ImageFormat } from '@/lib/images';
import { CsvError, parseCsv } from '@/lib/metrics';

export interface InputFile {
  /** Path as given by the browser (webkitRelativePath) or zip entry name; '/' or '\' separators. */
  path: string;
  bytes: Uint8Array;
}

// The format type and the sniffer are lib/images' (one copy for the app).
export type { ImageFormat };

export interface LabelledItem {
  /** Normalised path ('/' separators, no leading './' or '/'); zip entries are prefixed with the zip path. */
  path: string;
  /** The file's bytes (a view into the input or the unzipped entry; not copied). */
  bytes: Uint8Array;
  /** Model class index in [0, K). */
  label: number;
  /** The class name as written in the folder or CSV. */
  className: string;
  /** Detected from the magic bytes (use it for the Blob type when decoding). */
  format: ImageFormat;
}

export type LabelMatch = 'exact' | 'case-insensitive' | 'index' | 'normalised';

export interface DuplicateGroup {
  /**
   * 'same-path': the same path was given twice (the first copy is kept);
   * 'same-content': different files with identical bytes (all kept — check they are not in two classes);
   * 'csv-repeat': the CSV lists the same image more than once (kept once if the labels agree; left out when
   * they conflict).
   */
  kind: 'same-path' | 'same-content' | 'csv-repeat';
  paths: string[];
  /** Model label of each entry of `paths` (−1 where the name is unknown). */
  labels: number[];
  /** Class name of each entry of `paths`, as written in the folder or CSV. */
  classNames: string[];
  /** True when the group carries more than one label. */
  conflicting: boolean;
}

export interface LabelledSetReport {
  /** Which layout was used; 'empty' when no image was found. */
  layout: 'folders' | 'csv' | 'empty';
  /** The CSV used for labels (layout 'csv'), else null. */
  csvFile: string | null;
  /** Zip archives that were expanded. */
  zips: string[];
  /** How each class name was matched to a model label, with its number of items. */
  classMatches: { name: string; label: number; how: LabelMatch; count: number }[];
  /** Class names that match no model label, with the files that carry them (not in `items`). */
  unknownLabels: { name: string; files: string[] }[];
  /** Files that are not readable images (wrong content, empty, bad zip, nested zip, …). */
  unreadable: { path: string; reason: string }[];
  /** Images whose class could not be decided (loose beside class folders; not listed in the CSV). */
  unlabelled: string[];
  /** Model labels with no items. */
  emptyClasses: { label: number; name: string }[];
  duplicates: DuplicateGroup[];
  /** CSV rows naming a file that is not there. */
  missingFiles: { line: number; file: string }[];
  /** CSV rows whose file name matches more than one image. */
  ambiguous: { line: number; file: string; matches: string[] }[];
  /** CSV rows that could not be used (too few cells). */
  csvProblems: { line: number; message: string }[];
  /** Files skipped on purpose (system files, extra CSVs, directories), with why. */
  ignored: { path: string; reason: string }[];
  /** Items per model label, length K. */
  classCounts: number[];
}

export interface LabelledSet {
  items: LabelledItem[];
  report: LabelledSetReport;
}

export interface ParseOptions {
  /** Largest zip entry that is inflated, in bytes (default 256 MiB); bigger ones are reported. */
  maxEntryBytes?: number;
  /** Most bytes all zips may inflate to together (default 1 GiB), checked from the declared sizes before inflating. */
  maxTotalBytes?: number;
}

/** Declared inflate ratio above which an entry (over 1 MiB) is taken for a zip bomb and not opened. */
export const MAX_ZIP_RATIO = 1000;

/** A zip entry name that leaves the archive: '..' components, an absolute path or a drive letter. */
function escapesArchive(name: string): boolean {
  const n = name.replace(/\\/g, '/');
  return n.startsWith('/') || /^[a-zA-Z]:/.test(n) || n.split('/').includes('..');
}

/** fflate's error for a zip that cannot be read, as the user's words: truncated vs damaged. */
function zipErrorReason(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  if (/invalid zip data|unexpected EOF/i.test(m))
    return `the zip archive is truncated or not a zip (its directory at the end is missing: ${m}); copy or download it again`;
  return `the zip archive is damaged (${m}); copy or download it again`;
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'webp', 'gif', 'bmp']);
const SYSTEM_FILES = new Set(['thumbs.db', 'desktop.ini']);

// ────────────────────────────────────────────── small helpers

/** '/' separators, no leading './' or '/', no empty components. */
export function normalizePath(p: string): string {
  return p
    .replace(/\\/g, '/')
    .split('/')
    .filter((c) => c !== '' && c !== '.')
    .join('/');
}

function basename(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? p : p.slice(i + 1);
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

function extension(p: string): string {
  const b = basename(p);
  const i = b.lastIndexOf('.');
  return i <= 0 ? '' : b.slice(i + 1).toLowerCase();
}

/** Why a path is skipped (macOS resource forks, dotfiles, Windows thumbnails), or null. */
function ignoreReason(p: string): string | null {
  const parts = p.split('/');
  if (parts.includes('__MACOSX')) return 'macOS resource fork (__MACOSX)';
  if (parts.some((c) => c.startsWith('.'))) return 'hidden file or folder';
  if (SYSTEM_FILES.has(basename(p).toLowerCase())) return 'system file';
  return null;
}

function startsWith(b: Uint8Array, sig: readonly number[], offset = 0): boolean {
  if (b.length < offset + sig.length) return false;
  return sig.every((v, i) => b[offset + i] === v);
}

function isZip(path: string, b: Uint8Array): boolean {
  return (
    extension(path) === 'zip' || startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06])
  );
}

/**
 * Maps a class name (folder or CSV cell) to a model label index: exact, then case-insensitive (trimmed), then
 * an integer index in [0, K), then normalised (lower case, letters and digits only; must be unique).
 */
export function matchClassName(
  name: string,
  modelLabels: readonly string[],
): { label: number; how: LabelMatch } | null {
  const exact = modelLabels.indexOf(name);
  if (exact >= 0) return { label: exact, how: 'exact' };
  const t = name.trim().toLowerCase();
  const ci = modelLabels.findIndex((l) => l.trim().toLowerCase() === t);
  if (ci >= 0) return { label: ci, how: 'case-insensitive' };
  if (/^\d+$/.test(name.trim())) {
    const i = Number(name.trim());
    if (i < modelLabels.length) return { label: i, how: 'index' };
  }
  const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  const n = norm(name);
  if (n !== '') {
    const hits = modelLabels.map((l, i) => (norm(l) === n ? i : -1)).filter((i) => i >= 0);
    if (hits.length === 1) return { label: hits[0] as number, how: 'normalised' };
  }
  return null;
}

/** FNV-1a 32-bit hash of the bytes (for duplicate detection; confirmed by comparison). */
function fnv1a(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ (b[i] as number), 0x01000193);
  return h >>> 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ────────────────────────────────────────────── the parser

/** A file after zip expansion. `logical` is the path as if every zip had been unzipped in place (the zip's
 * name dropped), used to find class folders and to match CSV entries; `path` keeps the zip name for display. */
interface FlatFile {
  path: string;
  logical: string;
  bytes: Uint8Array;
}

interface ImageFile {
  path: string;
  logical: string;
  bytes: Uint8Array;
  format: ImageFormat;
}

interface Labelled {
  image: ImageFile;
  className: string;
}

/**
 * Decides the class of each file and reports everything it could not use.
 * @param files       the dropped files (zips are expanded); not mutated
 * @param modelLabels the model's class names, length K
 */
export function parseLabelledFiles(
  files: readonly InputFile[],
  modelLabels: readonly string[],
  opts: ParseOptions = {},
): LabelledSet {
  const maxEntryBytes = opts.maxEntryBytes ?? 256 * 1024 * 1024;
  const maxTotalBytes = opts.maxTotalBytes ?? 1024 * 1024 * 1024;
  let inflated = 0;
  const report: LabelledSetReport = {
    layout: 'empty',
    csvFile: null,
    zips: [],
    classMatches: [],
    unknownLabels: [],
    unreadable: [],
    unlabelled: [],
    emptyClasses: [],
    duplicates: [],
    missingFiles: [],
    ambiguous: [],
    csvProblems: [],
    ignored: [],
    classCounts: new Array<number>(modelLabels.length).fill(0),
  };

  // 1. normalise paths, expand zips, drop system files, split into images / CSVs / unreadable.
  const flat: FlatFile[] = [];
  for (const f of files) {
    const path = normalizePath(f.path);
    const why = ignoreReason(path);
    if (why) {
      report.ignored.push({ path, reason: why });
      continue;
    }
    if (!isZip(path, f.bytes)) {
      flat.push({ path, logical: path, bytes: f.bytes });
      continue;
    }
    report.zips.push(path);
    try {
      const skipped: { path: string; reason: string }[] = [];
      const entries = unzipSync(f.bytes, {
        filter: (info) => {
          const p = `${path}/${normalizePath(info.name)}`;
          if (info.name.endsWith('/')) return false;
          const reason = ignoreReason(p);
          if (escapesArchive(info.name)) {
            report.unreadable.push({
              path: `${path}/${info.name}`,
              reason:
                'zip entry points outside the archive (path traversal: “..” or an absolute path); it was not opened',
            });
          } else if (reason) skipped.push({ path: p, reason });
          else if (info.compression !== 0 && info.compression !== 8) {
            report.unreadable.push({
              path: p,
              reason: `zip entry uses compression method ${info.compression}; only stored and deflate are supported`,
            });
          } else if (info.originalSize > maxEntryBytes) {
            report.unreadable.push({
              path: p,
              reason: `zip entry is ${info.originalSize} bytes, over the ${maxEntryBytes}-byte limit`,
            });
          } else if (info.originalSize > 1024 * 1024 && info.originalSize / Math.max(1, info.size) > MAX_ZIP_RATIO) {
            report.unreadable.push({
              path: p,
              reason: `zip entry would inflate ${Math.round(info.originalSize / Math.max(1, info.size))}× (${info.size} bytes → ${mb(info.originalSize)}): a zip bomb? It was not opened`,
            });
          } else if (inflated + info.originalSize > maxTotalBytes) {
            report.unreadable.push({
              path: p,
              reason: `the zips would inflate to more than ${mb(maxTotalBytes)} in total (a zip bomb?); this entry was not opened`,
            });
          } else {
            inflated += info.originalSize;
            return true;
          }
          return false;
        },
      });
      report.ignored.push(...skipped);
      for (const [name, bytes] of Object.entries(entries)) {
        const p = `${path}/${normalizePath(name)}`;
        if (isZip(p, bytes))
          report.unreadable.push({ path: p, reason: 'a zip inside a zip is not opened; unzip it first' });
        else {
          const dir = dirname(path);
          const entry = normalizePath(name);
          flat.push({ path: p, logical: dir === '' ? entry : `${dir}/${entry}`, bytes });
        }
      }
    } catch (e) {
      report.unreadable.push({ path, reason: zipErrorReason(e) });
    }
  }

  const images: ImageFile[] = [];
  const csvs: FlatFile[] = [];
  const seenPath = new Map<string, number>(); // path → index in `images`
  for (const f of flat) {
    const ext = extension(f.path);
    if (ext === 'csv') {
      csvs.push(f);
      continue;
    }
    const format = sniffImageFormat(f.bytes);
    if (!format) {
      const reason =
        f.bytes.length === 0
          ? 'empty file'
          : IMAGE_EXTENSIONS.has(ext)
            ? `has a .${ext} extension but its content is not a PNG, JPEG, WebP, GIF or BMP image`
            : 'not an image (PNG, JPEG, WebP, GIF or BMP)';
      report.unreadable.push({ path: f.path, reason });
      continue;
    }
    const prev = seenPath.get(f.path);
    if (prev !== undefined) {
      const g = report.duplicates.find((d) => d.kind === 'same-path' && d.paths[0] === f.path);
      if (g) g.paths.push(f.path);
      else
        report.duplicates.push({
          kind: 'same-path',
          paths: [f.path, f.path],
          labels: [],
          classNames: [],
          conflicting: false,
        });
      continue;
    }
    seenPath.set(f.path, images.length);
    images.push({ path: f.path, logical: f.logical, bytes: f.bytes, format });
  }

  // 2. decide the layout and the class name of each image.
  let labelled: Labelled[] | null = null;
  if (csvs.length > 0 && images.length > 0) {
    const ordered = [...csvs].sort(
      (a, b) =>
        Number(basename(b.path).toLowerCase() === 'labels.csv') -
          Number(basename(a.path).toLowerCase() === 'labels.csv') || a.path.localeCompare(b.path),
    );
    for (const csv of ordered) {
      if (labelled) {
        report.ignored.push({ path: csv.path, reason: `another CSV (${report.csvFile}) was used for the labels` });
        continue;
      }
      const attempt = labelsFromCsv(csv, images, modelLabels, report);
      if (attempt) {
        labelled = attempt;
        report.layout = 'csv';
        report.csvFile = csv.path;
      } else
        report.ignored.push({
          path: csv.path,
          reason: 'the CSV names none of the images; folder names were used instead',
        });
    }
  } else {
    for (const csv of csvs) report.ignored.push({ path: csv.path, reason: 'a CSV without any images' });
  }
  if (!labelled && images.length > 0) {
    labelled = labelsFromFolders(images, report);
    report.layout = 'folders';
  }

  // 3. map class names to model labels.
  const items: LabelledItem[] = [];
  const matches = new Map<string, { label: number; how: LabelMatch; count: number } | null>();
  const unknown = new Map<string, string[]>();
  for (const { image, className } of labelled ?? []) {
    if (!matches.has(className)) {
      const m = matchClassName(className, modelLabels);
      matches.set(className, m ? { ...m, count: 0 } : null);
    }
    const m = matches.get(className);
    if (!m) {
      const list = unknown.get(className) ?? [];
      list.push(image.path);
      unknown.set(className, list);
      continue;
    }
    m.count++;
    report.classCounts[m.label] = (report.classCounts[m.label] as number) + 1;
    items.push({ path: image.path, bytes: image.bytes, label: m.label, className, format: image.format });
  }
  for (const [name, m] of matches) if (m) report.classMatches.push({ name, ...m });
  for (const [name, list] of unknown) report.unknownLabels.push({ name, files: list });
  report.emptyClasses = modelLabels
    .map((name, label) => ({ label, name }))
    .filter(({ label }) => report.classCounts[label] === 0);

  // Same path given twice: the kept copy's label applies to every entry.
  for (const d of report.duplicates) {
    if (d.kind !== 'same-path') continue;
    const it = items.find((x) => x.path === d.paths[0]);
    d.labels = d.paths.map(() => it?.label ?? -1);
    d.classNames = d.paths.map(() => it?.className ?? '');
  }

  // 4. identical content under different paths.
  const byHash = new Map<string, LabelledItem[]>();
  for (const it of items) {
    const key = `${fnv1a(it.bytes)}:${it.bytes.length}`;
    const list = byHash.get(key) ?? [];
    list.push(it);
    byHash.set(key, list);
  }
  for (const list of byHash.values()) {
    if (list.length < 2) continue;
    // split by actual equality (hash collisions are possible)
    const groups: LabelledItem[][] = [];
    for (const it of list) {
      const g = groups.find((gr) => sameBytes((gr[0] as LabelledItem).bytes, it.bytes));
      if (g) g.push(it);
      else groups.push([it]);
    }
    for (const g of groups) {
      if (g.length < 2) continue;
      const labels = g.map((x) => x.label);
      report.duplicates.push({
        kind: 'same-content',
        paths: g.map((x) => x.path),
        labels,
        classNames: g.map((x) => x.className),
        conflicting: new Set(labels).size > 1,
      });
    }
  }
  return { items, report };
}

/** Layout (a): class = first folder below the folders all images share. */
function labelsFromFolders(images: ImageFile[], report: LabelledSetReport): Labelled[] {
  const dirs = images.map((im) => {
    const d = dirname(im.logical);
    return d === '' ? [] : d.split('/');
  });
  let common = dirs[0] ?? [];
  for (const d of dirs) {
    let i = 0;
    while (i < common.length && i < d.length && common[i] === d[i]) i++;
    common = common.slice(0, i);
  }
  const allInOneFolder = dirs.every((d) => d.length === common.length);
  const out: Labelled[] = [];
  images.forEach((image, i) => {
    const d = dirs[i] as string[];
    if (d.length > common.length) out.push({ image, className: d[common.length] as string });
    else if (allInOneFolder && common.length > 0) out.push({ image, className: common[common.length - 1] as string });
    else report.unlabelled.push(image.path);
  });
  return out;
}

const FILE_COLUMNS = new Set([
  'file',
  'filename',
  'file_name',
  'filepath',
  'file_path',
  'path',
  'image',
  'image_path',
  'img',
  'name',
  'image_name',
]);
const LABEL_COLUMNS = new Set(['label', 'labels', 'class', 'class_name', 'classname', 'category', 'target', 'y']);

/** Layout (c). Returns null when the CSV names none of the images (then folders are tried). */
function labelsFromCsv(
  csv: FlatFile,
  images: ImageFile[],
  modelLabels: readonly string[],
  report: LabelledSetReport,
): Labelled[] | null {
  let records;
  try {
    records = parseCsv(new TextDecoder('utf-8').decode(csv.bytes));
  } catch (e) {
    if (e instanceof CsvError) {
      report.csvProblems.push({ line: 0, message: `${csv.path}: ${e.message}` });
      return null;
    }
    throw e;
  }
  const push = (map: Map<string, ImageFile[]>, key: string, im: ImageFile) => {
    const list = map.get(key) ?? [];
    list.push(im);
    map.set(key, list);
  };
  const byBase = new Map<string, ImageFile[]>();
  const byPath = new Map<string, ImageFile[]>();
  for (const im of images) {
    push(byPath, im.logical, im);
    push(byBase, basename(im.logical), im);
  }
  const csvDir = dirname(csv.logical);
  const resolve = (entry: string): ImageFile[] => {
    const e = normalizePath(entry);
    if (e === '') return [];
    const rel = byPath.get(csvDir === '' ? e : `${csvDir}/${e}`) ?? byPath.get(e);
    if (rel) return rel;
    return (byBase.get(basename(e)) ?? []).filter((im) => im.logical.endsWith(`/${e}`) || im.logical === e);
  };

  let fileCol = 0;
  let labelCol = 1;
  let body = records;
  const first = records[0];
  if (first) {
    const names = first.cells.map((c) => c.trim().toLowerCase());
    const f = names.findIndex((n) => FILE_COLUMNS.has(n));
    const l = names.findIndex((n) => LABEL_COLUMNS.has(n));
    if (f >= 0 && l >= 0 && f !== l) {
      fileCol = f;
      labelCol = l;
      body = records.slice(1);
    } else if (f >= 0 || l >= 0) {
      body = records.slice(1);
    } else {
      // Unrecognised names: a header when its first cell names no image and does not look like a file name.
      const c0 = first.cells[0] ?? '';
      if (resolve(c0).length === 0 && !IMAGE_EXTENSIONS.has(extension(normalizePath(c0)))) body = records.slice(1);
    }
  }

  const assigned = new Map<ImageFile, { classNames: string[] }>();
  let any = false;
  for (const r of body) {
    const file = r.cells[fileCol];
    const cls = r.cells[labelCol];
    if (file === undefined || file === '' || cls === undefined || cls === '') {
      report.csvProblems.push({ line: r.line, message: 'expected a file name and a label' });
      continue;
    }
    const hits = resolve(file);
    if (hits.length === 0) {
      report.missingFiles.push({ line: r.line, file });
      continue;
    }
    any = true;
    if (hits.length > 1) {
      report.ambiguous.push({ line: r.line, file, matches: hits.map((h) => h.path) });
      continue;
    }
    const im = hits[0] as ImageFile;
    const prev = assigned.get(im);
    if (prev) prev.classNames.push(cls);
    else assigned.set(im, { classNames: [cls] });
  }
  if (!any) {
    // not a label file for these images: forget what it reported
    report.missingFiles = [];
    report.ambiguous = [];
    report.csvProblems = [];
    return null;
  }
  const out: Labelled[] = [];
  for (const im of images) {
    const a = assigned.get(im);
    if (!a) {
      if (!report.ambiguous.some((x) => x.matches.includes(im.path))) report.unlabelled.push(im.path);
      continue;
    }
    if (a.classNames.length > 1) {
      const labels = a.classNames.map((c) => matchClassName(c, modelLabels)?.label ?? -1);
      const conflicting = new Set(labels).size > 1;
      report.duplicates.push({
        kind: 'csv-repeat',
        paths: a.classNames.map(() => im.path),
        labels,
        classNames: a.classNames,
        conflicting,
      });
      if (conflicting) continue;
    }
    out.push({ image: im, className: a.classNames[0] as string });
  }
  return out;
}
