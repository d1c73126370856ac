import type { RuleModule } from '../types.js';
import { toIso } from '../../util/time.js';
import { objectEvidence } from './support/evidence.js';
import { parseK8sTime } from '../../k8s/k8s-time.js';
import { containerMemoryLimit, podNode } from './support/pods.js';
import { formatBytes, parseQuantity } from './support/quantity.js';

/** Above this share of its limit, the extra load of an upgrade is likely to OOM-kill Prometheus. */
const NEAR_LIMIT = 0.8;
const PROMETHEUS = 'prometheus';

export const prometheusMemoryNearLimit: RuleModule = {
  id: 'prometheus-memory-near-limit',
  meta: {
    title: 'Prometheus memory near its limit',
    severity: 'low',
    description:
      'The Prometheus container used more than 80% of its memory limit when the bundle was collected (PodMetrics in ' +
      '`yamls/namespaced/cattle-monitoring-system/metrics.k8s.io/v1beta1/pods.yaml` against the pod\'s ' +
      '`resources.limits.memory`). The extra activity of an upgrade raises its memory use; close to the limit it gets OOMKilled.',
    remediation:
      'Raise the Prometheus memory request and limit in the rancher-monitoring add-on (Prometheus → resources) before ' +
      'upgrading, or shorten its retention.',
    falsePositives: ['A short usage peak at the moment of collection (compaction, a heavy query).'],
    references: ['https://github.com/harvester/harvester/issues/4692', 'https://github.com/harvester/harvester/issues/1887'],
    sources: ['PodMetrics (metrics.k8s.io)', 'Pod (cattle-monitoring-system)'],
    messages: {
      nearLimit: 'Prometheus {{pod}} used {{usage}} of its {{limit}} memory limit ({{percent}}%) at {{time}}{{impact}}.',
    },
    examples: ['PodMetrics cattle-monitoring-system/prometheus-rancher-monitoring-prometheus-0 container prometheus: memory 2304Mi'],
  },
  literals: [],
  create(context) {
    return {
      end() {
        const objects = context.objects();
        const upgrade = context.upgrade();
        for (const metrics of objects.byKind('PodMetrics')) {
          if (!metrics.name.startsWith('prometheus-')) continue;
          const containers: any[] = Array.isArray(metrics.raw?.containers) ? metrics.raw.containers : [];
          const usageText = containers.find((c) => c?.name === PROMETHEUS)?.usage?.memory;
          const usage = parseQuantity(usageText);
          const pod = objects.get('Pod', metrics.namespace, metrics.name);
          const limitText = containerMemoryLimit(pod, PROMETHEUS);
          const limit = parseQuantity(limitText);
          if (usage === null || limit === null || limit <= 0 || usage / limit <= NEAR_LIMIT) continue;
          const time = parseK8sTime(metrics.raw?.timestamp);
          const percent = Math.round((usage / limit) * 100);
          const subject = `${metrics.namespace}/${metrics.name}`;
          context.report({
            messageId: 'nearLimit',
            node: podNode(pod),
            subject,
            time,
            data: {
              pod: subject,
              usage: formatBytes(usage),
              limit: limitText!,
              percent,
              time: toIso(time) ?? 'collection',
              impact: upgrade ? '' : ': an upgrade is likely to OOM-kill it; raise its memory first',
            },
            evidence: [
              objectEvidence(metrics, `PodMetrics ${subject} container ${PROMETHEUS}: memory ${usageText}`, time),
              ...(pod ? [objectEvidence(pod, `Pod ${subject} container ${PROMETHEUS}: resources.limits.memory ${limitText}`)] : []),
            ],
            fields: { usageBytes: usage, limitBytes: limit, percentOfLimit: percent },
          });
        }
      },
    };
  },
};
