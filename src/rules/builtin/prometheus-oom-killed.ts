import type { K8sObject } from '../../k8s/types.js';
import type { EvidenceRef, RuleModule } from '../types.js';
import { toIso } from '../../util/time.js';
import { compareEvidence } from './support/evidence.js';
import { containerOoms, createOomLogSources, OOM_LOG_LITERALS } from './support/oom-records.js';
import { containerMemoryLimit, containerStatuses, podNode } from './support/pods.js';
import { inUpgradeWindow, upgradeWindow } from './support/upgrade-window.js';

const PROMETHEUS = 'prometheus';
/** Two records of one kill (kernel line, pod status, event) are at most this far apart. */
const SAME_KILL_MS = 60_000;

const isPrometheusPod = (pod: K8sObject): boolean =>
  pod.name.startsWith('prometheus-') && containerStatuses(pod).some((s) => s.name === PROMETHEUS);

/** ` during the upgrade`, `, 2 of them during the upgrade`, ` outside the upgrade window`, or nothing without an upgrade. */
const relationToUpgrade = (count: number, inWindow: number, upgrade: boolean): string => {
  if (!upgrade) return '';
  if (inWindow === count) return ' during the upgrade';
  return inWindow > 0 ? `, ${inWindow} of them during the upgrade` : ' outside the upgrade window';
};

interface Case {
  pod: K8sObject | null;
  node: string | null;
  times: (number | null)[];
  evidence: EvidenceRef[];
}

const addTime = (c: Case, time: number | null): void => {
  if (time !== null && c.times.some((t) => t !== null && Math.abs(t - time) <= SAME_KILL_MS)) return;
  c.times.push(time);
};

export const prometheusOomKilled: RuleModule = {
  id: 'prometheus-oom-killed',
  meta: {
    title: 'Prometheus OOMKilled',
    severity: 'high',
    description:
      'The Prometheus container of rancher-monitoring was killed for exceeding its memory limit: pod status ' +
      '`lastState.terminated.reason: OOMKilled`, kernel `Memory cgroup out of memory: Killed process <pid> (prometheus)` / ' +
      '`prometheus invoked oom-killer`, `SystemOOM` events. Reports how often, when, and the memory limit in force. The extra ' +
      'activity of an upgrade (pods moving, volumes rebuilding) raises the series count and Prometheus\' memory with it.',
    remediation:
      'Raise the Prometheus memory request and limit in the rancher-monitoring add-on (Advanced → Add-ons → ' +
      'rancher-monitoring → Prometheus → resources, e.g. limit 4Gi or more for large clusters) or shorten its retention, ' +
      'before the next upgrade. Check that the monitoring data of the incident window survived.',
    falsePositives: ['A deliberately small limit on a test cluster.'],
    references: [
      'https://github.com/harvester/harvester/issues/4692',
      'https://github.com/harvester/harvester/issues/1887',
      'https://github.com/harvester/harvester/issues/1531',
    ],
    sources: ['Pod (cattle-monitoring-system)', 'kernel', 'Event (SystemOOM)'],
    messages: {
      oomKilled:
        'Prometheus {{pod}} was OOMKilled {{count}}{{context}} ({{times}}); restartCount {{restarts}}, memory limit {{limit}}.',
    },
    examples: [
      'Jun 14 10:12:40.901233 harvester-03 kernel: Memory cgroup out of memory: Killed process 48213 (prometheus) total-vm:6312040kB, anon-rss:2558712kB, file-rss:0kB, shmem-rss:0kB',
      'Pod cattle-monitoring-system/prometheus-rancher-monitoring-prometheus-0 container prometheus: lastState.terminated.reason OOMKilled, exitCode 137, restartCount 6',
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
        const caseFor = (pod: K8sObject | null, node: string | null): Case => {
          const key = pod ? `${pod.namespace}/${pod.name}` : `${PROMETHEUS} on ${node ?? 'an unknown node'}`;
          let c = cases.get(key);
          if (!c) cases.set(key, (c = { pod, node: pod ? podNode(pod) : node, times: [], evidence: [] }));
          return c;
        };
        const prometheusPods = objects.byKind('Pod').filter(isPrometheusPod);

        for (const { kill, target } of logs.kills(objects, ooms)) {
          if (kill.comm !== PROMETHEUS) continue;
          const attributed = target?.object ?? undefined;
          const onNode = prometheusPods.filter((p) => podNode(p) === kill.node);
          const pod = attributed ?? (onNode.length === 1 ? onNode[0] : prometheusPods.length === 1 ? prometheusPods[0] : null);
          const c = caseFor(pod, kill.node);
          addTime(c, kill.time);
          c.evidence.push(...kill.evidence);
        }
        for (const record of ooms) {
          if (record.container !== PROMETHEUS || !isPrometheusPod(record.pod)) continue;
          const c = caseFor(record.pod, record.node);
          addTime(c, record.finishedAt);
          c.evidence.push(record.evidence);
        }

        for (const key of [...cases.keys()].sort()) {
          const c = cases.get(key)!;
          const times = c.times.filter((t): t is number => t !== null).sort((a, b) => a - b);
          const status = c.pod ? containerStatuses(c.pod).find((s) => s.name === PROMETHEUS) : undefined;
          const limit = containerMemoryLimit(c.pod ?? undefined, PROMETHEUS);
          const inWindow = times.filter((t) => inUpgradeWindow(t, window)).length;
          const count = c.times.length;
          const data = {
            pod: key,
            count: count === 1 ? 'once' : `${count} times`,
            context: relationToUpgrade(count, inWindow, window !== null),
            times: times.length > 0 ? times.map((t) => toIso(t)).join(', ') : 'time unknown',
            restarts: status?.restartCount ?? 'unknown',
            limit: limit ?? 'not set',
          };
          const fields = {
            oomKills: count,
            oomKillsInUpgradeWindow: inWindow,
            restartCount: status?.restartCount ?? null,
            memoryLimit: limit,
            lastOomAt: toIso(times[times.length - 1] ?? null),
          };
          // One report per kill: the merged finding counts them and spans the first to the last.
          const evidence = c.evidence.sort(compareEvidence);
          for (const time of c.times.length > 0 ? c.times : [null]) {
            const near = evidence.filter((e) => time === null || e.time === null || Math.abs(e.time - time) <= SAME_KILL_MS);
            context.report({ messageId: 'oomKilled', node: c.node, subject: key, time, data, evidence: near, fields });
          }
        }
      },
    };
  },
};
