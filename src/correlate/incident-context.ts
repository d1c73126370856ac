import { severityRank, type Finding } from '../rules/types.js';
import { clockSide, nodeOfMember, referenceTime } from './clock-skew.js';
import { toIso } from '../util/time.js';
import { compareText } from '../util/compare.js';
import { compareFindings, compareKeyEvents } from './incident-order.js';
import type { ClockSkew, KeyEvent, KeyEventKind, UpgradeStory } from './types.js';

/** What the bundle covers, so a chain missing its evidence is called inconclusive rather than absent. */
export interface IncidentCoverage {
  /** Nodes whose own logs (journal, kubelet.log) are in the bundle. */
  nodesWithJournal: readonly string[];
  /** Per node, the time of the first timed line of its journal; null when unknown. */
  journalStart: Readonly<Record<string, number | null>>;
  /** The bundle holds an Upgrade CR. */
  upgradePresent: boolean;
}

/** The coverage facts, and how to correlate. */
export interface IncidentOptions extends IncidentCoverage {
  /** Node clock offsets (estimateClockSkew); node-local times are moved onto the reference clock first. */
  skews?: readonly ClockSkew[];
  /** How long after its cause an effect is still tied to it (default 10 min). */
  effectWindowMs?: number;
}

const MEDIUM = severityRank('medium');

export const DEFAULT_EFFECT_WINDOW_MS = 10 * 60_000;

/** Two sightings closer than this count as simultaneous when checking their order (log latency, residual skew). */
export const ORDER_TOLERANCE_MS = 2000;

/** The shared, read-only view every chain builder works on, plus the findings already claimed by an incident. */
export interface CorrelationContext {
  /** Unique by id, in first-seen order. */
  findings: readonly Finding[];
  /** On the reference clock, in a total order. */
  keyEvents: readonly KeyEvent[];
  upgrade: UpgradeStory | null;
  coverage: IncidentCoverage;
  windowMs: number;
  claimed: Set<string>;
  /** A finding's first/last sighting on the reference clock. */
  start(f: Finding): number | null;
  end(f: Finding): number | null;
  /** Findings of a rule no incident has taken yet, in first-seen order; informational ones never join an incident. */
  unclaimed(ruleId: string): Finding[];
  /** Those of them severe enough (medium or above) to start an incident. */
  causes(ruleId: string): Finding[];
  /** Key events of these kinds on a node within [from, to], in time order. */
  eventsOn(node: string, kinds: readonly KeyEventKind[], from: number, to: number): KeyEvent[];
}

/** A finding's time on the reference clock: it moves only when the line it came from was stamped by the node's clock. */
export function findingReferenceTime(f: Finding, time: number | null, skews: readonly ClockSkew[]): number | null {
  if (time === null) return null;
  const source = f.evidence.find((e) => e.time === time && clockSide(e.file) === 'node');
  return source ? referenceTime(time, f.node ?? nodeOfMember(source.file), source.file, skews) : time;
}

export function createContext(
  findings: readonly Finding[],
  keyEvents: readonly KeyEvent[],
  upgrade: UpgradeStory | null,
  opts: IncidentOptions,
): CorrelationContext {
  const skews = opts.skews ?? [];
  const unique = [...new Map(findings.map((f) => [f.id, f])).values()].sort(compareFindings);
  const events = keyEvents
    .map((e) => ({ ...e, time: referenceTime(e.time, e.node, e.evidence.file, skews) }))
    .sort(compareKeyEvents);
  const claimed = new Set<string>();
  const unclaimed = (ruleId: string): Finding[] =>
    unique.filter((f) => f.ruleId === ruleId && !claimed.has(f.id) && f.severity !== 'informational');
  return {
    findings: unique,
    keyEvents: events,
    upgrade,
    coverage: {
      nodesWithJournal: opts.nodesWithJournal,
      journalStart: opts.journalStart,
      upgradePresent: opts.upgradePresent,
    },
    windowMs: opts.effectWindowMs ?? DEFAULT_EFFECT_WINDOW_MS,
    claimed,
    start: (f) => findingReferenceTime(f, f.firstSeen, skews),
    end: (f) => findingReferenceTime(f, f.lastSeen ?? f.firstSeen, skews),
    unclaimed,
    causes: (ruleId) => unclaimed(ruleId).filter((f) => severityRank(f.severity) >= MEDIUM),
    eventsOn: (node, kinds, from, to) =>
      events.filter((e) => e.node === node && kinds.includes(e.kind) && e.time >= from && e.time <= to),
  };
}

/**
 * Why the node's own logs cannot settle a chain: none in the bundle, or starting after `since`
 * (e.g. "inconclusive: harvester-02's journal starts after the upgrade began").
 */
export function journalGaps(
  ctx: CorrelationContext,
  node: string,
  since: { time: number; label: string } | null,
  needed: string,
): string[] {
  if (!ctx.coverage.nodesWithJournal.includes(node)) {
    return [`no journal of ${node} in the bundle: ${needed} cannot be checked`];
  }
  const first = ctx.coverage.journalStart[node] ?? null;
  if (since !== null && first !== null && first > since.time) {
    const starts = `${node}'s journal starts at ${toIso(first)}, after ${since.label} (${toIso(since.time)})`;
    return [`${starts}: ${needed} may be missing`];
  }
  return [];
}

/** Sorted unique non-null names. */
export const sortedNodes = (nodes: readonly (string | null)[]): string[] =>
  [...new Set(nodes.filter((n): n is string => n !== null))].sort(compareText);
