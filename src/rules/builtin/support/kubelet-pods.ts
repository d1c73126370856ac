import type { MemberInfo } from '../../../bundle/types.js';
import type { LogEvent } from '../../../formats/types.js';
import { fieldOf } from './event-fields.js';

/** kubelet lines that name a pod together with its UID and a container ID: PLEG `ContainerDied`, container kills. */
export const KUBELET_POD_LITERALS = ['ContainerDied', 'Killing container with a grace period'];

export interface KubeletPodRef {
  namespace: string;
  pod: string;
  container: string | null;
}

const PLEG_DIED = /"ID":"([0-9a-f-]{36})","Type":"ContainerDied","Data":"([0-9a-f]{64})"/;

/**
 * Pods as kubelet.log names them, by UID and by container ID, so a kernel OOM kill can be named even when its pod
 * was deleted before the bundle was collected.
 */
export const createKubeletPodCollector = () => {
  const byUid = new Map<string, KubeletPodRef>();
  const byContainer = new Map<string, KubeletPodRef>();
  const event = (e: LogEvent, member: MemberInfo): void => {
    if (member.component !== 'kubelet' && !member.path.endsWith('kubelet.log')) return;
    const ref = fieldOf(e, 'pod');
    const slash = ref?.indexOf('/') ?? -1;
    if (!ref || slash <= 0) return;
    const [namespace, pod] = [ref.slice(0, slash), ref.slice(slash + 1)];
    const died = PLEG_DIED.exec(e.raw);
    const uid = died?.[1] ?? fieldOf(e, 'podUID');
    const containerId = died?.[2] ?? fieldOf(e, 'containerID')?.replace(/^\w+:\/\//, '') ?? null;
    const container = fieldOf(e, 'containerName');
    if (uid && !byUid.has(uid)) byUid.set(uid, { namespace, pod, container: null });
    if (containerId) byContainer.set(containerId, { namespace, pod, container: container ?? byContainer.get(containerId)?.container ?? null });
  };
  const lookup = (podUid: string | null, containerId: string | null): KubeletPodRef | null => {
    const viaContainer = containerId ? byContainer.get(containerId) : undefined;
    if (viaContainer) return viaContainer;
    return podUid ? (byUid.get(podUid) ?? null) : null;
  };
  return { event, lookup };
};
