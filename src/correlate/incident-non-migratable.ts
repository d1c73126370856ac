import { compareText } from '../util/compare.js';
import type { IncidentDraft } from './incident-build.js';
import { span } from './incident-build.js';
import type { CorrelationContext } from './incident-context.js';
import { runningAgain } from './incident-fields.js';
import { counted } from './incident-format.js';
import type { IncidentLink } from './types.js';

/**
 * All non-migratable VMs as one incident: "N VMs had to be shut off by hand; K not restarted" after an upgrade,
 * "N VMs cannot live-migrate" when the bundle shows no upgrade (readiness).
 */
export function nonMigratableIncident(ctx: CorrelationContext): IncidentDraft[] {
  const vms = ctx.causes('non-migratable-vm');
  if (vms.length === 0) return [];
  vms.forEach((f) => ctx.claimed.add(f.id));
  const chain: IncidentLink[] = vms.map((f) => ({
    findingId: f.id,
    event: null,
    relation: 'observed',
    explanation: f.message,
  }));
  const notRunning = vms.filter((f) => runningAgain(f) === false).length;
  const restartKnown = vms.some((f) => runningAgain(f) !== null);
  let title: string;
  if (ctx.upgrade) {
    title = `${counted(vms.length, 'VM')} could not live-migrate and had to be shut off by hand`;
    if (restartKnown) title += `; ${notRunning} not restarted`;
    if (notRunning > 0) {
      chain.push({
        findingId: null,
        event: null,
        relation: 'inferred',
        explanation:
          `${counted(notRunning, 'VM')} still stopped at collection: the upgrade refuses to start while ` +
          'non-live-migratable VMs run, and on multi-node clusters v1.5.0 does not start VMs stopped for it again ' +
          '(upgrade-mechanics §9.1, §9.3)',
      });
    }
  } else {
    title = `${counted(vms.length, 'VM')} cannot live-migrate: shut them off before upgrading`;
  }
  const { start, end } = span(vms.flatMap((f) => [ctx.start(f), ctx.end(f)]));
  // The smallest id, not the earliest finding: the id stays put when a VM's first sighting moves.
  const causeId = vms.map((f) => f.id).sort(compareText)[0];
  return [{ kind: 'non-migratable-vms', node: null, causeId, title, members: vms, chain, start, end, missing: [] }];
}
