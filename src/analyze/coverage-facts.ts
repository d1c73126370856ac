import type { IncidentCoverage } from '../correlate/incidents.js';
import type { UpgradeStory } from '../correlate/types.js';
import { compareText } from '../util/compare.js';
import type { BundleFacts } from '../k8s/types.js';
import { toIso } from '../util/time.js';
import type { ScanResult } from './scan-bundle.js';

/** Per node: the earliest timed line of its journals and kubelet log (null when it has none). */
export function nodeLogStarts(scan: Pick<ScanResult, 'files' | 'members'>): Map<string, number | null> {
  const starts = new Map<string, number | null>();
  const nodeOf = new Map(scan.members.map((m) => [m.path, m.node]));
  for (const file of scan.files) {
    const node = nodeOf.get(file.file);
    if (!node || !(file.kind === 'node-journal' || file.kind === 'node-log' || file.kind === 'kernel-log')) continue;
    const known = starts.get(node) ?? null;
    if (!starts.has(node) || (file.firstTime !== null && (known === null || file.firstTime < known))) {
      starts.set(node, file.firstTime);
    }
  }
  return starts;
}

/** What the bundle lacks for a verdict, in words for the Coverage section. */
export function collectionGaps(scan: ScanResult, facts: BundleFacts, upgrade: UpgradeStory | null): string[] {
  const gaps: string[] = [];
  const starts = nodeLogStarts(scan);
  for (const node of facts.nodes) {
    if (!scan.nodeArchives.includes(node)) gaps.push(`no node archive nodes/${node}.zip: ${node}'s journals, kubelet and kernel logs are missing`);
    else if (!starts.has(node)) gaps.push(`nodes/${node}.zip holds no node logs`);
    else {
      const start = starts.get(node) ?? null;
      const upgradeStart = upgrade?.startedAt?.time ?? null;
      if (start !== null && upgradeStart !== null && start > upgradeStart) {
        gaps.push(`${node}'s node logs start at ${toIso(start)}, after the upgrade began (${toIso(upgradeStart)})`);
      }
    }
  }
  const seen = new Set<string>();
  for (const path of scan.members.map((m) => m.path)) {
    if (seen.has(path)) gaps.push(`${path} appears more than once in the archive: both copies were read, and citations of it are ambiguous`);
    seen.add(path);
  }
  if (scan.kind === 'support-bundle' && !scan.members.some((m) => m.kind === 'yaml-list')) {
    gaps.push('no yamls/: Kubernetes objects (Upgrade, Jobs, Nodes, VMs) are missing, verdicts rest on logs alone');
  }
  if (scan.kind === 'support-bundle' && scan.metadata === null) {
    gaps.push('no metadata.yaml: year-less times were anchored on member modification times');
  }
  return gaps;
}

/** What the incident builder needs to call a chain inconclusive rather than absent. */
export function coverageFacts(scan: ScanResult, upgrade: UpgradeStory | null): IncidentCoverage {
  const starts = nodeLogStarts(scan);
  return {
    nodesWithJournal: [...starts.keys()].sort(compareText),
    journalStart: Object.fromEntries([...starts].sort(([a], [b]) => compareText(a, b))),
    upgradePresent: upgrade !== null,
  };
}
