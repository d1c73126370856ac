import type { Finding } from '../rules/types.js';
import { compareText, compareTime } from '../util/compare.js';
import { toIncident } from './incident-build.js';
import { createContext, type IncidentOptions } from './incident-context.js';
import { drainBlockedIncidents } from './incident-longhorn.js';
import { nonMigratableIncident } from './incident-non-migratable.js';
import { oomIncidents } from './incident-oom.js';
import { rke2WithoutPreDrainIncidents } from './incident-rke2.js';
import { singleFindingIncidents } from './incident-single.js';
import { vmDeathIncidents } from './incident-vm-deaths.js';
import type { Incident, KeyEvent, UpgradeStory } from './types.js';

export type { IncidentCoverage, IncidentOptions } from './incident-context.js';

/**
 * Findings grouped into incidents: a cause and its effects on the same node or VM within a window, each link
 * observed (both ends in evidence, in order) or inferred (resting on a named mechanism), each verdict aware of what
 * the bundle covers. Chains claim their findings in this order, so a finding belongs to one incident:
 * RKE2 upgraded without pre-drain (+ VMs killed, kubelet restart, maintenance leftover), drain blocked by the Longhorn
 * instance-manager PDB (+ unhealthy volumes, stalled upgrade), OOM kills with their upgrade phase, non-migratable
 * VMs as one incident, VM deaths no upgrade chain explains, then every other finding of medium severity or above.
 * Informational and low findings never become incidents of their own.
 *
 * Node-local times are moved onto the reference clock with `opts.skews` first; incident times are reference times.
 */
export function buildIncidents(
  findings: readonly Finding[],
  keyEvents: readonly KeyEvent[],
  upgrade: UpgradeStory | null,
  opts: IncidentOptions,
): Incident[] {
  const ctx = createContext(findings, keyEvents, upgrade, opts);
  const drafts = [
    ...rke2WithoutPreDrainIncidents(ctx),
    ...drainBlockedIncidents(ctx),
    ...oomIncidents(ctx),
    ...nonMigratableIncident(ctx),
    ...vmDeathIncidents(ctx),
    ...singleFindingIncidents(ctx),
  ];
  return drafts.map(toIncident).sort((a, b) => compareTime(a.start, b.start) || compareText(a.id, b.id));
}
