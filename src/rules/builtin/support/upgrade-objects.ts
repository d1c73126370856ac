import type { UpgradeStory } from '../../../correlate/types.js';
import type { K8sObject, ObjectIndex } from '../../../k8s/types.js';
import { parse as parseYaml } from 'yaml';

/** The Upgrade object the story was built from. */
export const upgradeObject = (objects: ObjectIndex, story: UpgradeStory | null): K8sObject | undefined =>
  story ? objects.byKind('Upgrade').find((o) => o.name === story.name) : undefined;

/** `status.singleNode`: set when the cluster has one node; then no pre-/post-drain jobs exist by design. */
export const isSingleNodeUpgrade = (upgrade: K8sObject | undefined): boolean => {
  const single = upgrade?.raw?.status?.singleNode;
  return typeof single === 'string' && single !== '';
};

/** `release.kubernetes` from the Upgrade's `status.repoInfo` YAML string (the RKE2 version the upgrade installs). */
export const targetKubernetesVersion = (upgrade: K8sObject | undefined): string | null => {
  const repoInfo = upgrade?.raw?.status?.repoInfo;
  if (typeof repoInfo !== 'string') return null;
  try {
    const parsed = parseYaml(repoInfo) as { release?: { kubernetes?: unknown } } | null;
    const version = parsed?.release?.kubernetes;
    return typeof version === 'string' ? version : null;
  } catch {
    return null;
  }
};

/** True when the bundle carries any `yamls/` member: without them no Upgrade, Job or Node object can be known. */
export const hasYamls = (members: readonly { path: string }[]): boolean => members.some((m) => m.path.startsWith('yamls/'));

/** The Rancher machine-plan Secret of a node (node annotation `cluster.x-k8s.io/machine` → secret label `rke.cattle.io/machine-name`). */
export const planSecretOf = (objects: ObjectIndex, node: string): K8sObject | undefined => {
  const machine = objects.get('Node', null, node)?.raw?.metadata?.annotations?.['cluster.x-k8s.io/machine'];
  if (typeof machine !== 'string') return undefined;
  return objects
    .byKind('Secret')
    .find(
      (s) =>
        s.raw?.type === 'rke.cattle.io/machine-plan' && s.raw?.metadata?.labels?.['rke.cattle.io/machine-name'] === machine,
    );
};
