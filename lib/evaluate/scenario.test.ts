import { describe, expect, it } from 'vitest';
import { analyse, costAt, costsOf } from '@/lib/metrics';
import { FASHION, randomLabels, randomPosteriors } from '@/lib/metrics/testing';
import {
  bayesThreshold,
  MAX_SCENARIO_FILE,
  parseScenariosJson,
  saveScenario,
  scenarioSettings,
  scenariosToJson,
} from './scenario';

const credit = { name: 'Credit', positive: 1, missCost: 20, prevalence: 0.02 };

describe('scenarioSettings', () => {
  it('sets a sparse row of N, X at p with the others scaled, and the Bayes threshold 1/(1+N)', () => {
    const s = scenarioSettings(credit, 10);
    const c = costsOf(FASHION, s.matrix);
    expect(Array.isArray(s.matrix)).toBe(false); // sparse: K − 1 overrides, no K×K array
    expect(costAt(c, 1, 0)).toBe(20);
    expect(costAt(c, 1, 1)).toBe(0);
    expect(costAt(c, 0, 1)).toBe(1);
    expect(s.priors![1]).toBeCloseTo(0.02, 6);
    expect(s.priors![0]).toBeCloseTo(0.98 / 9, 5);
    expect(s.operatingPoint).toEqual({ positive: 1, threshold: 1 / 21 });
    expect(bayesThreshold(0)).toBe(1);
    // The analysis accepts it and gives a threshold rule.
    const a = analyse({
      probs: randomPosteriors(200, 10, 1),
      labels: randomLabels(200, 10, 2),
      classNames: FASHION,
      settings: { ...s, merges: [] },
    });
    expect(a.threshold).not.toBeNull();
  });

  it('refuses unusable fields with a message', () => {
    expect(() => scenarioSettings({ ...credit, prevalence: 0 }, 10)).toThrow(/above 0 %/);
    expect(() => scenarioSettings({ ...credit, missCost: -1 }, 10)).toThrow(/false alarms/);
    expect(() => scenarioSettings({ ...credit, name: ' ' }, 10)).toThrow(/name/);
    expect(() => scenarioSettings({ ...credit, positive: 10 }, 10)).toThrow(/classes/);
  });
});

describe('scenario files', () => {
  it('round-trip by class label; a save replaces the same name', () => {
    const list = saveScenario(saveScenario([], credit), { ...credit, missCost: 5 });
    expect(list).toHaveLength(1);
    const back = parseScenariosJson(scenariosToJson(list, FASHION), FASHION);
    expect(back).toEqual([{ ...credit, missCost: 5 }]);
    expect(scenariosToJson(list, FASHION)).toContain('"class": "Trouser"');
  });

  it('hostile or wrong input gives a clear message and imports nothing', () => {
    const bad = (text: string) => () => parseScenariosJson(text, FASHION);
    expect(bad('{')).toThrow(/not valid JSON/);
    expect(bad('[]')).toThrow(/Expected a scenarios file/);
    expect(
      bad('{"format":"why-scenarios","scenarios":[{"name":"x","class":"Dragon","missCost":1,"prevalence":0.1}]}'),
    ).toThrow(/Scenario 1: the class "Dragon" is not one of/);
    expect(
      bad('{"format":"why-scenarios","scenarios":[{"name":"x","class":"bag","missCost":"1e400","prevalence":0.1}]}'),
    ).toThrow(/Scenario 1: A missed case must cost/);
    expect(
      bad('{"format":"why-scenarios","scenarios":[{"name":"x","class":"Bag","missCost":1,"prevalence":1}]}'),
    ).toThrow(/below 100 %/);
    expect(bad(' '.repeat(MAX_SCENARIO_FILE + 1))).toThrow(/larger than/);
    const many = JSON.stringify({ format: 'why-scenarios', scenarios: Array.from({ length: 51 }, () => ({})) });
    expect(bad(many)).toThrow(/more than 50/);
    // Prototype keys are plain data, never merged into objects.
    const proto = parseScenariosJson(
      '{"format":"why-scenarios","scenarios":[{"__proto__":{"x":1},"name":"p","class":"bag","missCost":2,"prevalence":0.5}]}',
      FASHION,
    );
    expect(proto).toEqual([{ name: 'p', positive: 8, missCost: 2, prevalence: 0.5 }]);
  });
});
