import type { KeyEvent, Stamp, UpgradeStory } from './types.js';

/** Where a moment falls relative to the upgrade, and what the upgrade was doing then. */
export interface UpgradeMoment {
  position: 'before' | 'during' | 'after';
  /** `the node phase`, `the system-services upgrade`, ...; null when not during the upgrade or not known. */
  phase: string | null;
  /** The upgrade transition the moment follows (the upgrade start when before any phase), for citation. */
  since: KeyEvent | null;
}

/** Upgrade conditions in the order the controller sets them (upgrade-mechanics §1.1, §2) and the step each covers. */
const CONDITION_STEPS: [condition: string, step: string][] = [
  ['LogReady', 'the logging setup'],
  ['ImageReady', 'the upgrade image download'],
  ['RepoReady', 'the repo preparation'],
  ['NodesPrepared', 'the node preparation (image preload)'],
  ['SystemServicesUpgraded', 'the system-services upgrade'],
  ['NodesUpgraded', 'the node phase'],
];
const CLEANUP = 'the cleanup';

/** `harvesterhci.io/upgradeState` values and the step each starts (upgrade-mechanics §1.2). */
const STATE_STEPS: Record<string, string> = {
  PreparingLoggingInfra: 'the logging setup',
  LoggingInfraPrepared: 'the upgrade image download',
  PreparingRepo: 'the repo preparation',
  RepoPrepared: 'the node preparation (image preload)',
  PreparingNodes: 'the node preparation (image preload)',
  UpgradingSystemServices: 'the system-services upgrade',
  UpgradingNodes: 'the node phase',
  Succeeded: CLEANUP,
  Failed: CLEANUP,
};

/** The step a phase entry starts: a True condition ends its own step and starts the next one. */
function stepAfter(name: string, status: string): string | null {
  if (STATE_STEPS[status]) return STATE_STEPS[status];
  if (STATE_STEPS[name]) return STATE_STEPS[name];
  if (name === 'Completed') return CLEANUP;
  const i = CONDITION_STEPS.findIndex(([condition]) => condition === name);
  if (i < 0) return null;
  if (status !== 'True') return CONDITION_STEPS[i][1];
  return CONDITION_STEPS[i + 1]?.[1] ?? CLEANUP;
}

const stampEvent = (stamp: Stamp, summary: string): KeyEvent => ({
  time: stamp.time,
  node: null,
  kind: 'upgrade-phase',
  summary,
  evidence: stamp.source,
});

/** Null when the upgrade's start is unknown. Times are on the reference clock. */
export function upgradeMomentAt(upgrade: UpgradeStory, time: number): UpgradeMoment | null {
  const phases = [...upgrade.phases].sort((a, b) => a.at.time - b.at.time);
  const start = upgrade.startedAt?.time ?? phases[0]?.at.time ?? null;
  if (start === null) return null;
  const startEvent = upgrade.startedAt ? stampEvent(upgrade.startedAt, `Upgrade ${upgrade.name} created`) : null;
  if (time < start) return { position: 'before', phase: null, since: startEvent };
  if (upgrade.finishedAt && time > upgrade.finishedAt.time) {
    return { position: 'after', phase: null, since: stampEvent(upgrade.finishedAt, `Upgrade ${upgrade.name} finished`) };
  }
  for (let i = phases.length - 1; i >= 0; i--) {
    const p = phases[i];
    const step = p.at.time <= time ? stepAfter(p.name, p.status) : null;
    if (step) return { position: 'during', phase: step, since: stampEvent(p.at, `${p.name} ${p.status}`) };
  }
  // Without phase stamps, a node already pre-draining or upgrading RKE2 shows the node phase has begun.
  const nodePhaseBegun = upgrade.nodes.some((n) =>
    [n.preDrainStartedAt, n.rke2UpgradedAt].some((s) => s !== null && s.time <= time),
  );
  return { position: 'during', phase: nodePhaseBegun ? 'the node phase' : null, since: startEvent };
}
