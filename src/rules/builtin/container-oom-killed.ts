import { spokenDuration, toIso } from '../../util/time.js';
import type { K8sObject } from '../../k8s/types.js';
import type { EvidenceRef, RuleModule } from '../types.js';
import { compareEvidence } from './support/evidence.js';
import { isQemu } from './support/kernel-oom.js';
import { containerOoms, createOomLogSources, OOM_LOG_LITERALS } from './support/oom-records.js';
import { containerMemoryLimit, containerStatuses, isLauncherPod } from './support/pods.js';
import { inUpgradeWindow, upgradeWindow, type UpgradeWindow } from './support/upgrade-window.js';

const SAME_KILL_MS = 60_000;

/** OOM kills other rules own: Prometheus (prometheus-oom-killed) and a VM's qemu/compute (vm-abrupt-shutdown). */
const ownedElsewhere = (pod: string | null, container: string | null, comm: string | null): boolean =>
  comm === 'prometheus' ||
  (comm !== null && isQemu(comm)) ||
  (isLauncherPod(pod) && container === 'compute') ||
  (pod !== null && pod.startsWith('prometheus-') && container === 'prometheus');

interface Case {
  /** `<ns>/<pod>` when the pod is known, else null (only the kernel's process name is). */
  pod: string | null;
  podObject: K8sObject | null;
  /** Container name, or the kernel's process name when the container is not known. */
  container: string;
  containerKnown: boolean;
  node: string | null;
  times: (number | null)[];
  evidence: EvidenceRef[];
}

/** Where the kills lie relative to the upgrade, for the message. */
const relation = (times: number[], window: UpgradeWindow): string => {
  const first = times[0];
  if (first !== undefined && first < window.start) return `${spokenDuration(window.start - first)} before the upgrade started`;
  const last = times[times.length - 1];
  if (last !== undefined && window.end !== null && last > window.end) return `${spokenDuration(last - window.end)} after the upgrade ended`;
  return 'outside the upgrade window';
};

export const containerOomKilled: RuleModule = {
  id: 'container-oom-killed',
  meta: {
    title: 'Container OOMKilled',
    severity: 'medium',
    description:
      'Any container other than Prometheus and a VM\'s qemu killed for exceeding its memory limit (pod status ' +
      '`OOMKilled`, kernel `Memory cgroup out of memory: Killed process <pid> (<comm>)`, `SystemOOM`/`OOMKilling` events). ' +
      'Kills outside the upgrade window are still reported, with field `inUpgradeWindow: false` and a message saying they ' +
      'are not tied to the upgrade.',
    remediation:
      'Raise the memory limit of the workload (its Deployment/StatefulSet/DaemonSet, or the chart values of the add-on it ' +
      'belongs to) or reduce its load; for a system component during an upgrade, check whether it recovered and whether ' +
      'the upgrade step that needed it was retried.',
    falsePositives: ['Load or stress tests that are meant to hit their limit.'],
    references: [
      'https://github.com/harvester/harvester/issues/7545',
      'https://github.com/harvester/harvester/issues/4692',
    ],
    sources: ['Pod', 'kernel', 'Event (SystemOOM, OOMKilling)'],
    messages: {
      inWindow: '{{what}} was OOMKilled {{count}} during the upgrade ({{times}}); memory limit {{limit}}.',
      outsideWindow: '{{what}} was OOMKilled {{count}} ({{times}}), {{relation}}: not tied to the upgrade; memory limit {{limit}}.',
      noUpgrade: '{{what}} was OOMKilled {{count}} ({{times}}); memory limit {{limit}}.',
    },
    examples: [
      'Jun 14 04:47:03.512087 harvester-01 kernel: Memory cgroup out of memory: Killed process 90412 (stress) total-vm:1052132kB, anon-rss:1047552kB, file-rss:4kB, shmem-rss:0kB',
    ],
  },
  literals: OOM_LOG_LITERALS,
  create(context) {
    const logs = createOomLogSources();
    return {
      event: logs.event,
      end() {
        const objects = context.objects();
        const window = upgradeWindow(context.upgrade());
        const ooms = containerOoms(objects);
        const cases = new Map<string, Case>();
        const caseFor = (pod: string | null, podObject: K8sObject | null, container: string | null, comm: string, node: string | null): Case => {
          const key = pod ?? `process ${comm} on ${node ?? 'an unknown node'}`;
          let c = cases.get(key);
          if (!c) {
            c = { pod, podObject, container: container ?? comm, containerKnown: container !== null, node, times: [], evidence: [] };
            cases.set(key, c);
          }
          return c;
        };
        const addTime = (c: Case, time: number | null): void => {
          if (time === null || !c.times.some((t) => t !== null && Math.abs(t - time) <= SAME_KILL_MS)) c.times.push(time);
        };

        for (const record of ooms) {
          if (ownedElsewhere(record.pod.name, record.container, null)) continue;
          const c = caseFor(`${record.pod.namespace}/${record.pod.name}`, record.pod, record.container, record.container, record.node);
          addTime(c, record.finishedAt);
          c.evidence.push(record.evidence);
        }
        for (const { kill, target } of logs.kills(objects, ooms)) {
          if (ownedElsewhere(null, null, kill.comm)) continue;
          if (target && ownedElsewhere(target.pod, target.container ?? 'compute', null)) continue; // a virt-launcher's only OOM victim is qemu
          const c = target
            ? caseFor(`${target.namespace}/${target.pod}`, target.object, target.container, kill.comm, kill.node)
            : caseFor(null, null, null, kill.comm, kill.node);
          c.node ??= kill.node;
          addTime(c, kill.time);
          c.evidence.push(...kill.evidence);
        }

        for (const key of [...cases.keys()].sort()) {
          const c = cases.get(key)!;
          const times = c.times.filter((t): t is number => t !== null).sort((a, b) => a - b);
          const inWindow = window === null ? null : times.some((t) => inUpgradeWindow(t, window));
          const limit = containerMemoryLimit(c.podObject ?? undefined, c.container);
          const status = c.podObject ? containerStatuses(c.podObject).find((s) => s.name === c.container) : undefined;
          const count = c.times.length;
          const data = {
            what: c.pod
              ? `${c.containerKnown ? 'Container' : 'Process'} ${c.container} of pod ${c.pod}${c.podObject ? '' : ' (deleted since)'}`
              : `Process ${c.container} on ${c.node ?? 'an unknown node'} (its pod is not known)`,
            count: count === 1 ? 'once' : `${count} times`,
            times: times.length > 0 ? times.map((t) => toIso(t)).join(', ') : 'time unknown',
            limit: limit ?? (c.podObject ? 'not set' : 'unknown'),
            relation: window && inWindow === false ? relation(times, window) : '',
          };
          const fields = {
            container: c.container,
            inUpgradeWindow: inWindow,
            oomKills: count,
            restartCount: status?.restartCount ?? null,
            memoryLimit: limit,
            lastOomAt: toIso(times[times.length - 1] ?? null),
          };
          const messageId = inWindow === null ? 'noUpgrade' : inWindow ? 'inWindow' : 'outsideWindow';
          const evidence = c.evidence.sort(compareEvidence);
          for (const time of c.times) {
            const near = evidence.filter((e) => time === null || e.time === null || Math.abs(e.time - time) <= SAME_KILL_MS);
            context.report({ messageId, node: c.node, subject: key, time, data, evidence: near, fields });
          }
        }
      },
    };
  },
};
