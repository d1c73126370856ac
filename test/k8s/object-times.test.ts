import { describe, expect, it } from 'vitest';
import { collectObjectTimes, objectTimeKeyEvent, objectTimes } from '../../src/k8s/object-times.js';
import { UPGRADE, JOBS_FILE, indexOf, list, nodeJobItem } from './upgrade-objects.js';

const PODS_FILE = 'yamls/namespaced/cattle-monitoring-system/v1/pods.yaml';
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

// upgrade-mechanics.md §14 pod status shape, in the support-bundle List layout.
const PROMETHEUS_POD = list([`apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: "2025-06-01T10:05:00Z"
  name: prometheus-rancher-monitoring-prometheus-0
  namespace: cattle-monitoring-system
spec:
  nodeName: n2
status:
  conditions:
  - lastProbeTime: "null"
    lastTransitionTime: "2025-07-03T01:02:00Z"
    status: "False"
    type: Ready
  containerStatuses:
  - lastState:
      terminated:
        exitCode: 137
        finishedAt: "2025-07-03T00:58:12Z"
        reason: OOMKilled
        startedAt: "2025-07-03T00:41:40Z"
    name: prometheus
    ready: false
    restartCount: 155
    started: false
    state:
      waiting:
        message: back-off 5m0s restarting failed container=prometheus
        reason: CrashLoopBackOff`]);

const V1_EVENTS = list([`apiVersion: v1
count: 3
eventTime: "null"
firstTimestamp: "2025-07-03T00:58:12Z"
involvedObject:
  kind: Node
  name: n2
  uid: n2
kind: Event
lastTimestamp: "2025-07-03T01:10:02Z"
message: 'System OOM encountered, victim process: prometheus, pid: 40213'
metadata:
  creationTimestamp: "2025-07-03T00:58:12Z"
  name: n2.184f2a1c3b5d7e90
  namespace: default
reason: SystemOOM
reportingComponent: "null"
reportingInstance: "null"
source:
  component: kubelet
  host: n2
type: Warning`]);

const GROUP_EVENTS = list([`apiVersion: events.k8s.io/v1
deprecatedCount: 3
deprecatedFirstTimestamp: "2025-07-03T00:58:12Z"
deprecatedLastTimestamp: "2025-07-03T01:10:02Z"
deprecatedSource:
  component: kubelet
  host: n2
eventTime: "null"
kind: Event
metadata:
  creationTimestamp: "2025-07-03T00:58:12Z"
  name: n2.184f2a1c3b5d7e90
  namespace: default
note: 'System OOM encountered, victim process: prometheus, pid: 40213'
reason: SystemOOM
regarding:
  kind: Node
  name: n2
  uid: n2
reportingController: kubelet
reportingInstance: n2
type: Warning`]);

describe('objectTimes', () => {
  it('reads an OOMKilled container and a condition from a Pod', () => {
    const index = indexOf({ [PODS_FILE]: PROMETHEUS_POD });
    const times = objectTimes(index.byKind('Pod')[0]);
    expect(times.map((t) => [t.kind, iso(t.time), t.node, t.field, t.name, t.reason, t.exitCode])).toEqual([
      ['created', '2025-06-01T10:05:00.000Z', 'n2', 'metadata.creationTimestamp', null, null, null],
      ['condition', '2025-07-03T01:02:00.000Z', 'n2', 'status.conditions[Ready].lastTransitionTime', 'Ready', null, null],
      ['container-started', '2025-07-03T00:41:40.000Z', 'n2', 'lastState.terminated.startedAt', 'prometheus', 'OOMKilled', 137],
      ['container-terminated', '2025-07-03T00:58:12.000Z', 'n2', 'lastState.terminated.finishedAt', 'prometheus', 'OOMKilled', 137],
    ]);
    expect(times[3].evidence).toEqual({
      file: PODS_FILE,
      line: 3,
      time: Date.parse('2025-07-03T00:58:12Z'),
      text: 'Pod cattle-monitoring-system/prometheus-rancher-monitoring-prometheus-0 container prometheus lastState.terminated OOMKilled (exit 137) finishedAt 2025-07-03T00:58:12.000Z',
    });
    // The waiting state carries no time: nothing made up for it.
    expect(times.some((t) => t.field.startsWith('state.'))).toBe(false);
  });

  it('reads both Event schemas alike', () => {
    const v1 = indexOf({ 'yamls/namespaced/default/v1/events.yaml': V1_EVENTS }).byKind('Event')[0];
    const group = indexOf({ 'yamls/namespaced/default/events.k8s.io/v1/events.yaml': GROUP_EVENTS }).byKind('Event')[0];
    for (const event of [v1, group]) {
      const [t] = objectTimes(event);
      expect(t).toMatchObject({
        kind: 'event',
        time: Date.parse('2025-07-03T00:58:12Z'),
        lastTime: Date.parse('2025-07-03T01:10:02Z'),
        node: 'n2',
        subject: 'Node n2',
        reason: 'SystemOOM',
        status: 'Warning',
        count: 3,
        message: 'System OOM encountered, victim process: prometheus, pid: 40213',
      });
      expect(t.evidence.text).toBe(
        'Event default/n2.184f2a1c3b5d7e90 Warning SystemOOM x3 on Node n2: System OOM encountered, victim process: prometheus, pid: 40213 at 2025-07-03T00:58:12.000Z (last 2025-07-03T01:10:02.000Z)',
      );
    }
  });

  it('reads Job start and completion, and nothing from an object without times', () => {
    const index = indexOf({ [JOBS_FILE]: list([nodeJobItem('pre-drain', 'n1', '2025-07-03T01:00:00Z', '2025-07-03T01:05:00Z')]) });
    const job = index.byKind('Job')[0];
    const times = objectTimes(job);
    expect(times.map((t) => [t.kind, iso(t.time), t.node])).toEqual([
      ['created', '2025-07-03T01:00:00.000Z', 'n1'],
      ['job-started', '2025-07-03T01:00:00.000Z', 'n1'],
      ['job-completed', '2025-07-03T01:05:00.000Z', 'n1'],
    ]);
    expect(objectTimeKeyEvent(times[2])).toMatchObject({
      kind: 'job-complete',
      node: 'n1',
      summary: `Job harvester-system/${UPGRADE}-pre-drain-n1 completionTime 2025-07-03T01:05:00.000Z`,
    });
    const bare = indexOf({ 'yamls/cluster/v1/namespaces.yaml': list(['apiVersion: v1\nkind: Namespace\nmetadata:\n  name: default']) });
    expect(objectTimes(bare.byKind('Namespace')[0])).toEqual([]);
  });
});

describe('collectObjectTimes', () => {
  it('counts an Event listed by two API groups once and sorts by time', () => {
    const index = indexOf({
      'yamls/namespaced/default/v1/events.yaml': V1_EVENTS,
      'yamls/namespaced/default/events.k8s.io/v1/events.yaml': GROUP_EVENTS,
      [PODS_FILE]: PROMETHEUS_POD,
    });
    const times = collectObjectTimes(index);
    expect(times.filter((t) => t.kind === 'event')).toHaveLength(1);
    expect(times.map((t) => t.time)).toEqual([...times.map((t) => t.time)].sort((a, b) => a - b));
    // At the same instant the Event (subject `Node n2`) sorts before the Pod's container.
    expect(times.map((t) => t.kind)).toEqual(['created', 'container-started', 'event', 'container-terminated', 'condition']);
  });
});
