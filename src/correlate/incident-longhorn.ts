import type { Finding } from '../rules/types.js';
import type { IncidentDraft } from './incident-build.js';
import { span } from './incident-build.js';
import { ORDER_TOLERANCE_MS, type CorrelationContext } from './incident-context.js';
import { recovered, stillBlocked, volumeName } from './incident-fields.js';
import { clockMinute, clockTime, counted, duration } from './incident-format.js';
import type { IncidentLink } from './types.js';

/** Whether [aStart, aEnd] and [bStart, bEnd], each widened by `slack`, overlap. */
const overlaps = (aStart: number, aEnd: number, bStart: number, bEnd: number, slack: number): boolean =>
  aStart <= bEnd + slack && bStart <= aEnd + slack;

function volumeLink(ctx: CorrelationContext, volume: Finding, node: string, blockStart: number): IncidentLink {
  const from = ctx.start(volume)!;
  const name = volumeName(volume);
  const back = recovered(volume) === true ? `, healthy again by ${clockTime(ctx.end(volume)!)}` : '';
  if (from >= blockStart - ORDER_TOLERANCE_MS) {
    return {
      findingId: volume.id,
      event: null,
      relation: 'observed',
      explanation:
        `volume ${name} degraded at ${clockTime(from)}, ${duration(from - blockStart)} into the blocked drain of ` +
        `${node}${back}; removing the instance-manager that held its engine or replica takes that replica away ` +
        'until Longhorn rebuilds it (upgrade-mechanics §13)',
    };
  }
  return {
    findingId: volume.id,
    event: null,
    relation: 'inferred',
    explanation:
      `volume ${name} was already unhealthy at ${clockTime(from)}, before the drain of ${node} was blocked${back}; ` +
      'Longhorn keeps the instance-manager PDB while an engine or replica on the node still needs protection ' +
      '(upgrade-mechanics §13)',
  };
}

const KIND = 'drain-blocked';

/**
 * "Drain of <node> blocked by the Longhorn instance-manager PDB <from>–<to> → volume <v> degraded → recovered":
 * the unhealthy volumes on that node (or of no stated node) whose trouble overlaps the block, and the node's
 * stalled upgrade.
 */
export function drainBlockedIncidents(ctx: CorrelationContext): IncidentDraft[] {
  return ctx.causes('longhorn-drain-blocked').map((cause) => {
    ctx.claimed.add(cause.id);
    const node = cause.node;
    const from = ctx.start(cause);
    const to = ctx.end(cause) ?? from;
    const where = node ?? 'a node';
    const still = stillBlocked(cause);
    let period = '';
    if (from !== null && to !== null) {
      period = still ? ` since ${clockMinute(from)}, still blocked at collection` : ` ${clockMinute(from)}–${clockMinute(to)}`;
    }
    const lasted = from !== null && to !== null && to > from ? ` (${still ? 'at least ' : ''}${duration(to - from)})` : '';
    const members: Finding[] = [cause];
    const chain: IncidentLink[] = [
      {
        findingId: cause.id,
        event: null,
        relation: 'observed',
        explanation:
          `the drain of ${where} could not evict the Longhorn instance-manager: ` +
          `its PodDisruptionBudget blocked eviction${period}${lasted}`,
      },
    ];
    if (node === null || from === null || to === null) {
      const title = `Drain of ${where} blocked by Longhorn instance-manager PDB${period}`;
      return { kind: KIND, node, causeId: cause.id, title, members, chain, start: from, end: to, missing: [] };
    }

    const related = (f: Finding): boolean => {
      const s = ctx.start(f);
      return s !== null && overlaps(s, ctx.end(f) ?? s, from, to, ctx.windowMs);
    };
    const volumes = ctx
      .unclaimed('longhorn-volume-unhealthy')
      .filter((f) => (f.node === node || f.node === null) && related(f));
    const stalled = ctx.unclaimed('upgrade-stalled').filter((f) => f.node === node && related(f));
    for (const f of [...volumes, ...stalled]) ctx.claimed.add(f.id);
    members.push(...volumes, ...stalled);
    chain.push(...volumes.map((v) => volumeLink(ctx, v, node, from)));
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

    let title = `Drain of ${node} blocked by Longhorn instance-manager PDB${period}`;
    if (volumes.length === 1) title += ` → volume ${volumeName(volumes[0])} degraded`;
    if (volumes.length > 1) title += ` → ${counted(volumes.length, 'volume')} degraded`;
    if (volumes.length > 0 && volumes.every((v) => recovered(v) === true)) title += ' → recovered';
    if (stalled.length > 0) title += `; upgrade stalled on ${node}`;
    const { start, end } = span([from, to, ...volumes.flatMap((f) => [ctx.start(f), ctx.end(f)])]);
    return { kind: KIND, node, causeId: cause.id, title, members, chain, start, end, missing: [] };
  });
}
