import type { KeyEvent } from '../../correlate/types.js';
import type { RuleModule } from '../types.js';
import { toIso } from '../../util/time.js';
import { splitByGap } from './support/episodes.js';
import { compareEvidence, stampEvidence } from './support/evidence.js';
import { isSingleNodeUpgrade, upgradeObject } from './support/upgrade-objects.js';
import { inUpgradeWindow, upgradeWindow } from './support/upgrade-window.js';

/** Boot markers of one reboot appear in several journals within moments of each other. */
const SAME_REBOOT_MS = 5 * 60_000;

export const nodeRebootedOutsidePostDrain: RuleModule = {
  id: 'node-rebooted-outside-post-drain',
  meta: {
    title: 'Node rebooted during the upgrade outside its post-drain',
    severity: 'medium',
    description:
      'A node booted during the upgrade window at a moment that is not the reboot its post-drain Job schedules (the ' +
      'post-drain reboots the host after upgrading the OS). An unplanned reboot restarts rancher-system-agent and clears ' +
      'the `/run` drop-in that keeps it from restarting RKE2, so the node can install the new RKE2 without a pre-drain, and ' +
      'every VM on it is killed.',
    remediation:
      'Find why the node rebooted (kernel.log.1 tail, console.log, BMC/IPMI event log: power loss, watchdog, kernel panic, ' +
      'an operator). Check its VMs (vm-abrupt-shutdown) and whether RKE2 was then upgraded without pre-drain ' +
      '(rke2-upgrade-without-pre-drain).',
    falsePositives: [
      'An operator rebooting a node on purpose during the upgrade (still worth knowing).',
      'Single-node upgrades reboot from the single-node-upgrade Job; the rule stays silent for them.',
    ],
    references: ['https://github.com/harvester/harvester/pull/4149', 'https://github.com/rancher/rancher/issues/46620'],
    sources: ['kernel', 'node journals (boot markers)', 'Upgrade', 'Job (post-drain)'],
    messages: {
      rebooted: 'Node {{node}} rebooted at {{time}} during the upgrade, {{relation}}.',
    },
    examples: ['-- Boot 5b0a1d1c2e7f4c6b9d3e8a0f1b2c3d4e --'],
  },
  literals: [],
  create(context) {
    return {
      end() {
        const story = context.upgrade();
        const window = upgradeWindow(story);
        if (!story || !window || isSingleNodeUpgrade(upgradeObject(context.objects(), story))) return;
        const reboots = context
          .keyEvents()
          .filter((k): k is KeyEvent & { node: string } => k.kind === 'reboot' && k.node !== null && inUpgradeWindow(k.time, window));
        const nodes = [...new Set(reboots.map((r) => r.node))].sort();
        for (const node of nodes) {
          const postDrain = story.nodes.find((n) => n.name === node)?.postDrainStartedAt ?? null;
          const own = reboots.filter((r) => r.node === node).sort((a, b) => a.time - b.time || compareEvidence(a.evidence, b.evidence));
          for (const boot of splitByGap(own, (r) => r.time, SAME_REBOOT_MS)) {
            const time = boot[0].time;
            if (postDrain && time >= postDrain.time) continue;
            context.report({
              messageId: 'rebooted',
              node,
              time,
              data: {
                node,
                time: toIso(time)!,
                relation: postDrain ? `before its post-drain started (${toIso(postDrain.time)})` : 'and no post-drain Job ran for it before',
              },
              evidence: [...boot.map((r) => ({ ...r.evidence, time: r.time })), ...(postDrain ? [stampEvidence(postDrain)] : [])],
              fields: { rebootedAt: toIso(time), postDrainStartedAt: toIso(postDrain?.time ?? null) },
            });
          }
        }
      },
    };
  },
};
