import type { K8sObject, ObjectIndex } from '../../../k8s/types.js';

const LAUNCHER_PREFIX = 'virt-launcher-';

/**
 * The VM behind a virt-launcher pod. KubeVirt names the pod `virt-launcher-<vmi>-<5 random>` (generateName); the pod
 * object, when collected, states the VMI in annotation `kubevirt.io/domain`, which wins because generateName truncates
 * long names.
 */
export const vmFromLauncherPod = (pod: string, podObject?: K8sObject): string | null => {
  const declared =
    podObject?.raw?.metadata?.annotations?.['kubevirt.io/domain'] ??
    podObject?.raw?.metadata?.labels?.['vm.kubevirt.io/name'] ??
    podObject?.raw?.metadata?.labels?.['harvesterhci.io/vmName'];
  if (typeof declared === 'string' && declared !== '') return declared;
  if (!pod.startsWith(LAUNCHER_PREFIX)) return null;
  const rest = pod.slice(LAUNCHER_PREFIX.length);
  const cut = rest.lastIndexOf('-');
  return cut > 0 ? rest.slice(0, cut) : null;
};

export const isLauncherPod = (pod: string | null): pod is string => !!pod && pod.startsWith(LAUNCHER_PREFIX);

export const podObject = (objects: ObjectIndex, namespace: string | null, name: string): K8sObject | undefined =>
  objects.get('Pod', namespace, name);

/** The node a pod is (or was) scheduled on. */
export const podNode = (pod: K8sObject | undefined): string | null => {
  const node = pod?.raw?.spec?.nodeName;
  return typeof node === 'string' && node !== '' ? node : null;
};

/** Pods by metadata.uid, to name the pod a kernel memcg path (`.../pod<uid>/...`) points at. */
export const podsByUid = (objects: ObjectIndex): Map<string, K8sObject> => {
  const map = new Map<string, K8sObject>();
  for (const pod of objects.byKind('Pod')) {
    const uid = pod.raw?.metadata?.uid;
    if (typeof uid === 'string' && uid !== '') map.set(uid.replace(/_/g, '-'), pod);
  }
  return map;
};

export interface ContainerStatus {
  name: string;
  restartCount: number;
  state: Record<string, any> | null;
  lastState: Record<string, any> | null;
}

export const containerStatuses = (pod: K8sObject): ContainerStatus[] => {
  const list = pod.raw?.status?.containerStatuses;
  if (!Array.isArray(list)) return [];
  return list
    .filter((s: any) => s && typeof s.name === 'string')
    .map((s: any) => ({
      name: s.name,
      restartCount: Number.isFinite(Number(s.restartCount)) ? Number(s.restartCount) : 0,
      state: s.state ?? null,
      lastState: s.lastState ?? null,
    }));
};

/** `resources.limits.memory` of a container in the pod spec, as written (`2500Mi`). */
export const containerMemoryLimit = (pod: K8sObject | undefined, container: string): string | null => {
  const containers = pod?.raw?.spec?.containers;
  if (!Array.isArray(containers)) return null;
  const spec = containers.find((c: any) => c?.name === container);
  const limit = spec?.resources?.limits?.memory;
  return typeof limit === 'string' || typeof limit === 'number' ? String(limit) : null;
};
