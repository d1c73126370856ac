import type { MemberInfo } from '../bundle/types.js';
import type { LogEvent } from '../formats/types.js';
import type { KeyEventKind } from './types.js';

/**
 * The log lines that mark key moments of an upgrade, with exact strings from upgrade-mechanics.md (§2, §4.4, §5–§8,
 * §12) and real-log-samples.md. Each recogniser reads one line; merging repeated sightings is key-events.ts's job.
 */

/** One line recognised as (part of) a key moment. */
export interface Sighting {
  kind: KeyEventKind;
  node: string | null;
  summary: string;
  /** Sightings with the same kind, node, file and group within `mergeWithinMs` of each other are one key moment. */
  group: string;
  mergeWithinMs: number;
  /** Repeats are worth counting in the summary (eviction retries), not just absorbing. */
  countRepeats: boolean;
  /** A version the line names; the merged moment is told with the sighting that has one. */
  version: string | null;
}

/** A journal boot separator (`-- Reboot --`, `-- Boot <id> --`); its time comes from the line after it. */
export const BOOT_MARKER = /^-- (?:Reboot|Boot [0-9a-f]+) --$/;

/** Case-sensitive substrings, one of which every line a recogniser accepts contains. */
export const KEY_EVENT_LITERALS: readonly string[] = [
  'system-agent-installer-rke2:',
  'Detected first start, force-applying one-time instruction set',
  'Extracting file installer.sh',
  'Rancher Kubernetes Engine v2',
  'Starting rke2 v',
  'Starting kubelet',
  'Kubelet version',
  'kubelet version',
  '-- Reboot --',
  '-- Boot ',
  'Linux version ',
  '+ command_',
  'Skip upgrading OS. The OS version is already',
  '+ reboot_if_job_succeed',
  'Running "upgrade_node.sh',
  'harvester: v',
  'drain job ',
  'Start upgrading Kubernetes runtime to',
  'Start single node upgrade job',
  'harvesterhci.io/upgradeState:',
  ' cordoned',
  'evicting pod ',
  'have been live-migrated or shutdown',
];

const MINUTE = 60_000;

const RKE2_INSTALLER_IMAGE = /[Ee]xtracting image \S*system-agent-installer-rke2:([A-Za-z0-9._+-]+)/;
const RKE2_UNIT = /(Stopping|Starting|Started) Rancher Kubernetes Engine v2 \((server|agent)\)/;
const RKE2_STARTING = /Starting rke2 (v\d[^\s"()]*)/;
const KUBELET_VERSION = /[Kk]ubelet version"?:?\s*(?:kubeletVersion=)?"?(v\d[^\s"]*)/;
const KERNEL_BOOT = /Linux version (\S+)/;
const XTRACE_COMMAND = /(?:^|\s)\+ command_(prepare|pre_drain|post_drain|single_node_upgrade)\s*$/;
const OS_ALREADY = /Skip upgrading OS\. The OS version is already "([^"]*)"/;
const RETRY = /Running "upgrade_node\.sh ([a-z-]+)" errors, will retry after 10 minutes \((\d+) retries\)/;
const FAILED = /\[Error\] Running "upgrade_node\.sh ([a-z-]+)/;
const RELEASE_HEADER = /(?:^|\s)harvester: (v\S+)\s*$/;
const CREATE_JOB = /Create (pre-drain|post-drain) job on ([^\s"\\]+)/;
const JOB_DONE = /(Pre-drain|Post-drain) job ([^\s"\\]+) is done\./;
const KUBERNETES_RUNTIME = /Start upgrading Kubernetes runtime to ([^\s"\\]+)/;
const HANDLE_UPGRADE = /handle upgrade ([a-z0-9.-]+)\/([a-z0-9.-]+) with labels map\[[^\]]*harvesterhci\.io\/upgradeState:([A-Za-z]+)/;
const CORDONED = /(?:^|[\s"])node\/([a-z0-9.-]+) cordoned/;
const EVICTING = /(?:^|[\s"])evicting pod ([a-z0-9.-]+)\/([a-z0-9.-]+)/;
const ALL_VMS_OFF = /all VMs on node ([a-z0-9.-]+) have been live-migrated or shutdown/;

/** Upgrade job pods: `<upgrade>-{pre-drain,post-drain,single-node-upgrade}-<node>-<5>`, SUC prepare pods, apply-manifests. */
const NODE_JOB_POD = /^(.+?)-(pre-drain|post-drain|single-node-upgrade)-(.+)-[a-z0-9]{5}$/;
const PREPARE_POD = /^apply-(.+?)-prepare-on-(.+)-with-[a-f0-9]+(?:-[a-z0-9]{5})?$/;
const MANIFESTS_POD = /^(.+?)-apply-manifests-[a-z0-9]{5}$/;
const NODE_JOB_NAME = /^(.+?)-(pre-drain|post-drain|single-node-upgrade)-(.+)$/;
const POD_OF_PATH = /(?:^|\/)logs\/[^/]+\/([^/]+)\/[^/]+$/;

export interface UpgradeJobPod {
  type: 'prepare' | 'pre-drain' | 'post-drain' | 'single-node-upgrade' | 'apply-manifests';
  node: string | null;
}

/** The upgrade job a pod log belongs to, from the pod name (node jobs carry the node in it). */
export function upgradeJobPod(member: MemberInfo): UpgradeJobPod | null {
  const pod = member.pod ?? POD_OF_PATH.exec(member.path)?.[1] ?? null;
  if (!pod) return null;
  const nodeJob = NODE_JOB_POD.exec(pod);
  if (nodeJob) return { type: nodeJob[2] as UpgradeJobPod['type'], node: nodeJob[3] };
  const prepare = PREPARE_POD.exec(pod);
  if (prepare) return { type: 'prepare', node: prepare[2] };
  if (MANIFESTS_POD.test(pod)) return { type: 'apply-manifests', node: null };
  return null;
}

const isKubeletLog = (m: MemberInfo): boolean => m.component === 'kubelet' || /(?:^|\/)kubelet\.log(?:\.\d+)?$/.test(m.path);
const isKernelLog = (e: LogEvent, m: MemberInfo): boolean => m.kind === 'kernel-log' || e.fields?.ident === 'kernel';

function rke2Unit(m: MemberInfo): string {
  if (m.component === 'rke2-agent' || /rke2-agent\.log/.test(m.path)) return 'rke2-agent';
  if (m.component === 'rke2-server' || /rke2-server\.log/.test(m.path)) return 'rke2-server';
  return 'rke2';
}

const sighting = (
  kind: KeyEventKind,
  node: string | null,
  summary: string,
  group: string,
  options: { mergeWithinMs?: number; countRepeats?: boolean; version?: string | null } = {},
): Sighting => ({
  kind,
  node,
  summary,
  group,
  mergeWithinMs: options.mergeWithinMs ?? 0,
  countRepeats: options.countRepeats ?? false,
  version: options.version ?? null,
});

function nodeLogSighting(text: string, e: LogEvent, m: MemberInfo): Sighting | null {
  const node = m.node;
  const installer = RKE2_INSTALLER_IMAGE.exec(text);
  if (installer) {
    return sighting('rke2-install', node, `rancher-system-agent applies the RKE2 installer ${installer[1]}`, 'install', {
      mergeWithinMs: 2 * MINUTE,
      version: installer[1],
    });
  }
  if (text.includes('Detected first start, force-applying one-time instruction set')) {
    return sighting('rke2-install', node, 'rancher-system-agent force-applies its one-time instruction set (RKE2 installer)', 'install', {
      mergeWithinMs: 2 * MINUTE,
    });
  }
  if (text.includes('Extracting file installer.sh')) {
    return sighting('rke2-install', node, 'rancher-system-agent extracts the RKE2 installer.sh', 'install', { mergeWithinMs: 2 * MINUTE });
  }
  const unit = RKE2_UNIT.exec(text);
  if (unit) {
    const name = `rke2-${unit[2]}`;
    if (unit[1] === 'Stopping') return sighting('rke2-stop', node, `${name} stopping`, name, { mergeWithinMs: MINUTE });
    return sighting('rke2-start', node, `${name} ${unit[1] === 'Started' ? 'started' : 'starting'}`, name, { mergeWithinMs: 10 * MINUTE });
  }
  const starting = RKE2_STARTING.exec(text);
  if (starting) {
    const name = rke2Unit(m);
    return sighting('rke2-start', node, `${name} ${starting[1]} starting`, name === 'rke2' ? 'rke2-server' : name, {
      mergeWithinMs: 10 * MINUTE,
      version: starting[1],
    });
  }
  if (isKubeletLog(m) && (text.includes('Starting kubelet') || /[Kk]ubelet version/.test(text))) {
    const version = KUBELET_VERSION.exec(text)?.[1] ?? null;
    return sighting('kubelet-start', node, version ? `kubelet ${version} started` : 'kubelet started', 'kubelet', {
      mergeWithinMs: MINUTE,
      version,
    });
  }
  if (isKernelLog(e, m)) {
    const kernel = KERNEL_BOOT.exec(text);
    if (kernel && text.includes(`Linux version ${kernel[1]} (`)) {
      return sighting('reboot', node, `node booted (kernel ${kernel[1]})`, 'boot');
    }
  }
  return null;
}

function jobPodSighting(text: string, job: UpgradeJobPod, fileFirstRelease: boolean): Sighting | null {
  const on = job.node ? ` on ${job.node}` : '';
  const command = XTRACE_COMMAND.exec(text);
  if (command) return sighting('job-start', job.node, `${job.type} job started${on}`, job.type);
  const already = OS_ALREADY.exec(text);
  if (already) return sighting('job-complete', job.node, `${job.type} job${on} done, OS already "${already[1]}"`, job.type);
  if (/(?:^|\s)\+ reboot_if_job_succeed\s*$/.test(text)) {
    return sighting('job-complete', job.node, `${job.type} job${on} upgraded the OS; the node reboots once the job exits`, job.type);
  }
  const retry = RETRY.exec(text);
  if (retry) {
    return sighting('job-failed', job.node, `${retry[1]} job attempt${on} failed, retrying in 10 minutes (${retry[2]} retries so far)`, job.type);
  }
  const failed = FAILED.exec(text);
  if (failed) return sighting('job-failed', job.node, `${failed[1]} job${on} failed`, job.type);
  if (job.type === 'apply-manifests' && fileFirstRelease) {
    const release = RELEASE_HEADER.exec(text);
    if (release) return sighting('job-start', null, `apply-manifests job started (target Harvester ${release[1]})`, job.type);
  }
  return null;
}

/** Node named by a node-job name `<upgrade>-pre-drain-<node>` (SafeConcatName may have shortened it: best effort). */
const nodeOfJobName = (job: string): string | null => NODE_JOB_NAME.exec(job)?.[3] ?? null;

function clusterLogSighting(text: string): Sighting | null {
  const create = CREATE_JOB.exec(text);
  if (create) return sighting('job-start', create[2], `controller creates the ${create[1]} job for ${create[2]}`, `create-${create[1]}`);
  const done = JOB_DONE.exec(text);
  if (done) {
    return sighting('job-complete', nodeOfJobName(done[2]), `controller sees ${done[1].toLowerCase()} job ${done[2]} done`, `done-${done[2]}`);
  }
  const runtime = KUBERNETES_RUNTIME.exec(text);
  if (runtime) {
    return sighting('upgrade-phase', null, `controller starts upgrading the Kubernetes runtime to ${runtime[1]}`, 'runtime', {
      version: runtime[1],
    });
  }
  if (text.includes('Start single node upgrade job')) return sighting('upgrade-phase', null, 'controller starts the single-node upgrade job', 'single');
  const cordoned = CORDONED.exec(text);
  if (cordoned) return sighting('drain', cordoned[1], `node ${cordoned[1]} cordoned`, 'cordon', { mergeWithinMs: MINUTE });
  const evicting = EVICTING.exec(text);
  if (evicting) {
    const pod = `${evicting[1]}/${evicting[2]}`;
    return sighting('drain', null, `evicting pod ${pod}`, `evict ${pod}`, { mergeWithinMs: MINUTE, countRepeats: true });
  }
  const allOff = ALL_VMS_OFF.exec(text);
  if (allOff) return sighting('drain', allOff[1], `all VMs on node ${allOff[1]} live-migrated or shut down`, 'vms-off');
  return null;
}

/** The upgradeState a controller `handle upgrade ... with labels map[...]` line reports. */
export function upgradeStateLine(text: string): { upgrade: string; state: string } | null {
  const m = HANDLE_UPGRADE.exec(text);
  return m ? { upgrade: `${m[1]}/${m[2]}`, state: m[3] } : null;
}

export const upgradeStateSummary = (upgrade: string, state: string): string => `Upgrade ${upgrade} upgradeState ${state}`;

/**
 * The key moment a line shows, if any. `firstRelease` tells whether an apply-manifests log has not yet shown its
 * release header (the job prints the target harvester-release.yaml first, upgrade-mechanics §2).
 */
export function recognise(e: LogEvent, m: MemberInfo, firstRelease: boolean): Sighting | null {
  const text = e.raw;
  const job = upgradeJobPod(m);
  if (job) return jobPodSighting(text, job, firstRelease) ?? clusterLogSighting(text);
  return nodeLogSighting(text, e, m) ?? clusterLogSighting(text);
}
