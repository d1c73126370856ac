import type { KeyEvent, KeyEventKind } from '../correlate/types.js';
import type { EvidenceRef } from '../rules/types.js';
import { compareText } from '../util/compare.js';
import { toIso } from '../util/time.js';
import { parseK8sTime } from './k8s-time.js';
import { describeObject, field, labelsOf, stringField } from './object-fields.js';
import type { K8sObject, ObjectIndex } from './types.js';

export type ObjectTimeKind =
  | 'created' // metadata.creationTimestamp
  | 'condition' // a condition's lastTransitionTime / lastUpdateTime
  | 'container-started' // state/lastState running|terminated startedAt
  | 'container-terminated' // state/lastState terminated finishedAt (reason OOMKilled, Error, Completed, ...)
  | 'event' // an Event: first occurrence (lastTime: the latest)
  | 'job-started' // Job status.startTime
  | 'job-completed'; // Job status.completionTime

/** A time an object carries: a timeline candidate and something rules can test. */
export interface ObjectTime {
  time: number;
  /** Latest occurrence of a repeated Event; null otherwise. */
  lastTime: number | null;
  kind: ObjectTimeKind;
  node: string | null;
  /** What the time is about, `Kind namespace/name`: the object itself, or an Event's involved object. */
  subject: string;
  /** The field it was read from: `status.conditions[Ready].lastTransitionTime`, `lastState.terminated.finishedAt`, ... */
  field: string;
  /** Condition type, container name or Event reason. */
  name: string | null;
  /** Condition status (`True`), container state (`terminated`), Event type (`Warning`). */
  status: string | null;
  reason: string | null;
  message: string | null;
  /** Event count; container exit code is in `exitCode`. */
  count: number | null;
  exitCode: number | null;
  evidence: EvidenceRef;
}

const MAX_TEXT = 300;
const clip = (s: string): string => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The node an object runs on or is about, when the object says so. */
export function nodeOfObject(o: K8sObject): string | null {
  switch (o.kind) {
    case 'Node':
      return o.name;
    case 'Pod':
      return stringField(o.raw, 'spec', 'nodeName');
    case 'VirtualMachineInstance':
      return stringField(o.raw, 'status', 'nodeName');
    case 'Job': {
      const labels = labelsOf(o);
      return labels['harvesterhci.io/node'] ?? labels['upgrade.cattle.io/node'] ?? null;
    }
    case 'Event': {
      const involved = field(o.raw, 'involvedObject') ?? field(o.raw, 'regarding');
      if (stringField(involved, 'kind') === 'Node') return stringField(involved, 'name');
      return stringField(o.raw, 'source', 'host') ?? stringField(o.raw, 'deprecatedSource', 'host');
    }
    default:
      return null;
  }
}

function make(
  o: K8sObject,
  kind: ObjectTimeKind,
  time: number,
  fieldName: string,
  details: Partial<Omit<ObjectTime, 'time' | 'kind' | 'field' | 'evidence'>> & { text: string },
): ObjectTime {
  const { text, ...rest } = details;
  return {
    time,
    lastTime: null,
    kind,
    node: nodeOfObject(o),
    subject: describeObject(o),
    field: fieldName,
    name: null,
    status: null,
    reason: null,
    message: null,
    count: null,
    exitCode: null,
    ...rest,
    evidence: { file: o.file, line: o.line, time, text: clip(text) },
  };
}

function conditionTimes(o: K8sObject, out: ObjectTime[]): void {
  const conditions = field(o.raw, 'status', 'conditions');
  if (!Array.isArray(conditions)) return;
  for (const c of conditions) {
    const type = stringField(c, 'type');
    if (!type) continue;
    const status = stringField(c, 'status');
    const reason = stringField(c, 'reason');
    const message = stringField(c, 'message');
    const seen = new Set<number>();
    for (const key of ['lastTransitionTime', 'lastUpdateTime'] as const) {
      const time = parseK8sTime(field(c, key));
      if (time === null || seen.has(time)) continue;
      seen.add(time);
      const text = `${describeObject(o)} condition ${type}=${status ?? '?'}${reason ? ` (${reason})` : ''} ${key} ${toIso(time)}`;
      out.push(make(o, 'condition', time, `status.conditions[${type}].${key}`, { name: type, status, reason, message, text }));
    }
  }
}

function containerTimes(o: K8sObject, out: ObjectTime[]): void {
  for (const listName of ['initContainerStatuses', 'containerStatuses'] as const) {
    const statuses = field(o.raw, 'status', listName);
    if (!Array.isArray(statuses)) continue;
    for (const s of statuses) {
      const container = stringField(s, 'name');
      if (!container) continue;
      for (const which of ['lastState', 'state'] as const) {
        for (const phase of ['running', 'terminated'] as const) {
          const state = field(s, which, phase);
          if (state === undefined) continue;
          const reason = stringField(state, 'reason');
          const exitCode = num(field(state, 'exitCode'));
          const message = stringField(state, 'message');
          const base = `${describeObject(o)} container ${container} ${which}.${phase}${reason ? ` ${reason}` : ''}${exitCode !== null ? ` (exit ${exitCode})` : ''}`;
          const started = parseK8sTime(field(state, 'startedAt'));
          if (started !== null) {
            out.push(make(o, 'container-started', started, `${which}.${phase}.startedAt`, {
              name: container, status: phase, reason, exitCode, message, text: `${base} startedAt ${toIso(started)}`,
            }));
          }
          const finished = parseK8sTime(field(state, 'finishedAt'));
          if (finished !== null) {
            out.push(make(o, 'container-terminated', finished, `${which}.${phase}.finishedAt`, {
              name: container, status: phase, reason, exitCode, message, text: `${base} finishedAt ${toIso(finished)}`,
            }));
          }
        }
      }
    }
  }
}

function eventTime(o: K8sObject): ObjectTime | null {
  const raw = o.raw;
  const first =
    parseK8sTime(raw.firstTimestamp) ?? parseK8sTime(raw.deprecatedFirstTimestamp) ?? parseK8sTime(raw.eventTime) ??
    parseK8sTime(field(raw, 'metadata', 'creationTimestamp'));
  const last =
    parseK8sTime(raw.lastTimestamp) ?? parseK8sTime(field(raw, 'series', 'lastObservedTime')) ??
    parseK8sTime(raw.deprecatedLastTimestamp);
  const time = first ?? last;
  if (time === null) return null;
  const involved = field(raw, 'involvedObject') ?? field(raw, 'regarding');
  const involvedKind = stringField(involved, 'kind');
  const involvedName = stringField(involved, 'name');
  const subject = involvedKind && involvedName
    ? describeObject({ kind: involvedKind, namespace: stringField(involved, 'namespace'), name: involvedName })
    : describeObject(o);
  const reason = stringField(raw, 'reason');
  const type = stringField(raw, 'type');
  const message = stringField(raw, 'message') ?? stringField(raw, 'note');
  const count = num(raw.count) ?? num(field(raw, 'series', 'count')) ?? num(raw.deprecatedCount);
  const lastTime = last !== null && last > time ? last : null;
  const text =
    `Event ${o.namespace ? `${o.namespace}/` : ''}${o.name} ${type ?? ''} ${reason ?? ''}`.replace(/ +/g, ' ') +
    `${count !== null && count > 1 ? ` x${count}` : ''} on ${subject}: ${message ?? ''} at ${toIso(time)}` +
    `${lastTime !== null ? ` (last ${toIso(lastTime)})` : ''}`;
  return {
    ...make(o, 'event', time, 'event', { name: reason, status: type, reason, message, count, text }),
    lastTime,
    subject,
  };
}

/** Every time one object carries. */
export function objectTimes(o: K8sObject): ObjectTime[] {
  if (o.kind === 'Event') {
    const event = eventTime(o);
    return event ? [event] : [];
  }
  const out: ObjectTime[] = [];
  const created = parseK8sTime(field(o.raw, 'metadata', 'creationTimestamp'));
  if (created !== null) out.push(make(o, 'created', created, 'metadata.creationTimestamp', { text: `${describeObject(o)} created ${toIso(created)}` }));
  conditionTimes(o, out);
  containerTimes(o, out);
  if (o.kind === 'Job') {
    const started = parseK8sTime(field(o.raw, 'status', 'startTime'));
    if (started !== null) out.push(make(o, 'job-started', started, 'status.startTime', { text: `${describeObject(o)} startTime ${toIso(started)}` }));
    const completed = parseK8sTime(field(o.raw, 'status', 'completionTime'));
    if (completed !== null) out.push(make(o, 'job-completed', completed, 'status.completionTime', { text: `${describeObject(o)} completionTime ${toIso(completed)}` }));
  }
  return out;
}

export function compareObjectTimes(a: ObjectTime, b: ObjectTime): number {
  return (
    a.time - b.time ||
    compareText(a.node ?? '', b.node ?? '') ||
    compareText(a.subject, b.subject) ||
    compareText(a.kind, b.kind) ||
    compareText(a.field, b.field) ||
    compareText(a.name ?? '', b.name ?? '') ||
    compareText(a.evidence.file, b.evidence.file) ||
    (a.evidence.line ?? 0) - (b.evidence.line ?? 0)
  );
}

/**
 * The times of every object in the index, in time order. An Event listed by both `v1` and `events.k8s.io/v1` is
 * counted once (the first in the index order wins).
 */
export function collectObjectTimes(index: ObjectIndex): ObjectTime[] {
  const out: ObjectTime[] = [];
  const seenEvents = new Set<string>();
  for (const o of index.all()) {
    if (o.kind === 'Event') {
      const key = `${o.namespace ?? ''}/${o.name}`;
      if (seenEvents.has(key)) continue;
      seenEvents.add(key);
    }
    out.push(...objectTimes(o));
  }
  return out.sort(compareObjectTimes);
}

/** An object time as a key event, for consumers that work on key events (timeline, clock-skew pairs). */
export function objectTimeKeyEvent(t: ObjectTime): KeyEvent {
  let kind: KeyEventKind = 'other';
  if (t.kind === 'job-started') kind = 'job-start';
  else if (t.kind === 'job-completed') kind = 'job-complete';
  else if (t.kind === 'condition' && t.subject.startsWith('Job ') && t.name === 'Failed' && t.status === 'True') kind = 'job-failed';
  else if (t.kind === 'condition' && t.subject.startsWith('Upgrade ')) kind = 'upgrade-phase';
  return { time: t.time, node: t.node, kind, summary: t.evidence.text, evidence: t.evidence };
}
