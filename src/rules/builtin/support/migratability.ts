import type { K8sObject, ObjectIndex } from '../../../k8s/types.js';

/** What in a VM(I) spec keeps it from live-migrating (upgrade-mechanics §9.2), as short reasons for messages. */
export interface NodeLabels {
  name: string;
  labels: Record<string, string>;
  schedulable: boolean;
}

type Requirement = { key?: string; operator?: string; values?: unknown[] };

const matches = (req: Requirement, value: string | undefined): boolean => {
  const values = Array.isArray(req.values) ? req.values.map(String) : [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
};

const termMatches = (term: any, node: NodeLabels): boolean => {
  const expressions: Requirement[] = Array.isArray(term?.matchExpressions) ? term.matchExpressions : [];
  const fields: Requirement[] = Array.isArray(term?.matchFields) ? term.matchFields : [];
  if (expressions.length === 0 && fields.length === 0) return false;
  return (
    expressions.every((r) => matches(r, r.key ? node.labels[r.key] : undefined)) &&
    fields.every((r) => matches(r, r.key === 'metadata.name' ? node.name : undefined))
  );
};

/** The hostname a required affinity pins to, when it names exactly one (readable without Node objects). */
const pinnedHostname = (terms: any[]): string | null => {
  if (terms.length !== 1) return null;
  const req = (terms[0]?.matchExpressions ?? []).find(
    (r: Requirement) => r.key === 'kubernetes.io/hostname' && r.operator === 'In' && Array.isArray(r.values) && r.values.length === 1,
  );
  return req ? String(req.values[0]) : null;
};

/**
 * Reasons a VMI spec (`spec` of a VMI, `spec.template.spec` of a VM) cannot live-migrate: node selector, host devices,
 * vGPU, a required node affinity no other schedulable node satisfies, CD-ROM or containerDisk.
 */
export const nonMigratableReasons = (spec: any, nodes: NodeLabels[], currentNode: string | null): string[] => {
  if (!spec || typeof spec !== 'object') return [];
  const reasons: string[] = [];
  const selector = spec.nodeSelector;
  if (selector && typeof selector === 'object' && Object.keys(selector).length > 0)
    reasons.push(`node selector ${Object.entries(selector).map(([k, v]) => `${k}=${v}`).sort().join(',')}`);
  const devices = spec.domain?.devices ?? {};
  if (Array.isArray(devices.hostDevices) && devices.hostDevices.length > 0)
    reasons.push(`host devices (PCI/USB passthrough) ${devices.hostDevices.map((d: any) => d?.deviceName ?? d?.name).filter(Boolean).join(',')}`.trim());
  if (Array.isArray(devices.gpus) && devices.gpus.length > 0)
    reasons.push(`vGPU ${devices.gpus.map((d: any) => d?.deviceName ?? d?.name).filter(Boolean).join(',')}`.trim());
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (Array.isArray(terms) && terms.length > 0) {
    if (nodes.length === 0) {
      const host = pinnedHostname(terms);
      if (host) reasons.push(`required node affinity to ${host}`);
    } else {
      const targets = nodes.filter((n) => n.schedulable && n.name !== currentNode && terms.some((t) => termMatches(t, n)));
      if (targets.length === 0 || (currentNode === null && targets.length === 1))
        reasons.push('required node affinity no other schedulable node satisfies');
    }
  }
  const disks = Array.isArray(devices.disks) ? devices.disks : [];
  const cdroms = disks.filter((d: any) => d && typeof d === 'object' && d.cdrom !== undefined).map((d: any) => d.name);
  if (cdroms.length > 0) reasons.push(`CD-ROM ${cdroms.join(',')}`);
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  const containerDisks = volumes.filter((v: any) => v?.containerDisk !== undefined).map((v: any) => v.name);
  if (containerDisks.length > 0) reasons.push(`containerDisk ${containerDisks.join(',')}`);
  return reasons;
};

export const nodeLabels = (nodes: readonly K8sObject[]): NodeLabels[] =>
  nodes.map((n) => ({
    name: n.name,
    labels: (n.raw?.metadata?.labels ?? {}) as Record<string, string>,
    schedulable: n.raw?.spec?.unschedulable !== true,
  }));

/**
 * The node a VM's passthrough devices live on: Harvester names a PCI/USB device `<node>-<address>` and its
 * PCIDevice/USBDevice object states `status.nodeName`. Null when the devices are on no single known node.
 */
export const hostDeviceNode = (spec: any, objects: ObjectIndex, nodeNames: readonly string[]): string | null => {
  const devices: any[] = Array.isArray(spec?.domain?.devices?.hostDevices) ? spec.domain.devices.hostDevices : [];
  const nodes = new Set<string>();
  for (const d of devices) {
    const name = typeof d?.name === 'string' ? d.name : '';
    const object = objects.get('PCIDevice', null, name) ?? objects.get('USBDevice', null, name);
    const declared = object?.raw?.status?.nodeName;
    const byPrefix = [...nodeNames].filter((n) => name.startsWith(`${n}-`)).sort((a, b) => b.length - a.length)[0];
    const node = typeof declared === 'string' && declared !== '' ? declared : byPrefix;
    if (node) nodes.add(node);
  }
  return nodes.size === 1 ? [...nodes][0] : null;
};
