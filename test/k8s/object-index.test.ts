import { describe, expect, it } from 'vitest';
import { createObjectIndex } from '../../src/k8s/object-index.js';
import type { K8sObject } from '../../src/k8s/types.js';

const object = (kind: string, namespace: string | null, name: string, file: string, line = 3): K8sObject => ({
  apiVersion: 'v1',
  kind,
  namespace,
  name,
  raw: { kind, metadata: { name } },
  file,
  line,
});

const V1_EVENTS = 'yamls/namespaced/default/v1/events.yaml';
const GROUP_EVENTS = 'yamls/namespaced/default/events.k8s.io/v1/events.yaml';

describe('createObjectIndex', () => {
  const objects = [
    object('Pod', 'longhorn-system', 'longhorn-manager-xkf8c', 'yamls/namespaced/longhorn-system/v1/pods.yaml', 40),
    object('Event', 'default', 'n1.17e0a', V1_EVENTS, 3),
    object('Node', null, 'n2', 'yamls/cluster/v1/nodes.yaml', 90),
    object('Pod', 'harvester-system', 'virt-handler-k49lw', 'yamls/namespaced/harvester-system/v1/pods.yaml', 3),
    object('Event', 'default', 'n1.17e0a', GROUP_EVENTS, 3),
    object('Node', null, 'n1', 'yamls/cluster/v1/nodes.yaml', 3),
  ];

  it('keeps a total order whatever the input order', () => {
    const index = createObjectIndex(objects);
    const order = (o: K8sObject) => `${o.kind} ${o.namespace ?? '-'} ${o.name} ${o.file}`;
    expect(index.all().map(order)).toEqual([
      `Event default n1.17e0a ${GROUP_EVENTS}`,
      `Event default n1.17e0a ${V1_EVENTS}`,
      'Node - n1 yamls/cluster/v1/nodes.yaml',
      'Node - n2 yamls/cluster/v1/nodes.yaml',
      'Pod harvester-system virt-handler-k49lw yamls/namespaced/harvester-system/v1/pods.yaml',
      'Pod longhorn-system longhorn-manager-xkf8c yamls/namespaced/longhorn-system/v1/pods.yaml',
    ]);
    expect(createObjectIndex([...objects].reverse()).all()).toEqual(index.all());
  });

  it('keeps an event listed by two API groups twice, and gets the first', () => {
    const index = createObjectIndex(objects);
    expect(index.byKind('Event')).toHaveLength(2);
    expect(index.get('Event', 'default', 'n1.17e0a')?.file).toBe(GROUP_EVENTS);
  });

  it('finds by kind, namespace and name, and nothing else', () => {
    const index = createObjectIndex(objects);
    expect(index.byKind('Node').map((o) => o.name)).toEqual(['n1', 'n2']);
    expect(index.get('Node', null, 'n2')?.line).toBe(90);
    expect(index.get('Node', 'default', 'n2')).toBeUndefined();
    expect(index.get('Pod', 'harvester-system', 'longhorn-manager-xkf8c')).toBeUndefined();
    expect(index.byKind('Upgrade')).toEqual([]);
  });
});
