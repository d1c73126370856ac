/** A Kubernetes object read from a support bundle's yamls/ List, with `"null"` strings removed. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
  /** The item with support-bundle quirks undone (`"null"` → absent). */
  raw: Record<string, any>;
  /** Member path and 1-based line of the item's first line. */
  file: string;
  line: number;
}

export interface ObjectIndex {
  all(): readonly K8sObject[];
  /** Objects of a kind (`Node`, `Pod`, `Upgrade`, ...), in a total order (namespace, name, file, line). */
  byKind(kind: string): readonly K8sObject[];
  get(kind: string, namespace: string | null, name: string): K8sObject | undefined;
}

/** What the bundle says about itself. Unknown values are null, never guessed. */
export interface BundleFacts {
  name: string | null; // metadata.yaml bundlename
  clusterId: string | null; // projectnamespaceuuid
  createdAt: number | null; // bundlecreatedat, epoch ms
  kubernetesVersion: string | null;
  harvesterVersion: string | null; // setting server-version, else the most common node harvester-release.yaml
  issueDescription: string | null;
  nodes: string[]; // sorted; from nodes.yaml and nodes/<n>.zip
  /** Per node, from configs/etc/harvester-release.yaml. */
  nodeReleases: Record<string, string>;
}
