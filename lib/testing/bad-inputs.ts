/**
 * The bad-input corpus (issue #19): bad, extreme and malicious inputs a hostile user can give the app, each
 * made by code here (no committed binaries: bombs, huge headers and broken files are generated), with the
 * message the app must answer with. bad-inputs.test.ts runs every case through the real parsing function
 * of its kind; e2e/hardening.spec.ts drops the user-facing ones on the page. No `@/` imports (Playwright
 * imports this file by relative path), no tfjs.
 *
 * A case's `expect` is matched against the message the app produces: an error message, a report line, or
 * for URL state and storage the outcome in words ("refused" when the default applies).
 */
import { strToU8, zipSync } from 'fflate';

export type BadInputKind =
  'image' | 'model' | 'model-url' | 'card' | 'labelled-set' | 'cost' | 'priors' | 'url-state' | 'storage';

/** One named file of a case (bytes made by code). */
export interface BadFile {
  name: string;
  bytes: Uint8Array;
}

export interface BadInput {
  id: string;
  kind: BadInputKind;
  /** How the input is made, in words. */
  how: string;
  /** The files (image, model, labelled-set, cost kinds) or the text (card, url-state, storage, priors as JSON). */
  make: () => BadFile[] | string;
  /** What the app must say. */
  expect: RegExp;
  /** Shown to the user through the page (the e2e spec drops these). */
  userFacing?: boolean;
}

/** Sets `window.__pwned` if it ever runs as script or markup; the e2e spec asserts it stays undefined. */
export const XSS = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>`;

const bytes = (...b: number[]) => Uint8Array.from(b);
const text = (s: string) => strToU8(s);
const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function be32(n: number): number[] {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}

/** A PNG signature + IHDR chunk of the given size (CRC not checked by the header reader), optional IEND. */
export function pngHeader(width: number, height: number, withEnd = true): Uint8Array {
  const ihdr = [
    ...be32(13),
    ...[...'IHDR'].map((c) => c.charCodeAt(0)),
    ...be32(width),
    ...be32(height),
    8,
    2,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ];
  const iend = [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];
  return Uint8Array.from([...PNG_SIG, ...ihdr, ...(withEnd ? iend : [])]);
}

/** A zip whose single entry is `size` zero bytes (deflates ~1000:1): a zip bomb by ratio. */
export function zipBomb(size = 8 * 1024 * 1024): Uint8Array {
  return zipSync({ 'cat/bomb.png': new Uint8Array(size) }, { level: 9 });
}

/** A zip with an entry whose name climbs out of the archive. */
export function traversalZip(): Uint8Array {
  return zipSync({ '../../../etc/cat/evil.png': pngHeader(2, 2), 'cat/ok.png': pngHeader(3, 3) });
}

/** A small valid zip of one class folder, cut to `keep` of its bytes. */
export function truncatedZip(keep = 0.6): Uint8Array {
  const z = zipSync({ 'cat/1.png': pngHeader(4, 4), 'dog/2.png': pngHeader(5, 5) });
  return z.slice(0, Math.floor(z.length * keep));
}

/** A valid zip whose deflate data is overwritten with noise (directory intact). */
export function corruptZip(): Uint8Array {
  const noise = Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24);
  const z = zipSync({ 'cat/1.png': noise }, { level: 9 });
  const c = z.slice();
  for (let i = 60; i < 400; i++) c[i] = (c[i] as number) ^ 0x5a;
  return c;
}

/** model.json text for a tiny layers model (topology only: what the loaders check before tfjs). */
function layersJson(extra: Record<string, unknown> = {}, layers?: unknown[]): string {
  return JSON.stringify({
    format: 'layers-model',
    generatedBy: 'corpus',
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: layers ?? [
          { class_name: 'Flatten', config: { name: 'f', batch_input_shape: [null, 4, 4, 1] } },
          { class_name: 'Dense', config: { name: 'd', units: 2, activation: 'softmax' } },
        ],
      },
    },
    weightsManifest: [
      {
        paths: ['w.bin'],
        weights: [
          { name: 'd/kernel', shape: [16, 2], dtype: 'float32' },
          { name: 'd/bias', shape: [2], dtype: 'float32' },
        ],
      },
    ],
    ...extra,
  });
}
const W_BYTES = (16 * 2 + 2) * 4;

const many = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);

/** Ten classes used by the cost, priors and labelled-set cases. */
export const CORPUS_LABELS = ['cat', 'dog', 'bird'];

/** One image a.png and a labels.csv with `csv` (a labelled set in the CSV layout). */
function csvSet(csv: string): BadFile[] {
  return [
    { name: 'a.png', bytes: pngHeader(2, 2) },
    { name: 'labels.csv', bytes: text(csv) },
  ];
}

/** A URL-state or storage text the app must refuse (the default then applies). */
function refused(kind: 'url-state' | 'storage', id: string, how: string, value: string): BadInput {
  return { id, kind, how, make: () => value, expect: /^refused$/ };
}

export const BAD_INPUTS: readonly BadInput[] = [
  // ───────────── images (checkImageBytes: refused from the header, before any decoder allocates)
  {
    id: 'img-empty',
    kind: 'image',
    how: '0 bytes',
    make: () => [{ name: 'empty.png', bytes: new Uint8Array(0) }],
    expect: /empty/i,
    userFacing: true,
  },
  {
    id: 'img-3-bytes',
    kind: 'image',
    how: '3 random bytes',
    make: () => [{ name: 'x.png', bytes: bytes(1, 2, 3) }],
    expect: /not an image|not a/i,
  },
  {
    id: 'img-text',
    kind: 'image',
    how: 'a text file named .png',
    make: () => [{ name: 'notes.png', bytes: text('hello, this is text') }],
    expect: /not an image|text/i,
    userFacing: true,
  },
  {
    id: 'img-html-xss',
    kind: 'image',
    how: 'an HTML page with a script payload named .jpg',
    make: () => [{ name: `${XSS}.jpg`, bytes: text(`<!doctype html><html>${XSS}</html>`) }],
    expect: /HTML|web page|not an image/i,
    userFacing: true,
  },
  {
    id: 'img-svg-xss',
    kind: 'image',
    how: 'an SVG with an onload script',
    make: () => [
      { name: 'x.svg', bytes: text(`<svg xmlns="http://www.w3.org/2000/svg" onload="window.__pwned=1"></svg>`) },
    ],
    expect: /SVG|not an image|unsupported/i,
    userFacing: true,
  },
  {
    id: 'img-pdf',
    kind: 'image',
    how: 'a PDF header',
    make: () => [{ name: 'doc.png', bytes: text('%PDF-1.7\n%âãÏÓ') }],
    expect: /PDF|not an image/i,
  },
  {
    id: 'img-zip',
    kind: 'image',
    how: 'a zip named .png',
    make: () => [{ name: 'a.png', bytes: zipSync({ 'a.txt': text('x') }) }],
    expect: /zip|not an image/i,
  },
  {
    id: 'img-png-sig-only',
    kind: 'image',
    how: 'the 8-byte PNG signature alone',
    make: () => [{ name: 's.png', bytes: Uint8Array.from(PNG_SIG) }],
    expect: /truncated|incomplete|cut/i,
    userFacing: true,
  },
  {
    id: 'img-png-no-iend',
    kind: 'image',
    how: 'a PNG header without IEND (cut download)',
    make: () => [{ name: 'cut.png', bytes: pngHeader(10, 10, false) }],
    expect: /truncated|incomplete|cut/i,
  },
  {
    id: 'img-png-huge',
    kind: 'image',
    how: 'a PNG header claiming 100000 × 100000 pixels',
    make: () => [{ name: 'huge.png', bytes: pngHeader(100_000, 100_000) }],
    expect: /pixels|too large|megapixel/i,
    userFacing: true,
  },
  {
    id: 'img-png-zero',
    kind: 'image',
    how: 'a PNG header claiming 0 × 10 pixels',
    make: () => [{ name: 'zero.png', bytes: pngHeader(0, 10) }],
    expect: /0 ?×|zero|no pixels|empty/i,
  },
  {
    id: 'img-jpeg-soi',
    kind: 'image',
    how: 'a JPEG start-of-image marker alone',
    make: () => [{ name: 'j.jpg', bytes: bytes(0xff, 0xd8, 0xff) }],
    expect: /truncated|incomplete|cut/i,
  },
  {
    id: 'img-gif-header',
    kind: 'image',
    how: 'a GIF89a header alone',
    make: () => [{ name: 'g.gif', bytes: text('GIF89a') }],
    expect: /truncated|incomplete|cut/i,
  },
  {
    id: 'img-webp-riff',
    kind: 'image',
    how: 'a RIFF/WEBP container with no image chunk',
    make: () => [{ name: 'w.webp', bytes: text('RIFF\u0004\u0000\u0000\u0000WEBP') }],
    expect: /truncated|incomplete|cut|WebP/i,
  },
  {
    id: 'img-tiff',
    kind: 'image',
    how: 'a TIFF header',
    make: () => [{ name: 't.tif', bytes: bytes(0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0) }],
    expect: /TIFF|not supported|unsupported/i,
  },
  {
    id: 'img-exe',
    kind: 'image',
    how: 'a Windows executable header named .jpg',
    make: () => [{ name: 'setup.jpg', bytes: text('MZ\u0090\u0000\u0003') }],
    expect: /not an image|program|executable/i,
  },

  // ───────────── models (loadAnyModelFromFiles: the files path every drop and URL download takes)
  { id: 'model-none', kind: 'model', how: 'no files at all', make: () => [], expect: /No files/i },
  {
    id: 'model-image',
    kind: 'model',
    how: 'a PNG dropped as a model',
    make: () => [{ name: 'cat.png', bytes: pngHeader(4, 4) }],
    expect: /image|not a model/i,
    userFacing: true,
  },
  {
    id: 'model-html-json',
    kind: 'model',
    how: 'an HTML error page saved as model.json',
    make: () => [{ name: 'model.json', bytes: text(`<!doctype html><title>404</title>${XSS}`) }],
    expect: /web page \(HTML\)/,
    userFacing: true,
  },
  {
    id: 'model-bad-json',
    kind: 'model',
    how: 'model.json cut in the middle',
    make: () => [{ name: 'model.json', bytes: text(layersJson().slice(0, 60)) }],
    expect: /JSON|parse|malformed|not valid/i,
    userFacing: true,
  },
  {
    id: 'model-json-array',
    kind: 'model',
    how: 'model.json that is a JSON array',
    make: () => [{ name: 'model.json', bytes: text('[1, 2, 3]') }],
    expect: /not a (TensorFlow\.js )?model|object|modelTopology/i,
  },
  {
    id: 'model-no-weights',
    kind: 'model',
    how: 'model.json without its weight file',
    make: () => [{ name: 'model.json', bytes: text(layersJson()) }],
    expect: /w\.bin/,
    userFacing: true,
  },
  {
    id: 'model-short-weights',
    kind: 'model',
    how: 'a weight file 8 bytes short',
    make: () => [
      { name: 'model.json', bytes: text(layersJson()) },
      { name: 'w.bin', bytes: new Uint8Array(W_BYTES - 8) },
    ],
    expect: /bytes|short|expected/i,
  },
  {
    id: 'model-nan-weights',
    kind: 'model',
    how: 'weights that are all NaN',
    make: () => [
      { name: 'model.json', bytes: text(layersJson()) },
      { name: 'w.bin', bytes: new Uint8Array(new Float32Array(W_BYTES / 4).fill(NaN).buffer) },
    ],
    expect: /NaN|not finite|infinite/i,
    userFacing: true,
  },
  {
    id: 'model-unknown-layer',
    kind: 'model',
    how: 'a layer class TF.js does not have',
    make: () => [
      {
        name: 'model.json',
        bytes: text(
          layersJson({}, [{ class_name: 'QuantumLayer', config: { name: 'q', batch_input_shape: [null, 4, 4, 1] } }]),
        ),
      },
      { name: 'w.bin', bytes: new Uint8Array(W_BYTES) },
    ],
    expect: /QuantumLayer/,
    userFacing: true,
  },
  {
    id: 'model-xss-layer-name',
    kind: 'model',
    how: 'a layer class named with a script payload',
    make: () => [
      { name: 'model.json', bytes: text(layersJson({}, [{ class_name: XSS, config: { name: 'q' } }])) },
      { name: 'w.bin', bytes: new Uint8Array(W_BYTES) },
    ],
    expect: /onerror/,
  },
  {
    id: 'model-pytorch',
    kind: 'model',
    how: 'a PyTorch checkpoint (zip with data.pkl) named .pt',
    make: () => [
      {
        name: 'net.pt',
        bytes: zipSync({ 'archive/data.pkl': bytes(0x80, 2, 0x7d, 0x71, 0), 'archive/version': text('3') }),
      },
    ],
    expect: /PyTorch/,
    userFacing: true,
  },
  {
    id: 'model-tflite',
    kind: 'model',
    how: 'a TFLite flatbuffer (TFL3) named .tflite',
    make: () => [{ name: 'm.tflite', bytes: Uint8Array.from([0x1c, 0, 0, 0, ...strToU8('TFL3'), 0, 0, 0, 0]) }],
    expect: /TFLite|TensorFlow Lite/i,
  },
  {
    id: 'model-onnx-garbage',
    kind: 'model',
    how: '64 random-looking bytes named .onnx',
    make: () => [{ name: 'm.onnx', bytes: Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 255) }],
    expect: /ONNX|protobuf|not a model|could not/i,
    userFacing: true,
  },
  {
    id: 'model-h5-garbage',
    kind: 'model',
    how: 'text named .h5',
    make: () => [{ name: 'm.h5', bytes: text('not really hdf5') }],
    expect: /HDF5|h5|Keras|not a model/i,
  },
  {
    id: 'model-keras-corrupt',
    kind: 'model',
    how: 'a truncated zip named .keras',
    make: () => [{ name: 'm.keras', bytes: truncatedZip(0.5) }],
    expect: /zip|Keras|truncated|damaged|not a model/i,
  },
  {
    id: 'model-onnx-beside-json',
    kind: 'model',
    how: 'an invalid .onnx dropped beside a model.json',
    make: () => [
      { name: 'model.json', bytes: text(layersJson()) },
      { name: 'm.onnx', bytes: bytes(8, 7, 18, 3) },
    ],
    expect: /m\.onnx is not an ONNX model/,
  },

  // ───────────── model URLs (checkModelUrl / downloadModelFiles)
  {
    id: 'url-javascript',
    kind: 'model-url',
    how: 'javascript:window.__pwned=1',
    make: () => 'javascript:window.__pwned=1',
    expect: /is not an http\(s\) URL/,
    userFacing: true,
  },
  {
    id: 'url-file',
    kind: 'model-url',
    how: 'file:///etc/passwd',
    make: () => 'file:///etc/passwd',
    expect: /is not an http\(s\) URL/,
  },
  {
    id: 'url-ftp',
    kind: 'model-url',
    how: 'ftp://host/model.json',
    make: () => 'ftp://example.org/model.json',
    expect: /is not an http\(s\) URL/,
  },
  {
    id: 'url-garbage',
    kind: 'model-url',
    how: 'http://[::1 (not a URL)',
    make: () => 'http://[::1',
    expect: /is not a URL/,
  },
  {
    id: 'url-data-json-weights',
    kind: 'model-url',
    how: 'a data: URL of a model.json that names weight files',
    make: () => `data:application/json,${encodeURIComponent(layersJson())}`,
    expect: /data: URL cannot name weight files/,
    userFacing: true,
  },

  // ───────────── model cards (parseCardJson)
  { id: 'card-not-json', kind: 'card', how: 'card.json that is not JSON', make: () => '{ name: pets', expect: /JSON/ },
  {
    id: 'card-array',
    kind: 'card',
    how: 'card.json that is an array',
    make: () => '["a"]',
    expect: /must be a JSON object/,
  },
  { id: 'card-channels-4', kind: 'card', how: 'channels: 4', make: () => '{"channels": 4}', expect: /channels/ },
  {
    id: 'card-norm-preset',
    kind: 'card',
    how: 'an unknown normalisation preset',
    make: () => '{"normalization": "fancy"}',
    expect: /normalization "fancy" is not one of/,
  },
  {
    id: 'card-std-zero',
    kind: 'card',
    how: 'normalisation std 0',
    make: () => '{"normalization": {"scale": 1, "mean": [0], "std": [0]}}',
    expect: /std must not contain 0/,
  },
  {
    id: 'card-absurd-mean',
    kind: 'card',
    how: 'normalisation mean 1e6 for pixels in [0, 1]',
    make: () => '{"normalization": {"scale": 1, "mean": [1000000], "std": [1]}}',
    expect: /mean 1000000 is far outside the pixel range/,
    userFacing: true,
  },
  {
    id: 'card-absurd-std',
    kind: 'card',
    how: 'normalisation std 1e-9 for pixels in [0, 255]',
    make: () => '{"normalization": {"scale": 255, "mean": [0], "std": [1e-9]}}',
    expect: /std 1e-9 is absurd for pixels in \[0, 255\]/,
  },
  {
    id: 'card-scale-neg',
    kind: 'card',
    how: 'normalisation scale −1',
    make: () => '{"normalization": {"scale": -1, "mean": [0], "std": [1]}}',
    expect: /scale must be a positive number/,
  },
  {
    id: 'card-input-zero',
    kind: 'card',
    how: 'inputSize 0 × 2',
    make: () => '{"inputSize": {"height": 0, "width": 2}}',
    expect: /inputSize|height/,
  },
  {
    id: 'card-labels-object',
    kind: 'card',
    how: 'labels given as an object, not a list',
    make: () => '{"labels": {"a": 1}}',
    expect: /labels/,
  },
  {
    id: 'card-resize',
    kind: 'card',
    how: 'an unknown resize policy',
    make: () => '{"resize": "zoom"}',
    expect: /resize/,
  },

  // ───────────── labelled sets (parseLabelledFiles: zips, CSVs)
  {
    id: 'set-zip-truncated',
    kind: 'labelled-set',
    how: 'a zip cut at 60 %',
    make: () => [{ name: 'set.zip', bytes: truncatedZip() }],
    expect: /zip archive is truncated/,
    userFacing: true,
  },
  {
    id: 'set-zip-corrupt',
    kind: 'labelled-set',
    how: 'a zip whose deflate data is noise',
    make: () => [{ name: 'set.zip', bytes: corruptZip() }],
    expect: /zip archive is damaged/,
  },
  {
    id: 'set-zip-traversal',
    kind: 'labelled-set',
    how: 'a zip entry named ../../../etc/cat/evil.png',
    make: () => [{ name: 'set.zip', bytes: traversalZip() }],
    expect: /points outside the archive \(path traversal/,
    userFacing: true,
  },
  {
    id: 'set-zip-bomb',
    kind: 'labelled-set',
    how: 'an 8 MB entry of zeros deflated ~1000:1',
    make: () => [{ name: 'set.zip', bytes: zipBomb() }],
    expect: /a zip bomb\? It was not opened/,
    userFacing: true,
  },
  {
    id: 'set-zip-in-zip',
    kind: 'labelled-set',
    how: 'a zip inside a zip',
    make: () => [{ name: 'set.zip', bytes: zipSync({ 'inner.zip': zipSync({ 'cat/1.png': pngHeader(2, 2) }) }) }],
    expect: /zip inside a zip/,
  },
  {
    id: 'set-not-zip',
    kind: 'labelled-set',
    how: 'text named .zip',
    make: () => [{ name: 'set.zip', bytes: text('PK but not really') }],
    expect: /truncated or not a zip/,
  },
  {
    id: 'set-csv-unknown-label',
    kind: 'labelled-set',
    how: 'a CSV naming a class the model does not have',
    make: () => csvSet('file,label\na.png,zebra\n'),
    expect: /zebra/,
  },
  {
    id: 'set-csv-missing-file',
    kind: 'labelled-set',
    how: 'a CSV naming a file that is not there',
    make: () => csvSet('file,label\na.png,cat\nnope.png,dog\n'),
    expect: /nope\.png/,
  },
  {
    id: 'set-csv-xss-label',
    kind: 'labelled-set',
    how: 'a CSV label with a script payload',
    make: () => csvSet(`file,label\na.png,"${XSS.replace(/"/g, '""')}"\n`),
    expect: /onerror/,
  },

  // ───────────── cost files (parseCostFile)
  {
    id: 'cost-not-json',
    kind: 'cost',
    how: 'cost.json that is not JSON',
    make: () => [{ name: 'cost.json', bytes: text('{"labels": [') }],
    expect: /not valid JSON/,
    userFacing: true,
  },
  {
    id: 'cost-wrong-k',
    kind: 'cost',
    how: '2 labels for a 3-class model',
    make: () => [{ name: 'cost.json', bytes: text('{"labels": ["cat", "dog"], "matrix": [[0, 1], [1, 0]]}') }],
    expect: /2 labels but the model has 3/,
  },
  {
    id: 'cost-negative',
    kind: 'cost',
    how: 'a negative cost',
    make: () => [{ name: 'cost.csv', bytes: text('cat,dog,bird\n0,-1,1\n1,0,1\n1,1,0\n') }],
    expect: /negative; costs must be ≥ 0/,
  },
  {
    id: 'cost-nan',
    kind: 'cost',
    how: 'a cell "NaN"',
    make: () => [{ name: 'cost.csv', bytes: text('cat,dog,bird\n0,NaN,1\n1,0,1\n1,1,0\n') }],
    expect: /"NaN" is not a number/,
  },
  {
    id: 'cost-1e308',
    kind: 'cost',
    how: 'a cost of 1e308',
    make: () => [{ name: 'cost.csv', bytes: text('cat,dog,bird\n0,1e308,1\n1,0,1\n1,1,0\n') }],
    expect: /is too large; costs must be at most 1000000000000/,
    userFacing: true,
  },
  {
    id: 'cost-ragged',
    kind: 'cost',
    how: 'a ragged CSV row',
    make: () => [{ name: 'cost.csv', bytes: text('cat,dog,bird\n0,1\n1,0,1\n1,1,0\n') }],
    expect: /ragged row/,
  },
  {
    id: 'cost-unknown-label',
    kind: 'cost',
    how: 'a header label the model does not have',
    make: () => [{ name: 'cost.csv', bytes: text('cat,dog,zebra\n0,1,1\n1,0,1\n1,1,0\n') }],
    expect: /Unknown label "zebra"/,
  },
  {
    id: 'cost-duplicate-label',
    kind: 'cost',
    how: 'a header naming dog twice',
    make: () => [{ name: 'cost.csv', bytes: text('cat,dog,dog\n0,1,1\n1,0,1\n1,1,0\n') }],
    expect: /names "dog" twice/,
  },
  {
    id: 'cost-formula-label',
    kind: 'cost',
    how: 'a label =HYPERLINK(...) that is not a class',
    make: () => [{ name: 'cost.csv', bytes: text('"=HYPERLINK(""http://evil"")",dog,bird\n0,1,1\n1,0,1\n1,1,0\n') }],
    expect: /Unknown label "=HYPERLINK/,
  },

  // ───────────── priors (normalizePriors, JSON list)
  {
    id: 'priors-negative',
    kind: 'priors',
    how: '[-1, 1, 1]',
    make: () => '[-1, 1, 1]',
    expect: /entry 0 = -1 must be a finite number ≥ 0/,
  },
  {
    id: 'priors-nan',
    kind: 'priors',
    how: '[NaN, 1, 1] (null in JSON)',
    make: () => '[null, 1, 1]',
    expect: /entry 0 = NaN must be a finite number ≥ 0/,
  },
  { id: 'priors-zero', kind: 'priors', how: '[0, 0, 0]', make: () => '[0, 0, 0]', expect: /sum to 0/ },
  {
    id: 'priors-length',
    kind: 'priors',
    how: 'two priors for three classes',
    make: () => '[1, 1]',
    expect: /have 2 entries; the model has 3 classes/,
  },

  // ───────────── URL state (readView / writeView) and localStorage: refused means the default applies
  refused('url-state', 'url-40kb-model', '?model= with 40,000 characters', `model=${'x'.repeat(40_000)}`),
  refused('url-state', 'url-control-chars', '?model= with a control character', 'model=a%00b'),
  refused('url-state', 'url-bad-backend', '?backend=quantum', 'backend=quantum'),
  {
    id: 'url-40kb-foreign',
    kind: 'url-state',
    how: 'a 40 KB foreign parameter the app would write back',
    make: () => `junk=${'y'.repeat(40_000)}`,
    expect: /^fits$/,
  },
  refused('storage', 'storage-cost-garbage', 'the cost settings in localStorage are not JSON', '{{{'),
  refused('storage', 'storage-cost-huge', 'the cost settings are 2 MB', `{"x":"${'z'.repeat(2_000_000)}"}`),
  {
    id: 'storage-cost-wrong-shape',
    kind: 'storage',
    how: 'a stored matrix that is not square',
    make: () => JSON.stringify({ [JSON.stringify(CORPUS_LABELS)]: { matrix: [[0, 1]], priors: null, merges: [] } }),
    expect: /^dropped$/,
  },
  {
    id: 'storage-idb-broken',
    kind: 'storage',
    how: 'IndexedDB throws InvalidStateError on every call',
    make: () => 'idb-broken',
    expect: /storage \(IndexedDB\) cannot be used .*kept for this session only/,
  },
  {
    id: 'storage-idb-damaged',
    kind: 'storage',
    how: 'a saved model record with an invalid format',
    make: () => 'idb-damaged',
    expect: /damaged \("format" is invalid\)/,
  },
  {
    id: 'cost-k-100000',
    kind: 'cost',
    how: 'a cost file for a 100,000-class model',
    make: () => [{ name: 'cost.csv', bytes: text('a,b\n0,1\n1,0\n') }],
    expect: /100,000 classes; the cost-matrix editor, presets, import and export handle up to 100/,
  },
];

/** Labels of the 100,000-class case. */
export const HUGE_LABELS = many(100_000);
