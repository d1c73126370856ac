import type { Finding } from '../rules/types.js';
import { span, type IncidentDraft } from './incident-build.js';
import { ORDER_TOLERANCE_MS, journalGaps, type CorrelationContext } from './incident-context.js';
import { ruleVerdictGap } from './incident-fields.js';
import { clockTime, dayMinute, spokenDuration } from '../util/time.js';
import { counted, someOf } from './incident-format.js';
import type { IncidentLink, KeyEvent } from './types.js';

const KUBELET_KILL = /Killing container with a grace period|SandboxChanged|Pod sandbox changed/;

/**
 * The rke2-install/rke2-stop key event that starts the sequence the finding stands for: the earliest within one
 * window of the finding's time (the rule may date it by a later moment of the same sequence), else the first in the
 * upgrade.
 */
function installEvent(ctx: CorrelationContext, node: string, causeTime: number | null): KeyEvent | null {
  const installs = ctx.keyEvents.filter((e) => e.node === node && (e.kind === 'rke2-install' || e.kind === 'rke2-stop'));
  if (causeTime !== null) return installs.find((e) => Math.abs(e.time - causeTime) <= ctx.windowMs) ?? null;
  const from = ctx.upgrade?.startedAt?.time ?? Number.NEGATIVE_INFINITY;
  return installs.find((e) => e.time >= from) ?? null;
}

function preDrainFact(ctx: CorrelationContext, node: string, at: number): string {
  const story = ctx.upgrade?.nodes.find((n) => n.name === node);
  if (!story) return `no pre-drain of ${node} before it`;
  const done = story.preDrainFinishedAt;
  if (done === null) return `no pre-drain job of ${node} had completed`;
  if (done.time > at) {
    return `its pre-drain job completed only at ${clockTime(done.time)}, ${spokenDuration(done.time - at)} later`;
  }
  return `its pre-drain job completed at ${clockTime(done.time)}`;
}

function vmLink(vms: Finding[], ctx: CorrelationContext, node: string, restart: KeyEvent | null): IncidentLink {
  const times = vms.map((f) => ctx.start(f) ?? 0);
  const first = Math.min(...times);
  const last = Math.max(...times);
  const when = first === last ? `at ${clockTime(first)}` : `between ${clockTime(first)} and ${clockTime(last)}`;
  const names = someOf(vms.map((f) => f.subject ?? f.id));
  const what = `${counted(vms.length, 'VM')} killed abruptly on ${node} ${when} (${names})`;
  const ordered = restart !== null && first >= restart.time - ORDER_TOLERANCE_MS;
  let after = '';
  if (ordered) after = first >= restart.time ? `, from ${spokenDuration(first - restart.time)} after the restart` : ', right at the restart';
  const seenKilled = vms.every((f) => f.evidence.some((e) => KUBELET_KILL.test(e.text)));
  if (ordered && seenKilled) {
    return {
      findingId: vms[0].id,
      event: null,
      relation: 'observed',
      explanation: `${what}${after}: kubelet killed their virt-launcher pods`,
    };
  }
  return {
    findingId: vms[0].id,
    event: null,
    relation: 'inferred',
    explanation:
      `${what}${after}: a kubelet restart kills the virt-launcher pods of a node that was not drained ` +
      '(upgrade-mechanics §12: an rke2 stop leaves containers running; the sandbox recreation on restart kills them)',
  };
}

/** The kubelet restart that follows the upgrade (an rke2 start when kubelet.log does not show it). */
function restartAfter(ctx: CorrelationContext, node: string, at: number): KeyEvent | null {
  const within = (kind: KeyEvent['kind']): KeyEvent | undefined =>
    ctx.eventsOn(node, [kind], at - ORDER_TOLERANCE_MS, at + ctx.windowMs)[0];
  return within('kubelet-start') ?? within('rke2-start') ?? null;
}

/** The node's leftover maintenance state as a contributing factor: inferred, as the field report infers it. */
function leftoverLink(leftover: Finding, node: string, since: number | null): IncidentLink {
  return {
    findingId: leftover.id,
    event: null,
    relation: 'inferred',
    explanation:
      `maintenance-mode state left on ${node}${since === null ? '' : ` since ${dayMinute(since)}`}: leftover labels can ` +
      'mislead the upgrade flow, the likely cause of the skipped pre-drain (field report); no log line shows this step',
  };
}

const KIND = 'rke2-without-pre-drain';

function rke2Incident(ctx: CorrelationContext, cause: Finding): IncidentDraft {
  ctx.claimed.add(cause.id);
  const node = cause.node;
  const causeTime = ctx.start(cause);
  const install = node === null ? null : installEvent(ctx, node, causeTime);
  const at = install?.time ?? causeTime;
  const members: Finding[] = [cause];
  const missing: string[] = [];
  const ruleGap = ruleVerdictGap(cause);
  if (ruleGap) missing.push(ruleGap);
  if (!ctx.coverage.upgradePresent) {
    missing.push(`no Upgrade CR in the bundle: whether ${node ?? 'the node'} was pre-drained cannot be checked`);
  }
  if (node === null || at === null) {
    missing.push(
      node === null
        ? 'the finding names no node: its kubelet restart and VMs cannot be tied to it'
        : `no time for the RKE2 upgrade on ${node}: its effects cannot be placed`,
    );
    const chain: IncidentLink[] = [
      { findingId: cause.id, event: install, relation: 'observed', explanation: cause.message },
    ];
    const title = `RKE2 upgraded on ${node ?? 'a node'} without pre-drain`;
    return { kind: KIND, node, causeId: cause.id, title, members, chain, start: at, end: at, missing };
  }

  const how = install ? ` (${install.summary})` : '';
  const chain: IncidentLink[] = [
    {
      findingId: cause.id,
      event: install,
      relation: 'observed',
      explanation: `RKE2 upgraded on ${node} at ${clockTime(at)}${how}; ${preDrainFact(ctx, node, at)}`,
    },
  ];
  const upgradeStart = ctx.upgrade?.startedAt?.time;
  const since =
    upgradeStart !== undefined && upgradeStart < at
      ? { time: upgradeStart, label: 'the upgrade began' }
      : { time: at, label: 'the RKE2 upgrade' };
  missing.push(...journalGaps(ctx, node, since, 'the RKE2 install and the kubelet restart'));

  const restart = restartAfter(ctx, node, at);
  const restarted = restart?.kind === 'kubelet-start' ? 'kubelet restarted' : 'RKE2 restarted';
  if (restart) {
    chain.push({
      findingId: null,
      event: restart,
      relation: 'observed',
      explanation:
        `${restarted} on ${node} at ${clockTime(restart.time)}, ` +
        `${spokenDuration(restart.time - at)} after the RKE2 upgrade`,
    });
  }

  const until = (restart?.time ?? at) + ctx.windowMs;
  const vms = ctx.unclaimed('vm-abrupt-shutdown').filter((f) => {
    const t = ctx.start(f);
    return f.node === node && t !== null && t >= at - ORDER_TOLERANCE_MS && t <= until;
  });
  if (vms.length > 0) {
    vms.forEach((f) => ctx.claimed.add(f.id));
    members.push(...vms);
    chain.push(vmLink(vms, ctx, node, restart));
  }

  const leftover = ctx.unclaimed('maintenance-mode-leftover').find((f) => f.node === node);
  let leftoverText = '';
  if (leftover) {
    ctx.claimed.add(leftover.id);
    members.push(leftover);
    const leftoverSince = ctx.start(leftover);
    const sinceText = leftoverSince === null ? '' : ` since ${dayMinute(leftoverSince)}`;
    leftoverText = `; maintenance-mode leftover on ${node}${sinceText}`;
    chain.push(leftoverLink(leftover, node, leftoverSince));
  }

  const restartText = restart ? ` → ${restarted}` : '';
  const killed = vms.length > 0 ? ` → ${counted(vms.length, 'VM')} killed` : '';
  const { end } = span([at, restart?.time ?? null, ...vms.map((f) => ctx.end(f))]);
  const title = `RKE2 upgraded on ${node} at ${clockTime(at)} without pre-drain${restartText}${killed}${leftoverText}`;
  return { kind: KIND, node, causeId: cause.id, title, members, chain, start: at, end, missing };
}

/**
 * "RKE2 upgraded on <node> at T with no pre-drain → kubelet restarted → N VMs killed; maintenance-mode leftover":
 * the VMs killed on the node from T until one effect window after the restart, and the node's leftover
 * maintenance state as a contributing factor (the field report's likely cause).
 */
export function rke2WithoutPreDrainIncidents(ctx: CorrelationContext): IncidentDraft[] {
  return ctx.causes('rke2-upgrade-without-pre-drain').map((cause) => rke2Incident(ctx, cause));
}
