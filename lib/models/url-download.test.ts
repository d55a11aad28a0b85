import { describe, expect, it } from 'vitest';
import { checkModelUrl, downloadModelFiles, MAX_MODEL_URL_BYTES, modelNameFromUrl } from './url-download';
import { ModelError } from './types';

const BASE = 'https://models.example/net/';

/** A fetch double: each route is a Response factory; unknown URLs → 404. Records every request. */
function routes(map: Record<string, () => Response | Promise<Response>>, seen: string[] = []): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    seen.push(url);
    const make = map[url];
    if (!make) return new Response('missing', { status: 404, statusText: 'Not Found' });
    const res = await Promise.race([
      Promise.resolve(make()),
      new Promise<never>((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      ),
    ]);
    return res;
  }) as typeof fetch;
}

/** A body that sends `chunk` forever (until cancelled), counting what it sent. */
function endless(chunk = new Uint8Array(64 * 1024)): { body: ReadableStream<Uint8Array>; sent: () => number } {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      sent += chunk.byteLength;
      c.enqueue(chunk);
    },
  });
  return { body, sent: () => sent };
}

const never = () => new Promise<Response>(() => undefined);

async function rejection(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(Error);
  return e as Error;
}

describe('checkModelUrl', () => {
  it.each([
    ['javascript:alert(1)', 'is not an http(s) URL'],
    ['file:///etc/passwd', 'is not an http(s) URL'],
    ['ftp://x.example/model.json', 'is not an http(s) URL'],
    ['http://[::1', 'is not a URL'],
  ])('%s → %s', (raw, msg) => {
    expect(() => checkModelUrl(raw, BASE)).toThrow(ModelError);
    expect(() => checkModelUrl(raw, BASE)).toThrow(msg);
  });
  it('accepts http(s), relative and data: URLs; names the model after its folder', () => {
    expect(checkModelUrl('model.json', BASE).href).toBe(`${BASE}model.json`);
    expect(checkModelUrl('data:application/octet-stream;base64,AAAA', BASE).protocol).toBe('data:');
    expect(modelNameFromUrl(new URL(`${BASE}model.json`))).toBe('net');
    expect(modelNameFromUrl(new URL('https://x.example/resnet18.onnx'))).toBe('resnet18');
  });
});

describe('downloadModelFiles', () => {
  const modelJson = JSON.stringify({
    format: 'layers-model',
    modelTopology: {},
    weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: [] }],
  });

  it('model.json and its weight files, relative to it, as files; progress rises to 1', async () => {
    const seen: string[] = [];
    const progress: number[] = [];
    const files = await downloadModelFiles(`${BASE}model.json`, {
      fetch: routes(
        {
          [`${BASE}model.json`]: () => new Response(modelJson),
          [`${BASE}group1-shard1of2.bin`]: () => new Response(new Uint8Array(10)),
          [`${BASE}group1-shard2of2.bin`]: () => new Response(new Uint8Array(6)),
        },
        seen,
      ),
      onProgress: (f) => progress.push(f),
    });
    expect(files.map((f) => [f.name, f.size])).toEqual([
      ['model.json', modelJson.length],
      ['group1-shard1of2.bin', 10],
      ['group1-shard2of2.bin', 6],
    ]);
    expect(seen).toEqual([`${BASE}model.json`, `${BASE}group1-shard1of2.bin`, `${BASE}group1-shard2of2.bin`]);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toBe(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1] as number);
  });

  it('a server that never answers times out with a message', async () => {
    const e = await rejection(
      downloadModelFiles(`${BASE}model.json`, { fetch: routes({ [`${BASE}model.json`]: never }), idleTimeoutMs: 50 }),
    );
    expect(e.message).toBe(
      `${BASE}model.json sent nothing for 0 s while downloading the model; the download was stopped. Check the address or try again later.`,
    );
  });

  it('Cancel stops a download that never answers (AbortError)', async () => {
    const ctrl = new AbortController();
    const p = downloadModelFiles(`${BASE}model.json`, {
      fetch: routes({ [`${BASE}model.json`]: never }),
      signal: ctrl.signal,
    });
    setTimeout(() => ctrl.abort(), 20);
    const e = await rejection(p);
    expect(e.name).toBe('AbortError');
  });

  it('an endless response stops at the byte limit while streaming', async () => {
    const src = endless();
    const e = await rejection(
      downloadModelFiles(`${BASE}big.onnx`, {
        fetch: routes({ [`${BASE}big.onnx`]: () => new Response(src.body) }),
        maxBytes: 1024 * 1024,
      }),
    );
    expect(e.message).toContain('is larger than the limit of 1.0 MB for a model download');
    expect(src.sent()).toBeLessThan(4 * 1024 * 1024);
  });

  it('a Content-Length above the limit is refused before reading', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(16));
      },
    });
    const e = await rejection(
      downloadModelFiles(`${BASE}model.onnx`, {
        fetch: routes({
          [`${BASE}model.onnx`]: () =>
            new Response(body, { headers: { 'content-length': String(MAX_MODEL_URL_BYTES + 1) } }),
        }),
      }),
    );
    expect(e.message).toContain('larger than the limit of 512 MB');
    expect(pulled).toBeLessThanOrEqual(2); // the stream's first pull at most, never the body
  });

  it('a stalled stream (no chunk for the idle time) times out', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(8)); // then nothing, never closed
      },
    });
    const e = await rejection(
      downloadModelFiles(`${BASE}m.onnx`, {
        fetch: routes({ [`${BASE}m.onnx`]: () => new Response(body) }),
        idleTimeoutMs: 50,
      }),
    );
    expect(e.message).toContain('sent nothing for 0 s');
  });

  it('404 and 500 are named; a missing shard names the file', async () => {
    expect((await rejection(downloadModelFiles(`${BASE}x.json`, { fetch: routes({}) }))).message).toBe(
      `Nothing was found at ${BASE}x.json (404 not found). Check the address of the model.`,
    );
    const e = await rejection(
      downloadModelFiles(`${BASE}model.json`, { fetch: routes({ [`${BASE}model.json`]: () => new Response(modelJson) }) }),
    );
    expect(e.message).toContain('the weight file “group1-shard1of2.bin”');
    const s = await rejection(
      downloadModelFiles(`${BASE}m.onnx`, {
        fetch: routes({ [`${BASE}m.onnx`]: () => new Response('x', { status: 500, statusText: 'Oops' }) }),
      }),
    );
    expect(s.message).toBe(`The server answered “500 Oops” for ${BASE}m.onnx while downloading the model.`);
  });

  it('data: URLs: a single file is accepted; a model.json naming weight files is refused plainly', async () => {
    const bytes = Uint8Array.of(8, 1, 18, 4);
    const b64 = Buffer.from(bytes).toString('base64');
    const files = await downloadModelFiles(`data:application/octet-stream;base64,${b64}`);
    expect(files.map((f) => f.name)).toEqual(['model']);
    expect(new Uint8Array(await files[0]!.arrayBuffer())).toEqual(bytes);
    const json = `data:application/json;base64,${Buffer.from(modelJson).toString('base64')}`;
    const e = await rejection(downloadModelFiles(json));
    expect(e.message).toContain('A model.json in a data: URL cannot name weight files (“group1-shard1of2.bin”)');
  });

  it('weight paths that leave http(s) are refused', async () => {
    const evil = JSON.stringify({ weightsManifest: [{ paths: ['javascript:alert(1)'] }] });
    const e = await rejection(
      downloadModelFiles(`${BASE}model.json`, { fetch: routes({ [`${BASE}model.json`]: () => new Response(evil) }) }),
    );
    expect(e.message).toBe('model.json names the weight file “javascript:alert(1)”, which is not an http(s) address.');
  });
});
