import { afterAll, describe, expect, it } from 'vitest';
import { tarBuffer, zipBuffer } from '../bundle/helpers.js';
import {
  analyse,
  bigLog,
  bundleEntries,
  bundleZip,
  expectNotRead,
  expectRead,
  expectReported,
  gzipSync,
  INTACT_LINES,
  memberAt,
  nodeEntries,
  PATHS,
  ROOT,
  ruleIds,
  scratch,
  tarHeaders,
  zipLayout,
} from './hostile-fixture.js';

const files = scratch('archives');
afterAll(files.remove);
let count = 0;
const write = (data: Buffer, ext = 'zip'): string => files.write(`input-${++count}.${ext}`, data);

/** The members stored before the node zip in the bundle zip (support-bundle-kit's order). */
const BEFORE_NODE_ZIP = { [PATHS.harvester]: 1, [PATHS.prometheus]: 1 };

describe('zip bundles broken at every layer', () => {
  it('the intact bundle: every member read, the OOM finding needs the nested node zip', async () => {
    const analysis = await analyse(write(await bundleZip()));
    expect(analysis.code).toBe(0);
    expectRead(analysis, INTACT_LINES);
    expect(analysis.problems).toEqual([]);
    expect(analysis.report.findings.find((f) => f.ruleId === 'prometheus-oom-killed')?.evidence.map((e) => e.file)).toContain(PATHS.kernel);
    expect(analysis.report.bundle.kind).toBe('support-bundle');
  });

  it('outer zip cut inside a member: the members before it are read, the cut one and the lost directory reported', async () => {
    const zip = await bundleZip();
    const pods = memberAt(zip, PATHS.pods);
    const input = write(zip.subarray(0, pods.dataStart + 20));
    const analysis = await analyse(input);
    expectRead(analysis, INTACT_LINES);
    expectReported(analysis, input, /no readable central directory.*recovered by scanning local headers/);
    expectReported(analysis, PATHS.pods, /cut off by the end of the archive/);
    // metadata.yaml was stored after the cut; the layout still says support bundle.
    expect(analysis.report.bundle.kind).toBe('support-bundle');
    expect(ruleIds(analysis)).toContain('prometheus-oom-killed');
  });

  it('central directory missing: every member recovered from its local header', async () => {
    const zip = await bundleZip();
    const input = write(zip.subarray(0, zipLayout(zip).centralDirectory));
    const analysis = await analyse(input);
    expectRead(analysis, INTACT_LINES);
    expectReported(analysis, input, /no readable central directory.*8 members recovered/);
    expect(analysis.report.bundle.clusterId).toBe('0b6d3e2e-1111-4222-8333-944445555666');
  });

  it('a zip whose first bytes are damaged is still found by its end record and read', async () => {
    const zip = Buffer.from(await bundleZip());
    zip[2] ^= 0x80;
    const analysis = await analyse(write(zip));
    expect(analysis.report.bundle.packing).toBe('zip');
    expectRead(analysis, INTACT_LINES);
  });

  it('an end record that lists no members: every member recovered from its local header', async () => {
    const zip = Buffer.from(await bundleZip());
    const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 5, 6]));
    zip.fill(0, end + 8, end + 12); // entries on this disk, entries in all
    const input = write(zip);
    const analysis = await analyse(input);
    expectRead(analysis, INTACT_LINES);
    expectReported(analysis, input, /the central directory lists no members\); 8 members recovered/);
  });

  it('an input named like an archive that is none is read as what it is, and reported', async () => {
    const tar = await tarBuffer(await bundleEntries());
    const analysis = await analyse(write(tar.subarray(0, 118), 'tar'));
    expect(analysis.report.bundle.packing).toBe('file');
    expectReported(analysis, `input-${count}.tar`, /binary content/);
  });

  it('a node zip that is not a zip, and an empty one: reported; everything else read', async () => {
    for (const nodeZip of [Buffer.from('PK\u0003\u0004 garbage, not a zip at all\n'), Buffer.alloc(0)]) {
      const analysis = await analyse(write(await bundleZip({ nodeZip })));
      expectRead(analysis, BEFORE_NODE_ZIP);
      expectNotRead(analysis, PATHS.kernel, PATHS.kubelet, PATHS.rke2);
      expectReported(analysis, PATHS.nodeZip, /corrupt nested zip/);
      expect(analysis.report.bundle.kind).toBe('support-bundle');
    }
  });

  it('a node zip without its central directory: its members recovered, stored or deflated in the bundle', async () => {
    const node = await zipBuffer(nodeEntries());
    const cut = node.subarray(0, zipLayout(node).centralDirectory);
    for (const nodeZipCompressed of [false, true]) {
      const analysis = await analyse(write(await bundleZip({ nodeZip: cut, nodeZipCompressed })));
      expectRead(analysis, INTACT_LINES);
      expectReported(analysis, PATHS.nodeZip, /no readable central directory.*recovered by scanning local headers/);
    }
  });

  it('the bundle cut inside a deflated node zip: the node members inflated before the cut are still read', async () => {
    const zip = await bundleZip({ nodeZipCompressed: true });
    const nodeZip = memberAt(zip, PATHS.nodeZip);
    const analysis = await analyse(write(zip.subarray(0, nodeZip.dataStart + Math.floor((nodeZip.dataEnd - nodeZip.dataStart) * 0.7))));
    expectRead(analysis, { ...BEFORE_NODE_ZIP, [PATHS.kernel]: 2 });
    expectReported(analysis, PATHS.nodeZip, /member cut off by the end of the archive/);
    expectReported(analysis, PATHS.nodeZip, /no readable central directory.*recovered by scanning local headers/);
    expect(ruleIds(analysis)).toContain('prometheus-oom-killed');
  });

  it('a flipped bit in a stored member: its lines are read and the CRC-32 mismatch reported', async () => {
    const stored = await zipBuffer(
      (await bundleEntries()).concat([{ name: `${ROOT}/logs/harvester-system/virt-handler-x1/virt-handler.log`, data: HANDLER_LINE, compress: false }]),
    );
    const member = zipLayout(stored).entries.find((e) => e.name.endsWith('virt-handler-x1/virt-handler.log'))!;
    expect(member.method).toBe(0);
    const flipped = Buffer.from(stored);
    flipped[member.dataStart + 40] ^= 0x04;
    const analysis = await analyse(write(flipped));
    expectRead(analysis, { ...INTACT_LINES, 'logs/harvester-system/virt-handler-x1/virt-handler.log': 1 });
    expectReported(analysis, 'logs/harvester-system/virt-handler-x1/virt-handler.log', /CRC-32 mismatch/);
  });

  it('Zip64 records are read like any others', async () => {
    const analysis = await analyse(write(await bundleZip({ zip64: true })));
    expectRead(analysis, INTACT_LINES);
    expect(analysis.problems).toEqual([]);
  });

  it('two members of the same name are both read', async () => {
    const second = '2025-06-14T09:31:47.123456789Z time="2025-06-14T09:31:47Z" level=info msg="second copy"\n'.repeat(2);
    const zip = await zipBuffer([...(await bundleEntries()), { name: `${ROOT}/${PATHS.harvester}`, data: second }]);
    const analysis = await analyse(write(zip));
    expectRead(analysis, { ...INTACT_LINES, [PATHS.harvester]: 3 });
    expect(analysis.report.coverage.gaps).toContain(
      `${PATHS.harvester} appears more than once in the archive: both copies were read, and citations of it are ambiguous`,
    );
  });

  it('zero-byte members and a 24 MB member: read to the end, nothing reported', async () => {
    const big = bigLog(24 * 1024 * 1024);
    const lines = big.reduce((n, byte) => (byte === 10 ? n + 1 : n), 0) + (big[big.length - 1] === 10 ? 0 : 1);
    const zip = await bundleZip({
      members: {
        'logs/longhorn-system/longhorn-manager-abcde/longhorn-manager.log': Buffer.alloc(0),
        'logs/harvester-system/virt-handler-x1/virt-handler.log': big,
        [`nodes/harvester-02.zip`]: Buffer.alloc(0),
      },
    });
    const analysis = await analyse(write(zip), [], { events: false });
    expect(analysis.report.coverage.lines).toBe(7 + lines);
    expect(analysis.problems).toEqual(['nodes/harvester-02.zip: corrupt nested zip: End of central directory record signature not found. Either not a zip file, or file is truncated.']);
    expect(ruleIds(analysis)).toContain('prometheus-oom-killed');
  });
});

const HANDLER_LINE =
  '2025-06-14T09:35:30.141727000Z {"component":"virt-handler","kind":"Domain","level":"info","msg":"Domain is in state Shutoff reason Crashed","name":"web-01","namespace":"default","pos":"vm.go:3498","timestamp":"2025-06-14T09:35:30.141727Z"}\n';

describe('gzip members of an upgrade-log archive', () => {
  const LOG = (pod: string) => `logs/harvester-system.${pod}.virt-handler.20250614.log.gz`;
  const line = (i: number) =>
    `{"component":"virt-handler","level":"info","msg":"line ${i}","pos":"vm.go:1","timestamp":"2025-06-14T09:35:${String(i % 60).padStart(2, '0')}.141727Z"}\n`;

  it('a corrupt one and a truncated one are reported; the intact one and the truncated one up to its cut are read', async () => {
    const text = Array.from({ length: 2000 }, (_, i) => line(i)).join('');
    const good = gzipSync(text);
    const corrupt = Buffer.from(good);
    corrupt.fill(0x55, 20, 40);
    const truncated = good.subarray(0, Math.floor(good.length / 2));
    const archive = await zipBuffer([
      { name: LOG('virt-handler-aaaaa'), data: good, compress: false },
      { name: LOG('virt-handler-bbbbb'), data: corrupt, compress: false },
      { name: LOG('virt-handler-ccccc'), data: truncated, compress: false },
    ]);
    const analysis = await analyse(write(archive));
    expect(analysis.report.bundle.kind).toBe('upgrade-log-archive');
    expectRead(analysis, { [LOG('virt-handler-aaaaa')]: 2000 });
    expect(analysis.lines.get(LOG('virt-handler-ccccc'))).toBeGreaterThan(100);
    expect(analysis.lines.get(LOG('virt-handler-ccccc'))).toBeLessThan(2000);
    expectReported(analysis, LOG('virt-handler-ccccc'), /compressed data ends early/);
    expectReported(analysis, LOG('virt-handler-bbbbb'), /corrupt compressed data/);
  });
});

describe('tar re-packs with damaged headers', () => {
  const damage = (tar: Buffer, offset: number): Buffer => {
    const copy = Buffer.from(tar);
    copy.fill(0x41, offset + 148, offset + 156); // the header checksum
    return copy;
  };

  it('a damaged header costs only its own entry: the archive is re-entered at the next valid header (tar and tar.gz)', async () => {
    const tar = await tarBuffer(await bundleEntries());
    const headers = tarHeaders(tar);
    const prometheus = headers.find((h) => h.name.endsWith('prometheus.log'))!;
    const broken = damage(tar, prometheus.offset);
    for (const [data, ext] of [[broken, 'tar'], [gzipSync(broken), 'tar.gz']] as const) {
      const input = write(data, ext);
      const analysis = await analyse(input);
      const { [PATHS.prometheus]: _lost, ...rest } = INTACT_LINES;
      expectRead(analysis, rest);
      expectNotRead(analysis, PATHS.prometheus);
      expectReported(analysis, input, new RegExp(`damaged tar header at byte ${prometheus.offset}: 1024 bytes skipped to the next valid header`));
      expect(analysis.report.bundle.kind).toBe('support-bundle');
      expect(ruleIds(analysis)).toContain('prometheus-oom-killed');
    }
  });

  it('a zeroed header block, and a damaged last header', async () => {
    const tar = await tarBuffer(await bundleEntries());
    const headers = tarHeaders(tar);
    const zeroed = Buffer.from(tar);
    const nodeZip = headers.find((h) => h.name.endsWith('.zip'))!;
    zeroed.fill(0, nodeZip.offset, nodeZip.offset + 512);
    const analysis = await analyse(write(zeroed, 'tar'));
    expectRead(analysis, BEFORE_NODE_ZIP);
    expectNotRead(analysis, PATHS.kernel);
    expect(analysis.problems.some((p) => /damaged tar header at byte \d+: \d+ bytes skipped/.test(p))).toBe(true);
    expect(analysis.report.bundle.clusterId).not.toBeNull();

    const last = headers[headers.length - 1];
    const input = write(damage(tar, last.offset), 'tar');
    const tail = await analyse(input);
    expectRead(tail, INTACT_LINES);
    expectReported(tail, input, /no valid header follows, the rest of the archive was not read/);
  });

  it('a tar cut inside a node zip: no crash, the node zip read in place, its members before the cut are read', async () => {
    const tar = await tarBuffer(await bundleEntries());
    const nodeZip = tarHeaders(tar).find((h) => h.name.endsWith('.zip'))!;
    const node = await zipBuffer(nodeEntries());
    const kernelEnd = zipLayout(node).entries.find((e) => e.name.endsWith('kernel.log'))!.dataEnd;
    const input = write(tar.subarray(0, nodeZip.offset + 512 + kernelEnd + 10), 'tar');
    const analysis = await analyse(input);
    expectRead(analysis, { ...BEFORE_NODE_ZIP, [PATHS.kernel]: 2 });
    expectNotRead(analysis, PATHS.rke2);
    expectReported(analysis, input, /tar archive unreadable after \d+ entries: Unexpected end of data/);
    expectReported(analysis, PATHS.nodeZip, /no readable central directory.*recovered by scanning local headers/);
  });
});

describe('archives made on macOS', () => {
  /** An AppleDouble file as macOS writes one beside each file: binary, extended attributes only. */
  const appleDouble = Buffer.concat([Buffer.from([0, 5, 22, 7, 0, 2, 0, 0]), Buffer.from('Mac OS X        '), Buffer.alloc(40)]);

  it("Archive Utility's __MACOSX/ folder: skipped (no Coverage entry, no collection gap), the bundle read as it is", async () => {
    const raw = ['metadata.yaml', 'logs', 'nodes'].map((name) => ({ name: `__MACOSX/${ROOT}/._${name}`, data: appleDouble }));
    const analysis = await analyse(write(await bundleZip({ raw })));
    expectRead(analysis, INTACT_LINES);
    expect(analysis.problems).toEqual([]);
    expect(ruleIds(analysis)).toEqual(ruleIds(await analyse(write(await bundleZip()), [], { events: false })));
    expect(analysis.report.bundle.kind).toBe('support-bundle');
  });

  it("a node zip made by macOS's tar, ._ files first: its folder still names the node", async () => {
    const entries = nodeEntries().flatMap((entry) =>
      entry.type === 'directory' ? [entry] : [{ name: entry.name.replace(/[^/]+$/, (file) => `._${file}`), data: appleDouble }, entry],
    );
    const analysis = await analyse(write(await tarBuffer(entries, true), 'tar.gz'));
    expectRead(analysis, { 'harvester-01/logs/kernel.log': 2, 'harvester-01/logs/kubelet.log': 1, 'harvester-01/logs/rke2-server.log': 2 });
    expect(analysis.problems).toEqual([]);
    expect(analysis.report.bundle.nodes).toEqual(['harvester-01']);
  });
});
