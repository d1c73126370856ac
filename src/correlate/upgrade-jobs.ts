import { parseK8sTime } from '../k8s/k8s-time.js';
import { describeObject, field, labelsOf } from '../k8s/object-fields.js';
import type { K8sObject, ObjectIndex } from '../k8s/types.js';
import { compareText } from '../util/compare.js';
import { toIso } from '../util/time.js';
import type { Stamp } from './types.js';

/** Job types of the node phase (upgrade-mechanics §3), as in the `harvesterhci.io/upgradeJobType` label. */
export type NodeJobType = 'pre-drain' | 'post-drain' | 'single-node-upgrade';

/** A time field of an object as a Stamp citing the object: `Job harvester-system/x startTime 2025-...`. */
export function objectStamp(o: K8sObject, path: string[], label = path[path.length - 1]): Stamp | null {
  const time = parseK8sTime(field(o.raw, ...path));
  if (time === null) return null;
  return { time, source: { file: o.file, line: o.line, time, text: `${describeObject(o)} ${label} ${toIso(time)}` } };
}

const created = (o: K8sObject): number => parseK8sTime(field(o.raw, 'metadata', 'creationTimestamp')) ?? -Infinity;

/** The most recently created of several candidates (a re-created Job reflects the current state). */
function newest(candidates: K8sObject[]): K8sObject | null {
  return [...candidates].sort((a, b) => created(b) - created(a) || compareText(a.name, b.name))[0] ?? null;
}

/**
 * The `<upgrade>-<type>-<node>` Job. Matched by its labels first (`harvesterhci.io/upgradeJobType`,
 * `harvesterhci.io/node`), because SafeConcatName hashes and cuts long names; by name when the labels are missing.
 */
export function nodeJob(index: ObjectIndex, upgrade: K8sObject, type: NodeJobType, node: string): K8sObject | null {
  const jobs = index.byKind('Job');
  const labelled = jobs.filter((j) => {
    const labels = labelsOf(j);
    return (
      labels['harvesterhci.io/upgradeJobType'] === type &&
      labels['harvesterhci.io/node'] === node &&
      (labels['harvesterhci.io/upgrade'] ?? upgrade.name) === upgrade.name
    );
  });
  if (labelled.length > 0) return newest(labelled);
  return index.get('Job', upgrade.namespace, `${upgrade.name}-${type}-${node}`) ?? null;
}

/** The SUC Job `apply-<upgrade>-prepare-on-<node>-with-<hash>` that preloaded the node's images. */
export function prepareJob(index: ObjectIndex, upgrade: K8sObject, node: string): K8sObject | null {
  const plan = `${upgrade.name}-prepare`;
  const prefix = `apply-${plan}-on-${node}-with-`;
  const matches = index.byKind('Job').filter((j) => {
    const labels = labelsOf(j);
    if (labels['upgrade.cattle.io/plan'] !== undefined) return labels['upgrade.cattle.io/plan'] === plan && labels['upgrade.cattle.io/node'] === node;
    return j.name.startsWith(prefix);
  });
  return newest(matches);
}
