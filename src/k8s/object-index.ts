import { compareText } from '../util/compare.js';
import type { K8sObject, ObjectIndex } from './types.js';

/** Total order: kind, namespace (cluster-scoped first), name, file, line. */
export function compareObjects(a: K8sObject, b: K8sObject): number {
  return (
    compareText(a.kind, b.kind) ||
    compareText(a.namespace ?? '', b.namespace ?? '') ||
    compareText(a.name, b.name) ||
    compareText(a.file, b.file) ||
    a.line - b.line
  );
}

const keyOf = (kind: string, namespace: string | null, name: string): string => `${kind}\u0000${namespace ?? ''}\u0000${name}`;

/**
 * Indexes objects by kind and by kind/namespace/name. The same object listed by two API groups (events in `v1` and
 * `events.k8s.io/v1`) stays twice in `all()` and `byKind()`; `get` returns the first in the total order.
 */
export function createObjectIndex(objects: K8sObject[]): ObjectIndex {
  const sorted = Object.freeze([...objects].sort(compareObjects));
  const byKind = new Map<string, K8sObject[]>();
  const byKey = new Map<string, K8sObject>();
  for (const o of sorted) {
    const list = byKind.get(o.kind);
    if (list) list.push(o);
    else byKind.set(o.kind, [o]);
    const key = keyOf(o.kind, o.namespace, o.name);
    if (!byKey.has(key)) byKey.set(key, o);
  }
  for (const list of byKind.values()) Object.freeze(list);
  const none: readonly K8sObject[] = Object.freeze([]);
  return {
    all: () => sorted,
    byKind: (kind) => byKind.get(kind) ?? none,
    get: (kind, namespace, name) => byKey.get(keyOf(kind, namespace, name)),
  };
}
