'use client';

import { useState } from 'react';
import { useDashboard, useDashboardApi } from '@/components/providers/dashboard-provider';
import { DatasetThumb } from '@/components/images/dataset-thumb';
import { Button } from '@/components/ui/button';
import { Panel } from '@/components/ui/panel';
import { Tabs } from '@/components/ui/tabs';
import type { SetComparison } from '@/lib/compare';
import type { PairedCase } from '@/lib/metrics';
import { useCompare, useCompareApi } from './compare-context';
import { pct } from '@/lib/format';

const PAGE = 60;

/** Regressions (A right, B wrong) and fixes (A wrong, B right), most confident first; click to explain. */
export function CaseList({ cmp, datasetId }: { cmp: SetComparison; datasetId: string }) {
  const store = useCompareApi();
  const dashboard = useDashboardApi();
  const list = useCompare((s) => s.list);
  const setName = useDashboard((s) => s.datasets[datasetId]?.meta.name ?? datasetId);
  const [more, setMore] = useState<{ list: string; n: number }>({ list, n: PAGE });
  const shown = more.list === list ? more.n : PAGE;
  const [opening, setOpening] = useState<number | null>(null);
  const cases = list === 'regressions' ? cmp.paired.regressions : cmp.paired.fixes;

  const open = async (c: PairedCase) => {
    setOpening(c.index);
    try {
      const known = store.getState().opened[`${datasetId}#${c.index}`];
      const d = dashboard.getState();
      let imageId: string | null = known && d.images.some((i) => i.id === known) ? known : null;
      if (imageId) d.selectImage(imageId);
      else {
        imageId = await d.openDatasetImage(datasetId, c.index);
        if (imageId) store.getState().rememberOpened(datasetId, c.index, imageId);
      }
      if (imageId) document.getElementById('compare-single')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    } finally {
      setOpening(null);
    }
  };

  const tab = (value: 'regressions' | 'fixes', label: string, count: number) => ({
    value,
    testId: `compare.list.${value}`,
    data: { 'data-count': count } as const,
    label: (
      <>
        {label} <span className="tabular-nums">({count})</span>
      </>
    ),
  });

  return (
    <Panel title="What changes for your users">
      <Tabs
        label="Images that changed"
        variant="pill"
        className="mb-2 gap-2"
        value={list}
        onChange={(l) => store.getState().setList(l)}
        items={[
          tab('regressions', 'Regressions: A right, B wrong', cmp.paired.regressions.length),
          tab('fixes', 'Fixes: A wrong, B right', cmp.paired.fixes.length),
        ]}
      />
      <p className="mb-3 text-xs text-fg-subtle">
        {list === 'regressions'
          ? 'Images the new version gets wrong that the old one got right, the ones B is most sure about first.'
          : 'Images the new version now gets right, the ones B is most sure about first.'}{' '}
        Click one to see both explanations above.
      </p>
      {cases.length === 0 ? (
        <p className="text-sm text-fg-subtle">None.</p>
      ) : (
        <ul
          className="grid grid-cols-[repeat(auto-fill,minmax(13rem,1fr))] gap-2"
          data-testid="compare.cases"
          data-list={list}
          data-total={cases.length}
          data-page={PAGE}
        >
          {cases.slice(0, shown).map((c) => (
            <li key={c.index}>
              <Button
                variant="bare"
                data-testid="compare.case"
                data-index={c.index}
                disabled={opening !== null}
                onClick={() => void open(c)}
                className="flex w-full items-center gap-2 rounded-md border border-border p-1.5 hover:bg-muted disabled:opacity-60"
              >
                <DatasetThumb
                  datasetId={datasetId}
                  index={c.index}
                  size={48}
                  label={`${setName} image ${c.index}`}
                  className="shrink-0"
                />
                <span className="flex min-w-0 flex-col text-xs">
                  <span className="truncate">
                    <span className="text-fg-subtle">true</span> {cmp.classNames[c.label]}
                  </span>
                  <span className="truncate">
                    <span className="text-fg-subtle">A</span> {cmp.classNames[c.predA]} ·{' '}
                    <span className="text-fg-subtle">B</span> {cmp.classNames[c.predB]}
                  </span>
                  <span className="text-fg-subtle tabular-nums">
                    #{c.index} · B {pct(c.confidence, 0)} sure
                  </span>
                </span>
              </Button>
            </li>
          ))}
        </ul>
      )}
      {cases.length > shown && (
        <Button
          className="mt-3"
          onClick={() => setMore({ list, n: shown + PAGE })}
          data-testid="compare.cases.more"
          data-left={cases.length - shown}
        >
          Show more ({cases.length - shown} left)
        </Button>
      )}
    </Panel>
  );
}
