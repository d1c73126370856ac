import type { TimelineEntry } from '../report/model.js';
import type { EvidenceRef, Finding } from '../rules/types.js';
import { compareText, compareTime } from '../util/compare.js';
import { referenceTime } from './clock-skew.js';
import { findingReferenceTime } from './incident-context.js';
import { clockTime, spokenDuration } from '../util/time.js';
import type { ClockSkew, Incident, KeyEvent, Stamp, UpgradeStory } from './types.js';

export interface TimelineOptions {
  /** Node clock offsets; node-local times are shown on the reference clock, with a note. */
  skews?: readonly ClockSkew[];
  /** Most entries kept per kind and node; the rest fold into one `(+K more …)` entry. */
  maxPerKindAndNode?: number;
}

export const DEFAULT_MAX_PER_KIND_AND_NODE = 10;

/** Kinds never folded: there are few of them and each one matters. */
const NEVER_FOLDED = new Set(['incident', 'upgrade-phase']);

/** The timeline's total order: time, node, kind, summary, then provenance. */
export const compareTimelineEntries = (a: TimelineEntry, b: TimelineEntry): number =>
  a.time - b.time ||
  compareText(a.node, b.node) ||
  compareText(a.kind, b.kind) ||
  compareText(a.summary, b.summary) ||
  compareText(a.findingId, b.findingId) ||
  compareText(a.file, b.file) ||
  compareTime(a.line, b.line);

interface Timed {
  time: number;
  node: string | null;
  kind: string;
  summary: string;
  findingId: string | null;
  source: EvidenceRef | null;
}

/** One entry on the reference clock; a node-local time that moved says so. */
function entry(t: Timed, skews: readonly ClockSkew[]): TimelineEntry {
  const time = t.source ? referenceTime(t.time, t.node, t.source.file, skews) : t.time;
  const ahead = time < t.time ? '+' : '−';
  const moved = time === t.time ? '' : ` [${t.node ?? 'node'} clock ${ahead}${spokenDuration(t.time - time)}, corrected]`;
  return {
    time,
    node: t.node,
    kind: t.kind,
    summary: `${t.summary}${moved}`,
    findingId: t.findingId,
    file: t.source?.file ?? null,
    line: t.source?.line ?? null,
  };
}

const fromKeyEvent = (e: KeyEvent): Timed => ({ ...e, findingId: null, source: e.evidence });

function fromUpgrade(u: UpgradeStory): Timed[] {
  const at = (stamp: Stamp | null, node: string | null, kind: string, summary: string): Timed[] =>
    stamp ? [{ time: stamp.time, node, kind, summary, findingId: null, source: stamp.source }] : [];
  const versions = u.fromVersion || u.toVersion ? ` (${u.fromVersion ?? '?'} → ${u.toVersion ?? '?'})` : '';
  const took = u.durationSeconds === null ? '' : `, ${spokenDuration(u.durationSeconds * 1000)}`;
  return [
    ...at(u.startedAt, null, 'upgrade-phase', `Upgrade ${u.name} started${versions}`),
    ...u.phases.flatMap((p) => at(p.at, null, 'upgrade-phase', `${p.name}: ${p.status}`)),
    ...at(u.finishedAt, null, 'upgrade-phase', `Upgrade ${u.name} finished: ${u.state ?? 'state unknown'}${took}`),
    ...u.nodes.flatMap((n) => [
      ...at(n.imagesPreloadedAt, n.name, 'node-state', 'Images preloaded'),
      ...at(n.preDrainStartedAt, n.name, 'job-start', 'pre-drain job started'),
      ...at(n.preDrainFinishedAt, n.name, 'job-complete', 'pre-drain job completed'),
      ...at(n.rke2UpgradedAt, n.name, 'rke2-install', 'RKE2 upgraded'),
      ...at(n.postDrainStartedAt, n.name, 'job-start', 'post-drain job started'),
      ...at(n.postDrainFinishedAt, n.name, 'job-complete', 'post-drain job completed'),
      ...at(n.rebootedAt, n.name, 'reboot', 'rebooted'),
      ...at(n.succeededAt, n.name, 'node-state', 'Succeeded'),
    ]),
  ];
}

function fromFinding(f: Finding, skews: readonly ClockSkew[]): TimelineEntry | null {
  if (f.firstSeen === null) return null;
  const source = f.evidence.find((e) => e.time === f.firstSeen) ?? f.evidence[0] ?? null;
  const what = f.subject ? `: ${f.subject}` : '';
  const times = f.count > 1 ? ` (×${f.count})` : '';
  return {
    time: findingReferenceTime(f, f.firstSeen, skews)!,
    node: f.node,
    kind: f.ruleId,
    summary: `${f.severity} ${f.title}${what}${times}`,
    findingId: f.id,
    file: source?.file ?? null,
    line: source?.line ?? null,
  };
}

function fromIncident(i: Incident): TimelineEntry | null {
  if (i.start === null) return null;
  const node = i.nodes.length === 1 ? i.nodes[0] : null;
  return { time: i.start, node, kind: 'incident', summary: `${i.severity} ${i.title}`, findingId: null, file: null, line: null };
}

/** The same happening once: one line of evidence at one time, one finding, or one summary without evidence. */
const identity = (e: TimelineEntry): string =>
  e.findingId !== null
    ? `finding\n${e.findingId}`
    : e.file !== null
      ? `line\n${e.time}\n${e.node}\n${e.file}\n${e.line}`
      : `text\n${e.time}\n${e.node}\n${e.kind}\n${e.summary}`;

/**
 * Keeps the first `max` entries of each kind and node (and any more at the same instant as the last one kept); the
 * rest fold into one `(+K more …)` entry where they begin, so it sorts after everything kept.
 */
function fold(entries: TimelineEntry[], max: number): TimelineEntry[] {
  const groups = new Map<string, TimelineEntry[]>();
  for (const e of entries) {
    const key = `${e.kind}\n${e.node ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups.values()].flatMap((group) => {
    if (NEVER_FOLDED.has(group[0].kind) || group.length <= max) return group;
    const { node, kind } = group[0];
    let keep = max;
    while (keep < group.length && group[keep].time === group[max - 1].time) keep++;
    if (keep === group.length) return group;
    const left = group.slice(keep);
    const where = node ? ` on ${node}` : '';
    const last = left[left.length - 1].time;
    const until = last > left[0].time ? ` until ${clockTime(last)}` : '';
    const summary = `(+${left.length} more ${kind}${where}${until})`;
    return [...group.slice(0, keep), { time: left[0].time, node, kind, summary, findingId: null, file: null, line: null }];
  });
}

/**
 * One UTC timeline of key events (phases, job starts and ends, rke2 stops and starts, reboots), the upgrade story's
 * per-node moments, findings at their first sighting and incidents at their start, each with its file:line.
 * Totally ordered by time, node, kind, summary; de-duplicated (key events before the story's copies of the same
 * evidence line); and folded to at most `maxPerKindAndNode` entries per kind and node so a report stays readable.
 */
export function buildTimeline(
  findings: readonly Finding[],
  keyEvents: readonly KeyEvent[],
  upgrade: UpgradeStory | null,
  incidents: readonly Incident[],
  opts: TimelineOptions = {},
): TimelineEntry[] {
  const skews = opts.skews ?? [];
  const byOrder = (list: (TimelineEntry | null)[]): TimelineEntry[] =>
    list.filter((e): e is TimelineEntry => e !== null).sort(compareTimelineEntries);
  // Precedence among copies of one happening: the key event, then the story, then findings and incidents.
  const candidates = [
    ...byOrder(keyEvents.map((e) => entry(fromKeyEvent(e), skews))),
    ...byOrder(upgrade ? fromUpgrade(upgrade).map((t) => entry(t, skews)) : []),
    ...byOrder(findings.map((f) => fromFinding(f, skews))),
    ...byOrder(incidents.map(fromIncident)),
  ];
  const seen = new Set<string>();
  const unique = candidates.filter((e) => !seen.has(identity(e)) && seen.add(identity(e)));
  return fold(unique.sort(compareTimelineEntries), opts.maxPerKindAndNode ?? DEFAULT_MAX_PER_KIND_AND_NODE).sort(compareTimelineEntries);
}
