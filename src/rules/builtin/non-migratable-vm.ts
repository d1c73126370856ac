import type { K8sObject, ObjectIndex } from '../../k8s/types.js';
import type { EvidenceRef, RuleModule } from '../types.js';
import { toIso } from '../../util/time.js';
import { plainMessage } from './support/event-fields.js';
import { compareEvidence, eventEvidence, objectEvidence } from './support/evidence.js';
import { hostDeviceNode, nodeLabels, nonMigratableReasons } from './support/migratability.js';

const WEBHOOK = 'There are non-live migratable VMs that need to be shut off before initiating the upgrade:';
const HELPER = /([\w.-]+)\/([\w.-]+) considered non-live migratable due to (.+?)\s*$/;
const HELPER_LIST = /Non-migratable VM\(s\): \[([^\]]*)\]/;
const ADMIN_STOPPED = /vm ([\w.-]+)\/([\w.-]+) was administratively stopped/;
const VM_REF = /^[a-z0-9][\w.-]*\/[\w.-]+$/;

interface VmCase {
  reasons: Set<string>;
  evidence: EvidenceRef[];
  stoppedByPreDrain: boolean;
}

const vmSpec = (vm: K8sObject): any => vm.raw?.spec?.template?.spec;

/** Is the VM running at collection time, where, and what its run strategy says. */
const runState = (objects: ObjectIndex, namespace: string, name: string) => {
  const vm = objects.get('VirtualMachine', namespace, name);
  const vmi = objects.get('VirtualMachineInstance', namespace, name);
  const strategy: string | null =
    typeof vm?.raw?.spec?.runStrategy === 'string'
      ? vm.raw.spec.runStrategy
      : typeof vm?.raw?.spec?.running === 'boolean'
        ? vm.raw.spec.running
          ? 'Always (running: true)'
          : 'Halted (running: false)'
        : null;
  const phase = vmi?.raw?.status?.phase;
  const running: boolean | null = vmi ? phase === 'Running' : vm ? false : null;
  const node = typeof vmi?.raw?.status?.nodeName === 'string' ? (vmi.raw.status.nodeName as string) : null;
  return { vm, vmi, strategy, running, node };
};

const pinnedNode = (spec: any): string | null => {
  const host = spec?.nodeSelector?.['kubernetes.io/hostname'];
  return typeof host === 'string' ? host : null;
};

export const nonMigratableVm: RuleModule = {
  id: 'non-migratable-vm',
  meta: {
    title: 'VM that cannot be live-migrated',
    severity: 'medium',
    description:
      'One finding per VM that cannot live-migrate and so must be shut off for an upgrade or a drain: a node selector, ' +
      'PCI/USB host devices, vGPU (not detected by the v1.5.0 upgrade checks, so the pre-drain waits for it), a required ' +
      'node affinity no other schedulable node satisfies, a CD-ROM or a containerDisk; also the VMs the upgrade webhook ' +
      'named when it refused to start and those the pre-drain stopped. Says whether the VM was running again at collection.',
    remediation:
      'Before an upgrade: shut these VMs off in stages by hand (or remove the pin/device if it is not needed) and note ' +
      'their run strategy. After the upgrade: start them again (`virtctl start <vm> -n <ns>`); on multi-node clusters ' +
      'v1.5.x does not restart VMs the pre-drain stopped. A node selector left on a VMI by a failed migration disappears ' +
      'when the VM is restarted.',
    falsePositives: [
      'A stopped VM that is not meant to run again is reported, but needs nothing.',
      'CD-ROM disks left attached after an installation block migration although nothing uses them; eject them.',
    ],
    references: [
      'https://github.com/harvester/harvester/issues/8147',
      'https://github.com/harvester/harvester/issues/8212',
      'https://github.com/harvester/harvester/pull/8526',
      'https://github.com/harvester/harvester/issues/6212',
    ],
    sources: ['VirtualMachine', 'VirtualMachineInstance', 'Node', 'harvester-webhook', 'pre-drain (upgrade-helper)'],
    messages: {
      upgrade: 'VM {{vm}} cannot be live-migrated ({{reasons}}), so it had to be shut off for the upgrade; {{after}}.',
      readiness:
        'VM {{vm}} cannot be live-migrated ({{reasons}}): shut it off before upgrading, or the pre-drain will stop it ' +
        'and, on a multi-node cluster, not start it again.',
    },
    examples: [
      '2025-06-14T07:48:12.603118421Z time="2025-06-14T07:48:12Z" level=error msg="There are non-live migratable VMs that need to be shut off before initiating the upgrade: default/gpu-worker-01, default/pinned-db-01"',
      '2025-06-14T11:02:41.877190338Z time="2025-06-14T11:02:41Z" level=info msg="default/pinned-db-01 considered non-live migratable due to node selectors"',
    ],
  },
  literals: ['non-live migratable', 'Non-migratable VM(s)', 'was administratively stopped'],
  create(context) {
    const cases = new Map<string, VmCase>();
    const caseOf = (key: string): VmCase => {
      let c = cases.get(key);
      if (!c) cases.set(key, (c = { reasons: new Set(), evidence: [], stoppedByPreDrain: false }));
      return c;
    };
    return {
      event(e) {
        const text = plainMessage(e);
        const at = text.indexOf(WEBHOOK);
        if (at >= 0) {
          for (const ref of text.slice(at + WEBHOOK.length).split(/[\s,"]+/).filter((t) => VM_REF.test(t))) {
            const c = caseOf(ref);
            c.reasons.add('named by the upgrade webhook');
            c.evidence.push(eventEvidence(e));
          }
          return;
        }
        let m = HELPER.exec(text);
        if (m) {
          const c = caseOf(`${m[1]}/${m[2]}`);
          c.reasons.add(m[3].replace(/["}]+$/, ''));
          c.evidence.push(eventEvidence(e));
          return;
        }
        m = HELPER_LIST.exec(text);
        if (m) {
          for (const ref of m[1].split(/\s+/).filter((t) => VM_REF.test(t))) caseOf(ref).evidence.push(eventEvidence(e));
          return;
        }
        m = ADMIN_STOPPED.exec(text);
        if (m) {
          const c = caseOf(`${m[1]}/${m[2]}`);
          c.stoppedByPreDrain = true;
          c.evidence.push(eventEvidence(e));
        }
      },
      end() {
        const objects = context.objects();
        const nodes = objects.byKind('Node');
        const clusterSize = Math.max(nodes.length, context.facts().nodes.length);
        if (clusterSize === 1) return; // single node: every VM is shut off by design, nothing to migrate to
        const labels = nodeLabels(nodes);
        const nodeNames = [...new Set([...nodes.map((n) => n.name), ...context.facts().nodes])];
        const isRepoVm = (o: K8sObject): boolean => o.raw?.metadata?.labels?.['harvesterhci.io/upgrade'] !== undefined;

        for (const kind of ['VirtualMachine', 'VirtualMachineInstance']) {
          for (const o of objects.byKind(kind)) {
            if (!o.namespace || isRepoVm(o)) continue;
            const spec = kind === 'VirtualMachine' ? vmSpec(o) : o.raw?.spec;
            const current = kind === 'VirtualMachineInstance' ? (o.raw?.status?.nodeName ?? null) : null;
            const reasons = nonMigratableReasons(spec, labels, current);
            if (reasons.length === 0) continue;
            const c = caseOf(`${o.namespace}/${o.name}`);
            // A VMI reason its VM's template lacks (a node selector left by a failed migration) is named as such.
            const owner = kind === 'VirtualMachineInstance' ? objects.get('VirtualMachine', o.namespace, o.name) : undefined;
            const template = owner ? nonMigratableReasons(vmSpec(owner), labels, null) : null;
            for (const r of reasons) c.reasons.add(template && !template.includes(r) ? `${r} (on the VMI only)` : r);
            c.evidence.push(objectEvidence(o, `${kind} ${o.namespace}/${o.name}: ${reasons.join('; ')}`));
          }
        }

        const upgrade = context.upgrade();
        for (const key of [...cases.keys()].sort()) {
          const c = cases.get(key)!;
          const [namespace, name] = key.split('/');
          const state = runState(objects, namespace, name);
          // Ready for an upgrade means: nothing running that cannot move. A stopped VM blocks nothing.
          if (!upgrade && state.running !== true && c.evidence.every((e) => e.file.startsWith('yamls/'))) continue;
          const reasons = [...c.reasons].filter((r) => r !== 'named by the upgrade webhook');
          const reasonText = (reasons.length > 0 ? reasons : [...c.reasons]).join('; ') || 'named by the pre-drain';
          const spec = state.vm ? vmSpec(state.vm) : state.vmi?.raw?.spec;
          const node = state.node ?? pinnedNode(spec) ?? hostDeviceNode(spec, objects, nodeNames);
          const after =
            state.running === true
              ? `it was running again at collection time${state.node ? ` on ${state.node}` : ''}`
              : state.running === false
                ? `it was still stopped at collection time${state.strategy ? ` (run strategy ${state.strategy})` : ''}: ` +
                  'start it again if it should run'
                : 'whether it runs again cannot be told (no VirtualMachine object in the bundle)';
          const evidence = c.evidence.sort(compareEvidence);
          const time = evidence.find((e) => e.time !== null)?.time ?? null;
          context.report({
            messageId: upgrade ? 'upgrade' : 'readiness',
            node,
            subject: key,
            time,
            data: { vm: key, reasons: reasonText, after },
            evidence,
            fields: {
              reasons: reasonText,
              runningAtCollection: state.running,
              runStrategy: state.strategy,
              stoppedByPreDrain: c.stoppedByPreDrain,
              firstReportedAt: toIso(time),
            },
          });
        }
      },
    };
  },
};
