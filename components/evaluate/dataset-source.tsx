'use client';

import { useEffect, useId, useRef, useState, type ChangeEvent, type DragEvent } from 'react';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { filesFromDrop } from './read-drop';
import { GroupedOptions } from '@/components/ui/grouped-options';
import { FileInput } from '@/components/ui/input';
import { Select } from '@/components/ui/select';

export interface DatasetOption {
  id: string;
  name: string;
  source: 'bundled' | 'user';
}

/**
 * The dataset picker (bundled sets that fit the model, and the user's own sets) and the ways to bring a
 * labelled set: a folder with one sub-folder per class, a zip of that, or images plus a CSV of file,label —
 * by picker or by drop. `onAdded` receives the new set's id.
 */
export function DatasetSource({
  modelId,
  options,
  value,
  onChange,
  onAdded,
}: {
  modelId: string | null;
  options: readonly DatasetOption[];
  value: string | null;
  onChange: (id: string) => void;
  onAdded: (id: string) => void;
}) {
  const selectId = useId();
  const folderRef = useRef<HTMLInputElement>(null);
  const filesRef = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const busy = useDashboard((s) => Boolean(s.busy.labelledSet));
  const modelReady = useDashboard((s) => (modelId ? s.models[modelId]?.status === 'ready' : false));
  const addLabelledSet = useDashboard((s) => s.addLabelledSet);

  useEffect(() => {
    // React has no typed prop for it; the attribute makes the picker choose a folder.
    folderRef.current?.setAttribute('webkitdirectory', '');
  }, []);

  const add = async (files: File[], paths?: string[]) => {
    if (!modelId || files.length === 0) return;
    const id = await addLabelledSet(files, modelId, paths);
    if (id) onAdded(id);
  };

  const pick = (e: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(e.target.files ?? []);
    e.target.value = '';
    void add(files);
  };

  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const { files, paths } = await filesFromDrop(e.dataTransfer);
    await add(files, paths);
  };

  const disabled = !modelReady || busy;
  return (
    <div className="flex flex-wrap items-center gap-3">
      <div className="flex max-w-full min-w-0 items-center gap-2">
        <label htmlFor={selectId} className="text-sm font-medium text-fg-muted">
          Evaluation set
        </label>
        <Select
          id={selectId}
          size="lg"
          data-testid="evaluate.dataset"
          className="max-w-full min-w-0 sm:min-w-56"
          value={value ?? ''}
          onChange={(e) => onChange(e.target.value)}
        >
          {value === null && <option value="">No set fits this model — add your own</option>}
          <GroupedOptions options={options} userLabel="Yours (this session)" />
        </Select>
      </div>
      <div
        data-testid="evaluate.labelled.drop"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => void onDrop(e)}
        className={cn(
          'flex flex-wrap items-center gap-2 rounded-md border border-dashed px-3 py-1.5 text-sm',
          over ? 'border-ring bg-accent-soft' : 'border-border-strong',
        )}
      >
        <span className="text-fg-muted">Your labelled images:</span>
        <Button
          disabled={disabled}
          onClick={() => folderRef.current?.click()}
          data-testid="evaluate.labelled.folder-button"
        >
          Folder…
        </Button>
        <Button
          disabled={disabled}
          onClick={() => filesRef.current?.click()}
          data-testid="evaluate.labelled.files-button"
        >
          Zip or images + CSV…
        </Button>
        <span className="text-xs text-fg-subtle">or drop them here</span>
        {busy && (
          <span role="status" className="text-xs text-fg-subtle">
            Reading…
          </span>
        )}
        <FileInput
          ref={folderRef}
          multiple
          tabIndex={-1}
          aria-label="Choose a folder with one sub-folder per class"
          data-testid="evaluate.labelled.folder"
          onChange={pick}
        />
        <FileInput
          ref={filesRef}
          multiple
          accept=".zip,.csv,.tsv,.txt,image/*"
          tabIndex={-1}
          aria-label="Choose a zip, or images plus a CSV of file,label"
          data-testid="evaluate.labelled.files"
          onChange={pick}
        />
      </div>
    </div>
  );
}
