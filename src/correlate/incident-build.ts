import { createHash } from 'node:crypto';
import { severityRank, type Finding, type Severity } from '../rules/types.js';
import { sortedNodes } from './incident-context.js';
import type { Incident, IncidentLink } from './types.js';

/** An incident before its id, severity, nodes and verdict are derived. */
export interface IncidentDraft {
  /** Chain kind, also the readable head of the id: `rke2-without-pre-drain`, `drain-blocked`, ... */
  kind: string;
  /** The node the chain is about (null for cluster-wide chains). */
  node: string | null;
  /** The finding the chain starts from; its id makes the incident id stable across runs. */
  causeId: string;
  title: string;
  /** Cause first, then effects and factors. */
  members: Finding[];
  chain: IncidentLink[];
  start: number | null;
  end: number | null;
  /** Evidence the bundle lacks for this chain; any makes the verdict `inconclusive`. */
  missing: string[];
}

/** Stable across runs: a hash of the chain kind, its node and its cause finding's id. */
export const incidentId = (kind: string, node: string | null, causeId: string): string =>
  `${kind}-${createHash('sha256').update(`${kind}\n${node ?? ''}\n${causeId}`).digest('hex').slice(0, 12)}`;

const maxSeverity = (members: readonly Finding[]): Severity =>
  members.reduce<Severity>((max, f) => (severityRank(f.severity) > severityRank(max) ? f.severity : max), 'informational');

export function toIncident(d: IncidentDraft): Incident {
  const missing = [...new Set(d.missing)];
  return {
    id: incidentId(d.kind, d.node, d.causeId),
    title: d.title,
    severity: maxSeverity(d.members),
    start: d.start,
    end: d.end,
    nodes: sortedNodes([d.node, ...d.members.map((f) => f.node), ...d.chain.map((l) => l.event?.node ?? null)]),
    findingIds: [...new Set(d.members.map((f) => f.id))],
    chain: d.chain,
    verdict: missing.length > 0 ? 'inconclusive' : 'confirmed',
    verdictReason: missing.length > 0 ? missing.join('; ') : null,
  };
}

/** Earliest and latest of the known times. */
export function span(times: readonly (number | null)[]): { start: number | null; end: number | null } {
  const known = times.filter((t): t is number => t !== null);
  return known.length === 0 ? { start: null, end: null } : { start: Math.min(...known), end: Math.max(...known) };
}
