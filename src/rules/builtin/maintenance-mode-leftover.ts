import type { K8sObject } from '../../k8s/types.js';
import type { EvidenceRef, RuleModule, Severity } from '../types.js';
import { toIso } from '../../util/time.js';
import { fieldOf, plainMessage } from './support/event-fields.js';
import { eventEvidence, objectEvidence } from './support/evidence.js';
import { isUpgradeFinished } from './support/upgrade-window.js';

const MAINTAIN_STATUS = 'harvesterhci.io/maintain-status';
const DRAIN_REQUESTED = 'harvesterhci.io/drain-requested';
const DRAIN_FORCED = 'harvesterhci.io/drain-forced';
const PENDING_OS_IMAGE = 'harvesterhci.io/pendingOSImage';
const VM_MAINTENANCE_NODE = 'harvesterhci.io/maintain-mode-strategy-node-name';
const MAINTENANCE_KEYS = [MAINTAIN_STATUS, DRAIN_REQUESTED, DRAIN_FORCED];

const ENTER = 'attempting to place node in maintenance mode';
const FORCED = /forced drain requested for node ([\w.-]+)/;

interface NodeState {
  maintenance: string[];
  drain: string[];
  pendingOsImage: boolean;
}

/** The maintenance-mode and drain keys a Node carries, as `key=value` texts. */
const nodeState = (node: K8sObject): NodeState => {
  const annotations: Record<string, unknown> = node.raw?.metadata?.annotations ?? {};
  const maintenance = MAINTENANCE_KEYS.filter((k) => annotations[k] !== undefined).map((k) => `${k}=${annotations[k]}`);
  const drain: string[] = [];
  const taints: any[] = Array.isArray(node.raw?.spec?.taints) ? node.raw.spec.taints : [];
  for (const t of taints)
    if (t?.key === 'kubevirt.io/drain') drain.push(`taint kubevirt.io/drain${t.value ? `=${t.value}` : ''}:${t.effect ?? ''}`);
  if (node.raw?.spec?.unschedulable === true) drain.push('spec.unschedulable=true');
  return { maintenance, drain, pendingOsImage: annotations[PENDING_OS_IMAGE] !== undefined };
};

export const maintenanceModeLeftover: RuleModule = {
  id: 'maintenance-mode-leftover',
  meta: {
    title: 'Maintenance-mode or drain state left on a node',
    severity: 'high',
    description:
      'Nodes that carry maintenance-mode or drain state (`harvesterhci.io/maintain-status`, `harvesterhci.io/drain-requested`, ' +
      '`harvesterhci.io/drain-forced`, the `kubevirt.io/drain` taint, `spec.unschedulable`, `harvesterhci.io/pendingOSImage`) ' +
      'while an upgrade runs or after it ended. The upgrade does not use maintenance mode, so such state is left over from ' +
      'an earlier maintenance window and can mislead the upgrade flow. Without an upgrade, a node in a planned maintenance ' +
      'that is still active is reported at low severity (the upgrade webhook refuses to start while a node is unschedulable).',
    remediation:
      'If the maintenance is over, disable maintenance mode on the node in the Harvester UI (Hosts → Disable Maintenance ' +
      'Mode); if the annotations stay, remove them by hand: `kubectl annotate node <node> harvesterhci.io/maintain-status- ' +
      'harvesterhci.io/drain-requested- harvesterhci.io/drain-forced-`, `kubectl taint node <node> kubevirt.io/drain-` and ' +
      '`kubectl uncordon <node>`. Check every node this way before starting an upgrade.',
    falsePositives: [
      'A node put into maintenance on purpose after the upgrade ended (check when the maintenance started).',
      'While an upgrade is still running, the drain of the node being upgraded is expected; only maintenance annotations are reported then.',
    ],
    references: [
      'https://github.com/harvester/harvester/issues/3892',
      'https://github.com/harvester/harvester/issues/5598',
      'https://github.com/harvester/harvester/issues/1493',
      'https://github.com/harvester/harvester/issues/8442',
    ],
    sources: ['Node', 'VirtualMachine', 'harvester'],
    messages: {
      afterUpgrade: 'Node {{node}} still carried {{keys}} after the upgrade ended{{since}}.',
      duringUpgrade:
        'Node {{node}} carried maintenance-mode state ({{keys}}) while the upgrade ran{{since}}: left over from an earlier ' +
        'maintenance window, it can mislead the upgrade flow.',
      staleBeforeUpgrade:
        'Node {{node}} carries maintenance-mode state ({{keys}}) although it is schedulable{{since}}: a leftover from an ' +
        'earlier maintenance window; clear it before upgrading.',
      activeMaintenance:
        'Node {{node}} is in maintenance or cordoned ({{keys}}){{since}}: the upgrade webhook will refuse to start while it is ' +
        'unschedulable; disable maintenance mode before upgrading.',
    },
    examples: [
      'Node harvester-02: harvesterhci.io/maintain-status=completed',
      '2025-06-10T14:05:51.337019412Z time="2025-06-10T14:05:51Z" level=info msg="attempting to place node in maintenance mode" node_name=harvester-02',
    ],
  },
  literals: [ENTER, 'forced drain requested for node'],
  create(context) {
    const entered = new Map<string, EvidenceRef[]>();
    return {
      event(e) {
        const text = plainMessage(e);
        const node = text.includes(ENTER) ? fieldOf(e, 'node_name') : (FORCED.exec(text)?.[1] ?? null);
        if (!node) return;
        const list = entered.get(node) ?? [];
        list.push(eventEvidence(e));
        entered.set(node, list);
      },
      end() {
        const objects = context.objects();
        const story = context.upgrade();
        const finished = story !== null && isUpgradeFinished(story);
        const vmsByNode = new Map<string, K8sObject[]>();
        for (const vm of objects.byKind('VirtualMachine')) {
          const node = vm.raw?.metadata?.annotations?.[VM_MAINTENANCE_NODE];
          if (typeof node === 'string') vmsByNode.set(node, [...(vmsByNode.get(node) ?? []), vm]);
        }
        for (const node of objects.byKind('Node')) {
          const state = nodeState(node);
          let messageId: string;
          let keys: string[];
          let severity: Severity | undefined;
          if (story && finished) {
            keys = [...state.maintenance, ...state.drain, ...(state.pendingOsImage ? [PENDING_OS_IMAGE] : [])];
            messageId = 'afterUpgrade';
          } else if (story) {
            keys = state.maintenance; // the drain of a node being upgraded is the upgrade's own
            messageId = 'duringUpgrade';
          } else {
            keys = [...state.maintenance, ...state.drain, ...(state.pendingOsImage ? [PENDING_OS_IMAGE] : [])];
            const activeMaintenance = state.drain.length > 0 && !state.pendingOsImage;
            messageId = activeMaintenance ? 'activeMaintenance' : 'staleBeforeUpgrade';
            if (activeMaintenance) severity = 'low';
          }
          if (keys.length === 0) continue;
          const lines = (entered.get(node.name) ?? []).filter((e) => e.time !== null);
          const since = lines.length > 0 ? lines[lines.length - 1].time : null;
          const evidence: EvidenceRef[] = [objectEvidence(node, `Node ${node.name}: ${keys.join(', ')}`)];
          if (lines.length > 0) evidence.push(lines[lines.length - 1]);
          for (const vm of vmsByNode.get(node.name) ?? [])
            evidence.push(objectEvidence(vm, `VirtualMachine ${vm.namespace}/${vm.name}: ${VM_MAINTENANCE_NODE}=${node.name}`));
          context.report({
            messageId,
            node: node.name,
            time: since,
            severity,
            data: { node: node.name, keys: keys.join(', '), since: since !== null ? ` (maintenance mode entered ${toIso(since)})` : '' },
            evidence,
            fields: {
              keys: keys.join(', '),
              maintainStatus: node.raw?.metadata?.annotations?.[MAINTAIN_STATUS] ?? null,
              unschedulable: node.raw?.spec?.unschedulable === true,
              maintenanceSince: toIso(since),
              vmsStoppedByMaintenance: (vmsByNode.get(node.name) ?? []).length,
            },
          });
        }
      },
    };
  },
};
