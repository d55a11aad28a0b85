/**
 * Hardening (issue #19), lean: the user-facing cases of the bad-input corpus (lib/testing/bad-inputs.ts)
 * dropped on one page load, each answered with its specific message; afterwards the page still explains a
 * bundled sample, the image and model loaded before are still there, no script of a payload ran
 * (window.__pwned), and no request left the origin except the model URLs this test routes itself. Plus the
 * model-URL loader's Cancel (a host that never answers) and byte limit (a 5 GB Content-Length), and a
 * 100,000-class model that loads, predicts and opens Evaluate without building anything K×K.
 * Console and page errors fail every test (fixtures/test.ts).
 */
import { expect, test, hooks } from './fixtures/test';
import { file, png, type FilePayload } from './fixtures/files';
import { ComparePage } from './pages/compare-page';
import { DashboardPage } from './pages/dashboard-page';
import { ExplainPage, FASHION, firstIndexOf } from './pages/explain-page';
import { BAD_INPUTS, XSS, type BadInput } from '../lib/testing/bad-inputs';
import { VALID_IMAGES } from '../lib/testing/valid-images';

const MODEL = 'fashion-scratch';
const ROUTED = ['https://never.example/', 'https://huge.example/'];

const payloads = (c: BadInput): FilePayload[] => {
  const v = c.make();
  if (typeof v === 'string') throw new Error(`${c.id}: not files`);
  return v.map((f) => file(f.name, 'application/octet-stream', Buffer.from(f.bytes)));
};
const cases = (kind: BadInput['kind']) => BAD_INPUTS.filter((c) => c.userFacing && c.kind === kind);

/** A Flatten → Dense(k, softmax) TF.js model on 4×4 grey input, as model.json + weights (biases rise with i). */
function denseModel(k: number): FilePayload[] {
  const json = {
    format: 'layers-model',
    generatedBy: 'hardening.spec',
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name: 'wide',
        layers: [
          { class_name: 'Flatten', config: { name: 'f', batch_input_shape: [null, 4, 4, 1] } },
          { class_name: 'Dense', config: { name: 'd', units: k, activation: 'softmax' } },
        ],
      },
    },
    weightsManifest: [
      {
        paths: ['w.bin'],
        weights: [
          { name: 'd/kernel', shape: [16, k], dtype: 'float32' },
          { name: 'd/bias', shape: [k], dtype: 'float32' },
        ],
      },
    ],
  };
  const w = new Float32Array(16 * k + k);
  for (let i = 0; i < k; i++) w[16 * k + i] = (i % 97) / 100;
  return [
    file('model.json', 'application/json', Buffer.from(JSON.stringify(json))),
    file('w.bin', 'application/octet-stream', Buffer.from(w.buffer)),
  ];
}

async function expectNotice(app: DashboardPage, re: RegExp) {
  await app.expectError(re);
  await app.dismissNotices();
}

test.describe('Hardening', () => {
  test('bad inputs get their specific message; the page keeps its image and model, runs no payload and asks no one else', async ({
    page,
    requests,
  }) => {
    const app = new DashboardPage(page);
    const x = new ExplainPage(page);
    await x.open(`?model=${MODEL}&sample=${FASHION}:${firstIndexOf(FASHION, 1)}`);
    await x.waitDone({ target: 1 });
    await page.getByTestId('images.input').setInputFiles([
      file(
        'kept.png',
        'image/png',
        png(8, 8, (i) => [i * 30, 0, 0]),
      ),
    ]);
    await expect
      .poll(async () => (await hooks(page, (w) => w.state().images)).map((i) => i.name))
      .toContain('kept.png');
    // Unusual but valid images (lib/testing/valid-images.ts) all load, decoded in the worker, without a word.
    await page
      .getByTestId('images.input')
      .setInputFiles(VALID_IMAGES.map((v) => file(v.name, v.mime, Buffer.from(v.make()))));
    await expect
      .poll(async () => (await hooks(page, (w) => w.state().images)).length, { timeout: 60_000 })
      .toBe(VALID_IMAGES.length + 2);
    await expect(app.errorNotices()).toHaveCount(0);
    const names = (await hooks(page, (w) => w.state().images)).map((i) => i.name);
    for (const v of VALID_IMAGES) expect(names, v.id).toContain(v.name);
    const images = (await hooks(page, (w) => w.state().images)).map((i) => i.name);

    // (a) images: one at a time, each named with its reason.
    for (const c of cases('image')) {
      await page.getByTestId('images.input').setInputFiles(payloads(c));
      // The reason after the file's name (the name alone must not satisfy the pattern).
      await expectNotice(app, new RegExp(`”: .*(?:${c.expect.source})`, c.expect.flags));
    }

    // Models: a good one first (kept), then every bad one on the same drop zone.
    await page.getByTestId('nav.models').click();
    await expect(page.getByTestId('models.view')).toBeVisible();
    const good = denseModel(3);
    await app.dropFiles('model-loader.dropzone', good);
    await expect
      .poll(
        async () =>
          (await hooks(page, (w) => w.state().models)).filter((m) => m.source === 'user' && m.status === 'ready')
            .length,
      )
      .toBe(1);
    const goodId = (await hooks(page, (w) => w.state().models)).find((m) => m.source === 'user')?.id;
    await app.dismissNotices();
    for (const c of cases('model')) {
      await app.dropFiles('model-loader.dropzone', payloads(c));
      await expectNotice(app, c.expect);
    }
    // A card with an absurd normalisation beside a valid model.
    const absurd = cases('card').find((c) => c.id === 'card-absurd-mean');
    if (!absurd) throw new Error('corpus lacks card-absurd-mean');
    await app.dropFiles('model-loader.dropzone', [
      ...denseModel(3),
      file('card.json', 'application/json', Buffer.from(absurd.make() as string)),
    ]);
    await expectNotice(app, absurd.expect);

    // Model URLs the loader refuses before any request.
    for (const c of cases('model-url')) {
      await page.getByTestId('model-loader.url').fill(c.make() as string);
      await page.getByTestId('model-loader.url-submit').click();
      await expectNotice(app, c.expect);
    }

    // (c) what the page had is still there; (b) it still explains a bundled sample.
    const after = await hooks(page, (w) => w.state());
    expect(after.models.filter((m) => m.source === 'user').map((m) => m.id)).toEqual([goodId]);
    expect(after.images.map((i) => i.name)).toEqual(images);
    await page.getByTestId('nav.explain').click();
    await expect(page.getByTestId('explain.view')).toBeVisible();
    await x.waitDone();

    // (f) no payload ran; (e) nothing left the origin.
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.content()).not.toContain(XSS);
    const origin = new URL(page.url()).origin;
    expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'))).toEqual(
      [],
    );
  });

  test('model URL: Cancel stops a host that never answers and gives the buttons back; a 5 GB answer is refused unread', async ({
    page,
    requests,
  }) => {
    await page.route(`${ROUTED[0]}**`, () => undefined); // never answers
    await page.route(`${ROUTED[1]}**`, (r) =>
      r.fulfill({
        status: 200,
        headers: { 'content-length': String(5 * 1024 ** 3), 'access-control-allow-origin': '*' },
        body: 'x',
      }),
    );
    const app = new DashboardPage(page);
    await app.open('/models');
    await page.getByTestId('model-loader.url').fill(`${ROUTED[0]}model.json`);
    await page.getByTestId('model-loader.url-submit').click();
    await expect(page.getByTestId('model-loader.url-progress')).toBeVisible();
    await expect(page.getByTestId('model-loader.files')).toBeDisabled();
    await page.getByTestId('model-loader.url-cancel').click();
    await expect(page.getByTestId('model-loader.url-progress')).toHaveCount(0);
    await expect(page.getByTestId('model-loader.files')).toBeEnabled();
    await expect(page.getByTestId('model-loader.url-submit')).toBeEnabled();
    await expect(app.errorNotices()).toHaveCount(0);

    await page.getByTestId('model-loader.url').fill(`${ROUTED[1]}model.onnx`);
    await page.getByTestId('model-loader.url-submit').click();
    await expectNotice(app, /larger than the limit of 512 MB for a model download/);
    await expect(page.getByTestId('model-loader.files')).toBeEnabled();
    const origin = new URL(page.url()).origin;
    expect(requests.filter((u) => !u.startsWith(origin) && !ROUTED.some((r) => u.startsWith(r)))).toEqual([]);
  });

  test('WebGL context loss: the running job fails in words, the worker moves to WASM and the page says so; the sample then predicts and explains', async ({
    page,
  }) => {
    const app = new DashboardPage(page);
    const x = new ExplainPage(page);
    const badge = app.badge();
    // On SwiftShader the first jobs (probe, the OOD reference over the set) take a minute: lose the context
    // while they run, as a GPU reset would, with WebGL not coming back (a new WebGL context — the other
    // branch — is covered by lib/runtime/context-loss*.test.ts; SwiftShader would make it slow here).
    await x.open(`?backend=webgl&model=${MODEL}&sample=${FASHION}:${firstIndexOf(FASHION, 1)}&method=saliency`);
    await expect(badge).toHaveAttribute('data-backend', 'webgl');
    await expect(x.oodNotice()).toHaveAttribute('data-status', 'checking');
    expect(await hooks(page, (w) => w.loseContext({ webglComesBack: false }))).toBe(true);
    await expectNotice(app, /WebGL context was lost; now running on WASM for this session/);
    await expect(badge).toHaveAttribute('data-backend', 'wasm');
    // The OOD check that was running failed with the message (it did not hang).
    await expect(x.oodNotice()).toHaveAttribute('data-status', 'error');
    await expect(x.oodNotice()).toContainText('WebGL context was lost during this run');
    // No hang: the bundled sample is predicted and explained on WASM.
    await expect(x.topLabel()).toHaveText('Trouser');
    await x.waitDone({ method: 'saliency' });
    expect(await hooks(page, (w) => w.loseContext())).toBe(false);
  });

  test('Compare opened with model ids that do not exist says so and shows the default pair', async ({ page }) => {
    const cmp = new ComparePage(page);
    await cmp.openCompare('?a=no-such-model&b=gone%3Auser');
    await cmp.expectError(
      /The model “no-such-model” in the link is not available here .*the default model is shown instead/,
    );
    await cmp.expectError(/The model “gone:user” in the link is not available here/);
    // The manifest's default pair (as e2e/compare.spec.ts opens it).
    await expect(cmp.model('a')).toHaveValue('fashion-scratch');
    await expect(cmp.model('b')).toHaveValue('fashion-finetuned');
  });

  test('a 100,000-class model loads, predicts with its expected cost on Explain, and opens Evaluate; nothing K×K is built', async ({
    page,
  }) => {
    const app = new DashboardPage(page);
    await app.open('/models');
    await page.getByTestId('model-loader.input').setInputFiles(denseModel(100_000));
    await expect
      .poll(
        async () => {
          const m = (await hooks(page, (w) => w.state().models)).find((e) => e.source === 'user');
          return m?.status ?? `none ${(await app.errorNotices().allTextContents()).join(' | ')}`;
        },
        { timeout: 60_000 },
      )
      .toBe('ready');
    await app.dismissNotices();
    // Client-side to Explain (the new model is selected), with an image of our own.
    const x = new ExplainPage(page);
    await page.getByTestId('nav.explain').click();
    await expect(page.getByTestId('explain.view')).toBeVisible();
    expect(await hooks(page, (w) => w.state().selectedModelId)).toBe(
      (await hooks(page, (w) => w.state().models)).find((m) => m.source === 'user')?.id,
    );
    await page.getByTestId('images.input').setInputFiles([
      file(
        'grey.png',
        'image/png',
        png(4, 4, () => [90, 90, 90]),
      ),
    ]);
    // The highest bias is class 96 (and every 97th after it): the prediction shows while the page responds.
    await expect(x.topLabel()).toHaveText(/^class \d+$/, { timeout: 60_000 });
    const t0 = Date.now();
    expect(await page.evaluate(() => 1 + 1)).toBe(2);
    expect(Date.now() - t0).toBeLessThan(2000);
    await expect(page.getByTestId('explain.decision.facts')).toContainText('Expected cost');
    await page.getByTestId('nav.evaluate').click();
    await expect(page.getByTestId('evaluate.view')).toBeVisible();
    expect(await page.evaluate(() => 1 + 1)).toBe(2);
  });
});
