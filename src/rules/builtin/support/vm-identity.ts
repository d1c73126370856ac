import type { K8sObject, ObjectIndex } from '../../../k8s/types.js';
import { podObject, vmFromLauncherPod } from './pods.js';

/** What a line or an object says about which VM it concerns; resolved against the objects once they are known. */
export interface VmHint {
  namespace: string | null;
  /** VMI (= VM) name when the line states it. */
  name: string | null;
  /** The virt-launcher pod, when the line comes from or names one. */
  launcherPod: string | null;
}

const VM_KINDS = ['VirtualMachineInstance', 'VirtualMachine'];

/** A namespace for a bare VM name, when exactly one VMI or VM of that name exists. */
const namespaceOf = (objects: ObjectIndex, name: string): string | null => {
  const namespaces = new Set<string>();
  for (const kind of VM_KINDS)
    for (const o of objects.byKind(kind)) if (o.name === name && o.namespace) namespaces.add(o.namespace);
  return namespaces.size === 1 ? [...namespaces][0] : null;
};

/** `<ns>/<vm>` for a hint, or null when it cannot be told. */
export const resolveVm = (objects: ObjectIndex, hint: VmHint): { namespace: string; name: string } | null => {
  let name = hint.name;
  let namespace = hint.namespace;
  if (hint.launcherPod) {
    const pod: K8sObject | undefined = podObject(objects, namespace, hint.launcherPod);
    name ??= vmFromLauncherPod(hint.launcherPod, pod);
  }
  if (!name) return null;
  namespace ??= namespaceOf(objects, name);
  return namespace ? { namespace, name } : null;
};

/** Where a VMI runs at collection time (`status.nodeName`). */
export const vmiNode = (objects: ObjectIndex, namespace: string, name: string): string | null => {
  const node = objects.get('VirtualMachineInstance', namespace, name)?.raw?.status?.nodeName;
  return typeof node === 'string' && node !== '' ? node : null;
};
