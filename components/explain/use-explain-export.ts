'use client';

import { useDashboard } from '@/components/providers/dashboard-provider';
import type { Attribution, ImageInput } from '@/lib/explain';
import { jobsForMethods, lruGet, summaryText } from '@/lib/explain-view';
import { useExplainView, useExplainViewApi } from './view-context';
import { decisionSentences, useDecisionFacts } from './decision-panel';
import { downloadBlob as download } from '@/components/ui/download';
import { slug } from '@/lib/format';
import { jsonBlob, npyBlob, overlayPng, summaryPng } from './export';
import { attributionUnit } from './colour-bar';
import type { ExplainSelection } from './use-explain-selection';

export type ExportKind = 'png' | 'npy' | 'json' | 'summary';

/**
 * The Explain view's exports of the main attribution: overlay PNG, values .npy / JSON, and the one-page
 * summary PNG (with every other method already computed for this image and class). A failure shows in
 * the main run's status line.
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
        const v = view.getState();
        const others = jobsForMethods({
          methods: sel.methods,
          rawParams: v.params,
          ctx: sel.ctx,
          modelId,
          imageId: image.id,
          target: a.target,
          resize,
        })
          .map((t) => ({ t, r: lruGet(v.results, t.job.key) }))
          .filter((x): x is { t: typeof x.t; r: Attribution } => !!x.r && x.t.method.id !== methodId);
        const text = summaryText({
          label,
          target: a.target,
          imageName: image.name,
          model: { ...info, version: manifestEntry?.version },
          methodLabel: method.label,
          backend: backend ?? null,
          totalMs: a.timings.totalMs,
          probs: sel.probs,
          decision: decisionSentences(label, a.target, facts.set, facts.cost, facts.datasetName),
          date: new Date(),
          trueLabel: image.trueLabel,
        });
        const blob = await summaryPng({
          ...text,
          imageUrl: image.url,
          input,
          main: a,
          mainUnit: attributionUnit(a),
          tiles: others.map(({ t, r }) => ({
            title: t.method.label,
            caption: t.method.description,
            attribution: r,
            unit: attributionUnit(r),
          })),
          look,
        });
        download(blob, `${base}-summary.png`);
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
