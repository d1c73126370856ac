import type { Finding } from '../rules/types.js';
import type { IncidentDraft } from './incident-build.js';
import { span } from './incident-build.js';
import { ORDER_TOLERANCE_MS, journalGaps, type CorrelationContext } from './incident-context.js';
import { clockTime, spokenDuration } from '../util/time.js';
import { counted, someOf } from './incident-format.js';
import type { IncidentLink, KeyEvent, KeyEventKind } from './types.js';

/** Node moments that kill the VMs still on a node, and the mechanism each rests on. */
const KILLERS: Record<string, { label: string; mechanism: string }> = {
  'kubelet-start': {
    label: 'a kubelet restart',
    mechanism: 'a kubelet restart kills the virt-launcher pods of a node that was not drained (upgrade-mechanics §12)',
  },
  'rke2-start': {
    label: 'an RKE2 restart',
    mechanism:
      'an RKE2 restart restarts kubelet, which kills the virt-launcher pods of a node that was not drained ' +
      '(upgrade-mechanics §12)',
  },
  'rke2-stop': {
    label: 'an RKE2 stop',
    mechanism:
      'an RKE2 stop alone leaves containers running; the restart that follows kills undrained virt-launcher pods ' +
      '(upgrade-mechanics §12)',
  },
  reboot: { label: 'a reboot', mechanism: 'a node reboot kills every VM still running on it' },
  drain: {
    label: 'a drain',
    mechanism:
      "an evicted non-migratable virt-launcher pod gets kubelet's minimum grace period, effectively an abrupt kill " +
      '(upgrade-mechanics §11)',
  },
};
const KILLER_KINDS = Object.keys(KILLERS) as KeyEventKind[];

/** Runs of findings on one node whose consecutive times are at most `gap` apart; timeless ones form their own run. */
function runs(ctx: CorrelationContext, findings: Finding[], gap: number): Finding[][] {
  const timed = findings.filter((f) => ctx.start(f) !== null);
  const out: Finding[][] = [];
  for (const f of timed) {
    const last = out[out.length - 1];
    if (last && ctx.start(f)! - ctx.start(last[last.length - 1])! <= gap) last.push(f);
    else out.push([f]);
  }
  const timeless = findings.filter((f) => ctx.start(f) === null);
  return timeless.length > 0 ? [...out, timeless] : out;
}

function deathsIncident(ctx: CorrelationContext, node: string | null, vms: Finding[]): IncidentDraft {
  vms.forEach((f) => ctx.claimed.add(f.id));
  const { start, end } = span(vms.flatMap((f) => [ctx.start(f), ctx.end(f)]));
  const first = vms.map((f) => ctx.start(f)).find((t) => t !== null) ?? null;
  const where = node ? ` on ${node}` : '';
  const when = start === null ? '' : start === end ? ` at ${clockTime(start)}` : ` ${clockTime(start)}–${clockTime(end!)}`;
  const names = vms.map((f) => f.subject ?? f.id);
  const chain: IncidentLink[] = [
    {
      findingId: vms[0].id,
      event: null,
      relation: 'observed',
      explanation:
        vms.length === 1 ? vms[0].message : `${counted(vms.length, 'VM')} killed abruptly${where}${when} (${someOf(names)})`,
    },
  ];
  const missing: string[] = [];
  let after = '';
  const killer: KeyEvent | undefined =
    node !== null && first !== null
      ? ctx.eventsOn(node, KILLER_KINDS, first - ctx.windowMs, first + ORDER_TOLERANCE_MS).pop()
      : undefined;
  if (killer) {
    const k = KILLERS[killer.kind];
    after = ` after ${k.label}`;
    chain.unshift({
      findingId: null,
      event: killer,
      relation: 'inferred',
      explanation:
        `${killer.summary} on ${node} at ${clockTime(killer.time)}, ` +
        `${killer.time < first! ? `${spokenDuration(first! - killer.time)} before the first kill` : 'at the first kill'}: ${k.mechanism}`,
    });
  } else if (node === null) {
    missing.push('the findings name no node: what killed the VMs cannot be checked');
  } else {
    const since = first === null ? null : { time: first, label: 'the first kill' };
    missing.push(...journalGaps(ctx, node, since, 'what killed the VMs (kubelet or RKE2 restart, reboot)'));
  }
  const title =
    vms.length === 1
      ? `VM ${names[0]} killed abruptly${where}${when}${after}`
      : `${counted(vms.length, 'VM')} killed abruptly${where}${when}${after}`;
  return { kind: 'vm-deaths', node, causeId: vms[0].id, title, members: vms, chain, start, end, missing };
}

/** VMs killed abruptly that no upgrade chain explains, one incident per node and burst, with the node moment before it. */
export function vmDeathIncidents(ctx: CorrelationContext): IncidentDraft[] {
  const byNode = new Map<string | null, Finding[]>();
  for (const f of ctx.causes('vm-abrupt-shutdown')) byNode.set(f.node, [...(byNode.get(f.node) ?? []), f]);
  return [...byNode].flatMap(([node, vms]) => runs(ctx, vms, ctx.windowMs).map((run) => deathsIncident(ctx, node, run)));
}
