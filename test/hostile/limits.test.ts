import { afterAll, describe, expect, it } from 'vitest';
import { zipBuffer } from '../bundle/helpers.js';
import { DEFAULT_LIMITS } from '../../src/bundle/types.js';
import {
  analyse,
  bundleEntries,
  bundleZip,
  expectNotRead,
  expectRead,
  expectReported,
  gzipSync,
  HARVESTER_LOG,
  INTACT_LINES,
  memberAt,
  METADATA,
  NODE,
  nodeEntries,
  PATHS,
  PODS_YAML,
  PROMETHEUS_LOG,
  ROOT,
  ruleIds,
  scratch,
  SETTINGS,
  zipLayout,
} from './hostile-fixture.js';

const files = scratch('limits');
afterAll(files.remove);
let count = 0;
const write = (data: Buffer): string => files.write(`input-${++count}.zip`, data);

/** The bundle zip with a member's uncompressed size rewritten (central directory and local header) to `size`. */
function declareSize(zip: Buffer, path: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const member = memberAt(zip, path);
  out.writeUInt32LE(size, member.headerOffset + 22);
  const { centralDirectory } = zipLayout(zip);
  for (let at = centralDirectory; out.readUInt32LE(at) === 0x02014b50; at += 46 + out.readUInt16LE(at + 28) + out.readUInt16LE(at + 30) + out.readUInt16LE(at + 32)) {
    if (out.readUInt32LE(at + 42) === member.headerOffset) out.writeUInt32LE(size, at + 24);
  }
  return out;
}

/** Compressible log text in a real format: `lines` klog lines of `width` characters. */
const repetitive = (lines: number, width = 200): string =>
  `I0614 09:35:23.802112    2031 reconciler.go:1] "${'x'.repeat(width)}"\n`.repeat(lines);

describe('each ReadLimits bound, set small by its flag, ends in Coverage and never in a crash', () => {
  it('the defaults the flags start from', () => {
    expect(DEFAULT_LIMITS).toEqual({
      maxLineBytes: 1024 * 1024,
      maxTotalBytes: 64 * 1024 ** 3,
      maxCompressionRatio: 1000,
      maxNestingDepth: 3,
      maxMembers: 200_000,
    });
  });

  it('--max-total-bytes: reading stops where the budget ends; what came before is read', async () => {
    const input = write(await bundleZip());
    // metadata.yaml, yamls/ and the two pod logs fit; the node members come after them.
    const budget = [METADATA, SETTINGS, PODS_YAML, PROMETHEUS_LOG, HARVESTER_LOG].reduce((sum, text) => sum + Buffer.byteLength(text), 0) + 16;
    // `events` reads no yamls/, so its budget goes further: the analysis alone tells what it read.
    const analysis = await analyse(input, ['--max-total-bytes', String(budget)], { events: false });
    expect(analysis.code).toBe(0);
    expect(analysis.report.coverage.lines).toBe(2);
    expect(analysis.report.findings.flatMap((f) => f.evidence).some((e) => e.file === PATHS.kernel)).toBe(false);
    expectReported(analysis, input, new RegExp(`maxTotalBytes limit \\(${budget} bytes\\) reached in nodes/${NODE}\\.zip!/.*the rest of the input was not read`));
    expect(analysis.report.bundle.clusterId).not.toBeNull();
  });

  it('--max-ratio: a zip bomb is refused before inflating, a gzip bomb stops at the bound, a nested bomb is not spooled', async () => {
    const bombed = 'logs/harvester-system/virt-handler-bomb/virt-handler.log';
    const gzipBomb = `logs/harvester-system.virt-handler-gzbmb.virt-handler.20250614.log.gz`;
    const zip = await zipBuffer([
      ...(await bundleEntries()),
      { name: `${ROOT}/${bombed}`, data: repetitive(10_000) },
      { name: `${ROOT}/${gzipBomb}`, data: gzipSync(repetitive(10_000)), compress: false },
    ]);
    const input = write(zip);
    const analysis = await analyse(input, ['--max-ratio', '20']);
    expectRead(analysis, INTACT_LINES);
    expectNotRead(analysis, bombed);
    expectReported(analysis, bombed, /maxCompressionRatio limit \(20\) exceeded: \d+ bytes declared to expand to 2500000; not read/);
    expectReported(analysis, gzipBomb, /maxCompressionRatio limit \(20\) exceeded while inflating: read stopped after \d+ bytes/);
    const gzipped = analysis.lines.get(gzipBomb) ?? 0;
    expect(gzipped).toBeGreaterThan(0);
    expect(gzipped).toBeLessThan(10_000);

    // A node zip whose stored member makes the whole zip compress far better than any real one: refused by its
    // declared size, and, when the bundle lies about that size, while it is being spooled.
    const nodeZip = await zipBuffer(nodeEntries().map((e) => (e.name.endsWith('kubelet.log') ? { ...e, data: repetitive(5_000), compress: false } : e)));
    const bundle = await bundleZip({ nodeZip, nodeZipCompressed: true });
    const declared = await analyse(write(bundle), ['--max-ratio', '20']);
    expectRead(declared, { [PATHS.harvester]: 1, [PATHS.prometheus]: 1 });
    expectNotRead(declared, PATHS.kernel);
    expectReported(declared, PATHS.nodeZip, /maxCompressionRatio limit \(20\) exceeded: \d+ bytes declared to expand to \d+; not read/);
    const lying = await analyse(write(declareSize(bundle, PATHS.nodeZip, 1000)), ['--max-ratio', '20']);
    expectNotRead(lying, PATHS.kernel);
    expectReported(lying, PATHS.nodeZip, /maxCompressionRatio limit \(20\) exceeded while inflating: nested zip not read/);
  });

  it('--max-depth: 1 leaves node zips closed; the default 3 stops a zip in a zip in a zip in the bundle', async () => {
    const input = write(await bundleZip());
    const shallow = await analyse(input, ['--max-depth', '1']);
    expectRead(shallow, { [PATHS.harvester]: 1, [PATHS.prometheus]: 1 });
    expectNotRead(shallow, PATHS.kernel);
    expectReported(shallow, PATHS.nodeZip, /maxNestingDepth limit \(1\) reached: nested archive not opened/);

    const level4 = await zipBuffer([{ name: 'deepest.log', data: 'I0614 09:35:23.802112    2031 x.go:1] "level 4"\n' }]);
    const level3 = await zipBuffer([{ name: 'level3.log', data: 'I0614 09:35:23.802112    2031 x.go:1] "level 3"\n' }, { name: 'inner.zip', data: level4 }]);
    const nodeZip = await zipBuffer([...nodeEntries(), { name: `${NODE}/scc/nested.zip`, data: level3 }]);
    const deep = await analyse(write(await bundleZip({ nodeZip })));
    expectRead(deep, { ...INTACT_LINES, [`${PATHS.nodeZip}!/${NODE}/scc/nested.zip!/level3.log`]: 1 });
    expectReported(deep, `${PATHS.nodeZip}!/${NODE}/scc/nested.zip!/inner.zip`, /maxNestingDepth limit \(3\) reached/);
  });

  it('--max-members: the first members in bundle order are read, the rest reported', async () => {
    const input = write(await bundleZip());
    const analysis = await analyse(input, ['--max-members', '6']);
    // metadata.yaml, 2 yamls/, bundleGenerationError.log, then the two pod logs by path
    expectRead(analysis, { [PATHS.harvester]: 1, [PATHS.prometheus]: 1 });
    expectNotRead(analysis, PATHS.kernel);
    expectReported(analysis, input, /maxMembers limit \(6\) reached: later members were not read/);
    expect(ruleIds(analysis)).toContain('prometheus-oom-killed');
  });

  it('--max-line-bytes: longer lines are cut, kept and counted', async () => {
    const analysis = await analyse(write(await bundleZip()), ['--max-line-bytes', '100']);
    expectRead(analysis, INTACT_LINES);
    const hit = analysis.report.coverage.limitsHit.find((l) => l.limit === 'max-line-bytes');
    expect(hit?.count).toBeGreaterThanOrEqual(5);
  });
});

describe('evidence is bounded whatever the bundle holds', () => {
  // Words, not one long run: a run of 100 base64 characters would be masked as a secret.
  const tail = ` ${'will retry; '.repeat(20_000)}`;
  /** A user rule citing rke2's start line as it is: the engine's cap is all that bounds it. */
  const rule = [
    'title: rke2 started',
    'id: rke2-started-cited',
    'description: cites the rke2 start line',
    'level: low',
    'logsource:',
    '  component: rke2-server',
    'detection:',
    '  start:',
    "    message|contains: 'Starting rke2'",
    '  condition: start',
    '',
  ].join('\n');
  const longKernel = [
    `Jun 14 10:02:10.998811 ${NODE} kernel: prometheus invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=997${tail}`,
    `Jun 14 10:02:11.000120 ${NODE} kernel: Memory cgroup out of memory: Killed process 40211 (prometheus) total-vm:4183420kB, anon-rss:2553012kB, file-rss:0kB, shmem-rss:0kB${tail}`,
    '',
  ].join('\n');

  it('an evidence line is cut to 1000 characters, evidence per finding to --max-evidence', async () => {
    const rke2 = `Jun 14 09:35:01.020889 ${NODE} rke2[2536]: time="2025-06-14T09:35:01Z" level=info msg="Starting rke2 v1.32.3+rke2r1"${tail}\n`;
    const input = write(await bundleZip({ nodeZip: await zipBuffer(nodeEntries({ kernel: longKernel, rke2: rke2.repeat(3) })) }));
    const rules = files.write('rke2-started.yaml', rule);
    const analysis = await analyse(input, ['--rules', rules], { events: false });
    const cited = analysis.report.findings.find((f) => f.ruleId === 'rke2-started-cited')!;
    expect(cited.evidence).toHaveLength(3);
    for (const e of cited.evidence) {
      expect(e.text).toHaveLength(1001);
      expect(e.text.endsWith('…')).toBe(true);
    }
    const oom = analysis.report.findings.find((f) => f.ruleId === 'prometheus-oom-killed')!;
    expect(oom.evidence.filter((e) => e.file === PATHS.kernel)).toHaveLength(2);
    expect(analysis.report.findings.every((f) => f.evidence.every((e) => e.text.length <= 1001))).toBe(true);

    const one = await analyse(input, ['--rules', rules, '--max-evidence', '1'], { events: false });
    expect(one.report.findings.find((f) => f.ruleId === 'rke2-started-cited')?.evidence).toHaveLength(1);
    expect(one.report.findings.every((f) => f.evidence.length <= 1)).toBe(true);
  });
});
