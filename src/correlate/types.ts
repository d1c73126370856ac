import type { EvidenceRef, Severity } from '../rules/types.js';

/** A point in time and the evidence it was read from. */
export interface Stamp {
  time: number;
  source: EvidenceRef;
}

export interface UpgradeNodeStory {
  name: string;
  /** Last state in Upgrade status.nodeStatuses (`Images preloaded`, `Pre-drained`, `Succeeded`, ...). */
  state: string | null;
  imagesPreloadedAt: Stamp | null;
  preDrainStartedAt: Stamp | null;
  preDrainFinishedAt: Stamp | null;
  rke2UpgradedAt: Stamp | null;
  postDrainStartedAt: Stamp | null;
  postDrainFinishedAt: Stamp | null;
  rebootedAt: Stamp | null;
  succeededAt: Stamp | null;
}

export interface UpgradeStory {
  name: string;
  fromVersion: string | null;
  toVersion: string | null;
  /** harvesterhci.io/upgradeState (`UpgradingNodes`, `Succeeded`, `Failed`, ...). */
  state: string | null;
  startedAt: Stamp | null;
  finishedAt: Stamp | null;
  durationSeconds: number | null;
  /** Condition transitions and labels in time order: LogReady, ImageReady, RepoReady, NodesPrepared, ... */
  phases: { name: string; status: string; at: Stamp }[];
  nodes: UpgradeNodeStory[];
  startedBy: { versionObject: string | null; upgradeCheckerDisabled: boolean | null };
}

/** Kinds of key moments read from logs and objects; the upgrade story and the incident chains are built from them. */
export type KeyEventKind =
  | 'rke2-install' // rancher-system-agent extracts system-agent-installer-rke2 / runs its installer
  | 'rke2-stop' // systemd: Stopping Rancher Kubernetes Engine v2 (server|agent)...
  | 'rke2-start' // systemd: Started Rancher Kubernetes Engine v2 ..., or rke2 "Starting rke2 v..."
  | 'kubelet-start' // kubelet started (klog "Starting kubelet"/version line after a gap)
  | 'reboot' // journal `-- Reboot --`/`-- Boot` marker or a new kernel boot
  | 'job-start' // an upgrade Job (apply-manifests, pre-drain, post-drain, single-node-upgrade, SUC plan) started
  | 'job-complete'
  | 'job-failed'
  | 'upgrade-phase' // an Upgrade condition / upgradeState transition
  | 'node-state' // an Upgrade nodeStatuses state observed
  | 'vm-stop' // a VM stopped (graceful or not; see summary)
  | 'drain' // cordon / eviction / drain lines of a node
  | 'other';

/** A key moment on the timeline that is not itself a finding (rke2 restart, job start, reboot, ...). */
export interface KeyEvent {
  time: number;
  node: string | null;
  kind: KeyEventKind;
  summary: string;
  evidence: EvidenceRef;
}

export interface IncidentLink {
  findingId: string | null;
  event: KeyEvent | null;
  relation: 'observed' | 'inferred';
  explanation: string;
}

export interface Incident {
  id: string;
  title: string;
  severity: Severity;
  start: number | null;
  end: number | null;
  nodes: string[];
  findingIds: string[];
  chain: IncidentLink[];
  /** `confirmed`, or `inconclusive` with the reason (evidence missing from the bundle). */
  verdict: 'confirmed' | 'inconclusive';
  verdictReason: string | null;
}

export interface ClockSkew {
  node: string;
  offsetMs: number;
  basis: string;
}
