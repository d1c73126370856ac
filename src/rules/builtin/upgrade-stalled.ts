import { nodeStamps } from '../../correlate/node-stamps.js';
import { spokenDuration, toIso } from '../../util/time.js';
import type { Stamp, UpgradeNodeStory, UpgradeStory } from '../../correlate/types.js';
import type { EvidenceRef, RuleModule } from '../types.js';
import { minutesBetween } from './support/duration.js';
import { plainMessage } from './support/event-fields.js';
import { eventEvidence, objectEvidence, stampEvidence } from './support/evidence.js';
import { upgradeJobNode } from './support/upgrade-jobs.js';
import { upgradeObject } from './support/upgrade-objects.js';
import { bundleNow } from './support/upgrade-window.js';
import { compareText } from '../../util/compare.js';

const MINUTE = 60_000;

/** How long a node normally stays in a state (upgrade-mechanics §1.4, §4.3); longer is a stall. */
export const NODE_STATE_LIMITS_MS: Record<string, number> = {
  'Pre-draining': 60 * MINUTE,
  'Pre-drained': 60 * MINUTE,
  'Post-draining': 60 * MINUTE,
  'Waiting Reboot': 45 * MINUTE,
};

/** How long an upgradeState phase normally lasts, and the condition whose True marks its start. */
export const PHASE_LIMITS: Record<string, { limitMs: number; startsWith: string | null }> = {
  PreparingLoggingInfra: { limitMs: 30 * MINUTE, startsWith: null },
  LoggingInfraPrepared: { limitMs: 30 * MINUTE, startsWith: 'LogReady' },
  PreparingRepo: { limitMs: 30 * MINUTE, startsWith: 'ImageReady' },
  RepoPrepared: { limitMs: 30 * MINUTE, startsWith: 'RepoReady' },
  PreparingNodes: { limitMs: 90 * MINUTE, startsWith: 'RepoReady' },
  UpgradingSystemServices: { limitMs: 90 * MINUTE, startsWith: 'NodesPrepared' },
  UpgradingNodes: { limitMs: 60 * MINUTE, startsWith: 'SystemServicesUpgraded' },
};

/** Lines that say what an upgrade step is waiting for, and the step they belong to. */
const BLOCKERS: { literal: string; step: 'pre-drain' | 'drain' | 'post-drain' | 'manifests' | 'controller' }[] = [
  { literal: 'Waiting for VM live-migration or shutdown', step: 'pre-drain' },
  { literal: 'to be healthy...', step: 'pre-drain' },
  { literal: 'Waiting for evacuation PDB gone', step: 'pre-drain' },
  { literal: 'Cannot evict pod as it would violate', step: 'drain' },
  { literal: 'PDB is blocked', step: 'drain' },
  { literal: 'Waiting for RKE2 to be upgraded', step: 'post-drain' },
  { literal: 'Wait for upgrade repo ready', step: 'post-drain' },
  { literal: 'will retry after 10 minutes', step: 'post-drain' },
  { literal: 'Wait for Rancher to be upgraded', step: 'manifests' },
  { literal: 'count is not 1 on node', step: 'manifests' },
  { literal: 'Waiting for plan', step: 'manifests' },
  { literal: 'Waiting for ManagedChart', step: 'manifests' },
  { literal: 'Waiting for LH settling down', step: 'manifests' },
  { literal: 'Waiting for longhorn-manager to be upgraded', step: 'manifests' },
  { literal: 'Waiting for KubeVirt to upgraded', step: 'manifests' },
  { literal: 'is not allowed to run any kind of job', step: 'controller' },
  { literal: 'There are pending jobs', step: 'controller' },
];

/** The steps whose lines explain a node held in a state. */
const STEPS_OF_STATE: Record<string, string[]> = {
  'Pre-draining': ['pre-drain', 'controller'],
  'Pre-drained': ['drain', 'controller'],
  'Post-draining': ['post-drain'],
  'Waiting Reboot': ['post-drain'],
};
const STEPS_OF_PHASE: Record<string, string[]> = {
  UpgradingSystemServices: ['manifests'],
  UpgradingNodes: ['controller'],
};

const PDB_NODE = /removing (\S+) PDB is blocked/;

interface Blocker {
  literal: string;
  step: string;
  node: string | null;
  time: number;
  /** The line's message, for the finding's own message. */
  text: string;
  evidence: EvidenceRef;
  count: number;
}

const stateEntry = (n: UpgradeNodeStory): Stamp | null => {
  switch (n.state) {
    case 'Pre-draining':
      return n.preDrainStartedAt;
    case 'Pre-drained':
      return n.preDrainFinishedAt;
    case 'Post-draining':
      return n.postDrainStartedAt;
    case 'Waiting Reboot':
      return n.postDrainFinishedAt;
    default:
      return null;
  }
};

const phaseEntry = (story: UpgradeStory, state: string): Stamp | null => {
  const starts = PHASE_LIMITS[state]?.startsWith;
  if (starts === null) return story.startedAt;
  const phase = [...story.phases].reverse().find((p) => p.name === starts && p.status === 'True');
  return phase?.at ?? null;
};

/** The latest time any node of the upgrade moved. */
const lastNodeProgress = (story: UpgradeStory): number | null => {
  let latest: number | null = null;
  for (const n of story.nodes)
    for (const s of nodeStamps(n))
      if (s && (latest === null || s.time > latest)) latest = s.time;
  return latest;
};

export const upgradeStalled: RuleModule = {
  id: 'upgrade-stalled',
  meta: {
    title: 'Upgrade failed or stalled',
    severity: 'high',
    description:
      'The Upgrade failed (upgradeState `Failed`, a node `Failed`), or an unfinished upgrade held a phase or a node state far ' +
      'longer than normal (defaults: `Pre-draining`, `Pre-drained`, `Post-draining` 60 min, `Waiting Reboot` 45 min, ' +
      '`UpgradingSystemServices` 90 min, `UpgradingNodes` 60 min without any node moving). For an unfinished upgrade the ' +
      'bundle\'s creation time is "now". Cites what the step was waiting for (VM migrations, volumes, PDBs, RKE2, Rancher).',
    remediation:
      'Follow the cited waiting line: a VM that cannot migrate (shut it off), a degraded volume (let it rebuild), an ' +
      'instance-manager PDB (see longhorn-drain-blocked), RKE2 not upgraded (check rancher-system-agent on the node). ' +
      'Inspect the node jobs with `kubectl -n harvester-system get jobs -l harvesterhci.io/upgradeComponent=node` and their ' +
      'pod logs; do not delete the Upgrade object during the node phase.',
    falsePositives: [
      'Very large nodes (many VMs or large volumes to migrate) can need longer than the default thresholds.',
      'A bundle collected on purpose in the middle of a slow but healthy step.',
    ],
    references: [
      'https://github.com/harvester/harvester/issues/3021',
      'https://github.com/harvester/harvester/issues/5206',
      'https://github.com/harvester/harvester/issues/3041',
      'https://github.com/harvester/harvester/issues/8298',
      'https://github.com/harvester/harvester/issues/8593',
    ],
    sources: ['Upgrade', 'Job', 'pre-drain', 'post-drain', 'apply-manifests', 'rancher', 'longhorn-manager', 'harvester'],
    messages: {
      failed: 'Upgrade {{upgrade}} failed{{reason}}.',
      nodeFailed: 'Upgrade {{upgrade}}: node {{node}} failed{{reason}}.',
      nodeStalled:
        'Upgrade {{upgrade}}: node {{node}} was in state {{state}} for {{held}} (since {{since}}, normal is under {{limit}}) when ' +
        'the bundle was collected{{blocker}}.',
      phaseStalled:
        'Upgrade {{upgrade}} was in phase {{state}} for {{held}} (since {{since}}, normal is under {{limit}}) when the bundle was ' +
        'collected{{blocker}}.',
    },
    examples: [
      'Upgrade harvester-system/hvst-upgrade-x2hz8: nodeStatuses harvester-02 state Pre-drained',
      '2025-06-14T11:08:35.204761330Z 2025/06/14 11:08:35 [INFO] error when evicting pods/"instance-manager-5c1b9c3e8a0c4b27e1f8d6a2b9c0e4f1" -n "longhorn-system" (will retry after 5s): Cannot evict pod as it would violate the pod\'s disruption budget.',
    ],
  },
  literals: BLOCKERS.map((b) => b.literal),
  create(context) {
    const blockers = new Map<string, Blocker>();
    return {
      event(e, member) {
        if (e.time === null || e.format.endsWith('xtrace')) return;
        const text = plainMessage(e);
        const hit = BLOCKERS.find((b) => text.includes(b.literal));
        if (!hit) return;
        const node =
          upgradeJobNode(member.pod, 'pre-drain') ?? upgradeJobNode(member.pod, 'post-drain') ?? PDB_NODE.exec(text)?.[1] ?? member.node;
        const key = `${hit.literal}\u0000${node}`;
        const prior = blockers.get(key);
        // Keep the latest line of each kind: it shows what the step was still waiting for.
        if (!prior || e.time >= prior.time)
          blockers.set(key, {
            literal: hit.literal,
            step: hit.step,
            node,
            time: e.time,
            text: text.trim(),
            evidence: eventEvidence(e),
            count: (prior?.count ?? 0) + 1,
          });
        else prior.count++;
      },
      end() {
        const story = context.upgrade();
        if (!story) return;
        const objects = context.objects();
        const upgrade = upgradeObject(objects, story);
        const nodeStatuses: Record<string, any> = upgrade?.raw?.status?.nodeStatuses ?? {};
        // The Upgrade as `kubectl -n <ns> get upgrade <name>` names it; Upgrades live in harvester-system.
        const subject = `${upgrade?.namespace ?? 'harvester-system'}/${story.name}`;
        const upgradeEvidence = upgrade
          ? [objectEvidence(upgrade, `Upgrade ${upgrade.namespace}/${upgrade.name}: upgradeState ${story.state ?? 'unknown'}`)]
          : [];
        const reasonOf = (s: any): string =>
          s?.reason || s?.message ? `: ${[s.reason, s.message].filter(Boolean).join(': ')}` : '';

        if (story.state === 'Failed' || story.phases.some((p) => p.name === 'Completed' && p.status === 'False')) {
          const completed = [...story.phases].reverse().find((p) => p.name === 'Completed');
          const failedNodes = story.nodes.filter((n) => n.state === 'Failed');
          for (const n of failedNodes)
            context.report({
              messageId: 'nodeFailed',
              node: n.name,
              subject,
              time: story.finishedAt?.time ?? completed?.at.time ?? null,
              data: { upgrade: story.name, node: n.name, reason: reasonOf(nodeStatuses[n.name]) },
              evidence: upgradeEvidence,
              fields: { upgradeState: story.state, nodeState: 'Failed' },
            });
          context.report({
            messageId: 'failed',
            subject,
            time: story.finishedAt?.time ?? completed?.at.time ?? null,
            data: { upgrade: story.name, reason: failedNodes.length > 0 ? ` on ${failedNodes.map((n) => n.name).join(', ')}` : '' },
            evidence: [...upgradeEvidence, ...(completed ? [stampEvidence(completed.at)] : [])],
            fields: { upgradeState: story.state },
          });
          return;
        }
        if (story.finishedAt || story.state === 'Succeeded') return;
        const now = bundleNow(context.facts(), context.keyEvents());
        if (now === null) return;

        /** The latest line of each kind the step waited on, newest first. */
        const blockersFor = (node: string | null, steps: string[], since: number): Blocker[] =>
          [...blockers.values()]
            .filter((b) => steps.includes(b.step) && b.time >= since && (b.node === node || b.node === null || node === null))
            .sort((a, b) => b.time - a.time || compareText(a.literal, b.literal))
            .slice(0, 3);
        const blockerText = (signs: Blocker[]): string => {
          const latest = signs[0];
          if (!latest) return '';
          const text = latest.text.length > 200 ? `${latest.text.slice(0, 200)}…` : latest.text;
          return `; latest sign at ${toIso(latest.time)}${latest.count > 1 ? ` (seen ${latest.count} times)` : ''}: ${text}`;
        };

        let anyNodeActive = false;
        for (const n of story.nodes) {
          const limit = n.state ? NODE_STATE_LIMITS_MS[n.state] : undefined;
          if (limit === undefined) continue;
          anyNodeActive = true;
          const entry = stateEntry(n);
          if (!entry || now - entry.time <= limit) continue;
          const signs = blockersFor(n.name, STEPS_OF_STATE[n.state!] ?? [], entry.time);
          context.report({
            messageId: 'nodeStalled',
            node: n.name,
            subject,
            time: entry.time,
            data: {
              upgrade: story.name,
              node: n.name,
              state: n.state!,
              held: spokenDuration(now - entry.time),
              since: toIso(entry.time)!,
              limit: spokenDuration(limit),
              blocker: blockerText(signs),
            },
            evidence: [stampEvidence(entry), ...signs.map((b) => b.evidence)],
            fields: { nodeState: n.state, heldMinutes: minutesBetween(entry.time, now), since: toIso(entry.time) },
          });
        }

        const phase = story.state ? PHASE_LIMITS[story.state] : undefined;
        if (!phase || !story.state) return;
        if (story.state === 'UpgradingNodes' && anyNodeActive) return; // the node in progress is judged above
        const entry = phaseEntry(story, story.state);
        if (!entry) return;
        const since = story.state === 'UpgradingNodes' ? Math.max(entry.time, lastNodeProgress(story) ?? entry.time) : entry.time;
        if (now - since <= phase.limitMs) return;
        const signs = blockersFor(null, STEPS_OF_PHASE[story.state] ?? [], since);
        context.report({
          messageId: 'phaseStalled',
          subject,
          time: since,
          data: {
            upgrade: story.name,
            state: story.state,
            held: spokenDuration(now - since),
            since: toIso(since)!,
            limit: spokenDuration(phase.limitMs),
            blocker: blockerText(signs),
          },
          evidence: [...upgradeEvidence, stampEvidence(entry), ...signs.map((b) => b.evidence)],
          fields: { upgradeState: story.state, heldMinutes: minutesBetween(since, now), since: toIso(since) },
        });
      },
    };
  },
};
