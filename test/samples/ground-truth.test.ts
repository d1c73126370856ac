import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { groundTruth } from '../../src/samples/ground-truth.js';
import { journalLine } from '../../src/samples/line-formats.js';
import type { ZipMember } from './zip-read.js';
import { readZip } from './zip-read.js';

const samples = join(import.meta.dirname, '../../samples');
const count = (ids: string[], id: string): number => ids.filter((x) => x === id).length;

describe('ground truth of the incident', () => {
  const truth = groundTruth('upgrade-v1.4.2-to-v1.5.0-incident');
  const ids = truth.expected.map((e) => e.ruleId);
  let nodeZips: Record<string, ZipMember[]> = {};

  beforeAll(async () => {
    const outer = await readZip(join(samples, 'upgrade-v1.4.2-to-v1.5.0-incident.zip'));
    for (const m of outer.filter((x) => x.name.endsWith('.zip'))) nodeZips[m.name.split('/').pop()!.replace('.zip', '')] = await readZip(m.data);
  });
  const nodeFile = (node: string, file: string): string => nodeZips[node].find((m) => m.name === `${node}/logs/${file}`)!.data.toString();

  it('lists the expected findings of the field report', () => {
    expect(truth.expected.filter((e) => e.ruleId === 'rke2-upgrade-without-pre-drain').map((e) => e.node)).toEqual(['harvester-01', 'harvester-02']);
    expect(count(ids, 'vm-abrupt-shutdown')).toBe(40);
    expect(count(ids, 'non-migratable-vm')).toBe(5);
    expect(truth.expected.find((e) => e.ruleId === 'maintenance-mode-leftover')?.node).toBe('harvester-02');
    expect(truth.expected.find((e) => e.ruleId === 'prometheus-oom-killed')?.node).toBe('harvester-03');
    expect(count(ids, 'container-oom-killed')).toBe(1);
    expect(truth.expected.find((e) => e.ruleId === 'longhorn-drain-blocked')?.node).toBe('harvester-03');
    expect(count(ids, 'longhorn-volume-unhealthy')).toBe(1);
    expect(count(ids, 'collection-gap')).toBe(1);
    expect(ids).not.toContain('upgrade-stalled');
  });

  it('kills about two thirds of the VMs, all on the nodes upgraded without a pre-drain', () => {
    const killed = truth.expected.filter((e) => e.ruleId === 'vm-abrupt-shutdown');
    expect(new Set(killed.map((e) => e.node))).toEqual(new Set(['harvester-01', 'harvester-02']));
    expect(killed.length / 60).toBeCloseTo(2 / 3, 1);
  });

  it('upgrades RKE2 on harvester-01/02 before their pre-drain job and on harvester-03 after it, over about four hours', () => {
    const node = (n: string) => truth.upgrade.nodes.find((x) => x.node === n)!;
    for (const n of ['harvester-01', 'harvester-02']) expect(node(n).rke2UpgradedAt!).toBeLessThan(node(n).preDrain!.start);
    expect(node('harvester-03').rke2UpgradedAt!).toBeGreaterThan(node('harvester-03').preDrain!.end);
    const hours = (truth.upgrade.finishedAt! - truth.upgrade.createdAt) / 3_600_000;
    expect(hours).toBeGreaterThan(3.5);
    expect(hours).toBeLessThan(4.8);
    expect(truth.upgrade.nodes.every((n) => n.finalState === 'Succeeded')).toBe(true);
  });

  it('matches the node logs: the kills in kubelet.log and the rke2 stop in the (skewed) journal', () => {
    for (const e of truth.expected.filter((x) => x.ruleId === 'rke2-upgrade-without-pre-drain')) {
      const skew = truth.clockSkew.find((s) => s.node === e.node)?.offsetMs ?? 0;
      const stamp = journalLine((e.time! + skew) * 1000, e.node!, 'systemd', 1, '').slice(0, 15);
      expect(nodeFile(e.node!, 'rke2-server.log')).toContain(`${stamp}`);
      expect(nodeFile(e.node!, 'rancher-system-agent.log')).toContain('Detected first start, force-applying one-time instruction set');
    }
    for (const e of truth.expected.filter((x) => x.ruleId === 'vm-abrupt-shutdown')) {
      const vm = e.subject!.split('/')[1];
      expect(nodeFile(e.node!, 'kubelet.log')).toMatch(new RegExp(`"Killing container with a grace period" pod="default/virt-launcher-${vm}-[a-z0-9]{5}" .*containerName="compute" .*gracePeriod=2`));
    }
    expect(truth.clockSkew).toEqual([{ node: 'harvester-02', offsetMs: 4000 }]);
  });

  it('names the benign look-alikes that must stay silent', () => {
    const silent = truth.silent.map((s) => `${s.ruleId} ${s.node ?? ''} ${s.subject ?? ''}`);
    expect(silent).toContain('rke2-upgrade-without-pre-drain harvester-03 ');
    const graceful = truth.silent.find((s) => s.ruleId === 'vm-abrupt-shutdown' && s.why.startsWith('graceful'))!;
    expect(truth.expected.some((e) => e.subject === graceful.subject)).toBe(false);
  });
});

describe('ground truth of the other scenarios', () => {
  it('clean: nothing above informational', () => {
    const truth = groundTruth('upgrade-v1.4.2-to-v1.5.0-clean');
    expect(truth.expected).toEqual([]);
    expect(truth.upgrade.state).toBe('Succeeded');
    expect(truth.silent.some((s) => s.ruleId === 'maintenance-mode-leftover' && s.node === 'harvester-01')).toBe(true);
  });

  it('stalled: harvester-02 stuck Pre-drained for about three hours behind the instance-manager PDB', () => {
    const truth = groundTruth('upgrade-stalled-pre-drained');
    const stalled = truth.expected.find((e) => e.ruleId === 'upgrade-stalled')!;
    expect(stalled.node).toBe('harvester-02');
    expect((truth.bundleCreatedAt - stalled.time!) / 3_600_000).toBeGreaterThan(2.7);
    expect(truth.expected.find((e) => e.ruleId === 'longhorn-drain-blocked')?.node).toBe('harvester-02');
    expect(truth.upgrade.nodes.map((n) => n.finalState)).toEqual(['Succeeded', 'Pre-drained', 'Images preloaded']);
    expect(truth.upgrade.state).toBe('UpgradingNodes');
  });

  it('upgradelog: only what upgrade-time pod logs can show', () => {
    const ids = new Set(groundTruth('upgrade-v1.4.2-to-v1.5.0-incident-upgradelog').expected.map((e) => e.ruleId));
    expect(ids).toEqual(new Set(['vm-abrupt-shutdown', 'longhorn-drain-blocked', 'longhorn-volume-unhealthy']));
  });
});
