/**
 * The simulated cluster a scenario is played on. Scenario scripts call the primitives below in time order
 * (start pods, drain, reboot, migrate or kill VMs, log lines); renderers read the final state.
 * Pod logs follow the real collection rules: a support bundle only has logs of pods that still exist,
 * `<container>.log.1` only for the previous container run (bundle-layout.md §7), and a drain deletes
 * every non-DaemonSet pod of the node, finished ones included (kubectl drain filters).
 */
import type { Micros } from './line-formats.js';
import { US_PER_S } from './line-formats.js';
import type { Line } from './log-stream.js';
import { Rng } from './prng.js';
import type { NodeDef, ReleaseInfo, VmDef } from './cluster.js';

export type PodKind = 'static' | 'daemonset' | 'deployment' | 'statefulset' | 'job' | 'vm' | 'instance-manager';

export interface ContainerRun {
  start: Micros;
  end: Micros | null;
  exitCode?: number;
  reason?: string;
}

export interface Container {
  name: string;
  image: string;
  /** Key of the background-noise profile (render/pod-profiles.ts). */
  profile: string;
  runs: ContainerRun[];
  /** Scripted lines in the container's own format (no CRI prefix). */
  lines: Line[];
  id: string;
}

export interface Pod {
  namespace: string;
  name: string;
  uid: string;
  node: string;
  kind: PodKind;
  /** Workload name: Deployment/DaemonSet/StatefulSet/Job/VM name, or the static pod's component. */
  workload: string;
  ownerKind: string | null;
  ownerName: string | null;
  labels: Record<string, string>;
  createdAt: Micros;
  deletedAt: Micros | null;
  containers: Container[];
  ip: string;
  /** Job pods end `Succeeded`; killed launchers `Failed`. */
  finalPhase: 'Running' | 'Succeeded' | 'Failed';
}

export interface WorkloadSpec {
  namespace: string;
  name: string;
  kind: PodKind;
  containers: { name: string; image: string; profile: string }[];
  labels?: Record<string, string>;
  /** Replica count of Deployments; StatefulSets use `<name>-<i>` pod names. */
  replicas?: number;
}

export interface VmSegment {
  node: string;
  pod: Pod;
  from: Micros;
}

export interface VmRun {
  vmiUid: string;
  createdAt: Micros;
  segments: VmSegment[];
  end: Micros | null;
  endKind: 'running' | 'killed' | 'shutdown';
}

export interface Migration {
  name: string;
  uid: string;
  vm: string;
  source: string;
  target: string;
  start: Micros;
  end: Micros;
  reason: 'evacuation' | 'maintenance';
}

export interface VmState {
  def: VmDef;
  runs: VmRun[];
  runStrategy: 'RerunOnFailure' | 'Halted';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** When the operator last changed the run strategy (Halted before the upgrade, started after). */
  strategyChangedAt: Micros | null;
}

export interface EventRec {
  namespace: string;
  involved: { kind: string; name: string; namespace: string | null; uid: string; apiVersion: string; fieldPath?: string };
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  source: { component: string; host?: string };
  first: Micros;
  last: Micros;
  count: number;
}

export interface ProcRun {
  start: Micros;
  end: Micros | null;
  pid: number;
  version: string;
}

export interface NodeState {
  def: NodeDef;
  /** Journal clock offset (skewed nodes print times ahead of the true time). */
  skew: Micros;
  boots: { start: Micros; end: Micros | null; bootId: string; kernel: string }[];
  procs: Record<'rke2' | 'kubelet' | 'containerd' | 'agent' | 'rancherd' | 'iscsid' | 'wicked', ProcRun[]>;
  journal: Record<'rke2-server' | 'rke2-agent' | 'rancherd' | 'rancher-system-agent' | 'wicked' | 'iscsid', Line[]>;
  kernel: Line[];
  kubelet: Line[];
  containerd: Line[];
  console: Line[];
  cordoned: boolean;
  osImage: string;
  annotations: Record<string, string>;
  labels: Record<string, string>;
  taints: { key: string; value?: string; effect: string }[];
  /** Times the node was NotReady (reboots), for node conditions. */
  readySince: Micros;
}

export interface JobRec {
  namespace: string;
  name: string;
  uid: string;
  labels: Record<string, string>;
  node: string | null;
  start: Micros;
  end: Micros | null;
  pod: Pod;
  command: string[];
  image: string;
}

const KILL_GRACE = 2;

/**
 * Real-looking microseconds for scripted times (which step in round amounts): within each millisecond
 * the time is remapped monotonically, so no two lines ever change order.
 */
function jitter(t: Micros): Micros {
  const ms = Math.floor(t / 1000);
  return ms * 1000 + ((Math.imul(ms, 0x9e3779b1) >>> 0) % 750) + Math.floor((t - ms * 1000) / 4);
}

const alive = (p: Pod, t: Micros): boolean => p.createdAt <= t && (p.deletedAt === null || p.deletedAt > t);

export class World {
  readonly rng: Rng;
  readonly nodes = new Map<string, NodeState>();
  readonly pods: Pod[] = [];
  readonly vms = new Map<string, VmState>();
  readonly migrations: Migration[] = [];
  readonly events: EventRec[] = [];
  readonly jobs: JobRec[] = [];
  private ipCounter = 20;
  private readonly workloads = new Map<string, WorkloadSpec>();
  /** Pods per `<namespace>/<workload>` and migrations per VM, in creation order (lookups stay cheap at scale). */
  private readonly byWorkload = new Map<string, Pod[]>();
  private readonly migrationsByVm = new Map<string, Migration[]>();
  /** Scheduling preferences of a workload (first schedulable node in the list wins). */
  private readonly preferred = new Map<string, string[]>();

  constructor(
    readonly seed: string,
    nodeDefs: readonly NodeDef[],
    readonly collectedAt: Micros,
    startRelease: ReleaseInfo,
  ) {
    this.rng = Rng.derive(seed, 'world');
    for (const def of nodeDefs) {
      this.nodes.set(def.name, {
        def,
        skew: 0,
        boots: [],
        procs: { rke2: [], kubelet: [], containerd: [], agent: [], rancherd: [], iscsid: [], wicked: [] },
        journal: { 'rke2-server': [], 'rke2-agent': [], rancherd: [], 'rancher-system-agent': [], wicked: [], iscsid: [] },
        kernel: [],
        kubelet: [],
        containerd: [],
        console: [],
        cordoned: false,
        osImage: startRelease.os,
        annotations: {},
        labels: {},
        taints: [],
        readySince: 0,
      });
    }
  }

  node(name: string): NodeState {
    const n = this.nodes.get(name);
    if (!n) throw new Error(`unknown node ${name}`);
    return n;
  }

  // ---------- node processes and logs ----------

  /** Starts (or restarts) a node process; returns its pid. */
  startProc(node: string, proc: keyof NodeState['procs'], t: Micros, version: string): number {
    const runs = this.node(node).procs[proc];
    const last = runs[runs.length - 1];
    if (last && last.end === null) last.end = t;
    const pid = this.pid(node);
    runs.push({ start: t, end: null, pid, version });
    return pid;
  }

  stopProc(node: string, proc: keyof NodeState['procs'], t: Micros): void {
    const runs = this.node(node).procs[proc];
    const last = runs[runs.length - 1];
    if (last && last.end === null) last.end = t;
  }

  /** The run of a process alive at `t` (or the last one before it). */
  proc(node: string, proc: keyof NodeState['procs'], t: Micros): ProcRun {
    const runs = this.node(node).procs[proc];
    let found = runs[0];
    for (const r of runs) if (r.start <= t) found = r;
    if (!found) throw new Error(`${proc} never ran on ${node}`);
    return found;
  }

  private pid(node: string): number {
    const n = this.node(node);
    // PIDs grow over a boot; a fresh boot starts low again.
    const boot = n.boots.length;
    return n.def.pidBase + boot * 11 + this.rng.int(200, 60000);
  }

  /** Node log lines are formatted from their (jittered) time. */
  journal(node: string, unit: keyof NodeState['journal'], t: Micros, format: (t: Micros) => string): void {
    const tj = jitter(t);
    this.node(node).journal[unit].push({ t: tj, text: format(tj) });
  }

  kernel(node: string, t: Micros, format: (t: Micros) => string): void {
    const tj = jitter(t);
    this.node(node).kernel.push({ t: tj, text: format(tj) });
  }

  kubelet(node: string, t: Micros, format: (t: Micros) => string): void {
    const tj = jitter(t);
    this.node(node).kubelet.push({ t: tj, text: format(tj) });
  }

  containerd(node: string, t: Micros, text: string): void {
    this.node(node).containerd.push({ t, text });
  }

  boot(node: string, t: Micros, kernel: string): void {
    const n = this.node(node);
    const last = n.boots[n.boots.length - 1];
    if (last && last.end === null) last.end = t;
    n.boots.push({ start: t, end: null, bootId: n.boots.length < n.def.bootIds.length ? n.def.bootIds[n.boots.length] : Rng.derive(n.def.name, `boot-${n.boots.length}`).hex(32), kernel });
  }

  // ---------- pods ----------

  register(spec: WorkloadSpec): WorkloadSpec {
    this.workloads.set(`${spec.namespace}/${spec.name}`, spec);
    return spec;
  }

  workload(namespace: string, name: string): WorkloadSpec {
    const w = this.workloads.get(`${namespace}/${name}`);
    if (!w) throw new Error(`unknown workload ${namespace}/${name}`);
    return w;
  }

  private podName(spec: WorkloadSpec, node: string, index: number, rsHash: string): string {
    switch (spec.kind) {
      case 'static':
        return `${spec.name}-${node}`;
      case 'statefulset':
        return `${spec.name}-${index}`;
      case 'daemonset':
        return `${spec.name}-${this.rng.kube(5)}`;
      case 'instance-manager':
        return spec.name;
      case 'job':
        return `${spec.name}-${this.rng.kube(5)}`;
      default:
        return `${spec.name}-${rsHash}-${this.rng.kube(5)}`;
    }
  }

  private nextIp(kind: PodKind, node: string): string {
    if (kind === 'static' || kind === 'job') return this.node(node).def.ip;
    const third = Number(node.slice(-1)) - 1;
    this.ipCounter = (this.ipCounter % 250) + 1;
    return `10.52.${third}.${this.ipCounter + 2}`;
  }

  /** Creates a pod of `spec` on `node`; its containers start shortly after. */
  startPod(spec: WorkloadSpec, node: string, t: Micros, opts: { index?: number; name?: string; ownerName?: string } = {}): Pod {
    const start = t + this.rng.int(1, 4) * US_PER_S;
    const ownerKind = { static: 'Node', daemonset: 'DaemonSet', deployment: 'ReplicaSet', statefulset: 'StatefulSet', job: 'Job', vm: 'VirtualMachineInstance', 'instance-manager': 'InstanceManager' }[spec.kind];
    const rsHash = this.rsHash(spec);
    const pod: Pod = {
      namespace: spec.namespace,
      name: opts.name ?? this.podName(spec, node, opts.index ?? 0, rsHash),
      uid: this.rng.uuid(),
      node,
      kind: spec.kind,
      workload: spec.name,
      ownerKind,
      ownerName: opts.ownerName ?? (spec.kind === 'deployment' ? `${spec.name}-${rsHash}` : spec.kind === 'static' ? node : spec.name),
      labels: { ...(spec.labels ?? {}) },
      createdAt: t,
      deletedAt: null,
      containers: spec.containers.map((c) => ({ ...c, runs: [{ start, end: null }], lines: [], id: this.rng.hex(64) })),
      ip: this.nextIp(spec.kind, node),
      finalPhase: 'Running',
    };
    this.pods.push(pod);
    const key = `${pod.namespace}/${pod.workload}`;
    (this.byWorkload.get(key) ?? this.byWorkload.set(key, []).get(key)!).push(pod);
    return pod;
  }

  /** Every pod a workload ever had, in creation order. */
  podsOf(namespace: string, workload: string): readonly Pod[] {
    return this.byWorkload.get(`${namespace}/${workload}`) ?? [];
  }

  migrationsOf(vm: string): readonly Migration[] {
    return this.migrationsByVm.get(vm) ?? [];
  }

  /** ReplicaSet hash: stable per Deployment revision (image set). */
  private rsHash(spec: WorkloadSpec): string {
    return Rng.derive(this.seed, `${spec.namespace}/${spec.name}/${spec.containers.map((c) => c.image).join(',')}`).kube(10).slice(0, spec.name.length > 30 ? 9 : 10);
  }

  deletePod(pod: Pod, t: Micros, exit: { exitCode: number; reason: string } = { exitCode: 0, reason: 'Completed' }): void {
    if (pod.deletedAt !== null) return;
    pod.deletedAt = t;
    for (const c of pod.containers) {
      const run = c.runs[c.runs.length - 1];
      if (run.end === null) Object.assign(run, { end: t, exitCode: exit.exitCode, reason: exit.reason });
    }
  }

  /** A container of a live pod exits and is restarted (reboot, crash, OOM kill). */
  restartContainer(pod: Pod, container: string, t: Micros, restartAt: Micros, exit: { exitCode: number; reason: string }): void {
    const c = pod.containers.find((x) => x.name === container)!;
    const run = c.runs[c.runs.length - 1];
    Object.assign(run, { end: t, exitCode: exit.exitCode, reason: exit.reason });
    c.runs.push({ start: restartAt, end: null });
  }

  /** Ends a job pod's containers (job finished) without deleting the pod. */
  finishPod(pod: Pod, t: Micros, phase: 'Succeeded' | 'Failed' = 'Succeeded'): void {
    for (const c of pod.containers) {
      const run = c.runs[c.runs.length - 1];
      if (run.end === null) Object.assign(run, { end: t, exitCode: phase === 'Succeeded' ? 0 : 1, reason: phase === 'Succeeded' ? 'Completed' : 'Error' });
    }
    pod.finalPhase = phase;
  }

  livePods(t: Micros, filter: (p: Pod) => boolean = () => true): Pod[] {
    return this.pods.filter((p) => alive(p, t) && filter(p));
  }

  /** The live pod of a per-node workload (DaemonSet, static pod, instance manager) at `t`. */
  nodePod(namespace: string, workload: string, node: string, t: Micros): Pod {
    const found = this.podsOf(namespace, workload).filter((p) => p.node === node && alive(p, t));
    if (found.length === 0) throw new Error(`no ${namespace}/${workload} on ${node} at ${t}`);
    return found[found.length - 1];
  }

  /** The first live pod of a workload at `t`. */
  workloadPod(namespace: string, workload: string, t: Micros): Pod {
    const found = this.podsOf(namespace, workload).find((p) => alive(p, t));
    if (!found) throw new Error(`no ${namespace}/${workload} at ${t}`);
    return found;
  }

  /** Appends a scripted line to a pod's container at `t`; a formatter gets the jittered time (µs formats). */
  log(pod: Pod, container: string, t: Micros, text: string | ((t: Micros) => string)): void {
    const c = pod.containers.find((x) => x.name === container);
    if (!c) throw new Error(`${pod.name} has no container ${container}`);
    if (typeof text === 'string') c.lines.push({ t, text });
    else {
      const tj = jitter(t);
      c.lines.push({ t: tj, text: text(tj) });
    }
  }

  prefer(workload: string, nodes: string[]): void {
    this.preferred.set(workload, nodes);
  }

  /** Where the scheduler puts a new pod of `workload`: a preferred node if any is usable, else a random one. */
  private place(workload: string, candidates: string[], fallback: string): string {
    if (candidates.length === 0) return fallback;
    const pref = this.preferred.get(workload)?.find((n) => candidates.includes(n));
    return pref ?? this.rng.pick(candidates);
  }

  schedulable(t: Micros, exclude: string[] = []): string[] {
    return [...this.nodes.values()].filter((n) => !n.cordoned && !exclude.includes(n.def.name) && n.readySince <= t).map((n) => n.def.name);
  }

  /** Replaces every pod of a DaemonSet/Deployment/StatefulSet with new ones (rolling update at `t`). */
  rollout(spec: WorkloadSpec, t: Micros, stepUs: Micros = 20 * US_PER_S): Pod[] {
    const old = this.livePods(t, (p) => p.namespace === spec.namespace && p.workload === spec.name);
    this.workloads.set(`${spec.namespace}/${spec.name}`, spec);
    const created: Pod[] = [];
    old.forEach((p, i) => {
      const at = t + i * stepUs;
      this.deletePod(p, at + 2 * US_PER_S);
      const node = spec.kind === 'deployment' || spec.kind === 'statefulset' ? this.place(spec.name, this.schedulable(at), p.node) : p.node;
      created.push(this.startPod(spec, node, at, { index: spec.kind === 'statefulset' ? Number(p.name.split('-').pop()) : 0 }));
    });
    return created;
  }

  /**
   * Drain of `node` at `t`: every pod that is neither DaemonSet-managed, static nor an instance manager is
   * deleted (finished pods too); Deployment/StatefulSet pods come back on another schedulable node.
   * Returns the evicted pods in eviction order (for the drain log).
   */
  evict(node: string, t: Micros, keep: (p: Pod) => boolean = () => false): Pod[] {
    const victims = this.livePods(t, (p) => p.node === node && ['deployment', 'statefulset', 'job'].includes(p.kind) && !keep(p));
    victims.forEach((p, i) => {
      const at = t + (i % 7) * US_PER_S;
      this.deletePod(p, at + this.rng.int(1, 6) * US_PER_S, { exitCode: 0, reason: 'Completed' });
      if (p.kind === 'deployment' || p.kind === 'statefulset') {
        const targets = this.schedulable(at, [node]);
        const spec = this.workload(p.namespace, p.workload);
        this.startPod(spec, this.place(spec.name, targets, node), at + this.rng.int(2, 8) * US_PER_S, {
          index: p.kind === 'statefulset' ? Number(p.name.split('-').pop()) : 0,
          name: p.kind === 'statefulset' ? p.name : undefined,
        });
      }
    });
    return victims;
  }

  /** Node reboot: every container on the node stops at `down` and, for pods that stay, restarts after `up`. */
  reboot(node: string, down: Micros, up: Micros): void {
    for (const p of this.livePods(down, (x) => x.node === node)) {
      if (p.kind === 'job' || p.kind === 'vm') continue;
      p.containers.forEach((c, i) => {
        const run = c.runs[c.runs.length - 1];
        if (run.end !== null) return;
        this.restartContainer(p, c.name, down, up + (5 + i * 3 + this.rng.int(0, 40)) * US_PER_S, { exitCode: 255, reason: 'Unknown' });
      });
    }
    this.node(node).readySince = up + 40 * US_PER_S;
  }

  // ---------- VMs ----------

  addVm(def: VmDef): VmState {
    const vm: VmState = { def, runs: [], runStrategy: def.runStrategy, labels: {}, annotations: {}, strategyChangedAt: null };
    this.vms.set(def.name, vm);
    return vm;
  }

  vm(name: string): VmState {
    const v = this.vms.get(name);
    if (!v) throw new Error(`unknown vm ${name}`);
    return v;
  }

  currentRun(vm: VmState): VmRun | null {
    const r = vm.runs[vm.runs.length - 1];
    return r && r.end === null ? r : null;
  }

  vmNode(vm: VmState): string | null {
    const r = this.currentRun(vm);
    return r ? r.segments[r.segments.length - 1].node : null;
  }

  /** Running VMs on `node`, in the order the VMs were added. */
  vmsOn(node: string): VmState[] {
    return [...this.vms.values()].filter((v) => this.vmNode(v) === node);
  }

  /** Number of running VMs per node (what the scheduler balances on). */
  vmLoad(): Map<string, number> {
    const load = new Map<string, number>([...this.nodes.keys()].map((n) => [n, 0]));
    for (const v of this.vms.values()) {
      const n = this.vmNode(v);
      if (n) load.set(n, load.get(n)! + 1);
    }
    return load;
  }

  private launcherSpec(vm: VmState, image: string): WorkloadSpec {
    return {
      namespace: vm.def.namespace,
      name: `virt-launcher-${vm.def.name}`,
      kind: 'vm',
      containers: [
        { name: 'compute', image, profile: 'virt-launcher' },
        { name: 'guest-console-log', image, profile: 'guest-console-log' },
      ],
      labels: { 'kubevirt.io': 'virt-launcher', 'vm.kubevirt.io/name': vm.def.name, 'harvesterhci.io/vmName': vm.def.name },
    };
  }

  /** Creates a launcher pod for `vm` on `node` (start or migration target). */
  launcherPod(vm: VmState, node: string, t: Micros, image: string, vmiUid: string): Pod {
    const spec = this.launcherSpec(vm, image);
    const pod = this.startPod(spec, node, t, { name: `virt-launcher-${vm.def.name}-${this.rng.kube(5)}`, ownerName: vm.def.name });
    pod.ownerKind = 'VirtualMachineInstance';
    pod.labels['kubevirt.io/created-by'] = vmiUid;
    return pod;
  }

  vmStart(vm: VmState, node: string, t: Micros, image: string): VmRun {
    const vmiUid = this.rng.uuid();
    const pod = this.launcherPod(vm, node, t, image, vmiUid);
    const run: VmRun = { vmiUid, createdAt: t, segments: [{ node, pod, from: t }], end: null, endKind: 'running' };
    vm.runs.push(run);
    return run;
  }

  /** The VM's qemu dies (launcher pod killed): the run ends abruptly. */
  vmKill(vm: VmState, t: Micros): { pod: Pod; node: string } {
    const run = this.currentRun(vm);
    if (!run) throw new Error(`${vm.def.name} is not running`);
    const seg = run.segments[run.segments.length - 1];
    run.end = t;
    run.endKind = 'killed';
    seg.pod.finalPhase = 'Failed';
    this.deletePod(seg.pod, t + KILL_GRACE * US_PER_S + this.rng.int(20, 60) * US_PER_S, { exitCode: 137, reason: 'Error' });
    return { pod: seg.pod, node: seg.node };
  }

  /** A clean shutdown that completes at `end`. */
  vmShutdown(vm: VmState, end: Micros): { pod: Pod; node: string } {
    const run = this.currentRun(vm);
    if (!run) throw new Error(`${vm.def.name} is not running`);
    const seg = run.segments[run.segments.length - 1];
    run.end = end;
    run.endKind = 'shutdown';
    seg.pod.finalPhase = 'Succeeded';
    this.deletePod(seg.pod, end + this.rng.int(2, 5) * US_PER_S, { exitCode: 0, reason: 'Completed' });
    return { pod: seg.pod, node: seg.node };
  }

  /** Live migration: a target launcher pod, then the source pod completes. */
  vmMigrate(vm: VmState, target: string, start: Micros, end: Micros, image: string, reason: Migration['reason']): { from: Pod; to: Pod; migration: Migration } {
    const run = this.currentRun(vm);
    if (!run) throw new Error(`${vm.def.name} is not running`);
    const seg = run.segments[run.segments.length - 1];
    const to = this.launcherPod(vm, target, start, image, run.vmiUid);
    run.segments.push({ node: target, pod: to, from: end });
    seg.pod.finalPhase = 'Succeeded';
    this.deletePod(seg.pod, end + this.rng.int(3, 9) * US_PER_S, { exitCode: 0, reason: 'Completed' });
    const migration: Migration = {
      name: reason === 'evacuation' ? `kubevirt-evacuation-${this.rng.kube(5)}` : `kubevirt-evacuation-${this.rng.kube(5)}`,
      uid: this.rng.uuid(),
      vm: vm.def.name,
      source: seg.node,
      target,
      start,
      end,
      reason,
    };
    this.migrations.push(migration);
    (this.migrationsByVm.get(vm.def.name) ?? this.migrationsByVm.set(vm.def.name, []).get(vm.def.name)!).push(migration);
    return { from: seg.pod, to, migration };
  }

  /**
   * Drops the scripted lines no archive can show: containers of pods deleted before collection that the
   * UpgradeLog does not follow either (a real bundle has no trace of them). Keeps large scales in memory.
   */
  prune(collectedAt: Micros, upgradeLogFollows: (namespace: string, workload: string) => boolean): void {
    for (const p of this.pods) {
      if (p.deletedAt !== null && p.deletedAt <= collectedAt && !upgradeLogFollows(p.namespace, p.workload)) for (const c of p.containers) c.lines = [];
    }
  }

  // ---------- events and jobs ----------

  event(e: Omit<EventRec, 'count' | 'last'> & { count?: number; last?: Micros }): void {
    this.events.push({ ...e, count: e.count ?? 1, last: e.last ?? e.first });
  }

  job(rec: Omit<JobRec, 'uid'>): JobRec {
    const job = { ...rec, uid: this.rng.uuid() };
    this.jobs.push(job);
    return job;
  }
}
