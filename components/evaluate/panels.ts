import type { EvaluatePanel } from './panel-contract';
import { ConfusionPanel } from './confusion-panel';
import { PerClassTable } from './per-class-table';
import { CostPanel } from './cost-panel';
import { DecisionRulePanel } from './decision-rule-panel';
import { PriorsPanel } from './priors-panel';
import { MergePanel } from './merge-panel';
import { CalibrationPanel } from './calibration-panel';
import { OperatingPointPanel } from './operating-point-panel';
import { ScenarioPanel } from './scenario-panel';

/** The Evaluate view's panels, row by row; `columns` is the grid of a row on wide screens. */
export const EVALUATE_LAYOUT: readonly { id: string; columns: string; panels: readonly EvaluatePanel[] }[] = [
  {
    id: 'matrix',
    columns: 'xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]',
    panels: [
      { id: 'confusion', Component: ConfusionPanel, needsAnalysis: true },
      { id: 'per-class', Component: PerClassTable, needsAnalysis: true },
    ],
  },
  { id: 'cost', columns: '', panels: [{ id: 'cost', Component: CostPanel, needsAnalysis: true }] },
  { id: 'scenario', columns: '', panels: [{ id: 'scenario', Component: ScenarioPanel, needsAnalysis: false }] },
  { id: 'op', columns: '', panels: [{ id: 'op', Component: OperatingPointPanel, needsAnalysis: true }] },
  { id: 'rule', columns: '', panels: [{ id: 'rule', Component: DecisionRulePanel, needsAnalysis: true }] },
  {
    id: 'settings',
    columns: 'lg:grid-cols-3',
    panels: [
      { id: 'priors', Component: PriorsPanel, needsAnalysis: false },
      { id: 'merge', Component: MergePanel, needsAnalysis: false },
      { id: 'calibration', Component: CalibrationPanel, needsAnalysis: true },
    ],
  },
];
