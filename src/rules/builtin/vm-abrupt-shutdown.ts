import type { MemberInfo } from '../../bundle/types.js';
import type { LogEvent } from '../../formats/types.js';
import type { ObjectIndex } from '../../k8s/types.js';
import type { EvidenceRef, RuleModule } from '../types.js';
import { toIso } from '../../util/time.js';
import { splitByGap } from './support/episodes.js';
import { clusterEvents, describeEvent } from './support/event-objects.js';
import { fieldOf, plainMessage } from './support/event-fields.js';
import { compareEvidence, eventEvidence, objectEvidence } from './support/evidence.js';
import { createOomCollector, isQemu, KERNEL_OOM_LITERALS } from './support/kernel-oom.js';
import { parseK8sTime } from '../../k8s/k8s-time.js';
import { isLauncherPod, podNode, podObject, podsByUid } from './support/pods.js';
import { inUpgradeWindow, upgradeWindow } from './support/upgrade-window.js';
import { resolveVm, vmiNode, type VmHint } from './support/vm-identity.js';

/**
 * - `kill`: the VM's process or domain was killed or crashed;
 * - `weak-kill`: its pod was torn down with too little grace (kubelet gracePeriod < 30 s, sandbox recreated);
 * - `clean-end`: the guest shut down or the VM migrated away (ends a stop gracefully);
 * - `graceful`: a graceful stop was asked for (context only).
 */
type SignalClass = 'kill' | 'weak-kill' | 'clean-end' | 'graceful';

interface Signal {
  hint: VmHint;
  /** Node the signal itself proves (kubelet/kernel of that node, virt-handler on it, event host). */
  node: string | null;
  /** Pod or member the node can be read from once objects are known. */
  nodeFromPod: { namespace: string | null; pod: string } | null;
  time: number | null;
  cls: SignalClass;
  label: string;
  evidence: EvidenceRef[];
}

/** Signals further apart than this are separate stops of the VM. */
const EPISODE_GAP_MS = 10 * 60_000;
/** A kubelet kill with less grace than this cannot let a guest shut down. */
const MIN_GRACEFUL_SECONDS = 30;
/** A kernel OOM of an unnamed qemu belongs to the VM that died on the same node this close to it. */
const OOM_MATCH_MS = 2 * 60_000;

const KILLING_DELETED = /(Grace period expired|Graceful shutdown not set|ACPI feature not available), killing deleted VirtualMachineInstance\s+(\S+)?/;
const GRACEFUL_FOR = /Signaled graceful shutdown for\s+(\S+)/;
const ADMIN_STOPPED = /vm ([\w.-]+)\/([\w.-]+) was administratively stopped/;
const DOMAIN_EVENT = /event="?(\w+)"?\s+detail="?(\w+)"?/;
/** virt-handler's view of the domain: `Domain is in state Shutoff reason Crashed`, `Domain status: Shutoff, reason: Crashed`. */
const HANDLER_SHUTOFF = /(?:Domain is in state Shutoff reason|Domain status: Shutoff, reason:) (\w+)/;

const LITERALS = [
  'Reaped pid',
  'event="stopped"',
  'event=\\"stopped\\"',
  'Shutoff(5):',
  'state Shutoff reason',
  'Domain status: Shutoff',
  'killing deleted VirtualMachineInstance',
  'VMI in phase Failed',
  'Killing container with a grace period',
  'Signaled graceful shutdown',
  'Received signal terminated',
  'was administratively stopped',
  ...KERNEL_OOM_LITERALS,
];

/** Reads one line into a signal, or null when it says nothing about a VM stopping. */
const lineSignal = (e: LogEvent, member: MemberInfo): Signal | null => {
  const text = plainMessage(e);
  const launcher = isLauncherPod(member.pod) ? member.pod : null;
  // Only virt-launcher and virt-handler run on the VM's node; virt-controller and upgrade jobs run anywhere.
  const runsOnVmNode = launcher !== null || member.component === 'virt-handler' || !!member.pod?.startsWith('virt-handler-');
  const hintFromFields = (): VmHint => ({
    namespace: fieldOf(e, 'namespace') ?? (launcher ? member.namespace : null),
    name: fieldOf(e, 'name'),
    launcherPod: launcher,
  });
  const own = (cls: SignalClass, label: string, hint: VmHint = hintFromFields()): Signal => ({
    hint,
    node: member.node,
    nodeFromPod: runsOnVmNode && member.pod ? { namespace: member.namespace, pod: member.pod } : null,
    time: e.time,
    cls,
    label,
    evidence: [eventEvidence(e)],
  });

  if (member.component === 'kubelet' || member.path.endsWith('kubelet.log')) {
    if (!text.includes('Killing container with a grace period')) return null;
    const pod = fieldOf(e, 'pod');
    const grace = Number(fieldOf(e, 'gracePeriod'));
    if (!pod || fieldOf(e, 'containerName') !== 'compute' || !Number.isFinite(grace)) return null;
    const [namespace, name] = pod.split('/');
    if (!isLauncherPod(name ?? null) || grace >= MIN_GRACEFUL_SECONDS) return null;
    return {
      ...own('weak-kill', `kubelet killed the compute container with gracePeriod=${grace}`),
      hint: { namespace, name: null, launcherPod: name },
      nodeFromPod: null,
    };
  }
  if (text.includes('Reaped pid') && /with status 9\b/.test(text)) return own('kill', 'qemu reaped after SIGKILL (status 9)');
  if (text.includes('Shutoff(5):Crashed')) return own('kill', 'domain crashed (Shutoff(5):Crashed(3))');
  if (text.includes('Shutoff(5):Shutdown')) return own('clean-end', 'guest shut down (Shutoff(5):Shutdown(1))');
  if (text.includes('Shutoff(5):Migrated')) return own('clean-end', 'domain migrated away');
  const shutoff = HANDLER_SHUTOFF.exec(text);
  if (shutoff) {
    if (shutoff[1] === 'Crashed') return own('kill', 'virt-handler: domain Shutoff, reason Crashed');
    if (shutoff[1] === 'Shutdown' || shutoff[1] === 'Migrated') return own('clean-end', `virt-handler: domain Shutoff, reason ${shutoff[1]}`);
    return null;
  }
  const domainEvent = DOMAIN_EVENT.exec(text);
  if (domainEvent && domainEvent[1] === 'stopped') {
    if (domainEvent[2] === 'failed') return own('kill', 'domain stopped: failed');
    if (domainEvent[2] === 'shutdown' || domainEvent[2] === 'migrated') return own('clean-end', `domain stopped: ${domainEvent[2]}`);
    return null;
  }
  const killing = KILLING_DELETED.exec(text);
  if (killing) {
    const hint = hintFromFields();
    hint.name ??= killing[2] ?? null;
    return own('kill', `virt-handler: ${killing[1]}, killed the VM`, hint);
  }
  if (text.includes('VMI in phase Failed')) return own('kill', 'virt-controller: VMI in phase Failed');
  const admin = ADMIN_STOPPED.exec(text);
  if (admin) return { ...own('graceful', 'administratively stopped', { namespace: admin[1], name: admin[2], launcherPod: null }), nodeFromPod: null };
  if (text.includes('Signaled graceful shutdown')) {
    const hint = hintFromFields();
    hint.name ??= GRACEFUL_FOR.exec(text)?.[1] ?? null;
    return own('graceful', 'graceful shutdown signalled', hint);
  }
  if (text.includes('Received signal terminated') && launcher) return own('graceful', 'virt-launcher received SIGTERM');
  return null;
};

/** Signals from Event objects (crash, shut down, sandbox recreated) and finished migrations. */
const objectSignals = (objects: ObjectIndex): Signal[] => {
  const signals: Signal[] = [];
  for (const ev of clusterEvents(objects)) {
    const { kind, namespace, name } = ev.involved;
    if (!name) continue;
    let read: Pick<Signal, 'hint' | 'nodeFromPod' | 'cls' | 'label'> | null = null;
    if (kind === 'VirtualMachineInstance' && ev.message.includes('The VirtualMachineInstance crashed'))
      read = { hint: { namespace, name, launcherPod: null }, nodeFromPod: null, cls: 'kill', label: 'VirtualMachineInstance crashed (event)' };
    else if (kind === 'VirtualMachineInstance' && ev.message.includes('The VirtualMachineInstance was shut down'))
      read = { hint: { namespace, name, launcherPod: null }, nodeFromPod: null, cls: 'clean-end', label: 'shut down (event)' };
    else if (kind === 'Pod' && ev.reason === 'SandboxChanged' && isLauncherPod(name))
      read = {
        hint: { namespace, name: null, launcherPod: name },
        nodeFromPod: { namespace, pod: name },
        cls: 'weak-kill',
        label: 'virt-launcher pod sandbox changed, killed and re-created',
      };
    if (!read) continue;
    // An event seen several times stands for its first and its last occurrence.
    for (const time of new Set([ev.firstAt, ev.lastAt]))
      signals.push({ ...read, node: ev.host, time, evidence: [objectEvidence(ev.object, describeEvent(ev), time)] });
  }
  for (const m of objects.byKind('VirtualMachineInstanceMigration')) {
    const state = m.raw?.status?.migrationState;
    const vmi = m.raw?.spec?.vmiName;
    const end = parseK8sTime(state?.endTimestamp);
    if (typeof vmi !== 'string' || !state?.completed || state?.failed || end === null) continue;
    signals.push({
      hint: { namespace: m.namespace, name: vmi, launcherPod: null },
      node: typeof state.sourceNode === 'string' ? state.sourceNode : null,
      nodeFromPod: null,
      time: end,
      cls: 'clean-end',
      label: 'live-migrated away',
      evidence: [
        objectEvidence(m, `VirtualMachineInstanceMigration ${m.namespace}/${m.name}: ${vmi} migrated from ${state.sourceNode} to ${state.targetNode}`, end),
      ],
    });
  }
  return signals;
};

export const vmAbruptShutdown: RuleModule = {
  id: 'vm-abrupt-shutdown',
  meta: {
    title: 'VM killed without a graceful shutdown',
    severity: 'high',
    description:
      'One finding per VM that died without a graceful shutdown: qemu reaped after SIGKILL, the domain crashed or stopped ' +
      'with `failed`, virt-handler killing it after its grace period, the VMI turning Failed, the kernel OOM-killing its ' +
      'qemu, or kubelet tearing its virt-launcher pod down with a grace period too short for a guest shutdown. A stop that ' +
      'was graceful (guest shut down, administratively stopped, live-migrated away) is not reported.',
    remediation:
      'Start the VM again if its run strategy did not, and check the guest\'s filesystems and applications for damage ' +
      '(`virtctl start <vm> -n <ns>`). Find the cause on the node at that time: an RKE2/kubelet restart without pre-drain ' +
      '(rke2-upgrade-without-pre-drain), a drain with gracePeriod 0, a qemu OOM (raise the VM memory overhead or reserved ' +
      'memory) or a storage failure.',
    falsePositives: [
      'A guest powered off from inside while virt-handler was restarting can leave a Failed VMI without harm to the data.',
      'VMs whose run strategy is Halted may have been meant to stop; the stop itself was still not graceful.',
    ],
    references: [
      'https://github.com/harvester/harvester/issues/8147',
      'https://github.com/harvester/harvester/issues/2419',
      'https://github.com/rancher/rke2/issues/3723',
      'https://github.com/kubevirt/kubevirt/pull/12820',
    ],
    sources: ['virt-launcher', 'virt-handler', 'virt-controller', 'kubelet', 'kernel', 'Event', 'VirtualMachineInstanceMigration'],
    messages: {
      killed: 'VM {{vm}} on {{node}} died at {{time}} without a graceful shutdown{{during}}: {{signals}}.',
    },
    examples: [
      '2025-06-14T09:36:58.412907316Z {"component":"virt-launcher-monitor","level":"info","msg":"Reaped pid 4711 with status 9","pos":"virt-launcher-monitor.go:199","timestamp":"2025-06-14T09:36:58.412871Z"}',
      'Jun 14 09:36:58.398121 harvester-01 kernel: Memory cgroup out of memory: Killed process 10381 (qemu-system-x86) total-vm:51318200kB, anon-rss:50107964kB, file-rss:22164kB, shmem-rss:4kB',
    ],
  },
  literals: LITERALS,
  create(context) {
    const lines: Signal[] = [];
    const oom = createOomCollector();
    return {
      event(e, member) {
        oom.event(e, member);
        const signal = lineSignal(e, member);
        if (signal) lines.push(signal);
      },
      end() {
        const objects = context.objects();
        const window = upgradeWindow(context.upgrade());
        const nodeOf = (s: Signal): string | null =>
          s.node ?? (s.nodeFromPod ? podNode(podObject(objects, s.nodeFromPod.namespace, s.nodeFromPod.pod)) : null);

        const byVm = new Map<string, { namespace: string; name: string; signals: Signal[] }>();
        const add = (vm: { namespace: string; name: string }, s: Signal): void => {
          const key = `${vm.namespace}/${vm.name}`;
          const entry = byVm.get(key) ?? { ...vm, signals: [] };
          entry.signals.push(s);
          byVm.set(key, entry);
        };
        for (const s of [...lines, ...objectSignals(objects)]) {
          const vm = resolveVm(objects, s.hint);
          if (vm) add(vm, s);
        }

        // Kernel OOM kills of qemu name no VM: the pod UID of the memcg path does, else the VM dying there and then.
        const uids = podsByUid(objects);
        const orphans: { node: string | null; pid: number | null; signal: Signal }[] = [];
        for (const kill of oom.kills()) {
          if (!isQemu(kill.comm)) continue;
          const signal: Signal = {
            hint: { namespace: null, name: null, launcherPod: null },
            node: kill.node,
            nodeFromPod: null,
            time: kill.time,
            cls: 'kill',
            label: `kernel OOM killed its qemu (pid ${kill.pid ?? '?'})`,
            evidence: kill.evidence,
          };
          const pod = kill.podUid ? uids.get(kill.podUid) : undefined;
          const vm = pod && isLauncherPod(pod.name) ? resolveVm(objects, { namespace: pod.namespace, name: null, launcherPod: pod.name }) : null;
          if (vm) add(vm, signal);
          else orphans.push({ node: kill.node, pid: kill.pid, signal });
        }
        for (const orphan of orphans) {
          const candidates = [...byVm.values()].filter((vm) =>
            vm.signals.some(
              (s) => s.cls !== 'graceful' && s.time !== null && orphan.signal.time !== null &&
                Math.abs(s.time - orphan.signal.time) <= OOM_MATCH_MS && nodeOf(s) === orphan.node,
            ),
          );
          if (candidates.length === 1) candidates[0].signals.push(orphan.signal);
          else
            context.report({
              messageId: 'killed',
              node: orphan.node,
              subject: `unknown VM (qemu pid ${orphan.pid ?? '?'})`,
              time: orphan.signal.time,
              data: {
                vm: `unknown VM (qemu pid ${orphan.pid ?? '?'})`,
                node: orphan.node ?? 'an unknown node',
                time: toIso(orphan.signal.time) ?? 'an unknown time',
                during: inUpgradeWindow(orphan.signal.time, window) ? ' during the upgrade' : '',
                signals: orphan.signal.label,
              },
              evidence: orphan.signal.evidence,
              fields: { inUpgradeWindow: inUpgradeWindow(orphan.signal.time, window) },
            });
        }

        for (const key of [...byVm.keys()].sort()) {
          const vm = byVm.get(key)!;
          const sorted = vm.signals.sort((a, b) => compareEvidence({ ...a.evidence[0], time: a.time }, { ...b.evidence[0], time: b.time }));
          for (const episode of splitByGap(sorted, (s) => s.time, EPISODE_GAP_MS)) {
            const kills = episode.filter((s) => s.cls === 'kill');
            const weak = episode.filter((s) => s.cls === 'weak-kill');
            const cleanEnd = episode.some((s) => s.cls === 'clean-end');
            const decisive = kills.length > 0 ? kills : cleanEnd ? [] : weak;
            if (decisive.length === 0) continue;
            const time = decisive.find((s) => s.time !== null)?.time ?? null;
            // The node the VM died on; where its VMI runs at collection time is only the last resort.
            const node = episode.map(nodeOf).find((n) => n !== null) ?? vmiNode(objects, vm.namespace, vm.name);
            const labels = [...new Set([...kills, ...weak].map((s) => s.label))];
            const during = inUpgradeWindow(time, window);
            context.report({
              messageId: 'killed',
              node,
              subject: key,
              time,
              data: {
                vm: key,
                node: node ?? 'an unknown node',
                time: toIso(time) ?? 'an unknown time',
                during: during ? ' during the upgrade' : '',
                signals: labels.join('; '),
              },
              evidence: episode.flatMap((s) => s.evidence),
              fields: { vm: vm.name, namespace: vm.namespace, stoppedAt: toIso(time), inUpgradeWindow: during, signals: labels.join('; ') },
            });
          }
        }
      },
    };
  },
};
