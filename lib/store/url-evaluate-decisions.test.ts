import { describe, expect, it } from 'vitest';
import { readView, writeView } from './url-state';
import { decisionsPatch, decisionsUrlState, sparseOverrides } from './url-evaluate-decisions';

const credit = { name: 'Credit: 20×', positive: 1, missCost: 20, prevalence: 0.02 };

describe('Evaluate decision settings in the URL', () => {
  it('round-trips cost overrides, priors, merges, rule, operating point and scenario, compactly', () => {
    const settings = {
      matrix: { overrides: [[1, 0, 20] as [number, number, number]] },
      priors: [0.98, 0.02],
      merges: [],
      operatingPoint: { positive: 1, threshold: 1 / 21 },
    };
    const q = writeView('evaluate', { model: 'm', dataset: 'd', ...decisionsUrlState(settings, 'threshold', credit) });
    expect(q).toBe(
      'model=m&dataset=d&cost=1.0.20&pri=0.98%2C0.02&rule=threshold&op=1%3A0.047619&scn=1%3A20%3A0.02%3ACredit%3A+20%C3%97',
    );
    const back = readView('evaluate', q);
    expect(back.cost).toEqual([[1, 0, 20]]);
    expect(back.priors).toEqual([0.98, 0.02]);
    expect(back.rule).toBe('threshold');
    expect(back.op).toEqual({ positive: 1, threshold: 0.047619 });
    expect(back.scenario).toEqual(credit);
    // 0/1 defaults are left out of the URL.
    expect(
      writeView('evaluate', {
        model: 'm',
        ...decisionsUrlState({ matrix: { overrides: [] }, priors: null, merges: [] }, 'argmax', null),
      }),
    ).toBe('model=m');
  });

  it('a dense matrix is written sparse: only entries differing from 0/1 (a 10×10 "missed X" is 9 entries)', () => {
    const m = Array.from({ length: 10 }, (_, i) =>
      Array.from({ length: 10 }, (_, j) => (i === j ? 0 : i === 3 ? 20 : 1)),
    );
    expect(sparseOverrides(m)).toHaveLength(9);
    expect(
      sparseOverrides({
        overrides: [
          [0, 1, 5],
          [0, 1, 1],
        ],
      }),
    ).toEqual([]); // last wins, and 1 is the rule
  });

  it('malformed, hostile or overlong values are refused (defaults apply), never thrown', () => {
    for (const q of [
      'cost=1.0.-5',
      'cost=a.b.c',
      'cost=1.0.1e400',
      'pri=x',
      'mrg=0+',
      'op=1:2',
      'rule=evil',
      `scn=${'1:2:0.5:'}${'x'.repeat(200)}`,
      'scn=1:2:3:x',
      `cost=${'1.0.1,'.repeat(500)}`,
    ]) {
      const v = readView('evaluate', q);
      expect([v.cost, v.priors, v.merges, v.op, v.rule, v.scenario]).toEqual([null, null, null, null, null, null]);
    }
  });

  it('decisionsPatch checks indices and lengths against K and names what did not fit', () => {
    const u = {
      cost: [[12, 0, 5]] as [number, number, number][],
      priors: [1, 1, 1],
      merges: [[0, 1]],
      rule: null,
      op: { positive: 1, threshold: 0.3 },
      scenario: credit,
    };
    const got = decisionsPatch(u, 2, [])!;
    expect(got.refused).toEqual(['cost', 'pri']);
    expect(got.patch.merges).toEqual([[0, 1]]);
    expect(got.patch.operatingPoint).toEqual({ positive: 1, threshold: 0.3 });
    expect(got.patch.scenarios).toEqual([credit]);
    expect(
      decisionsPatch({ cost: null, priors: null, merges: null, rule: 'threshold', op: null, scenario: null }, 2, []),
    ).toBeNull();
  });
});
