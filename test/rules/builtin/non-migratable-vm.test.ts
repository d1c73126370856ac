import { describe, expect, it } from 'vitest';
import { nonMigratableVm as rule } from '../../../src/rules/builtin/non-migratable-vm.js';
import { runRule } from '../../../src/rules/testing/run-rule.js';
import { at, BUNDLE_CREATED, brief, cited, cri, iso, k8s, node, story } from './fixtures.js';

const vm = (name: string, spec: Record<string, any>, top: Record<string, any> = { runStrategy: 'Halted' }) =>
  k8s('VirtualMachine', 'kubevirt.io/v1', 'default', name, { spec: { ...top, template: { spec } } }, 'yamls/namespaced/default/kubevirt.io/v1/virtualmachines.yaml');
const vmi = (name: string, nodeName: string, spec: Record<string, any> = {}) =>
  k8s('VirtualMachineInstance', 'kubevirt.io/v1', 'default', name, { spec, status: { phase: 'Running', nodeName } }, 'yamls/namespaced/default/kubevirt.io/v1/virtualmachineinstances.yaml');
const nodes = ['harvester-01', 'harvester-02', 'harvester-03'].map((n) =>
  node(n, { metadata: { labels: { 'kubernetes.io/hostname': n, 'network.harvesterhci.io/mgmt': 'true', ...(n === 'harvester-03' ? { gpu: 'a100' } : {}) } } }),
);
const facts = { createdAt: at(BUNDLE_CREATED), nodes: ['harvester-01', 'harvester-02', 'harvester-03'] };
const WEBHOOK_LOG = 'logs/harvester-system/harvester-webhook-7c9d8b6f5-2xkqz/harvester-webhook.log';
/** A GPU passed through: Harvester names the device `<node>-<PCI address>`. */
const PCI = { domain: { devices: { hostDevices: [{ name: 'harvester-03-0000b1000', deviceName: 'nvidia.com/GA107GL_A2_PCIE' }], disks: [{ name: 'disk-0', disk: { bus: 'virtio' } }] } } };
const PINNED = { nodeSelector: { 'kubernetes.io/hostname': 'harvester-02' }, domain: { devices: { disks: [] } } };
const affinity = (key: string, values: string[]) => ({
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator: 'In', values }] }] } } },
});

describe('non-migratable-vm', () => {
  it('reports each VM that cannot migrate once, with its reasons and whether it runs again', () => {
    const findings = runRule(rule, {
      facts,
      upgrade: story(),
      objects: [
        ...nodes,
        vm('gpu-worker-01', PCI),
        vm('pinned-db-01', PINNED, { running: true }),
        vmi('pinned-db-01', 'harvester-02', PINNED),
        vm('gpu-only-03', affinity('gpu', ['a100'])),
        vm('iso-install-01', { domain: { devices: { disks: [{ name: 'cdrom-disk', cdrom: { bus: 'sata' } }] } } }),
        vm('web-01', { ...affinity('network.harvesterhci.io/mgmt', ['true']), domain: { devices: { disks: [{ name: 'disk-0', disk: {} }] } } }, { running: true }),
        vmi('web-01', 'harvester-01', affinity('network.harvesterhci.io/mgmt', ['true'])),
        k8s('VirtualMachine', 'kubevirt.io/v1', 'harvester-system', 'upgrade-repo-hvst-upgrade-x2hz8', {
          metadata: { labels: { 'harvesterhci.io/upgrade': 'hvst-upgrade-x2hz8' } },
          spec: { template: { spec: { domain: { devices: { disks: [{ name: 'iso', cdrom: {} }] } } } } },
        }),
      ],
      members: [
        {
          path: WEBHOOK_LOG,
          lines: [
            cri(
              '2025-06-14T07:48:12.603118421Z',
              'time="2025-06-14T07:48:12Z" level=error msg="There are non-live migratable VMs that need to be shut off before initiating the upgrade: default/gpu-worker-01, default/pinned-db-01"',
            ),
          ],
        },
      ],
    });
    expect(brief(findings).map((f) => [f.subject, f.node])).toEqual(
      expect.arrayContaining([
        ['default/gpu-worker-01', 'harvester-03'],
        ['default/pinned-db-01', 'harvester-02'],
        ['default/gpu-only-03', null],
        ['default/iso-install-01', null],
      ]),
    );
    expect(findings).toHaveLength(4);
    expect(findings.every((f) => f.severity === 'medium')).toBe(true);

    const gpu = findings.find((f) => f.subject === 'default/gpu-worker-01')!;
    expect(gpu.message).toBe(
      'VM default/gpu-worker-01 cannot be live-migrated (host devices (PCI/USB passthrough) nvidia.com/GA107GL_A2_PCIE), ' +
        'so it had to be shut off for the upgrade; it was still stopped at collection time (run strategy Halted): start it again if it should run.',
    );
    expect(gpu.fields.runningAtCollection).toBe(false);
    expect(iso(gpu.firstSeen)).toBe('2025-06-14T07:48:12.603Z');
    expect(cited(gpu)[0]).toBe(`${WEBHOOK_LOG}:1`);

    const pinned = findings.find((f) => f.subject === 'default/pinned-db-01')!;
    expect(pinned.fields).toMatchObject({ runningAtCollection: true, runStrategy: 'Always (running: true)' });
    expect(pinned.fields.reasons).toBe('node selector kubernetes.io/hostname=harvester-02');
    expect(pinned.message).toContain('it was running again at collection time on harvester-02');

    expect(findings.find((f) => f.subject === 'default/gpu-only-03')!.message).toContain('required node affinity no other schedulable node satisfies');
  });

  it('names a node selector that only the VMI carries (left by a failed migration)', () => {
    const [f] = runRule(rule, {
      facts,
      upgrade: story(),
      objects: [...nodes, vm('web-07', { domain: { devices: { disks: [] } } }, { running: true }), vmi('web-07', 'harvester-02', PINNED)],
    });
    expect(f.fields.reasons).toBe('node selector kubernetes.io/hostname=harvester-02 (on the VMI only)');
  });

  it('reads the pre-drain detector and marks the VMs it stopped', () => {
    const [f, ...rest] = runRule(rule, {
      facts,
      upgrade: story(),
      objects: nodes,
      members: [
        {
          path: 'logs/harvester-system/hvst-upgrade-x2hz8-pre-drain-harvester-03-7kq2z/apply.log',
          lines: [
            cri('2025-06-14T10:05:31.100200300Z', 'time="2025-06-14T10:05:31Z" level=info msg="Starting VM Live Migrate Detector"'),
            cri('2025-06-14T10:05:31.300200300Z', 'time="2025-06-14T10:05:31Z" level=info msg="default/legacy-01 considered non-live migratable due to CD-ROM or container disk"'),
            cri('2025-06-14T10:05:33.900200300Z', 'time="2025-06-14T10:05:33Z" level=info msg="vm default/legacy-01 was administratively stopped"'),
          ],
        },
      ],
    });
    expect(rest).toEqual([]);
    expect(f.subject).toBe('default/legacy-01');
    expect(f.fields).toMatchObject({ reasons: 'CD-ROM or container disk', stoppedByPreDrain: true, runningAtCollection: null });
    expect(f.message).toContain('whether it runs again cannot be told');
  });

  it('before an upgrade, speaks of readiness and ignores stopped VMs', () => {
    const findings = runRule(rule, {
      facts,
      upgrade: null,
      objects: [...nodes, vm('gpu-worker-01', PCI), vm('pinned-db-01', PINNED, { running: true }), vmi('pinned-db-01', 'harvester-02', PINNED)],
    });
    expect(brief(findings)).toEqual([{ rule: 'non-migratable-vm', severity: 'medium', node: 'harvester-02', subject: 'default/pinned-db-01' }]);
    expect(findings[0].message).toContain('shut it off before upgrading');
  });

  it('stays silent for migratable VMs and on a single-node cluster', () => {
    const migratable = runRule(rule, {
      facts,
      upgrade: story(),
      objects: [...nodes, vm('web-01', affinity('network.harvesterhci.io/mgmt', ['true']), { running: true }), vmi('web-01', 'harvester-01')],
    });
    expect(migratable).toEqual([]);
    const single = runRule(rule, { facts: { ...facts, nodes: ['harvester-01'] }, upgrade: story(), objects: [nodes[0], vm('gpu-worker-01', PCI)] });
    expect(single).toEqual([]);
  });
});
