'use client';

import { type ModelInfo, describeNormalization, describeOutputs } from '@/lib/models';

const fmtShape = (s: (number | null)[]) => `[${s.map((d) => (d == null ? 'batch' : d)).join(', ')}]`;

/** Architecture summary of a loaded model: shapes, parameters, layers, and the layers usable for CAM. */

/** Labels listed in the details; a 100,000-class model lists these and says how many more. */
const SHOWN_LABELS = 200;

export function ModelDetails({ info }: { info: ModelInfo }) {
  const p = info.preprocessing;
  return (
    <div className="flex flex-col gap-3 text-sm" data-testid="model.details">
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
        <dt className="text-fg-subtle">Format</dt>
        <dd data-testid="model.details.format">
          {info.formatLabel ?? (info.format === 'onnx' ? 'ONNX' : info.format === 'layers' ? 'TensorFlow.js LayersModel' : 'TensorFlow.js GraphModel')}
        </dd>
        <dt className="text-fg-subtle">Input</dt>
        <dd className="tabular-nums" data-testid="model.details.input">
          {fmtShape([null, ...info.inputShape])} · {p.channels === 1 ? 'grey' : p.channelOrder.toUpperCase()} ·{' '}
          {describeNormalization(p.normalization)} · resize: {p.resize}
          {p.invert ? ' · inverted' : ''}
        </dd>
        <dt className="text-fg-subtle">Output</dt>
        <dd className="tabular-nums" data-testid="model.details.output">
          {fmtShape(info.outputShape)} · {describeOutputs(info)}
        </dd>
        <dt className="text-fg-subtle">Parameters</dt>
        <dd className="tabular-nums" data-testid="model.details.params">
          {info.paramCount.toLocaleString('en-US')}
        </dd>
        <dt className="text-fg-subtle">Layers for class-activation maps</dt>
        <dd data-testid="model.details.cam-layers">{info.spatialLayers.length ? info.spatialLayers.join(', ') : 'none found'}</dd>
        {info.provenance && (
          <>
            <dt className="text-fg-subtle">Provenance</dt>
            <dd>{info.provenance}</dd>
          </>
        )}
      </dl>
      <details>
        <summary className="cursor-pointer font-medium">Classes ({info.labels.length})</summary>
        <ol className="mt-1 columns-2 text-xs sm:columns-3" start={0}>
          {info.labels.slice(0, SHOWN_LABELS).map((l, i) => (
            <li key={i} data-testid="model.details.label">
              <span className="text-fg-subtle tabular-nums">{i}</span> {l}
            </li>
          ))}
        </ol>
        {info.labels.length > SHOWN_LABELS && (
          <p className="mt-1 text-xs text-fg-subtle" data-testid="model.details.labels-more">
            … and {(info.labels.length - SHOWN_LABELS).toLocaleString('en-US')} more (the first {SHOWN_LABELS} are listed).
          </p>
        )}
      </details>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-xs" data-testid="model.details.layers">
          <caption className="mb-1 text-left text-sm font-medium">Architecture</caption>
          <thead className="border-b border-border text-fg-subtle">
            <tr>
              <th className="py-1 pr-3 font-medium">Layer</th>
              <th className="py-1 pr-3 font-medium">Type</th>
              <th className="py-1 pr-3 font-medium">Output shape</th>
              <th className="py-1 pr-3 text-right font-medium">Parameters</th>
              <th className="py-1 font-medium">CAM</th>
            </tr>
          </thead>
          <tbody>
            {info.layers.map((l) => (
              <tr key={l.name} className="border-b border-border">
                <td className="py-0.5 pr-3 font-mono">{l.name}</td>
                <td className="py-0.5 pr-3">{l.className}</td>
                <td className="py-0.5 pr-3 tabular-nums">{fmtShape(l.outputShape)}</td>
                <td className="py-0.5 pr-3 text-right tabular-nums">{l.params.toLocaleString('en-US')}</td>
                <td className="py-0.5">{l.spatial ? '✓' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
