import { describe, expect, it } from 'vitest';
import { summarizeBatch } from '../../src/batch/summarize.js';
import { renderSummary } from '../../src/batch/render-summary.js';
import type { BatchItem, BundleFindingSummary, BundleResult } from '../../src/batch/types.js';

const t = (iso: string): number => Date.parse(iso);

const finding = (ruleId: string, node: string | null, severity: BundleFindingSummary['severity'] = 'high'): BundleFindingSummary => ({
  id: `${ruleId}-${node}`,
  ruleId,
  severity,
  node,
  subject: null,
  firstSeen: t('2025-06-14T10:00:00Z'),
  count: 1,
});

const result = (input: string, over: Partial<BundleResult>): BundleResult => ({
  input,
  hash: `hash-${input}`,
  clusterId: 'cluster-a',
  createdAt: t('2025-06-14T12:00:00Z'),
  harvesterVersion: 'v1.5.0',
  upgrade: { name: 'hvst-upgrade-x', fromVersion: 'v1.4.2', toVersion: 'v1.5.0', state: 'Succeeded', durationSeconds: 4 * 3600 },
  findings: [],
  reportPath: null,
  ...over,
});

describe('summarizeBatch', () => {
  const older = result('a-older.zip', {
    createdAt: t('2025-03-01T00:00:00Z'),
    upgrade: { name: 'u1', fromVersion: 'v1.4.1', toVersion: 'v1.4.2', state: 'Succeeded', durationSeconds: 3600 },
    findings: [finding('prometheus-oom-killed', 'harvester-03')],
  });
  const newer = result('b-newer.zip', {
    findings: [finding('rke2-upgrade-without-pre-drain', 'harvester-01', 'critical'), finding('vm-abrupt-shutdown', 'harvester-01')],
  });
  const other = result('c-other.zip', { clusterId: 'cluster-b', upgrade: null, findings: [finding('vm-abrupt-shutdown', 'n1')] });
  const items: BatchItem[] = [
    { status: 'analysed', result: newer },
    { status: 'failed', input: 'broken.zip', hash: null, error: 'not a zip' },
    { status: 'analysed', result: older },
    { status: 'duplicate', input: 'copy.zip', hash: 'hash-b-newer.zip', sameAs: 'b-newer.zip' },
    { status: 'cached', result: other },
  ];
  const summary = summarizeBatch(items);

  it('lists bundles in input order, failures and duplicates included', () => {
    expect(summary.bundles.map((b) => ('result' in b ? b.result.input : b.input))).toEqual([
      'a-older.zip',
      'b-newer.zip',
      'broken.zip',
      'c-other.zip',
      'copy.zip',
    ]);
  });

  it('counts recurring rules across analysed bundles only', () => {
    const vm = summary.perRule.find((r) => r.ruleId === 'vm-abrupt-shutdown')!;
    expect(vm.bundles).toBe(2);
    expect(vm.share).toBeCloseTo(2 / 3);
    expect(vm.versions).toEqual(['v1.4.2→v1.5.0', 'v1.5.0']);
    expect(summary.perRule[0].ruleId).toBe('vm-abrupt-shutdown');
  });

  it('gives per version pair durations and the share with critical findings', () => {
    expect(summary.perVersionPair).toEqual([
      { pair: 'v1.4.1→v1.4.2', upgrades: 1, medianDurationSeconds: 3600, maxDurationSeconds: 3600, shareWithCritical: 0 },
      { pair: 'v1.4.2→v1.5.0', upgrades: 1, medianDurationSeconds: 14400, maxDurationSeconds: 14400, shareWithCritical: 1 },
    ]);
  });

  it('says what is new in each cluster since its previous bundle', () => {
    const a = summary.perCluster.find((c) => c.clusterId === 'cluster-a')!;
    expect(a.bundle).toBe('b-newer.zip');
    expect(a.previousBundle).toBe('a-older.zip');
    expect(a.newFindings.map((f) => f.ruleId)).toEqual(['rke2-upgrade-without-pre-drain', 'vm-abrupt-shutdown']);
    expect(a.resolved.map((f) => f.ruleId)).toEqual(['prometheus-oom-killed']);
    const b = summary.perCluster.find((c) => c.clusterId === 'cluster-b')!;
    expect(b.previousBundle).toBeNull();
    expect(b.newFindings).toEqual([]);
  });

  it('renders every format deterministically, CSV with one row per bundle', () => {
    for (const format of ['terminal', 'markdown', 'json', 'csv'] as const) {
      expect(renderSummary(summary, format)).toBe(renderSummary(summarizeBatch([...items].reverse()), format));
    }
    const csv = renderSummary(summary, 'csv').trim().split('\n');
    expect(csv).toHaveLength(6);
    expect(csv[3]).toContain('failed: not a zip');
    expect(JSON.parse(renderSummary(summary, 'json')).schemaVersion).toBe(1);
  });
});
