import { spokenDuration, toIso } from '../../util/time.js';
import type { KeyEvent, UpgradeNodeStory } from '../../correlate/types.js';
import type { EvidenceRef, RuleModule } from '../types.js';
import { minutesBetween } from './support/duration.js';
import { objectEvidence, stampEvidence } from './support/evidence.js';
import { createRke2Collector, RKE2_LITERALS, type Rke2Moment } from './support/rke2-lines.js';
import { hasYamls, isSingleNodeUpgrade, planSecretOf, targetKubernetesVersion, upgradeObject } from './support/upgrade-objects.js';
import { inUpgradeWindow, upgradeWindow } from './support/upgrade-window.js';

/** Install lines this long before the restart belong to the same RKE2 upgrade. */
const CONTEXT_BEFORE_MS = 15 * 60_000;
const CONTEXT_AFTER_MS = 15 * 60_000;

/**
 * The moment RKE2 was upgraded on a node: its first rke2 stop (or kubelet restart) in the upgrade window; when the
 * journals show no restart, the extraction of the target installer image; else the upgrade story's own stamp.
 */
const upgradeMoment = (moments: Rke2Moment[], target: string | null, storyNode: UpgradeNodeStory | undefined): KeyEvent | null => {
  const restart = moments.find((m) => m.kind === 'rke2-stop' || m.kind === 'kubelet-start');
  if (restart) return restart.event;
  const install = moments.find((m) => m.kind === 'rke2-install' && target !== null && m.version === target);
  if (install) return install.event;
  const stamp = storyNode?.rke2UpgradedAt;
  if (!storyNode || !stamp) return null;
  return { time: stamp.time, node: storyNode.name, kind: 'rke2-install', summary: 'RKE2 upgraded, per the upgrade story', evidence: stamp.source };
};

const isPreDrainEvent = (k: KeyEvent, node: string): boolean =>
  k.node === node && k.kind === 'job-complete' && k.summary.includes('pre-drain');

/**
 * The lines that tell the story of the restart, at most four so the pre-drain stamp still fits the evidence: the agent's
 * first start, the installer extraction, the rke2 stop, and the kubelet (else rke2) coming back.
 */
const contextEvidence = (moments: Rke2Moment[], at: number): EvidenceRef[] => {
  const near = moments.filter((m) => m.time >= at - CONTEXT_BEFORE_MS && m.time <= at + CONTEXT_AFTER_MS);
  const first = (pick: (m: Rke2Moment) => boolean): Rke2Moment[] => {
    const found = near.find(pick);
    return found ? [found] : [];
  };
  const back = first((m) => m.kind === 'kubelet-start');
  return [
    ...first((m) => m.kind === 'rke2-install' && m.version === null),
    ...first((m) => m.kind === 'rke2-install' && m.version !== null),
    ...first((m) => m.kind === 'rke2-stop'),
    ...(back.length > 0 ? back : first((m) => m.kind === 'rke2-start')),
  ].map((m) => ({ ...m.event.evidence, time: m.time }));
};

export const rke2UpgradeWithoutPreDrain: RuleModule = {
  id: 'rke2-upgrade-without-pre-drain',
  meta: {
    title: 'RKE2 upgraded on a node before its pre-drain',
    severity: 'critical',
    description:
      'Finds nodes whose RKE2 was installed or restarted during the upgrade (rancher-system-agent extracting ' +
      'system-agent-installer-rke2, `Detected first start, force-applying one-time instruction set`, rke2 stop/start, kubelet ' +
      'restart) while no `<upgrade>-pre-drain-<node>` Job had completed for that node. The pre-drain is what live-migrates ' +
      'or shuts down the VMs; without it the kubelet restart kills every VM still running on the node.',
    remediation:
      'Restart the VMs that were killed on the node (see vm-abrupt-shutdown) and check their disks. Before the next upgrade, ' +
      'clear leftover maintenance-mode state on every node (see maintenance-mode-leftover) and make sure no node restarts ' +
      'rancher-system-agent or reboots while the upgrade runs. To confirm, compare the node\'s ' +
      '`kubectl -n harvester-system get jobs -l harvesterhci.io/upgradeComponent=node` completion time with the rke2 stop ' +
      'in its `rke2-server.log`, and the `harvesterhci.io/pre-hook` annotation of its machine-plan Secret in fleet-local.',
    falsePositives: [
      'Single-node upgrades have no pre-drain Job: the single-node-upgrade Job stops VMs itself (the rule stays silent for them).',
      'A node that held no running VMs loses nothing, though the order of steps was still wrong.',
      'Node clocks running behind the API clock can place a pre-drain completion after an RKE2 restart that really came later; check the clock-skew table.',
    ],
    references: [
      'https://github.com/rancher/rancher/issues/41965',
      'https://github.com/rancher/rancher/issues/46620',
      'https://github.com/rancher/system-agent/pull/226',
      'https://github.com/harvester/harvester/pull/4149',
      'https://github.com/harvester/harvester/issues/4095',
    ],
    sources: ['rancher-system-agent', 'rke2-server', 'rke2-agent', 'kubelet', 'Upgrade', 'Job (pre-drain)', 'Secret (machine-plan)'],
    messages: {
      noPreDrain:
        'RKE2 was upgraded on {{node}} at {{time}} ({{trigger}}) with no pre-drain before it: no pre-drain Job had completed ' +
        'for the node (node state {{nodeState}}), so its VMs were neither migrated nor shut down before the kubelet restart.',
      preDrainLate:
        'RKE2 was upgraded on {{node}} at {{time}} ({{trigger}}), {{lead}} before its pre-drain Job completed at ' +
        '{{preDrainAt}}: the VMs still on the node were neither migrated nor shut down before the kubelet restart.',
      inconclusive:
        'RKE2 was installed or restarted on {{node}} at {{time}} ({{trigger}}), but {{missing}}, so whether a pre-drain ran before it ' +
        'cannot be told.',
    },
    examples: [
      'Jun 14 09:36:02.118734 harvester-01 rancher-system-agent[3121]: time="2025-06-14T09:36:02Z" level=info msg="Detected first start, force-applying one-time instruction set"',
      'Jun 14 09:36:41.502811 harvester-01 systemd[1]: Stopping Rancher Kubernetes Engine v2 (server)...',
    ],
  },
  literals: RKE2_LITERALS,
  create(context) {
    const rke2 = createRke2Collector();
    return {
      event: rke2.event,
      end() {
        const story = context.upgrade();
        const all = rke2.moments(context.keyEvents());
        if (!story) {
          if (hasYamls(context.members())) return; // objects were collected and show no upgrade: nothing to judge
          const nodes = [...new Set(all.map((m) => m.node))].sort();
          for (const node of nodes) {
            // Without the target version, any restart or versioned installer run is a candidate.
            const own = all.filter((m) => m.node === node);
            const stop =
              own.find((m) => m.kind === 'rke2-stop' || m.kind === 'kubelet-start') ??
              own.find((m) => m.kind === 'rke2-install' && m.version !== null);
            if (!stop) continue;
            if (context.keyEvents().some((k) => isPreDrainEvent(k, node) && k.time <= stop.time)) continue;
            context.report({
              messageId: 'inconclusive',
              node,
              time: stop.time,
              severity: 'medium',
              data: {
                verdict: 'inconclusive',
                node,
                time: toIso(stop.time)!,
                trigger: stop.event.summary,
                missing: 'the bundle holds no yamls/ (no Upgrade object, no pre-drain Jobs)',
              },
              evidence: contextEvidence(own, stop.time),
              fields: { verdict: 'inconclusive', rke2UpgradedAt: toIso(stop.time), preDrainFinishedAt: null },
            });
          }
          return;
        }
        const objects = context.objects();
        const upgrade = upgradeObject(objects, story);
        if (isSingleNodeUpgrade(upgrade)) return;
        const target = targetKubernetesVersion(upgrade);
        const window = upgradeWindow(story);
        const nodes = [...new Set([...story.nodes.map((n) => n.name), ...all.map((m) => m.node)])].sort();
        for (const node of nodes) {
          const storyNode = story.nodes.find((n) => n.name === node);
          const moments = all.filter((m) => m.node === node && inUpgradeWindow(m.time, window));
          const at = upgradeMoment(moments, target, storyNode);
          if (!at) continue;
          const preDrain = storyNode?.preDrainFinishedAt ?? null;
          if (preDrain && preDrain.time <= at.time) continue;
          const evidence = contextEvidence(moments, at.time);
          if (evidence.length === 0) evidence.push({ ...at.evidence, time: at.time });
          if (preDrain) evidence.push(stampEvidence(preDrain));
          const fields: Record<string, string | number | null> = {
            verdict: 'confirmed',
            rke2UpgradedAt: toIso(at.time),
            preDrainStartedAt: toIso(storyNode?.preDrainStartedAt?.time ?? null),
            preDrainFinishedAt: toIso(preDrain?.time ?? null),
            nodeState: storyNode?.state ?? null,
            minutesBeforePreDrain: preDrain ? minutesBetween(at.time, preDrain.time) : null,
          };
          const secret = planSecretOf(objects, node);
          const annotations = secret?.raw?.metadata?.annotations ?? {};
          if (secret && annotations['rke.cattle.io/pre-drain'] !== undefined) {
            const acked = annotations['harvesterhci.io/pre-hook'] === annotations['rke.cattle.io/pre-drain'];
            fields.planSecretPreHook = acked ? 'acknowledged' : 'missing';
            if (!acked)
              evidence.push(
                objectEvidence(secret, `Secret fleet-local/${secret.name}: rke.cattle.io/pre-drain set, harvesterhci.io/pre-hook not acknowledged`),
              );
          }
          const data = {
            node,
            time: toIso(at.time)!,
            trigger: at.summary,
            nodeState: storyNode?.state ?? 'unknown',
          };
          context.report({
            messageId: preDrain ? 'preDrainLate' : 'noPreDrain',
            node,
            time: at.time,
            data: preDrain ? { ...data, lead: spokenDuration(preDrain.time - at.time), preDrainAt: toIso(preDrain.time)! } : data,
            evidence,
            fields,
          });
        }
      },
    };
  },
};
