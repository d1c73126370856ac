import { compareText, compareTime } from '../util/compare.js';
import type {
  BatchItem,
  BatchSummary,
  BundleResult,
  ClusterNews,
  RuleRecurrence,
  VersionPairStats,
} from './types.js';

const resultsOf = (items: readonly BatchItem[]): BundleResult[] =>
  items.flatMap((item) => (item.status === 'analysed' || item.status === 'cached' ? [item.result] : []));

/** `v1.4.2→v1.5.0` for an upgrade, else the bundle's Harvester version, else `unknown`. */
export const versionLabel = (r: BundleResult): string =>
  r.upgrade ? `${r.upgrade.fromVersion ?? '?'}→${r.upgrade.toVersion ?? '?'}` : (r.harvesterVersion ?? 'unknown');

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Bundles in cluster history order: creation time, then input path. */
const byBundleTime = (a: BundleResult, b: BundleResult): number =>
  compareTime(a.createdAt, b.createdAt) || compareText(a.input, b.input);

function perRule(results: readonly BundleResult[]): RuleRecurrence[] {
  const byRule = new Map<string, { bundles: Set<string>; times: number[]; versions: Set<string> }>();
  for (const r of results) {
    for (const f of r.findings) {
      const entry = byRule.get(f.ruleId) ?? { bundles: new Set(), times: [], versions: new Set() };
      entry.bundles.add(r.hash);
      const when = f.firstSeen ?? r.createdAt;
      if (when !== null) entry.times.push(when);
      entry.versions.add(versionLabel(r));
      byRule.set(f.ruleId, entry);
    }
  }
  return [...byRule]
    .map(([ruleId, e]) => ({
      ruleId,
      bundles: e.bundles.size,
      share: results.length === 0 ? 0 : e.bundles.size / results.length,
      firstSeen: e.times.length ? Math.min(...e.times) : null,
      lastSeen: e.times.length ? Math.max(...e.times) : null,
      versions: [...e.versions].sort(compareText),
    }))
    .sort((a, b) => b.bundles - a.bundles || compareText(a.ruleId, b.ruleId));
}

function perVersionPair(results: readonly BundleResult[]): VersionPairStats[] {
  const byPair = new Map<string, BundleResult[]>();
  for (const r of results.filter((x) => x.upgrade)) byPair.set(versionLabel(r), [...(byPair.get(versionLabel(r)) ?? []), r]);
  return [...byPair]
    .map(([pair, rs]) => {
      const durations = rs.flatMap((r) => (r.upgrade?.durationSeconds == null ? [] : [r.upgrade.durationSeconds]));
      return {
        pair,
        upgrades: rs.length,
        medianDurationSeconds: median(durations),
        maxDurationSeconds: durations.length ? Math.max(...durations) : null,
        shareWithCritical: rs.filter((r) => r.findings.some((f) => f.severity === 'critical')).length / rs.length,
      };
    })
    .sort((a, b) => compareText(a.pair, b.pair));
}

/** For each cluster, what its newest bundle shows that the one before did not (by finding fingerprint). */
function perCluster(results: readonly BundleResult[]): ClusterNews[] {
  const byCluster = new Map<string, BundleResult[]>();
  for (const r of results) {
    if (r.clusterId) byCluster.set(r.clusterId, [...(byCluster.get(r.clusterId) ?? []), r]);
  }
  return [...byCluster]
    .map(([clusterId, rs]) => {
      const ordered = [...rs].sort(byBundleTime);
      const latest = ordered[ordered.length - 1];
      const previous = ordered.length > 1 ? ordered[ordered.length - 2] : null;
      const before = new Set(previous?.findings.map((f) => f.id) ?? []);
      const now = new Set(latest.findings.map((f) => f.id));
      return {
        clusterId,
        bundle: latest.input,
        previousBundle: previous?.input ?? null,
        newFindings: previous ? latest.findings.filter((f) => !before.has(f.id)) : [],
        resolved: previous ? previous.findings.filter((f) => !now.has(f.id)) : [],
      };
    })
    .sort((a, b) => compareText(a.clusterId, b.clusterId));
}

/** Everything a batch says, from its per-bundle results. Pure and deterministic. */
export function summarizeBatch(items: readonly BatchItem[]): BatchSummary {
  const inputOf = (item: BatchItem): string => ('result' in item ? item.result.input : item.input);
  const bundles = [...items].sort((a, b) => compareText(inputOf(a), inputOf(b)));
  const results = resultsOf(bundles);
  return { bundles, perRule: perRule(results), perVersionPair: perVersionPair(results), perCluster: perCluster(results) };
}
