'use client';

import { useId, useRef, useState } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import type { UserModelOptions } from '@/lib/runtime/protocol';
import type { NormalizationPreset, ResizePolicy } from '@/lib/models/types';

const NORMS: { value: NormalizationPreset | ''; label: string }[] = [
  { value: '', label: 'From card, else [0, 1]' },
  { value: 'zero-one', label: '[0, 1]' },
  { value: 'minus-one-one', label: '[-1, 1]' },
  { value: 'zero-255', label: '[0, 255]' },
  { value: 'imagenet', label: 'ImageNet mean/std' },
  { value: 'caffe-bgr', label: 'Caffe-style BGR, mean-subtracted' },
];

/** Load a TensorFlow.js model from files, a folder, a drop, or a URL — with optional answers for what no card says. */
export function ModelLoader() {
  const loadUserFiles = useDashboard((s) => s.loadUserFiles);
  const loadUserUrl = useDashboard((s) => s.loadUserUrl);
  const busy = useDashboard((s) => s.busy.loadModel ?? false);
  const filesRef = useRef<HTMLInputElement>(null);
  const folderRef = useRef<HTMLInputElement>(null);
  const [url, setUrl] = useState('');
  const [name, setName] = useState('');
  const [labels, setLabels] = useState('');
  const [norm, setNorm] = useState<NormalizationPreset | ''>('');
  const [order, setOrder] = useState<'' | 'rgb' | 'bgr'>('');
  const [resize, setResize] = useState<'' | ResizePolicy>('');
  const [outputKind, setOutputKind] = useState<'auto' | 'logits' | 'probabilities'>('auto');
  const [dragging, setDragging] = useState(false);
  const ids = { url: useId(), name: useId(), labels: useId(), norm: useId(), order: useId(), resize: useId(), out: useId() };

  const options = (): UserModelOptions => {
    const lab = labels
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const preprocessing: UserModelOptions['preprocessing'] = {};
    if (norm) preprocessing.normalization = norm;
    if (order) preprocessing.channelOrder = order;
    if (resize) preprocessing.resize = resize;
    return {
      name: name.trim() || undefined,
      labels: lab.length ? lab : undefined,
      preprocessing,
      outputKind,
    };
  };

  const onFiles = (files: File[]) => {
    if (files.length) void loadUserFiles(files, options());
  };

  return (
    <div className="flex flex-col gap-4">
      <div
        data-testid="model-loader.dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          onFiles(Array.from(e.dataTransfer.files));
        }}
        className={cn(
          'rounded-lg border-2 border-dashed p-4 text-sm',
          dragging ? 'border-sky-500 bg-sky-50 dark:bg-sky-950' : 'border-slate-300 dark:border-slate-700',
        )}
      >
        <p className="mb-2">
          Select or drop <code>model.json</code> together with its weight files (<code>*.bin</code>), and optionally a{' '}
          <code>card.json</code> and <code>labels.txt</code>/<code>labels.json</code>. TensorFlow.js LayersModel and GraphModel formats.
        </p>
        <div className="flex flex-wrap gap-2">
          <Button variant="primary" disabled={busy} onClick={() => filesRef.current?.click()} data-testid="model-loader.files">
            Choose files…
          </Button>
          <Button disabled={busy} onClick={() => folderRef.current?.click()}>
            Choose a folder…
          </Button>
          {busy && <span role="status">Loading and checking the model…</span>}
        </div>
        <input
          ref={filesRef}
          type="file"
          multiple
          className="sr-only"
          aria-label="Model files"
          data-testid="model-loader.input"
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = '';
            onFiles(files);
          }}
        />
        <input
          ref={folderRef}
          type="file"
          multiple
          className="sr-only"
          aria-label="Model folder"
          data-testid="model-loader.folder"
          {...({ webkitdirectory: '' } as Record<string, string>)}
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = '';
            onFiles(files);
          }}
        />
      </div>
      <form
        className="flex flex-wrap items-end gap-2 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          if (url.trim()) void loadUserUrl(url.trim(), options());
        }}
      >
        <div className="flex flex-1 flex-col gap-1">
          <label htmlFor={ids.url}>…or the URL of a model.json</label>
          <input
            id={ids.url}
            data-testid="model-loader.url"
            type="url"
            placeholder="https://example.org/my-model/model.json"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            className="rounded-md border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-600 dark:bg-slate-800"
          />
        </div>
        <Button type="submit" disabled={busy || !url.trim()} data-testid="model-loader.url-submit">
          Load from URL
        </Button>
      </form>
      <details className="text-sm">
        <summary className="cursor-pointer font-medium">Settings for models without a card (optional)</summary>
        <p className="mt-1 text-xs text-slate-500">
          A sidecar card or labels file wins over nothing; what you set here wins over both. Input size and channels are
          read from the model itself.
        </p>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          <label htmlFor={ids.name} className="flex flex-col gap-1">
            Name
            <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} className="rounded border border-slate-300 px-2 py-1 dark:border-slate-600 dark:bg-slate-800" />
          </label>
          <label htmlFor={ids.norm} className="flex flex-col gap-1">
            Input values
            <select id={ids.norm} value={norm} onChange={(e) => setNorm(e.target.value as NormalizationPreset | '')} className="rounded border border-slate-300 px-2 py-1 dark:border-slate-600 dark:bg-slate-800">
              {NORMS.map((n) => (
                <option key={n.value} value={n.value}>
                  {n.label}
                </option>
              ))}
            </select>
          </label>
          <label htmlFor={ids.order} className="flex flex-col gap-1">
            Channel order
            <select id={ids.order} value={order} onChange={(e) => setOrder(e.target.value as '' | 'rgb' | 'bgr')} className="rounded border border-slate-300 px-2 py-1 dark:border-slate-600 dark:bg-slate-800">
              <option value="">From card, else RGB</option>
              <option value="rgb">RGB</option>
              <option value="bgr">BGR</option>
            </select>
          </label>
          <label htmlFor={ids.resize} className="flex flex-col gap-1">
            Resize
            <select id={ids.resize} value={resize} onChange={(e) => setResize(e.target.value as '' | ResizePolicy)} className="rounded border border-slate-300 px-2 py-1 dark:border-slate-600 dark:bg-slate-800">
              <option value="">From card, else stretch</option>
              <option value="stretch">Stretch</option>
              <option value="center-crop">Centre-crop</option>
              <option value="pad">Pad</option>
            </select>
          </label>
          <label htmlFor={ids.out} className="flex flex-col gap-1">
            Outputs
            <select id={ids.out} value={outputKind} onChange={(e) => setOutputKind(e.target.value as 'auto' | 'logits' | 'probabilities')} className="rounded border border-slate-300 px-2 py-1 dark:border-slate-600 dark:bg-slate-800">
              <option value="auto">Detect (logits or probabilities)</option>
              <option value="logits">Logits</option>
              <option value="probabilities">Probabilities</option>
            </select>
          </label>
          <label htmlFor={ids.labels} className="flex flex-col gap-1 sm:col-span-2">
            Class labels, one per line
            <textarea id={ids.labels} rows={3} value={labels} onChange={(e) => setLabels(e.target.value)} className="rounded border border-slate-300 px-2 py-1 font-mono dark:border-slate-600 dark:bg-slate-800" />
          </label>
        </div>
      </details>
    </div>
  );
}
