'use client';

import { useDashboard } from '@/components/providers/dashboard-provider';
import type { Attribution, ImageInput, MethodMeta } from '@/lib/explain';
import { jobsForMethods, lruGet, modelCardLines, summaryText } from '@/lib/explain-view';
import { useExplainView, useExplainViewApi } from './view-context';
import { decisionSentences, useDecisionFacts } from './decision-panel';
import { downloadBlob as download } from '@/components/ui/download';
import { ms, slug } from '@/lib/format';
import { jsonBlob, npyBlob, overlayPng, summaryPng } from './export';
import { attributionUnit } from './colour-bar';
import { loadReportPdf } from '@/lib/report';
import type { ExplainSelection } from './use-explain-selection';

export type ExportKind = 'png' | 'npy' | 'json' | 'summary' | 'pdf';

/** The app's version, written into the report (set at build from package.json; see next.config.ts). */
const APP_VERSION = process.env.NEXT_PUBLIC_APP_VERSION ?? 'dev';

/** A computed map and its method. */
interface Computed {
  method: MethodMeta;
  attribution: Attribution;
}

/** "steps 32 · baseline black" from a resolved configuration (primitives only). */
function settingsLine(config: Record<string, unknown>): string {
  return Object.entries(config)
    .filter(([, v]) => ['number', 'string', 'boolean'].includes(typeof v))
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(' · ');
}

/**
 * The Explain view's exports of the main attribution: overlay PNG, values .npy / JSON, the one-page
 * summary PNG and the PDF report (both with every other method already computed for this image and
 * class). A failure shows in the main run's status line.
 */
export function useExplainExport(
  sel: ExplainSelection,
  main: { result: Attribution | undefined },
  input: ImageInput | undefined,
  jobKey: string | null,
) {
  const view = useExplainViewApi();
  const look = useExplainView((s) => s.look);
  const manifestEntry = useDashboard((s) => (sel.modelId ? s.models[sel.modelId]?.manifest : undefined));
  const backend = useDashboard((s) => s.backend?.backend);
  const resize = useDashboard((s) => s.resize);
  const facts = useDecisionFacts(sel.modelId, sel.target, sel.probs);
  const { modelId, image, info, methodId, method, label } = sel;
  const base = `${slug(modelId ?? 'model')}-${slug(image?.name ?? 'image')}-${methodId}-class${sel.target ?? 'x'}`;

  /** Every other method already computed for this image and class, in registry order. */
  const others = (a: Attribution): Computed[] => {
    if (!modelId || !image) return [];
    const v = view.getState();
    return jobsForMethods({
      methods: sel.methods,
      rawParams: v.params,
      ctx: sel.ctx,
      modelId,
      imageId: image.id,
      target: a.target,
      resize,
    })
      .map((t) => ({ method: t.method, attribution: lruGet(v.results, t.job.key) }))
      .filter((x): x is Computed => !!x.attribution && x.method.id !== methodId);
  };

  return async (kind: ExportKind) => {
    const a = main.result;
    if (!a || !input || !info || !image || !modelId) return;
    try {
      if (kind === 'png') download(await overlayPng(input, a, look, attributionUnit(a)), `${base}.png`);
      else if (kind === 'npy') download(npyBlob(a), `${base}.npy`);
      else if (kind === 'json')
        download(
          jsonBlob(a, { modelId, image: image.name, sample: image.sample ?? null, label: label(a.target) }),
          `${base}.json`,
        );
      else {
        const model = { ...info, version: manifestEntry?.version };
        const decision = decisionSentences(label, a.target, facts.set, facts.cost, facts.datasetName);
        const text = summaryText({
          label,
          target: a.target,
          imageName: image.name,
          model,
          methodLabel: method.label,
          backend: backend ?? null,
          totalMs: a.timings.totalMs,
          probs: sel.probs,
          decision,
          date: new Date(),
          trueLabel: image.trueLabel,
        });
        const rest = others(a);
        if (kind === 'summary') {
          const blob = await summaryPng({
            ...text,
            imageUrl: image.url,
            input,
            main: a,
            mainUnit: attributionUnit(a),
            tiles: rest.map((c) => ({
              title: c.method.label,
              caption: c.method.description,
              attribution: c.attribution,
              unit: attributionUnit(c.attribution),
            })),
            look,
          });
          download(blob, `${base}-summary.png`);
          return;
        }
        const reportPdf = await loadReportPdf();
        const report = reportPdf({
          title: text.title,
          subtitle: text.subtitle,
          truth: text.truth,
          predictions: text.predictions,
          model: [...modelCardLines(model), ...(manifestEntry?.description ? [manifestEntry.description] : [])],
          facts: decision,
          image: input,
          methods: [{ method, attribution: a }, ...rest].map((c) => ({
            label: c.method.label,
            meaning: c.method.description,
            unit: attributionUnit(c.attribution),
            attribution: c.attribution,
            details: [
              `Explained class: ${label(c.attribution.target)} · computed in ${ms(c.attribution.timings.totalMs)} on ${backend ?? '?'}`,
              ...(settingsLine(c.attribution.config) ? [`Settings: ${settingsLine(c.attribution.config)}`] : []),
            ],
          })),
          look,
          date: new Date(),
          version: APP_VERSION,
          footer: text.footer,
        });
        download(new Blob([report.bytes], { type: 'application/pdf' }), `${base}-report.pdf`);
      }
    } catch (e) {
      view.getState().setRun('main', {
        key: jobKey ?? '',
        status: 'error',
        progress: 0,
        error: `Export failed: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
  };
}
