import type { EvidenceRef, Finding } from '../rules/types.js';
import { compareText } from '../util/compare.js';
import type { ClockSkew, KeyEvent } from './types.js';

/**
 * Clock skew of a node's own log times against the reference clock.
 *
 * Two clocks meet in a bundle: the reference (API object times in `yamls/`, and the kubelet log-API RFC3339Nano
 * prefix of every pod log under `logs/<ns>/<pod>/`) and each node's own logs (journald short-precise files,
 * kernel.log, klog kubelet.log), whose times carry no year and no zone and come from the node's clock. A wrong zone
 * assumption or a drifting node clock shifts the latter. The same happening seen on both sides gives one pair.
 *
 * Sign convention: `offsetMs = nodeTime − apiTime`; a positive offset means the node's clock runs ahead, and the
 * reference time of a node-local time t is `t − offsetMs` (see applySkew).
 */

/** Offsets smaller than this are reported but not applied: matched happenings are themselves that far apart. */
export const MIN_APPLIED_SKEW_MS = 1000;

/** How far apart the two sightings of one happening may be; larger gaps are taken for different happenings. */
export const MAX_PAIR_GAP_MS = 60 * 60 * 1000;

/** One happening seen on both clocks. */
export interface SkewPair {
  node: string;
  apiTime: number;
  /** At the resolution of `apiTime` (whole seconds for object times). */
  nodeTime: number;
  basis: string;
}

export type ClockSide = 'node' | 'reference';

/** Node logs written with the node's own year-less, zone-less times (bundle-layout §8, §9). */
const NODE_LOCAL_LOGS = new Set([
  'kubelet',
  'kernel',
  'rke2-server',
  'rke2-agent',
  'rancherd',
  'rancher-system-agent',
  'wicked',
  'iscsid',
]);
const POD_LOG = /^logs\/([^/]+)\/([^/]+)\/[^/]+\.log(?:\.\d+)?$/;
const NODE_LOG = /(?:^|\/)logs\/([a-z0-9-]+)\.log(?:\.\d+)?$/;
const NODE_MEMBER = /^nodes\/([^/!]+?)(?:\.zip)?[!/]/;

/** Which clock stamped a line of this member; null when neither applies (containerd's zoned times, archives, ...). */
export function clockSide(file: string): ClockSide | null {
  if (file.startsWith('yamls/') || POD_LOG.test(file)) return 'reference';
  const m = NODE_LOG.exec(file);
  return m && NODE_LOCAL_LOGS.has(m[1]) ? 'node' : null;
}

/** The node a member of `nodes/<node>.zip` belongs to. */
export function nodeOfMember(file: string): string | null {
  return NODE_MEMBER.exec(file)?.[1] ?? null;
}

const median = (sorted: readonly number[]): number => {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
};

const BASIS_EXAMPLES = 3;

/** Median offset per node over its pairs; nodes without pairs get no entry. Sorted by node. */
export function estimateClockSkew(pairs: readonly SkewPair[]): ClockSkew[] {
  const byNode = new Map<string, SkewPair[]>();
  for (const p of pairs) byNode.set(p.node, [...(byNode.get(p.node) ?? []), p]);
  return [...byNode.keys()].sort().map((node) => {
    const own = byNode.get(node)!;
    const offsets = own.map((p) => p.nodeTime - p.apiTime).sort((a, b) => a - b);
    const bases = [...new Set(own.map((p) => p.basis))].sort();
    const shown = bases.slice(0, BASIS_EXAMPLES).join('; ');
    const more = bases.length > BASIS_EXAMPLES ? `; +${bases.length - BASIS_EXAMPLES} more` : '';
    const count = `${own.length} pair${own.length === 1 ? '' : 's'}`;
    const basis = `median of ${count} (node log time − API/CRI time): ${shown}${more}`;
    return { node, offsetMs: median(offsets), basis };
  });
}

/** A node-local time on the reference clock; offsets under MIN_APPLIED_SKEW_MS are left alone. */
export function applySkew(time: number, node: string | null, skews: readonly ClockSkew[]): number {
  if (node === null) return time;
  const skew = skews.find((s) => s.node === node);
  return skew && Math.abs(skew.offsetMs) >= MIN_APPLIED_SKEW_MS ? time - skew.offsetMs : time;
}

/** The reference time of a time read from `file`: skew applies only to node-local logs. */
export function referenceTime(time: number, node: string | null, file: string | null, skews: readonly ClockSkew[]): number {
  if (file === null || clockSide(file) !== 'node') return time;
  return applySkew(time, node ?? nodeOfMember(file), skews);
}

interface Sighting {
  node: string;
  side: ClockSide;
  /** A key-event kind, or `container-kill` for kubelet's kill of one container. */
  kind: string;
  time: number;
  /** What the happening is about: `vm:<ns>/<vm>`, `job:<job or pod name>`, `pod:<ns>/<pod>`, `container:<ns>/<pod>/<c>`. */
  subjects: string[];
  evidence: EvidenceRef;
}

const VIRT_LAUNCHER = /^virt-launcher-(.+)-[a-z0-9]{5}$/;
const UPGRADE_JOB = /\b((?:apply-)?hvst-upgrade-[a-z0-9]{5}-[a-z0-9.-]*[a-z0-9])/g;
const KLOG_POD = /\bpods?=\[?"([a-z0-9.-]+)\/([a-z0-9.-]+)"/g;
const JSON_NAME = /"name":"([a-z0-9.-]+)"/;
const JSON_NAMESPACE = /"namespace":"([a-z0-9.-]+)"/;
/** kubelet's kill of a container (kuberuntime_container.go), logged as it records the `Killing` Event. */
const KUBELET_KILL = /"Killing container with a grace period" pod="([a-z0-9.-]+)\/([a-z0-9.-]+)".*?containerName="([a-z0-9.-]+)"/;
/** That `Killing` Event as an object evidence line tells it: `... Killing ... Pod <ns>/<pod>: Stopping container <c>`. */
const KILLING_EVENT = /\bKilling\b.*?\bPod ([a-z0-9.-]+)\/([a-z0-9.-]+): Stopping container ([a-z0-9.-]+)/;

/** Subjects of a pod: the VM behind a virt-launcher pod, the upgrade job behind a job pod, else the pod itself. */
function podSubjects(namespace: string, pod: string): string[] {
  const vm = VIRT_LAUNCHER.exec(pod);
  if (vm) return [`vm:${namespace}/${vm[1]}`];
  return pod.includes('hvst-upgrade-') ? [`job:${pod}`] : [`pod:${namespace}/${pod}`];
}

function subjectsOf(e: KeyEvent): string[] {
  const found: string[] = [];
  const podLog = POD_LOG.exec(e.evidence.file);
  if (podLog) found.push(...podSubjects(podLog[1], podLog[2]));
  const text = `${e.summary}\n${e.evidence.text}`;
  for (const m of text.matchAll(KLOG_POD)) found.push(...podSubjects(m[1], m[2]));
  for (const m of text.matchAll(UPGRADE_JOB)) found.push(`job:${m[1]}`);
  // virt-handler JSON lines name the VMI (named like its VM) and its namespace.
  if (/\/virt-handler-[^/]+\//.test(e.evidence.file)) {
    const name = JSON_NAME.exec(e.evidence.text)?.[1];
    const namespace = JSON_NAMESPACE.exec(e.evidence.text)?.[1];
    if (name && namespace) found.push(`vm:${namespace}/${name}`);
  }
  return [...new Set(found)].sort();
}

/** A job and its pod (`<job>-<suffix>`) are one subject; everything else must be equal. */
const sameSubject = (a: string, b: string): boolean =>
  a === b || (a.startsWith('job:') && b.startsWith('job:') && (a.startsWith(`${b}-`) || b.startsWith(`${a}-`)));

function keyEventSighting(e: KeyEvent): Sighting | null {
  const side = clockSide(e.evidence.file);
  const node = e.node ?? nodeOfMember(e.evidence.file);
  if (side === null || node === null) return null;
  const subjects = subjectsOf(e);
  return subjects.length === 0 ? null : { node, side, kind: e.kind, time: e.time, subjects, evidence: e.evidence };
}

/** kubelet's kill of a container, from its kubelet.log line (node clock) or its `Killing` Event (API clock). */
function containerKillSighting(ref: EvidenceRef, node: string | null): Sighting | null {
  const side = clockSide(ref.file);
  const where = node ?? nodeOfMember(ref.file);
  if (ref.time === null || where === null || side === null) return null;
  const m = (side === 'node' ? KUBELET_KILL : KILLING_EVENT).exec(ref.text);
  if (!m || (side === 'reference' && !ref.file.startsWith('yamls/'))) return null;
  return { node: where, side, kind: 'container-kill', time: ref.time, subjects: [`container:${m[1]}/${m[2]}/${m[3]}`], evidence: ref };
}

/** A member path as short as it stays unambiguous: node members without their `nodes/<node>.zip!/` head. */
const cite = (s: Sighting): string => `${s.evidence.file.split('!/').pop()}:${s.evidence.line ?? '?'}`;
const citeOrder = (a: Sighting, b: Sighting): number =>
  compareText(a.evidence.file, b.evidence.file) || (a.evidence.line ?? 0) - (b.evidence.line ?? 0);

/** Earliest first; ties in evidence order, so the choice never depends on input order. */
const bySightingTime = (a: Sighting, b: Sighting): number => a.time - b.time || citeOrder(a, b);

/**
 * Object times are whole seconds: a node time is compared at the same resolution, so the truncation does not pass
 * for half a second of skew.
 */
const comparable = (nodeTime: number, ref: Sighting): number =>
  ref.evidence.file.startsWith('yamls/') && ref.time % 1000 === 0 ? Math.floor(nodeTime / 1000) * 1000 : nodeTime;

/**
 * Pairs of the same happening seen on a node's own clock and on the reference clock, from key events, object times
 * given as key events (Job startTime/completionTime as `job-start`/`job-complete`, Events as `other`), and the
 * evidence lines of findings.
 *
 * A happening is a node, a kind and a subject read from the evidence. The matches implemented:
 * - kubelet's kill of a container: its kubelet.log line `"Killing container with a grace period" pod="<ns>/<pod>" ...
 *   containerName="<c>"` against the `Killing` Event (`Stopping container <c>`) kubelet records at the same moment;
 * - key events of one kind about one subject: the VM of a virt-launcher pod (pod-log path, klog `pod="<ns>/<pod>"`,
 *   virt-handler JSON name/namespace), an upgrade job or its pod (`hvst-upgrade-<id>-...`, a job and its
 *   `<job>-<suffix>` pod being one subject), any other pod. E.g. a VM stop in kubelet.log against the same VM's
 *   virt-launcher log, or an upgrade job's start in kubelet.log against its Job startTime or its pod log.
 * Each happening gives one pair: its first sighting on the node clock and the first sighting on the reference clock
 * within MAX_PAIR_GAP_MS of it. First against first, because one happening logs several lines on each side (kubelet's
 * kill, then the launcher's signal, then the reaped qemu) and the closest of them would pull the estimate towards zero.
 */
export function matchSkewPairs(
  keyEvents: readonly KeyEvent[],
  objectTimes: readonly KeyEvent[] = [],
  findings: readonly Finding[] = [],
): SkewPair[] {
  const events = [...keyEvents, ...objectTimes];
  const sightings = [
    ...events.map(keyEventSighting),
    ...events.map((e) => containerKillSighting(e.evidence, e.node)),
    ...findings.flatMap((f) => f.evidence.map((ref) => containerKillSighting(ref, f.node))),
  ]
    .filter((s): s is Sighting => s !== null)
    .sort(bySightingTime);
  const refSide = sightings.filter((s) => s.side === 'reference');
  const happenings = new Set<string>();
  const pairs = new Map<string, SkewPair>();
  for (const n of sightings.filter((s) => s.side === 'node')) {
    for (const a of n.subjects) {
      const happening = `${n.node}\n${n.kind}\n${a}`;
      if (happenings.has(happening)) continue;
      happenings.add(happening);
      let b: string | undefined;
      const r = refSide.find(
        (x) =>
          x.node === n.node &&
          x.kind === n.kind &&
          Math.abs(n.time - x.time) <= MAX_PAIR_GAP_MS &&
          (b = x.subjects.find((y) => sameSubject(a, y))) !== undefined,
      );
      if (!r || b === undefined) continue;
      // A job and its pod: the job names the happening.
      const subject = a.length <= b.length ? a : b;
      const basis = `${n.kind} of ${subject.slice(subject.indexOf(':') + 1)} (${cite(n)} vs ${cite(r)})`;
      pairs.set(`${cite(n)}\n${cite(r)}`, { node: n.node, apiTime: r.time, nodeTime: comparable(n.time, r), basis });
    }
  }
  return [...pairs.values()].sort(
    (x, y) => compareText(x.node, y.node) || x.nodeTime - y.nodeTime || compareText(x.basis, y.basis),
  );
}
