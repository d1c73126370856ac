import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../src/analyze/analyze-bundle.js';
import { loadRules } from '../../src/analyze/load-rules.js';
import { DEFAULT_LIMITS } from '../../src/bundle/types.js';
import { redactReport } from '../../src/redact/redact-report.js';
import { renderReport, type ReportFormat } from '../../src/report/index.js';
import type { PostmortemReport } from '../../src/report/model.js';
import { DEFAULT_MAX_EVIDENCE } from '../../src/rules/engine.js';
import { runCli } from '../cli/cli-helpers.js';
import { bundleZip, CLUSTER_ID, NOW, PATHS, scratch } from './hostile-fixture.js';

const SAMPLE = 'samples/upgrade-v1.4.2-to-v1.5.0-incident.zip';
const FORMATS: ReportFormat[] = ['terminal', 'markdown', 'json', 'html'];
/** The options the analysis command renders with by default. */
const RENDER = { color: false, maxBytes: 60_000, ruleDocsBase: 'https://github.com/harvester-postmortem/harvester-postmortem/blob/main/rules/README.md' };
const TOKEN = /\b(?:node|vm|ns|obj|cluster|bundle|host|user|ip|mac|email)-[0-9a-f]{8}\b/g;

const files = scratch('redact');
afterAll(files.remove);

const analyse = (path: string, userRules: string[] = []): Promise<PostmortemReport> =>
  analyzeBundle(path, {
    zone: 'UTC',
    limits: DEFAULT_LIMITS,
    rules: loadRules({ userRules, only: [], disable: [] }),
    maxEvidence: DEFAULT_MAX_EVIDENCE,
    now: Date.parse(NOW),
  });

/** The sample cluster's names (samples/README.md): its nodes, VMs and the pod of the OOM kill before the upgrade. */
const SAMPLE_NAMES = [
  'harvester-01',
  'harvester-02',
  'harvester-03',
  ...['web', 'db', 'ci-runner', 'app', 'mon'].flatMap((vm) => Array.from({ length: 18 }, (_, i) => `${vm}-${String(i + 1).padStart(2, '0')}`)),
  'jump-01',
  'gpu-ml-01',
  'gpu-ml-02',
  'transcode-01',
  'pbx-01',
  'license-server-01',
  'stress-test-4r9w6l9s8j-xc9pz',
  '3f9c2e71-58ad-4b0e-9c6d-1e7a42b85d90',
  'bundle-x7p2k',
];

describe('redacted reports of the incident sample', () => {
  let report: PostmortemReport;
  let redacted: PostmortemReport;
  beforeAll(async () => {
    report = await analyse(SAMPLE);
    redacted = redactReport(report, { key: null });
  });

  it.each(FORMATS)('%s: no node, VM or pod name, cluster id or bundle name survives; the story still reads', (format) => {
    const plain = renderReport(report, format, RENDER);
    const shown = SAMPLE_NAMES.filter((name) => plain.includes(name));
    expect(shown.length).toBeGreaterThan(format === 'markdown' ? 20 : 40);
    const text = renderReport(redacted, format, RENDER);
    expect(shown.filter((name) => text.includes(name))).toEqual([]);
    for (const kept of ['rke2-upgrade-without-pre-drain', 'vm-abrupt-shutdown', 'prometheus-oom-killed', 'longhorn-system', 'v1.5.0']) {
      expect(text, kept).toContain(kept);
    }
    expect(text).toMatch(/critical/i);
    expect(text).toContain(format === 'json' ? '2025-06-14T09:35:' : '09:35:');
    expect(text.match(TOKEN)?.length).toBeGreaterThan(20);
  });

  it('the redacted JSON report still follows the v1 schema', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schema/report.v1.schema.json', import.meta.url), 'utf8'));
    const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
    expect(validate(JSON.parse(renderReport(redacted, 'json', RENDER))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the same name gets the same token everywhere; the model keeps its shape, rule ids, severities and times', () => {
    const node = redacted.findings.find((f) => f.ruleId === 'rke2-upgrade-without-pre-drain')!.node!;
    expect(node).toMatch(/^node-[0-9a-f]{8}$/);
    expect(redacted.bundle.nodes).toContain(node);
    expect(redacted.incidents.some((i) => i.nodes.includes(node) && i.title.includes(node))).toBe(true);
    expect(redacted.timeline.some((t) => t.node === node)).toBe(true);
    expect(redacted.findings.map((f) => [f.ruleId, f.severity, f.firstSeen, f.count])).toEqual(report.findings.map((f) => [f.ruleId, f.severity, f.firstSeen, f.count]));
    // Finding ids are re-keyed, and still tie incidents and the timeline to their findings.
    const ids = new Set(redacted.findings.map((f) => f.id));
    expect(report.findings.some((f) => ids.has(f.id))).toBe(false);
    expect(redacted.incidents.flatMap((i) => i.findingIds).every((id) => ids.has(id))).toBe(true);
    expect(redacted.timeline.every((t) => t.findingId === null || ids.has(t.findingId))).toBe(true);
    expect(redacted.bundle.clusterId).toMatch(/^cluster-[0-9a-f]{8}$/);
    expect(redacted.bundle.path).toBe('upgrade-v1.4.2-to-v1.5.0-incident.zip');
  });

  it('tokens are stable for a key and differ between keys; --redact and --redact-key reach the report', async () => {
    const once = renderReport(redactReport(report, { key: 'k1' }), 'json', RENDER);
    expect(renderReport(redactReport(report, { key: 'k1' }), 'json', RENDER)).toBe(once);
    const other = renderReport(redactReport(report, { key: 'k2' }), 'json', RENDER);
    expect(other).not.toBe(once);
    expect(new Set(other.match(TOKEN)).size).toBe(new Set(once.match(TOKEN)).size);
    const cli = await runCli([SAMPLE, '-f', 'json', '--now', NOW, '--redact-key', 'k1']);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toBe(once);
  });
});

describe('addresses, e-mails, user and host names, user namespaces', () => {
  const line = (second: number, text: string): string =>
    `2025-06-14T09:40:${String(second).padStart(2, '0')}.000000000Z time="2025-06-14T09:40:${String(second).padStart(2, '0')}Z" level=error ${text}`;
  const LINES = [
    line(1, 'msg="migration of VM acme-prod/billing-db failed" node=harvester-01 target=10.20.30.41 source=fd00:10:20::41 mac=52:54:00:ab:cd:ef'),
    line(2, 'msg="notifying ops@acme-corp.com failed" user=alice.smith host=rancher.acme.corp'),
    line(3, 'msg="pull of registry.acme.corp:5000/images/billing failed for VM acme-prod/billing-db" owner=bob'),
    line(4, 'msg="probe of 127.0.0.1:6443 failed on virt-launcher-billing-db-x7k2p, see https://harvesterhci.io/kb" gw=10.20.30.1/24 hw=52-54-00-12-34-56'),
  ];
  const ORIGINALS = [
    '10.20.30.41',
    '10.20.30.1',
    'fd00:10:20::41',
    '52:54:00:ab:cd:ef',
    '52-54-00-12-34-56',
    'ops@acme-corp.com',
    'alice.smith',
    'bob',
    'rancher.acme.corp',
    'registry.acme.corp',
    'acme-prod',
    'billing-db',
    'harvester-01',
    CLUSTER_ID,
    'bundle-x7k2p',
  ];
  const RULE = [
    'title: VM operation failed',
    'id: vm-operation-failed-cited',
    'description: a failed operation on a VM',
    'level: medium',
    'logsource:',
    '  component: harvester',
    'detection:',
    '  failed:',
    "    raw|contains: 'failed'",
    '  condition: failed',
    '',
  ].join('\n');
  const SUBJECT_RULE = RULE.replace('id: vm-operation-failed-cited', 'id: vm-migration-failed-cited')
    .replace("raw|contains: 'failed'", "message|re: 'migration of VM (?<vm>[a-z0-9-]+/[a-z0-9-]+) failed'")
    .concat("subject: '{{vm}}'\n");

  it('none of them survives in any format; loopback addresses and public domains stay', async () => {
    const input = files.write('acme-prod-bundle.zip', await bundleZip({ members: { [PATHS.harvester]: `${LINES.join('\n')}\n` } }));
    const rules = files.write('rules.yaml', `${RULE}---\n${SUBJECT_RULE}`);
    const report = await analyse(input, [rules]);
    expect(report.findings.find((f) => f.ruleId === 'vm-migration-failed-cited')?.subject).toBe('acme-prod/billing-db');
    const redacted = redactReport(report, { key: null });
    for (const format of FORMATS) {
      const plain = renderReport(report, format, { ...RENDER, maxBytes: 1_000_000 });
      const text = renderReport(redacted, format, { ...RENDER, maxBytes: 1_000_000 });
      for (const original of ORIGINALS) {
        expect(plain.includes(original) || format !== 'json', `${original} in the plain ${format}`).toBe(true);
        expect(text.includes(original), `${original} in ${format}`).toBe(false);
      }
      if (format !== 'terminal') {
        // The terminal summary shows no evidence lines; the other formats do.
        expect(text).toContain('127.0.0.1:6443');
        expect(text).toContain('https://harvesterhci.io/kb');
      }
    }
    const subject = redacted.findings.find((f) => f.ruleId === 'vm-migration-failed-cited')!.subject!;
    expect(subject).toMatch(/^ns-[0-9a-f]{8}\/vm-[0-9a-f]{8}$/);
    const evidence = redacted.findings.find((f) => f.ruleId === 'vm-operation-failed-cited')!.evidence.map((e) => e.text).join('\n');
    expect(evidence).toContain(`VM ${subject} failed`);
    expect(evidence).toContain(`virt-launcher-${subject.split('/')[1]}-x7k2p`);
    expect(evidence).toMatch(/target=ip-[0-9a-f]{8} source=ip-[0-9a-f]{8} mac=mac-[0-9a-f]{8}/);
    expect(evidence).toMatch(/notifying email-[0-9a-f]{8} failed" user=user-[0-9a-f]{8} host=host-[0-9a-f]{8}/);
    expect(evidence).toMatch(/gw=ip-[0-9a-f]{8}\/24 hw=mac-[0-9a-f]{8}/);
    expect(redacted.bundle.path).toMatch(/^ns-[0-9a-f]{8}-bundle\.zip$/);
  });

  it('a batch redacts its summary and its reports with the same tokens', async () => {
    const one = files.write('one.zip', await bundleZip());
    const two = files.write('two.zip', await bundleZip({ members: { [PATHS.harvester]: `${LINES.join('\n')}\n` } }));
    const outDir = join(files.dir, 'reports');
    const run = await runCli(['batch', one, two, '-j', '1', '--redact-key', 'shared', '--out-dir', outDir, '--report-format', 'json', '-f', 'json', '--now', NOW]);
    expect(run.code).toBe(0);
    const reports = readdirSync(outDir).map((name) => JSON.parse(readFileSync(join(outDir, name), 'utf8')) as { bundle: { clusterId: string; nodes: string[] } });
    expect(reports).toHaveLength(2);
    const [first, second] = reports;
    expect(first.bundle.clusterId).toMatch(/^cluster-[0-9a-f]{8}$/);
    expect(second.bundle.clusterId).toBe(first.bundle.clusterId);
    expect(second.bundle.nodes).toEqual(first.bundle.nodes);
    for (const original of ORIGINALS) expect(run.stdout.includes(original), original).toBe(false);
    expect(run.stdout).toContain(first.bundle.clusterId);
    const direct = await runCli([one, '-f', 'json', '--now', NOW, '--redact-key', 'shared']);
    expect((JSON.parse(direct.stdout) as { bundle: { clusterId: string } }).bundle.clusterId).toBe(first.bundle.clusterId);
  });
});
