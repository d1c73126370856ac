import type { InputKind, Packing } from '../bundle/types.js';
import { buildFacts } from '../k8s/bundle-facts.js';
import { createObjectIndex } from '../k8s/object-index.js';
import type { BundleFacts } from '../k8s/types.js';
import type { Coverage } from '../report/model.js';
import { compareText } from '../util/compare.js';
import { scanReadNothing } from './nothing-read.js';
import { scanBundle, type ScanOptions } from './scan-bundle.js';

export interface TimeRange {
  name: string;
  files: number;
  lines: number;
  linesWithTime: number;
  first: number | null;
  last: number | null;
}

export interface InspectResult {
  path: string;
  packing: Packing;
  kind: InputKind;
  facts: BundleFacts;
  objects: number;
  membersByKind: Record<string, number>;
  membersByComponent: Record<string, number>;
  perNode: TimeRange[];
  perSource: TimeRange[];
  coverage: Omit<Coverage, 'ruleFailures'>;
  /** Members whose purpose the tool does not know (read as plain logs when text). */
  notUnderstood: string[];
  /** Nothing usable could be read (exit 2). */
  readNothing: boolean;
}

const countBy = (keys: readonly string[]): Record<string, number> => {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([a], [b]) => compareText(a, b)));
};

/** Facts, member counts, time ranges per node and per source, and parse coverage: what the parsers made of an input. */
export async function inspectBundle(path: string, options: Omit<ScanOptions, 'sink'>): Promise<InspectResult> {
  const scan = await scanBundle(path, { ...options, sink: {} });
  const facts = buildFacts(scan.metadata, createObjectIndex(scan.objects), scan.nodeReleases, scan.nodeArchives);
  const infoOf = new Map(scan.members.map((m) => [m.path, m]));
  const ranges = (keyOf: (path: string) => string | null): TimeRange[] => {
    const byKey = new Map<string, TimeRange>();
    for (const file of scan.files) {
      const key = keyOf(file.file);
      if (key === null) continue;
      const range = byKey.get(key) ?? { name: key, files: 0, lines: 0, linesWithTime: 0, first: null, last: null };
      range.files++;
      range.lines += file.lines;
      range.linesWithTime += file.linesWithTime;
      if (file.firstTime !== null && (range.first === null || file.firstTime < range.first)) range.first = file.firstTime;
      if (file.lastTime !== null && (range.last === null || file.lastTime > range.last)) range.last = file.lastTime;
      byKey.set(key, range);
    }
    return [...byKey.values()].sort((a, b) => compareText(a.name, b.name));
  };
  return {
    path: scan.displayPath,
    packing: scan.packing,
    kind: scan.kind,
    facts,
    objects: scan.objects.length,
    membersByKind: countBy(scan.members.map((m) => m.kind)),
    membersByComponent: countBy(scan.members.map((m) => m.component ?? '(none)')),
    perNode: ranges((file) => infoOf.get(file)?.node ?? null),
    perSource: ranges((file) => infoOf.get(file)?.component ?? null),
    coverage: scan.coverage,
    notUnderstood: scan.members.filter((m) => m.kind === 'unknown').map((m) => m.path),
    readNothing: scanReadNothing(scan),
  };
}
