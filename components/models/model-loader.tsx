'use client';

import { useId, useRef, useState } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { useFileDrop } from '@/components/ui/use-file-drop';
import { EMPTY_DRAFT, ModelSettingsFields, optionsFromDraft, type SettingsDraft } from './model-settings-fields';
import { FileInput, Input } from '@/components/ui/input';
import { useUrlDownload } from './use-url-download';

const STAGE_TEXT = { read: 'Reading the files', build: 'Building the model', inspect: 'Checking the model' } as const;

/** Load a model (TF.js, ONNX, Keras) from files, a folder, a drop, or a TF.js URL — with optional answers for what no card says. */
export function ModelLoader() {
  const loadUserFiles = useDashboard((s) => s.loadUserFiles);
  const notify = useDashboard((s) => s.notify);
  const loading = useDashboard((s) => s.busy.loadModel ?? false);
  const download = useUrlDownload();
  const busy = loading || download.active;
  const filesRef = useRef<HTMLInputElement>(null);
  const folderRef = useRef<HTMLInputElement>(null);
  const [url, setUrl] = useState('');
  const [draft, setDraft] = useState<SettingsDraft>(EMPTY_DRAFT);
  const [progress, setProgress] = useState<{ fraction: number; stage: keyof typeof STAGE_TEXT } | null>(null);
  const urlId = useId();
  const options = () => optionsFromDraft(draft);

  const onFiles = (files: File[], defaultName?: string) => {
    if (!files.length) return;
    const o = options();
    if (!o.name && defaultName) o.name = defaultName;
    setProgress({ fraction: 0, stage: 'read' });
    void loadUserFiles(files, o, (fraction, stage) => setProgress({ fraction, stage })).finally(() => setProgress(null));
  };
  const onUrl = async (raw: string) => {
    try {
      const got = await download.start(raw);
      if (got) onFiles(got.files, got.name);
    } catch (e) {
      notify('error', `The model was not loaded: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const drop = useFileDrop((files) => onFiles(files));
  return (
    <div className="flex flex-col gap-4">
      <div
        data-testid="model-loader.dropzone"
        {...drop.props}
        className={cn('rounded-lg border-2 border-dashed p-4 text-sm', drop.className)}
      >
        <p className="mb-2">
          Select or drop a model: <code>model.json</code> with its weight files (<code>*.bin</code>) or its folder
          (TensorFlow.js), an <code>.onnx</code> file with any external-data files beside it (ONNX, e.g. from PyTorch), or a{' '}
          <code>.keras</code> / <code>.h5</code> file (Keras). Optionally add a <code>card.json</code> and{' '}
          <code>labels.txt</code>/<code>labels.json</code>. Everything stays in this browser.
        </p>
        <div className="flex flex-wrap gap-2">
          <Button variant="primary" disabled={busy} onClick={() => filesRef.current?.click()} data-testid="model-loader.files">
            Choose files…
          </Button>
          <Button disabled={busy} onClick={() => folderRef.current?.click()}>
            Choose a folder…
          </Button>
          {busy && !progress && <span role="status">Loading and checking the model…</span>}
        </div>
        {progress && (
          <div className="mt-2 flex items-center gap-2" role="status" data-testid="model-loader.progress" data-stage={progress.stage}>
            <progress max={1} value={progress.fraction} aria-label="Model loading progress" className="h-2 w-48" />
            <span className="tabular-nums">
              {STAGE_TEXT[progress.stage]}… {Math.round(progress.fraction * 100)} %
            </span>
          </div>
        )}
        <FileInput
          ref={filesRef}
          multiple

          aria-label="Model files"
          data-testid="model-loader.input"
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = '';
            onFiles(files);
          }}
        />
        <FileInput
          ref={folderRef}
          multiple
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
          if (url.trim()) void onUrl(url.trim());
        }}
      >
        <div className="flex flex-1 flex-col gap-1">
          <label htmlFor={urlId}>…or the URL of a model.json</label>
          <Input
            id={urlId}
            size="lg"
            data-testid="model-loader.url"
            type="url"
            placeholder="https://example.org/my-model/model.json"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
        </div>
        <Button type="submit" disabled={busy || !url.trim()} data-testid="model-loader.url-submit">
          Load from URL
        </Button>
        {download.active && (
          <>
            <Button onClick={download.cancel} data-testid="model-loader.url-cancel">
              Cancel
            </Button>
            <div className="flex w-full items-center gap-2" role="status" data-testid="model-loader.url-progress">
              <progress max={1} value={download.fraction} aria-label="Model download progress" className="h-2 w-48" />
              <span className="tabular-nums">
                Downloading… {Math.round(download.fraction * 100)} % ({(download.bytes / 1024 / 1024).toFixed(1)} MB)
              </span>
            </div>
          </>
        )}
      </form>
      <details className="text-sm">
        <summary className="cursor-pointer font-medium">Settings for models without a card (optional)</summary>
        <p className="mt-1 text-xs text-fg-subtle">
          A sidecar card or labels file wins over nothing; what you set here wins over both. Input size and channels are
          read from the model itself.
        </p>
        <div className="mt-2">
          <ModelSettingsFields value={draft} onChange={setDraft} />
        </div>
      </details>
    </div>
  );
}
