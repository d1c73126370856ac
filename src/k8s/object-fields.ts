import type { K8sObject } from './types.js';

/** Reads a nested field without throwing: `field(o.raw, 'status', 'nodeInfo', 'kubeletVersion')`. */
export function field(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** A non-empty string field, else null. */
export function stringField(value: unknown, ...path: (string | number)[]): string | null {
  const v = field(value, ...path);
  return typeof v === 'string' && v !== '' ? v : null;
}

export function labelsOf(o: K8sObject): Record<string, string> {
  return stringMap(field(o.raw, 'metadata', 'labels'));
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    // Label values are strings in the API; a YAML-typed `true` is the same label.
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

/** `Kind namespace/name` (or `Kind name` when cluster-scoped), the way evidence names an object. */
export function describeObject(o: Pick<K8sObject, 'kind' | 'namespace' | 'name'>): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}
