'use client';

import type { ReactNode } from 'react';
import type { LabelledSetReport } from '@/lib/datasets';

function Section({
  title,
  count,
  tone,
  testId,
  children,
}: {
  title: string;
  count: number;
  tone: 'warn' | 'info';
  testId: string;
  children: ReactNode;
}) {
  if (count === 0) return null;
  return (
    <details open={tone === 'warn'} data-testid={testId} className="rounded border border-border p-2">
      <summary className={tone === 'warn' ? 'cursor-pointer font-medium text-warn' : 'cursor-pointer font-medium'}>
        {title} <span className="tabular-nums">({count})</span>
      </summary>
      <div className="mt-1 max-h-48 overflow-auto">{children}</div>
    </details>
  );
}

const MAX_FILES = 20;

function FileList({ files }: { files: readonly string[] }) {
  return (
    <ul className="ml-4 list-disc break-all">
      {files.slice(0, MAX_FILES).map((f) => (
        <li key={f}>{f}</li>
      ))}
      {files.length > MAX_FILES && <li>… and {files.length - MAX_FILES} more</li>}
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
        tone="warn"
        testId="evaluate.report.unknown"
      >
        <ul>
          {report.unknownLabels.map((u) => (
            <li key={u.name} data-testid="evaluate.report.unknown.item" data-label={u.name}>
              <span className="font-semibold">“{u.name}”</span> — {u.files.length} file{u.files.length === 1 ? '' : 's'}
              <FileList files={u.files} />
            </li>
          ))}
        </ul>
      </Section>
      <Section
        title="Unreadable files"
        count={report.unreadable.length}
        tone="warn"
        testId="evaluate.report.unreadable"
      >
        <ul className="ml-4 list-disc break-all">
          {report.unreadable.map((u) => (
            <li key={u.path}>
              {u.path}: {u.reason}
            </li>
          ))}
        </ul>
      </Section>
      <Section
        title="Images without a label"
        count={report.unlabelled.length}
        tone="warn"
        testId="evaluate.report.unlabelled"
      >
        <FileList files={report.unlabelled} />
      </Section>
      <Section
        title="Classes with no images"
        count={report.emptyClasses.length}
        tone="warn"
        testId="evaluate.report.empty"
      >
        <p>{report.emptyClasses.map((c) => c.name).join(', ')}</p>
        <p className="mt-1 text-fg-subtle">
          Their recall cannot be measured; balanced accuracy averages over the other classes.
        </p>
      </Section>
      <Section
        title="CSV rows naming missing files"
        count={report.missingFiles.length}
        tone="warn"
        testId="evaluate.report.missing"
      >
        <ul className="ml-4 list-disc break-all">
          {report.missingFiles.map((m) => (
            <li key={`${m.line}`}>
              line {m.line}: {m.file}
            </li>
          ))}
        </ul>
      </Section>
      <Section
        title="Ambiguous CSV rows"
        count={report.ambiguous.length}
        tone="warn"
        testId="evaluate.report.ambiguous"
      >
        <ul className="ml-4 list-disc break-all">
          {report.ambiguous.map((m) => (
            <li key={`${m.line}`}>
              line {m.line}: {m.file} matches {m.matches.join(', ')}
            </li>
          ))}
        </ul>
      </Section>
      <Section title="CSV problems" count={report.csvProblems.length} tone="warn" testId="evaluate.report.csv">
        <ul className="ml-4 list-disc">
          {report.csvProblems.map((m) => (
            <li key={`${m.line}`}>
              line {m.line}: {m.message}
            </li>
          ))}
        </ul>
      </Section>
      <Section
        title="Duplicates"
        count={report.duplicates.length}
        tone={report.duplicates.some((d) => d.conflicting) ? 'warn' : 'info'}
        testId="evaluate.report.duplicates"
      >
        <ul className="ml-4 list-disc break-all">
          {report.duplicates.map((d, i) => (
            <li key={i}>
              {d.kind === 'same-path'
                ? 'same path given twice'
                : d.kind === 'same-content'
                  ? 'identical images'
                  : 'listed twice in the CSV'}
              {d.conflicting ? ' with different labels' : ''}:{' '}
              {d.paths.map((p, j) => `${p} (${d.classNames[j] ?? '?'})`).join(', ')}
            </li>
          ))}
        </ul>
      </Section>
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
      <Section title="Ignored on purpose" count={report.ignored.length} tone="info" testId="evaluate.report.ignored">
        <ul className="ml-4 list-disc break-all">
          {report.ignored.map((g) => (
            <li key={g.path}>
              {g.path}: {g.reason}
            </li>
          ))}
        </ul>
      </Section>
    </div>
  );
}
