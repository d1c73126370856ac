import Table from 'cli-table3';
import { SEVERITIES, type Severity } from '../rules/types.js';
import { toIso } from '../util/time.js';
import { versionLabel } from './summarize.js';
import type { BatchItem, BatchSummary, BundleResult } from './types.js';

export const SUMMARY_FORMATS = ['terminal', 'markdown', 'json', 'csv'] as const;
export type SummaryFormat = (typeof SUMMARY_FORMATS)[number];

const SEVERITIES_DESC = [...SEVERITIES].reverse().filter((s) => s !== 'informational');

interface BundleRow {
  input: string;
  status: string;
  clusterId: string;
  createdAt: string;
  versions: string;
  durationSeconds: string;
  counts: Record<Severity, number>;
  topRules: string;
}

function countsOf(r: BundleResult): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of r.findings) counts[f.severity]++;
  return counts;
}

function topRules(r: BundleResult, n = 3): string {
  const byRule = new Map<string, number>();
  for (const f of r.findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  return [...byRule]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([rule, count]) => `${rule}×${count}`)
    .join(' ');
}

function bundleRow(item: BatchItem): BundleRow {
  const empty = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  if (item.status === 'failed' || item.status === 'duplicate') {
    const note = item.status === 'failed' ? `failed: ${item.error}` : `duplicate of ${item.sameAs}`;
    return { input: item.input, status: note, clusterId: '', createdAt: '', versions: '', durationSeconds: '', counts: empty, topRules: '' };
  }
  const r = item.result;
  return {
    input: r.input,
    status: item.status,
    clusterId: r.clusterId ?? '',
    createdAt: toIso(r.createdAt) ?? '',
    versions: versionLabel(r),
    durationSeconds: r.upgrade?.durationSeconds == null ? '' : String(r.upgrade.durationSeconds),
    counts: countsOf(r),
    topRules: topRules(r),
  };
}

const percent = (share: number): string => `${Math.round(share * 100)}%`;
const hours = (seconds: number | null): string => (seconds === null ? '' : `${(seconds / 3600).toFixed(1)} h`);

function tables(summary: BatchSummary): { title: string; head: string[]; rows: string[][] }[] {
  const bundles = summary.bundles.map(bundleRow);
  return [
    {
      title: 'Bundles',
      head: ['bundle', 'status', 'cluster', 'created', 'versions', 'upgrade', ...SEVERITIES_DESC, 'top rules'],
      rows: bundles.map((b) => [
        b.input,
        b.status,
        b.clusterId,
        b.createdAt,
        b.versions,
        hours(b.durationSeconds === '' ? null : Number(b.durationSeconds)),
        ...SEVERITIES_DESC.map((s) => String(b.counts[s])),
        b.topRules,
      ]),
    },
    {
      title: 'Recurring problems',
      head: ['rule', 'bundles', 'share', 'first seen', 'last seen', 'versions'],
      rows: summary.perRule.map((r) => [r.ruleId, String(r.bundles), percent(r.share), toIso(r.firstSeen) ?? '', toIso(r.lastSeen) ?? '', r.versions.join(', ')]),
    },
    {
      title: 'Upgrades by version',
      head: ['versions', 'upgrades', 'median duration', 'max duration', 'with critical findings'],
      rows: summary.perVersionPair.map((v) => [v.pair, String(v.upgrades), hours(v.medianDurationSeconds), hours(v.maxDurationSeconds), percent(v.shareWithCritical)]),
    },
    {
      title: 'New since the previous bundle of each cluster',
      head: ['cluster', 'bundle', 'previous', 'new findings', 'resolved'],
      rows: summary.perCluster.map((c) => [
        c.clusterId,
        c.bundle,
        c.previousBundle ?? '(first bundle)',
        c.newFindings.map((f) => `${f.ruleId}${f.node ? `@${f.node}` : ''}${f.subject ? ` ${f.subject}` : ''}`).join('; '),
        String(c.resolved.length),
      ]),
    },
  ];
}

const mdCell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const csvCell = (text: string): string => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

function renderCsv(summary: BatchSummary): string {
  const head = ['bundle', 'status', 'cluster', 'created', 'versions', 'upgrade_seconds', ...SEVERITIES_DESC, 'top_rules'];
  const rows = summary.bundles.map(bundleRow).map((b) => [b.input, b.status, b.clusterId, b.createdAt, b.versions, b.durationSeconds, ...SEVERITIES_DESC.map((s) => String(b.counts[s])), b.topRules]);
  return [head, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

const jsonView = (summary: BatchSummary) => ({
  schemaVersion: 1,
  bundles: summary.bundles.map((item) =>
    item.status === 'analysed' || item.status === 'cached'
      ? { status: item.status, ...item.result, createdAt: toIso(item.result.createdAt), findings: item.result.findings.map((f) => ({ ...f, firstSeen: toIso(f.firstSeen) })) }
      : item,
  ),
  perRule: summary.perRule.map((r) => ({ ...r, firstSeen: toIso(r.firstSeen), lastSeen: toIso(r.lastSeen) })),
  perVersionPair: summary.perVersionPair,
  perCluster: summary.perCluster.map((c) => ({
    ...c,
    newFindings: c.newFindings.map((f) => ({ ...f, firstSeen: toIso(f.firstSeen) })),
    resolved: c.resolved.map((f) => ({ ...f, firstSeen: toIso(f.firstSeen) })),
  })),
});

/** The batch summary as terminal tables, Markdown, JSON (`schemaVersion: 1`) or CSV (one row per bundle). */
export function renderSummary(summary: BatchSummary, format: SummaryFormat): string {
  if (format === 'json') return `${JSON.stringify(jsonView(summary), null, 2)}\n`;
  if (format === 'csv') return renderCsv(summary);
  const sections = tables(summary);
  if (format === 'markdown') {
    const md = sections.map(({ title, head, rows }) =>
      [`## ${title}`, '', `| ${head.map(mdCell).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)].join('\n'),
    );
    return `# Batch summary\n\n${md.join('\n\n')}\n`;
  }
  return (
    sections
      .map(({ title, head, rows }) => {
        const table = new Table({ head, style: { head: [], border: [] } });
        table.push(...rows);
        return `${title}\n${table.toString()}`;
      })
      .join('\n\n') + '\n'
  );
}
