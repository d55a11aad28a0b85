'use client';

import type { ReactNode } from 'react';
import type { DuplicateGroup, LabelledSetReport } from '@/lib/datasets';

/** A collapsible group of the report, hidden when empty: `children`, or `lines` as a bulleted list. */
function Section({
  title,
  tone = 'warn',
  testId,
  lines,
  count = lines?.length ?? 0,
  children,
}: {
  title: string;
  tone?: 'warn' | 'info';
  testId: string;
  lines?: readonly ReactNode[];
  count?: number;
  children?: ReactNode;
}) {
  if (count === 0) return null;
  return (
    <details open={tone === 'warn'} data-testid={testId} className="rounded border border-border p-2">
      <summary className={tone === 'warn' ? 'cursor-pointer font-medium text-warn' : 'cursor-pointer font-medium'}>
        {title} <span className="tabular-nums">({count})</span>
      </summary>
      <div className="mt-1 max-h-48 overflow-auto">{children ?? <Lines lines={lines ?? []} />}</div>
    </details>
  );
}

const MAX_FILES = 20;

const DUPLICATE_KINDS: Record<DuplicateGroup['kind'], string> = {
  'same-path': 'same path given twice',
  'same-content': 'identical images',
  'csv-repeat': 'listed twice in the CSV',
};

/** A bulleted list of at most `max` lines, then "… and N more". */
function Lines({ lines, max = Infinity }: { lines: readonly ReactNode[]; max?: number }) {
  return (
    <ul className="ml-4 list-disc break-all">
      {lines.slice(0, max).map((l, i) => (
        <li key={i}>{l}</li>
      ))}
      {lines.length > max && <li>… and {lines.length - max} more</li>}
    </ul>
  );
}

/** What was found in a user's labelled set: matched classes, and everything that was left out, and why. */
export function LabelledSetReportView({ report, count }: { report: LabelledSetReport; count: number }) {
  const leftOut =
    report.unknownLabels.reduce((s, u) => s + u.files.length, 0) + report.unreadable.length + report.unlabelled.length;
  return (
    <div className="flex flex-col gap-2 text-xs" data-testid="evaluate.report">
      <p role="status" data-testid="evaluate.report.summary">
        <span className="tabular-nums">{count}</span> labelled image{count === 1 ? '' : 's'} used
        {report.layout === 'csv'
          ? ` (labels from ${report.csvFile ?? 'a CSV file'})`
          : report.layout === 'folders'
            ? ' (labels from folder names)'
            : ''}
        {report.zips.length > 0 ? `, from ${report.zips.join(', ')}` : ''}
        {leftOut > 0 ? `; ${leftOut} file${leftOut === 1 ? '' : 's'} left out — see below.` : '.'}
      </p>
      <Section
        title="Unknown labels (not among the model's classes)"
        count={report.unknownLabels.length}
        testId="evaluate.report.unknown"
      >
        <ul>
          {report.unknownLabels.map((u) => (
            <li key={u.name} data-testid="evaluate.report.unknown.item" data-label={u.name}>
              <span className="font-semibold">“{u.name}”</span> — {u.files.length} file{u.files.length === 1 ? '' : 's'}
              <Lines lines={u.files} max={MAX_FILES} />
            </li>
          ))}
        </ul>
      </Section>
      <Section
        title="Unreadable files"
        testId="evaluate.report.unreadable"
        lines={report.unreadable.map((u) => `${u.path}: ${u.reason}`)}
      />
      <Section title="Images without a label" count={report.unlabelled.length} testId="evaluate.report.unlabelled">
        <Lines lines={report.unlabelled} max={MAX_FILES} />
      </Section>
      <Section title="Classes with no images" count={report.emptyClasses.length} testId="evaluate.report.empty">
        <p>{report.emptyClasses.map((c) => c.name).join(', ')}</p>
        <p className="mt-1 text-fg-subtle">
          Their recall cannot be measured; balanced accuracy averages over the other classes.
        </p>
      </Section>
      {(
        [
          ['missing', 'CSV rows naming missing files', report.missingFiles.map((m) => [m.line, m.file])],
          [
            'ambiguous',
            'Ambiguous CSV rows',
            report.ambiguous.map((m) => [m.line, `${m.file} matches ${m.matches.join(', ')}`]),
          ],
          ['csv', 'CSV problems', report.csvProblems.map((m) => [m.line, m.message])],
        ] as const
      ).map(([id, title, rows]) => (
        <Section
          key={id}
          title={title}
          testId={`evaluate.report.${id}`}
          lines={rows.map(([line, text]) => `line ${line}: ${text}`)}
        />
      ))}
      <Section
        title="Duplicates"
        tone={report.duplicates.some((d) => d.conflicting) ? 'warn' : 'info'}
        testId="evaluate.report.duplicates"
        lines={report.duplicates.map(
          (d) =>
            `${DUPLICATE_KINDS[d.kind]}${d.conflicting ? ' with different labels' : ''}: ` +
            d.paths.map((p, j) => `${p} (${d.classNames[j] ?? '?'})`).join(', '),
        )}
      />
      <Section
        title="How folder / CSV names were matched"
        count={report.classMatches.length}
        tone="info"
        testId="evaluate.report.matches"
      >
        <table className="tabular-nums">
          <tbody>
            {report.classMatches.map((m) => (
              <tr key={m.name}>
                <td className="pr-2">“{m.name}”</td>
                <td className="pr-2">{m.how}</td>
                <td className="text-right">{m.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section
        title="Ignored on purpose"
        tone="info"
        testId="evaluate.report.ignored"
        lines={report.ignored.map((g) => `${g.path}: ${g.reason}`)}
      />
    </div>
  );
}
