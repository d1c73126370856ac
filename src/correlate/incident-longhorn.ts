import type { Finding } from '../rules/types.js';
import { span, type IncidentDraft } from './incident-build.js';
import { ORDER_TOLERANCE_MS, type CorrelationContext } from './incident-context.js';
import { blockReason, recovered, stillBlocked, volumeName } from './incident-fields.js';
import { clockMinute, clockTime, spokenDuration } from '../util/time.js';
import { counted } from './incident-format.js';
import type { IncidentLink } from './types.js';

const KIND = 'drain-blocked';

/** Whether [aStart, aEnd] and [bStart, bEnd], each widened by `slack`, overlap. */
const overlaps = (aStart: number, aEnd: number, bStart: number, bEnd: number, slack: number): boolean =>
  aStart <= bEnd + slack && bStart <= aEnd + slack;

/** Engines (`<volume>-e-<n>`) and replicas (`<volume>-r-<hash>`) longhorn-manager names in the block's reason. */
const INSTANCE = /\b([a-z0-9][a-z0-9-]*?)-[er]-[0-9a-z]+\b/g;
const volumesNamedIn = (reason: string | null): Set<string> =>
  new Set(reason === null ? [] : [...reason.matchAll(INSTANCE)].map((m) => m[1]));

function healthText(ctx: CorrelationContext, volume: Finding): string {
  const end = ctx.end(volume);
  if (recovered(volume) === true) return end === null ? ', healthy again' : `, healthy again by ${clockTime(end)}`;
  return recovered(volume) === false ? ', still unhealthy at collection' : '';
}

function volumeLink(
  ctx: CorrelationContext,
  volume: Finding,
  node: string,
  blockStart: number,
  named: boolean,
): IncidentLink {
  const from = ctx.start(volume);
  const name = volumeName(volume);
  const health = healthText(ctx, volume);
  if (from !== null && from >= blockStart - ORDER_TOLERANCE_MS) {
    return {
      findingId: volume.id,
      event: null,
      relation: 'observed',
      explanation:
        `volume ${name} degraded at ${clockTime(from)}, ${spokenDuration(from - blockStart)} into the blocked drain of ` +
        `${node}${health}; removing the instance-manager that held its engine or replica takes that replica away ` +
        'until Longhorn rebuilds it (upgrade-mechanics §13)',
    };
  }
  const when = from === null ? 'unhealthy (since an unknown time)' : `already unhealthy at ${clockTime(from)}`;
  const why =
    'Longhorn keeps the instance-manager PDB while an engine or replica on the node still needs protection ' +
    '(upgrade-mechanics §13)';
  if (named) {
    return {
      findingId: volume.id,
      event: null,
      relation: 'observed',
      explanation: `longhorn-manager names volume ${name} as what keeps the PDB of ${node}; the volume was ${when}${health}: ${why}`,
    };
  }
  return {
    findingId: volume.id,
    event: null,
    relation: 'inferred',
    explanation: `volume ${name} was ${when}, before the drain of ${node} was blocked${health}: ${why}`,
  };
}

function blockedPeriod(from: number | null, to: number | null, still: boolean): { period: string; lasted: string } {
  if (from === null || to === null) return { period: '', lasted: '' };
  const period = still ? ` since ${clockMinute(from)}, still blocked at collection` : ` ${clockMinute(from)}–${clockMinute(to)}`;
  const lasted = to > from ? ` (${still ? 'at least ' : ''}${spokenDuration(to - from)})` : '';
  return { period, lasted };
}

/** `→ volume v degraded → recovered` for volumes hit by the block, `, held by degraded volume v` for those behind it. */
function volumesText(ctx: CorrelationContext, volumes: Finding[], from: number): string {
  const after = volumes.filter((v) => (ctx.start(v) ?? Number.NEGATIVE_INFINITY) >= from - ORDER_TOLERANCE_MS);
  const before = volumes.filter((v) => !after.includes(v));
  let text = '';
  if (before.length === 1) text += `, held by degraded volume ${volumeName(before[0])}`;
  if (before.length > 1) text += `, held by ${counted(before.length, 'degraded volume')}`;
  if (after.length === 1) text += ` → volume ${volumeName(after[0])} degraded`;
  if (after.length > 1) text += ` → ${counted(after.length, 'volume')} degraded`;
  if (after.length > 0 && after.every((v) => recovered(v) === true)) text += ' → recovered';
  return text;
}

function drainBlockedIncident(ctx: CorrelationContext, cause: Finding): IncidentDraft {
  ctx.claimed.add(cause.id);
  const node = cause.node;
  const from = ctx.start(cause);
  const to = ctx.end(cause) ?? from;
  const where = node ?? 'a node';
  const { period, lasted } = blockedPeriod(from, to, stillBlocked(cause));
  const reason = blockReason(cause);
  const members: Finding[] = [cause];
  const chain: IncidentLink[] = [
    {
      findingId: cause.id,
      event: null,
      relation: 'observed',
      explanation:
        `the drain of ${where} could not evict the Longhorn instance-manager: ` +
        `its PodDisruptionBudget blocked eviction${period}${lasted}${reason ? ` (${reason.trim()})` : ''}`,
    },
  ];
  if (node === null || from === null || to === null) {
    const title = `Drain of ${where} blocked by Longhorn instance-manager PDB${period}`;
    return { kind: KIND, node, causeId: cause.id, title, members, chain, start: from, end: to, missing: [] };
  }

  const named = volumesNamedIn(reason);
  const during = (f: Finding): boolean => {
    const s = ctx.start(f);
    return s !== null && overlaps(s, ctx.end(f) ?? s, from, to, ctx.windowMs);
  };
  const volumes = ctx
    .unclaimed('longhorn-volume-unhealthy')
    .filter((f) => named.has(volumeName(f)) || ((f.node === node || f.node === null) && during(f)));
  const stalled = ctx.unclaimed('upgrade-stalled').filter((f) => f.node === node && during(f));
  for (const f of [...volumes, ...stalled]) ctx.claimed.add(f.id);
  members.push(...volumes, ...stalled);
  chain.push(...volumes.map((v) => volumeLink(ctx, v, node, from, named.has(volumeName(v)))));
  chain.push(
    ...stalled.map((f): IncidentLink => ({
      findingId: f.id,
      event: null,
      relation: 'inferred',
      explanation:
        `${f.title} on ${node}: a node cannot leave Pre-drained until Rancher's drain of it finishes ` +
        '(upgrade-mechanics §4.3)',
    })),
  );

  const stalledText = stalled.length > 0 ? `; upgrade stalled on ${node}` : '';
  const title =
    `Drain of ${node} blocked by Longhorn instance-manager PDB${period}` + `${volumesText(ctx, volumes, from)}${stalledText}`;
  const { start, end } = span([from, to, ...volumes.flatMap((f) => [ctx.start(f), ctx.end(f)])]);
  return { kind: KIND, node, causeId: cause.id, title, members, chain, start, end, missing: [] };
}

/**
 * "Drain of <node> blocked by the Longhorn instance-manager PDB <from>–<to> → volume <v> degraded → recovered":
 * the unhealthy volumes longhorn-manager names as what keeps the PDB, or on that node (or of no stated node) with
 * trouble overlapping the block, and the node's stalled upgrade.
 */
export function drainBlockedIncidents(ctx: CorrelationContext): IncidentDraft[] {
  return ctx.causes('longhorn-drain-blocked').map((cause) => drainBlockedIncident(ctx, cause));
}
