import { expect, test } from './fixtures/test';
import { ExplainPage, FASHION, firstIndexOf } from './pages/explain-page';
import { TrustPage } from './pages/trust-page';

const MODEL = 'fashion-finetuned';
const TROUSER = 1;

test.describe('Trust tab', () => {
  test("a trouser's saliency map beats a random order on deletion and passes the sanity check; FGSM lowers it; set-level areas and accuracy; a channel visualised; no tensor left", async ({
    page,
  }) => {
    const x = new ExplainPage(page);
    await x.open(`?model=${MODEL}&sample=${FASHION}:${firstIndexOf(FASHION, TROUSER)}&method=saliency`);
    await x.waitDone({ method: 'saliency' });
    const trust = new TrustPage(page);
    await trust.open();
    await expect(page).toHaveURL(/view=trust/);
    const before = await x.tensors();
    const a = await trust.measureMap();
    for (const v of Object.values(a)) expect(v).toBeGreaterThanOrEqual(0);
    for (const v of Object.values(a)) expect(v).toBeLessThanOrEqual(1);
    expect(a.deletion).toBeLessThan(a.randomDeletion);
    await expect(page.getByTestId('trust.faithfulness.deletion').locator('path')).toHaveCount(2);

    const sanity = await trust.sanity();
    expect(sanity.verdict).toBe('passes');
    expect(sanity.maps).toBeGreaterThan(2); // the original and one map per randomised layer

    const attack = await trust.attack(8);
    expect(attack.before).toBe(TROUSER);
    expect(attack.pAfter).toBeLessThan(attack.pBefore);
    if (attack.flip !== null) expect(attack.flip).toBeLessThanOrEqual(32 / 255);
    if (attack.flipPgd !== null) expect(attack.flipPgd).toBeLessThanOrEqual(32 / 255);
    await expect(page.getByTestId('trust.attack.map-after').locator('canvas')).toBeVisible();

    const rows = await trust.measureSet(2, ['saliency']);
    expect(rows.map((r) => r.method)).toEqual(['saliency']);
    for (const r of rows) {
      expect(r.deletion).toBeGreaterThanOrEqual(0);
      expect(r.insertion).toBeLessThanOrEqual(1);
    }
    const maps = await trust.featureMaps();
    expect(maps.tiles).toBe(Math.min(32, maps.channels));
    expect(maps.channels).toBeGreaterThan(0);

    const vis = await trust.visualise(1, 8);
    expect(vis.steps).toBe(8);
    expect(vis.last).toBeGreaterThan(vis.first); // the channel's mean activation rose
    await expect(page.getByTestId('trust.vis.result').locator('canvas')).toBeVisible();

    const acc = await trust.robustness(5);
    expect(acc).toHaveLength(8); // FGSM at 1, 2, 4, 8 /255, then noise at 4 σ
    expect(acc[3]).toBeLessThanOrEqual(acc[0] as number); // FGSM 8/255 hurts at least as much as 1/255
    expect(await x.tensors()).toBe(before);
    await page.screenshot({ path: 'test-results/trust-tab.png', fullPage: true });
  });
});
