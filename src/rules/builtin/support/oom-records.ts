import type { K8sObject, ObjectIndex } from '../../../k8s/types.js';
import type { EvidenceRef } from '../../types.js';
import { clusterEvents, describeEvent } from './event-objects.js';
import { objectEvidence } from './evidence.js';
import { parseK8sTime } from '../../../k8s/k8s-time.js';
import type { MemberInfo } from '../../../bundle/types.js';
import type { LogEvent } from '../../../formats/types.js';
import { createOomCollector, KERNEL_OOM_LITERALS, type OomKill } from './kernel-oom.js';
import { createKubeletPodCollector, KUBELET_POD_LITERALS, type KubeletPodRef } from './kubelet-pods.js';
import { containerStatuses, podNode, podsByUid } from './pods.js';

/** A container whose last (or current) termination was `OOMKilled`, read from its pod's status. */
export interface ContainerOom {
  pod: K8sObject;
  container: string;
  node: string | null;
  restartCount: number;
  finishedAt: number | null;
  exitCode: number | null;
  /** The container ID of the killed instance (`containerd://<id>` without the scheme). */
  containerId: string | null;
  evidence: EvidenceRef;
}

export const containerOoms = (objects: ObjectIndex): ContainerOom[] => {
  const result: ContainerOom[] = [];
  for (const pod of objects.byKind('Pod')) {
    for (const status of containerStatuses(pod)) {
      for (const [which, state] of [['lastState', status.lastState], ['state', status.state]] as const) {
        const terminated = state?.terminated;
        if (terminated?.reason !== 'OOMKilled') continue;
        const finishedAt = parseK8sTime(terminated.finishedAt);
        const exitCode = Number.isFinite(Number(terminated.exitCode)) ? Number(terminated.exitCode) : null;
        result.push({
          pod,
          container: status.name,
          node: podNode(pod),
          restartCount: status.restartCount,
          finishedAt,
          exitCode,
          containerId: typeof terminated.containerID === 'string' ? terminated.containerID.replace(/^\w+:\/\//, '') : null,
          evidence: objectEvidence(
            pod,
            `Pod ${pod.namespace}/${pod.name} container ${status.name}: ${which}.terminated.reason OOMKilled` +
              `${exitCode !== null ? `, exitCode ${exitCode}` : ''}, restartCount ${status.restartCount}` +
              `${terminated.finishedAt ? `, finishedAt ${terminated.finishedAt}` : ''}`,
            finishedAt,
          ),
        });
      }
    }
  }
  return result;
};

const SYSTEM_OOM = /victim process: ([^,]+), pid: (\d+)/;
const KILLED = /Kill(?:ed)? process (\d+) \(([^)]*)\)/;

/** OOM kills the node events tell (`SystemOOM`, node-problem-detector `OOMKilling`), in the kernel-kill shape. */
export const eventOomKills = (objects: ObjectIndex): OomKill[] => {
  const kills: OomKill[] = [];
  for (const ev of clusterEvents(objects)) {
    let comm: string | null = null;
    let pid: number | null = null;
    const system = ev.reason === 'SystemOOM' ? SYSTEM_OOM.exec(ev.message) : null;
    const killed = ev.reason === 'OOMKilling' ? KILLED.exec(ev.message) : null;
    if (system) [comm, pid] = [system[1].trim(), Number(system[2])];
    else if (killed) [comm, pid] = [killed[2], Number(killed[1])];
    if (comm === null) continue;
    const node = ev.involved.kind === 'Node' ? ev.involved.name : ev.host;
    kills.push({
      node,
      pid,
      comm,
      podUid: null,
      containerId: null,
      memcg: ev.reason === 'OOMKilling',
      time: ev.lastAt ?? ev.firstAt,
      evidence: [objectEvidence(ev.object, describeEvent(ev), ev.lastAt ?? ev.firstAt)],
    });
  }
  return kills;
};

/** Kernel kills plus the event kills no kernel line already shows (same node and pid). */
export const mergeKills = (kernel: OomKill[], events: OomKill[]): OomKill[] => {
  const merged = [...kernel];
  for (const e of events) {
    const same = merged.find((k) => k.node === e.node && k.pid !== null && k.pid === e.pid);
    if (same) same.evidence.push(...e.evidence);
    else merged.push(e);
  }
  return merged;
};

/** The pod (and container, when known) a kernel OOM kill hit; `object` when the pod is in the bundle. */
export interface KillTarget {
  namespace: string;
  pod: string;
  container: string | null;
  object: K8sObject | null;
}

const targetOf = (pod: K8sObject, container: string | null): KillTarget => ({
  namespace: pod.namespace ?? '',
  pod: pod.name,
  container,
  object: pod,
});

/**
 * The pod a kernel kill hit: by the memcg's pod UID and container ID when the kernel printed them (against the pod
 * objects, else against kubelet.log, which names pods deleted since), else by process name = container name on the
 * same node (the kernel's comm is the container's main process).
 */
export const attributeKill = (
  objects: ObjectIndex,
  kill: OomKill,
  ooms: ContainerOom[],
  kubelet: { lookup(podUid: string | null, containerId: string | null): KubeletPodRef | null },
): KillTarget | null => {
  if (kill.podUid) {
    const pod = podsByUid(objects).get(kill.podUid);
    if (pod) {
      const statuses = containerStatuses(pod);
      const byId = statuses.find(
        (s) => kill.containerId !== null && [s.state, s.lastState].some((st) => String(st?.terminated?.containerID ?? '').endsWith(kill.containerId!)),
      );
      const status = byId ?? statuses.find((s) => s.name === kill.comm) ?? (statuses.length === 1 ? statuses[0] : undefined);
      return targetOf(pod, status?.name ?? null);
    }
  }
  const seen = kubelet.lookup(kill.podUid, kill.containerId);
  if (seen) {
    const pod = objects.get('Pod', seen.namespace, seen.pod);
    return pod ? targetOf(pod, seen.container) : { ...seen, object: null };
  }
  if (kill.node === null) return null;
  const recorded = ooms.filter((o) => o.container === kill.comm && o.node === kill.node);
  if (recorded.length === 1) return targetOf(recorded[0].pod, recorded[0].container);
  const running = objects
    .byKind('Pod')
    .filter((p) => podNode(p) === kill.node && containerStatuses(p).some((s) => s.name === kill.comm));
  return running.length === 1 ? targetOf(running[0], kill.comm) : null;
};

/** The log lines an OOM rule reads: kernel OOM kills and kubelet's references to pods and containers. */
export const OOM_LOG_LITERALS = [...KERNEL_OOM_LITERALS, ...KUBELET_POD_LITERALS];

/** What an OOM rule gathers while the archive streams, and at the end every kill with the pod it hit (when known). */
export function createOomLogSources() {
  const oom = createOomCollector();
  const kubelet = createKubeletPodCollector();
  return {
    event(e: LogEvent, member: MemberInfo): void {
      oom.event(e, member);
      kubelet.event(e, member);
    },
    kills: (objects: ObjectIndex, ooms: ContainerOom[]): { kill: OomKill; target: KillTarget | null }[] =>
      mergeKills(oom.kills(), eventOomKills(objects)).map((kill) => ({ kill, target: attributeKill(objects, kill, ooms, kubelet) })),
  };
}
