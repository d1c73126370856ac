import { parse } from 'yaml';
import { harvesterSetting } from '../k8s/bundle-facts.js';
import { parseK8sTime } from '../k8s/k8s-time.js';
import { describeObject, field, labelsOf, stringField } from '../k8s/object-fields.js';
import type { BundleFacts, K8sObject, ObjectIndex } from '../k8s/types.js';
import { compareText } from '../util/compare.js';
import { toIso } from '../util/time.js';
import { compareKeyEvents, rke2VersionOf, upgradeStateOf } from './key-events.js';
import { nodeJob, objectStamp, prepareJob } from './upgrade-jobs.js';
import type { KeyEvent, KeyEventKind, Stamp, UpgradeNodeStory, UpgradeStory } from './types.js';

/** Phases read from upgradeState label changes in the controller log (they are key events already). */
export const LABEL_PHASE_STATUS = 'entered';

const HARVESTER_GROUP = 'harvesterhci.io/';

/** The newest Upgrade: the one labelled `harvesterhci.io/latestUpgrade: "true"`, else the newest created. */
function latestUpgrade(index: ObjectIndex): K8sObject | null {
  const upgrades = index.byKind('Upgrade').filter((u) => u.apiVersion.startsWith(HARVESTER_GROUP));
  const latest = upgrades.filter((u) => labelsOf(u)['harvesterhci.io/latestUpgrade'] === 'true');
  const created = (u: K8sObject): number => parseK8sTime(field(u.raw, 'metadata', 'creationTimestamp')) ?? -Infinity;
  const ranked = (latest.length > 0 ? latest : upgrades).sort((a, b) => created(b) - created(a) || compareText(a.name, b.name));
  return ranked[0] ?? null;
}

/** `status.repoInfo` is a YAML string: `release: {harvester, os, kubernetes, ...}`. */
function repoRelease(upgrade: K8sObject): { harvester: string | null; os: string | null; kubernetes: string | null } {
  let release: unknown;
  try {
    const repoInfo = stringField(upgrade.raw, 'status', 'repoInfo');
    release = repoInfo ? field(parse(repoInfo), 'release') : undefined;
  } catch {
    release = undefined;
  }
  return {
    harvester: stringField(release, 'harvester'),
    os: stringField(release, 'os'),
    kubernetes: stringField(release, 'kubernetes'),
  };
}

interface Condition {
  type: string;
  status: string;
  at: Stamp | null;
}

function conditions(upgrade: K8sObject): Condition[] {
  const list = field(upgrade.raw, 'status', 'conditions');
  if (!Array.isArray(list)) return [];
  return list.flatMap((c): Condition[] => {
    const type = stringField(c, 'type');
    if (!type) return [];
    const status = stringField(c, 'status') ?? 'Unknown';
    // Phase boundaries are the conditions' lastUpdateTime (upgrade-mechanics §2 recipe); lastTransitionTime otherwise.
    const key = parseK8sTime(field(c, 'lastUpdateTime')) !== null ? 'lastUpdateTime' : 'lastTransitionTime';
    const time = parseK8sTime(field(c, key));
    const at: Stamp | null = time === null ? null : {
      time,
      source: { file: upgrade.file, line: upgrade.line, time, text: `${describeObject(upgrade)} condition ${type}=${status} ${key} ${toIso(time)}` },
    };
    return [{ type, status, at }];
  });
}

const stampOf = (e: KeyEvent): Stamp => ({ time: e.time, source: e.evidence });

interface Window {
  from: number;
  to: number;
}

const inWindow = (e: KeyEvent, w: Window): boolean => e.time >= w.from && e.time <= w.to;

/**
 * When RKE2 was upgraded on the node: its first RKE2 install (of the target version, when the target is known) or
 * RKE2 stop inside the upgrade window; else the first kubelet start of the target version.
 */
function rke2UpgradedAt(events: KeyEvent[], target: string | null): Stamp | null {
  const install = events.find((e) => {
    if (e.kind === 'rke2-stop') return true;
    if (e.kind !== 'rke2-install') return false;
    return target === null || rke2VersionOf(e) === target;
  });
  if (install) return stampOf(install);
  const kubelet = target === null ? undefined : events.find((e) => e.kind === 'kubelet-start' && rke2VersionOf(e) === target);
  return kubelet ? stampOf(kubelet) : null;
}

function nodeStory(
  index: ObjectIndex,
  upgrade: K8sObject,
  node: string,
  events: KeyEvent[],
  target: string | null,
): UpgradeNodeStory {
  const state = stringField(upgrade.raw, 'status', 'nodeStatuses', node, 'state');
  const prepare = prepareJob(index, upgrade, node);
  const preDrain = nodeJob(index, upgrade, 'pre-drain', node);
  const postDrain = nodeJob(index, upgrade, 'post-drain', node);
  const singleNode = nodeJob(index, upgrade, 'single-node-upgrade', node);
  const postDrainFinishedAt = postDrain ? objectStamp(postDrain, ['status', 'completionTime']) : null;
  const finishingJob = postDrainFinishedAt ?? (singleNode ? objectStamp(singleNode, ['status', 'completionTime']) : null);
  const reboot = events.find((e) => e.kind === 'reboot');
  // A reboot after the last job means the node went through `Waiting Reboot`: it succeeded at a time no object records.
  const waitedForReboot = reboot !== undefined && finishingJob !== null && reboot.time > finishingJob.time;
  return {
    name: node,
    state,
    imagesPreloadedAt: prepare ? objectStamp(prepare, ['status', 'completionTime']) : null,
    preDrainStartedAt: preDrain ? objectStamp(preDrain, ['status', 'startTime']) : null,
    preDrainFinishedAt: preDrain ? objectStamp(preDrain, ['status', 'completionTime']) : null,
    rke2UpgradedAt: rke2UpgradedAt(events, target),
    postDrainStartedAt: postDrain ? objectStamp(postDrain, ['status', 'startTime']) : null,
    postDrainFinishedAt,
    rebootedAt: reboot ? stampOf(reboot) : null,
    succeededAt: state === 'Succeeded' && !waitedForReboot ? finishingJob : null,
  };
}

/** How the upgrade was started: the Version object it names, and whether the upgrade checker was switched off. */
function startedBy(index: ObjectIndex, upgrade: K8sObject): UpgradeStory['startedBy'] {
  const version = stringField(upgrade.raw, 'spec', 'version');
  const versionObject = version
    ? index.byKind('Version').find((v) => v.name === version && v.apiVersion.startsWith(HARVESTER_GROUP) && v.namespace === upgrade.namespace)
    : undefined;
  const checker = harvesterSetting(index, 'upgrade-checker-enabled')?.value ?? null;
  return {
    versionObject: versionObject?.name ?? null,
    upgradeCheckerDisabled: checker === 'false' ? true : checker === 'true' ? false : null,
  };
}

/**
 * The upgrade the bundle shows (upgrade-mechanics §1–§8): the latest Upgrade object, its versions, state, phases,
 * and per node the moments of its upgrade from Jobs and key events. Unknown moments stay null; every Stamp cites
 * the object or log line it was read from. Null when the bundle holds no Upgrade.
 */
export function buildUpgradeStory(index: ObjectIndex, keyEvents: KeyEvent[], facts: BundleFacts): UpgradeStory | null {
  const upgrade = latestUpgrade(index);
  if (!upgrade) return null;
  const release = repoRelease(upgrade);
  const startedAt = objectStamp(upgrade, ['metadata', 'creationTimestamp'], 'creationTimestamp');
  const conds = conditions(upgrade);
  const completed = conds.find((c) => c.type === 'Completed' && (c.status === 'True' || c.status === 'False'));
  const finishedAt = completed?.at ?? null;
  const window: Window = { from: startedAt?.time ?? -Infinity, to: finishedAt?.time ?? Infinity };

  const upgradeRef = `${upgrade.namespace ?? ''}/${upgrade.name}`;
  const labelPhases = keyEvents.flatMap((e) => {
    const s = upgradeStateOf(e);
    return s && s.upgrade === upgradeRef ? [{ name: s.state, status: LABEL_PHASE_STATUS, at: stampOf(e) }] : [];
  });
  const phases = [
    ...conds.flatMap((c) => (c.at ? [{ name: c.type, status: c.status, at: c.at }] : [])),
    ...labelPhases,
  ].sort((a, b) => a.at.time - b.at.time || compareText(a.name, b.name) || compareText(a.status, b.status));

  const statuses = field(upgrade.raw, 'status', 'nodeStatuses');
  const nodes = new Set<string>(facts.nodes);
  if (statuses && typeof statuses === 'object') for (const node of Object.keys(statuses)) nodes.add(node);
  const sortedEvents = [...keyEvents].sort(compareKeyEvents);
  const eventsOf = (node: string): KeyEvent[] => sortedEvents.filter((e) => e.node === node && inWindow(e, window));

  return {
    name: upgrade.name,
    fromVersion: stringField(upgrade.raw, 'status', 'previousVersion'),
    toVersion: stringField(upgrade.raw, 'spec', 'version') ?? release.harvester,
    state: labelsOf(upgrade)['harvesterhci.io/upgradeState'] ?? null,
    startedAt,
    finishedAt,
    durationSeconds: startedAt && finishedAt ? Math.round((finishedAt.time - startedAt.time) / 1000) : null,
    phases,
    nodes: [...nodes].sort(compareText).map((node) => nodeStory(index, upgrade, node, eventsOf(node), release.kubernetes)),
    startedBy: startedBy(index, upgrade),
  };
}

const keyEvent = (kind: KeyEventKind, node: string | null, summary: string, stamp: Stamp): KeyEvent => ({
  time: stamp.time,
  node,
  kind,
  summary,
  evidence: stamp.source,
});

/**
 * The story's object-read moments as key events for the timeline: the Upgrade's creation and condition changes, and
 * per node the prepare, pre-drain and post-drain Job times. Moments the story took from key events (RKE2 upgrade,
 * reboot, upgradeState changes) are not repeated.
 */
export function upgradeKeyEvents(story: UpgradeStory): KeyEvent[] {
  const out: KeyEvent[] = [];
  if (story.startedAt) {
    const versions = story.fromVersion || story.toVersion ? ` (${story.fromVersion ?? '?'} → ${story.toVersion ?? '?'})` : '';
    out.push(keyEvent('upgrade-phase', null, `Upgrade ${story.name} created${versions}`, story.startedAt));
  }
  for (const phase of story.phases) {
    if (phase.status === LABEL_PHASE_STATUS) continue;
    out.push(keyEvent('upgrade-phase', null, `Upgrade ${story.name} condition ${phase.name}=${phase.status}`, phase.at));
  }
  for (const n of story.nodes) {
    const moments: [KeyEventKind, string, Stamp | null][] = [
      ['node-state', `images preloaded on ${n.name}`, n.imagesPreloadedAt],
      ['job-start', `pre-drain job on ${n.name} started`, n.preDrainStartedAt],
      ['job-complete', `pre-drain job on ${n.name} completed`, n.preDrainFinishedAt],
      ['job-start', `post-drain job on ${n.name} started`, n.postDrainStartedAt],
      ['job-complete', `post-drain job on ${n.name} completed`, n.postDrainFinishedAt],
    ];
    // Succeeded is told on its own only when it is not the post-drain completion itself.
    if (n.succeededAt && n.succeededAt !== n.postDrainFinishedAt) moments.push(['node-state', `${n.name} upgrade Succeeded`, n.succeededAt]);
    for (const [kind, summary, stamp] of moments) if (stamp) out.push(keyEvent(kind, n.name, summary, stamp));
  }
  return out.sort(compareKeyEvents);
}
