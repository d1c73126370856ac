import type { K8sObject, ObjectIndex } from '../../../k8s/types.js';
import { parseK8sTime } from '../../../k8s/k8s-time.js';

/** A Kubernetes Event read the same way from core `v1` and `events.k8s.io/v1` Lists. */
export interface ClusterEvent {
  reason: string;
  message: string;
  type: string | null;
  involved: { kind: string | null; namespace: string | null; name: string | null; uid: string | null };
  /** The node the reporting component runs on (`source.host`), when it says. */
  host: string | null;
  firstAt: number | null;
  lastAt: number | null;
  count: number;
  object: K8sObject;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

const readEvent = (object: K8sObject): ClusterEvent => {
  const raw = object.raw;
  const modern = typeof object.apiVersion === 'string' && object.apiVersion.startsWith('events.k8s.io/');
  const ref = (modern ? raw.regarding : raw.involvedObject) ?? {};
  const source = (modern ? raw.deprecatedSource : raw.source) ?? {};
  const first = parseK8sTime(modern ? raw.deprecatedFirstTimestamp : raw.firstTimestamp) ?? parseK8sTime(raw.eventTime);
  const last =
    parseK8sTime(modern ? raw.deprecatedLastTimestamp : raw.lastTimestamp) ??
    parseK8sTime(raw.series?.lastObservedTime) ??
    first;
  const count = Number(modern ? (raw.series?.count ?? raw.deprecatedCount) : raw.count);
  return {
    reason: str(raw.reason) ?? '',
    message: str(modern ? raw.note : raw.message) ?? '',
    type: str(raw.type),
    involved: { kind: str(ref.kind), namespace: str(ref.namespace), name: str(ref.name), uid: str(ref.uid) },
    host: str(source.host),
    firstAt: first,
    lastAt: last,
    count: Number.isFinite(count) && count > 0 ? count : 1,
    object,
  };
};

/**
 * Every Event of the bundle once: the same event is listed in both `v1/events.yaml` and `events.k8s.io/v1/events.yaml`,
 * so the core copy is kept and the other dropped.
 */
export const clusterEvents = (objects: ObjectIndex): ClusterEvent[] => {
  const events = objects.byKind('Event').map(readEvent);
  const key = (e: ClusterEvent): string =>
    [e.involved.kind, e.involved.namespace, e.involved.name, e.reason, e.message, e.firstAt].join('\u0000');
  const seen = new Map<string, ClusterEvent>();
  for (const e of events) {
    const k = key(e);
    const prior = seen.get(k);
    if (!prior || (prior.object.apiVersion !== 'v1' && e.object.apiVersion === 'v1')) seen.set(k, e);
  }
  return [...seen.values()];
};

/** `Event <reason> <kind> <ns>/<name>: <message>` for evidence. */
export const describeEvent = (e: ClusterEvent): string =>
  `Event ${e.reason} ${e.involved.kind ?? ''} ${e.involved.namespace ? `${e.involved.namespace}/` : ''}${e.involved.name ?? ''}: ${e.message}`
    .replace(/\s+/g, ' ')
    .trim();
