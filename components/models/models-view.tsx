'use client';

import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useDashboard } from '@/components/providers/dashboard-provider';
import { Button } from '@/components/ui/button';
import { Panel } from '@/components/ui/panel';
import { cn } from '@/components/ui/cn';
import { ModelLoader } from './model-loader';
import { FineTunePanel } from './fine-tune/fine-tune-panel';
import { ModelDetails } from './model-details';
import { ModelCard } from './model-card';
import { TimelinePanel } from './timeline/timeline-panel';
import { draftFromInfo, ModelSettingsFields, optionsFromDraft, type SettingsDraft } from './model-settings-fields';
import { Input } from '@/components/ui/input';

export function ModelsView() {
  const ids = useDashboard(useShallow((s) => s.modelOrder));
  const selected = useDashboard((s) => s.selectedModelId);
  const selectModel = useDashboard((s) => s.selectModel);
  const entry = useDashboard((s) => (s.selectedModelId ? s.models[s.selectedModelId] : undefined));

  return (
    <div className="flex flex-col gap-4" data-testid="models.view">
      <h1 className="text-lg font-semibold">Models</h1>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
        <div className="flex flex-col gap-4">
          <Panel title="Available models">
            <ul className="flex flex-col gap-1" data-testid="models.list">
              {ids.map((id) => (
                <ModelRow key={id} id={id} active={id === selected} onSelect={() => void selectModel(id)} />
              ))}
            </ul>
          </Panel>
          <Panel title="Load your own model">
            <ModelLoader />
          </Panel>
          <Panel title="Fine-tune a new head">
            <FineTunePanel />
          </Panel>
        </div>
        <Panel title={entry ? <span data-testid="models.selected-name">{entry.name}</span> : 'Model'}>
          {!entry && <p className="text-sm text-fg-subtle">Pick a model.</p>}
          {entry?.status === 'loading' && <p role="status">Loading…</p>}
          {entry?.status === 'error' && (
            <p role="alert" className="text-sm text-danger">
              {entry.error}
            </p>
          )}
          {entry?.source === 'user' && entry.inferred && entry.inferred.filter((f) => !['name', 'inputSize', 'channels'].includes(f)).length > 0 && (
            <p className="mb-3 rounded bg-warn-soft p-2 text-sm text-warn" data-testid="models.assumed">
              Assumed because no card said otherwise: {entry.inferred.filter((f) => !['name', 'inputSize', 'channels'].includes(f)).join(', ')}. Check them under
              Settings below.
            </p>
          )}
          {entry?.info && <ModelDetails info={entry.info} />}
          {entry?.source === 'user' && entry.info && <SettingsEditor key={`${entry.id}:${entry.info.name}:${entry.info.labels.join('|')}`} id={entry.id} />}
          {entry?.manifest?.cardUrl && <ModelCard url={entry.manifest.cardUrl} />}
        </Panel>
        {entry?.manifest?.checkpointsUrl && (
          <Panel title="Timeline: fine-tuning checkpoints" className="lg:col-span-2">
            <TimelinePanel key={entry.id} modelId={entry.id} />
          </Panel>
        )}
      </div>
    </div>
  );
}

function SettingsEditor({ id }: { id: string }) {
  const info = useDashboard((s) => s.models[id]?.info);
  const update = useDashboard((s) => s.updateModelSettings);
  const [draft, setDraft] = useState<SettingsDraft | null>(() => (info ? draftFromInfo(info) : null));
  const [saving, setSaving] = useState(false);
  if (!info || !draft) return null;
  return (
    <details className="mt-4 text-sm" data-testid="models.settings">
      <summary className="cursor-pointer font-medium">Settings</summary>
      <form
        className="mt-2 flex flex-col gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          setSaving(true);
          void update(id, optionsFromDraft(draft)).finally(() => setSaving(false));
        }}
      >
        <ModelSettingsFields value={draft} onChange={setDraft} />
        <div>
          <Button type="submit" variant="primary" disabled={saving} data-testid="models.settings-save">
            {saving ? 'Saving…' : 'Save settings'}
          </Button>
        </div>
      </form>
    </details>
  );
}

function ModelRow({ id, active, onSelect }: { id: string; active: boolean; onSelect: () => void }) {
  const entry = useDashboard((s) => s.models[id]);
  const rename = useDashboard((s) => s.renameModel);
  const remove = useDashboard((s) => s.removeModel);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  if (!entry) return null;
  return (
    <li
      data-testid="models.row"
      data-model-id={id}
      className={cn('flex items-center gap-2 rounded px-2 py-1', active && 'bg-accent-soft')}
    >
      {editing ? (
        <form
          className="flex flex-1 gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            void rename(id, draft);
            setEditing(false);
          }}
        >
          <Input
            size="sm"
            aria-label="New name"
            data-testid="models.rename-input"
            autoFocus
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            className="flex-1 text-sm"
          />
          <Button type="submit" size="sm" className="text-sm" data-testid="models.rename-save">
            Save
          </Button>
        </form>
      ) : (
        <Button variant="bare" onClick={onSelect} title={entry.name} className="min-w-0 flex-1 truncate text-left text-sm hover:underline" data-testid="models.row-name">
          {entry.name}
        </Button>
      )}
      <span className="text-xs text-fg-subtle" data-testid="models.row-kind">
        {entry.source === 'bundled' ? 'bundled' : `yours${(entry.info?.formatLabel ?? entry.saved?.formatLabel) ? ` · ${entry.info?.formatLabel ?? entry.saved?.formatLabel}` : ''}`}
      </span>
      {entry.source === 'user' && !editing && (
        <>
          <Button variant="ghost" size="sm" onClick={() => {
              setDraft(entry.name);
              setEditing(true);
            }} data-testid="models.rename">
            Rename
          </Button>
          <Button
            variant="danger"
            size="sm"
            data-testid="models.remove"
            onClick={() => {
              if (window.confirm(`Remove “${entry.name}” from this browser?`)) void remove(id);
            }}
          >
            Remove
          </Button>
        </>
      )}
    </li>
  );
}
