import type { RuleModule } from '../types.js';
import { toIso } from '../../util/time.js';
import { objectEvidence } from './support/evidence.js';
import { parseK8sTime } from '../../k8s/k8s-time.js';

export const nodeNotReady: RuleModule = {
  id: 'node-not-ready',
  meta: {
    title: 'Node not Ready',
    severity: 'medium',
    description:
      'A Node whose `Ready` condition was `False` or `Unknown` when the bundle was collected. Before an upgrade, the upgrade ' +
      'webhook refuses to start (`node <n> is not ready, please wait for it to be ready`); after one, the node did not come ' +
      'back healthy.',
    remediation:
      'Check the node: `kubectl describe node <node>` (conditions, kubelet messages), its rke2-server/rke2-agent journal and ' +
      'kubelet.log in the bundle; bring kubelet and RKE2 back before starting or continuing an upgrade.',
    falsePositives: ['A node that was rebooting (e.g. its post-drain reboot) at the moment the bundle was collected.'],
    references: ['https://github.com/harvester/harvester/issues/8947'],
    sources: ['Node'],
    messages: {
      notReady: 'Node {{node}} was not Ready at collection (Ready={{status}} since {{since}}{{reason}}){{impact}}.',
    },
    examples: ['Node harvester-02: condition Ready=Unknown, reason NodeStatusUnknown, message Kubelet stopped posting node status.'],
  },
  literals: [],
  create(context) {
    return {
      end() {
        const upgrade = context.upgrade();
        for (const node of context.objects().byKind('Node')) {
          const conditions: any[] = Array.isArray(node.raw?.status?.conditions) ? node.raw.status.conditions : [];
          const ready = conditions.find((c) => c?.type === 'Ready');
          if (!ready || (ready.status !== 'False' && ready.status !== 'Unknown')) continue;
          const since = parseK8sTime(ready.lastTransitionTime) ?? parseK8sTime(ready.lastHeartbeatTime);
          const reason = [ready.reason, ready.message].filter((x) => typeof x === 'string' && x !== '').join(': ');
          context.report({
            messageId: 'notReady',
            node: node.name,
            time: since,
            data: {
              node: node.name,
              status: ready.status,
              since: toIso(since) ?? 'an unknown time',
              reason: reason ? `, ${reason}` : '',
              impact: upgrade ? '' : ': the upgrade webhook will refuse to start until it is Ready',
            },
            evidence: [objectEvidence(node, `Node ${node.name}: condition Ready=${ready.status}${reason ? `, ${reason}` : ''}`, since)],
            fields: { readyStatus: ready.status, since: toIso(since), reason: ready.reason ?? null },
          });
        }
      },
    };
  },
};
