/**
 * Guided scenarios: "a missed X costs N× a false alarm" and "X is p % of cases" set the cost matrix and the
 * priors in one step, and the operating point to the Bayes threshold C_FP / (C_FP + C_FN) = 1 / (1 + N).
 * Saved under a name per label set; exported and imported as JSON (validated: anything wrong gives a
 * message naming it, nothing is half-applied).
 *
 * File format (class by label, so a file fits any model with that class):
 *   {"format": "why-scenarios", "version": 1,
 *    "scenarios": [{"name": "Credit", "class": "default", "missCost": 20, "prevalence": 0.02}]}
 */
import { setPriorShare, uniformPriors, type CostOverride } from '@/lib/metrics';
import type { CostSettings, SavedScenario } from '@/lib/store';

export const SCENARIO_FORMAT = 'why-scenarios';
/** Limits on imported files: size, count, name length, cost factor. */
export const MAX_SCENARIO_FILE = 100_000;
export const MAX_SCENARIOS = 50;
export const MAX_SCENARIO_NAME = 80;
export const MAX_MISS_COST = 1e6;

/** A scenario that cannot be used, with a message meant for the user. */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

/** Why the fields are unusable, or null: a name, a class in [0, K), N finite in [0, 1e6], p in [0, 1]. */
export function scenarioProblem(s: SavedScenario, k: number): string | null {
  if (typeof s.name !== 'string' || s.name.trim() === '') return 'Give the scenario a name.';
  if (s.name.length > MAX_SCENARIO_NAME) return `The name is longer than ${MAX_SCENARIO_NAME} characters.`;
  if (!Number.isInteger(s.positive) || s.positive < 0 || s.positive >= k) return `Choose one of the ${k} classes.`;
  if (!(Number.isFinite(s.missCost) && s.missCost >= 0 && s.missCost <= MAX_MISS_COST))
    return `A missed case must cost a number from 0 to ${MAX_MISS_COST.toLocaleString('en-US')} false alarms.`;
  if (!(Number.isFinite(s.prevalence) && s.prevalence > 0 && s.prevalence < 1))
    return 'The share of cases must be above 0 % and below 100 %.';
  return null;
}

/** The Bayes threshold on p(X|x) for a calibrated model at the deployment priors: 1 / (1 + N). */
export function bayesThreshold(missCost: number): number {
  return 1 / (1 + missCost);
}

/**
 * The cost settings a scenario sets: row X costs N for every wrong decision (the 0/1 rule elsewhere,
 * sparse: K − 1 overrides), priors with X at p and the others in proportion to `basePriors` (default
 * uniform), and the operating point on X at 1 / (1 + N). Merges are kept.
 */
export function scenarioSettings(
  s: SavedScenario,
  k: number,
  basePriors?: ArrayLike<number>,
): Pick<CostSettings, 'matrix' | 'priors' | 'operatingPoint'> {
  const problem = scenarioProblem(s, k);
  if (problem) throw new ScenarioError(problem);
  const overrides: CostOverride[] = [];
  for (let j = 0; j < k; j++) if (j !== s.positive) overrides.push([s.positive, j, s.missCost]);
  const priors = Array.from(setPriorShare(basePriors ?? uniformPriors(k), k, s.positive, s.prevalence), (v) =>
    Number(v.toPrecision(6)),
  );
  return {
    matrix: { overrides },
    priors,
    operatingPoint: { positive: s.positive, threshold: bayesThreshold(s.missCost) },
  };
}

/** `list` with `s` added, replacing a scenario of the same name. */
export function saveScenario(list: readonly SavedScenario[], s: SavedScenario): SavedScenario[] {
  return [...list.filter((x) => x.name !== s.name), { ...s, name: s.name.trim() }];
}

/** The JSON file of `list` (classes by label). */
export function scenariosToJson(list: readonly SavedScenario[], labels: readonly string[]): string {
  const scenarios = list.map((s) => ({
    name: s.name,
    class: labels[s.positive] ?? String(s.positive),
    missCost: s.missCost,
    prevalence: s.prevalence,
  }));
  return `${JSON.stringify({ format: SCENARIO_FORMAT, version: 1, scenarios }, null, 2)}\n`;
}

/**
 * Reads a scenarios file for a model with `labels`. Every scenario must be valid and name a class of the
 * model (exact label, then ignoring case); otherwise nothing is imported.
 * @throws ScenarioError naming the file's problem
 */
export function parseScenariosJson(text: string, labels: readonly string[]): SavedScenario[] {
  if (text.length > MAX_SCENARIO_FILE)
    throw new ScenarioError(`The file is larger than ${MAX_SCENARIO_FILE / 1000} KB; a scenarios file is a few lines.`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError(`The file is not valid JSON (${(e as Error).message}).`);
  }
  const obj = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
  if (!obj || obj.format !== SCENARIO_FORMAT || !Array.isArray(obj.scenarios))
    throw new ScenarioError(`Expected a scenarios file: {"format": "${SCENARIO_FORMAT}", "scenarios": [...]}.`);
  if (obj.scenarios.length > MAX_SCENARIOS)
    throw new ScenarioError(`The file has more than ${MAX_SCENARIOS} scenarios.`);
  const lower = labels.map((l) => l.toLowerCase());
  return obj.scenarios.map((raw: unknown, n) => {
    const r = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    const cls = typeof r.class === 'string' ? r.class : '';
    let positive = labels.indexOf(cls);
    if (positive < 0) positive = lower.indexOf(cls.toLowerCase());
    if (positive < 0)
      throw new ScenarioError(
        `Scenario ${n + 1}: the class ${JSON.stringify(cls).slice(0, 60)} is not one of this model's classes.`,
      );
    const s: SavedScenario = {
      name: typeof r.name === 'string' ? r.name.trim() : '',
      positive,
      missCost: typeof r.missCost === 'number' ? r.missCost : NaN,
      prevalence: typeof r.prevalence === 'number' ? r.prevalence : NaN,
    };
    const problem = scenarioProblem(s, labels.length);
    if (problem) throw new ScenarioError(`Scenario ${n + 1}: ${problem}`);
    return s;
  });
}
