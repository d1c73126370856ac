import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectInputKind, openInput } from '../../src/bundle/open-input.js';
import type { ReadLimits } from '../../src/bundle/types.js';
import {
  bundleEntries,
  centralDirectoryOffset,
  nodeZip,
  paths,
  readAll,
  SAMPLE,
  tempFolder,
  zipBuffer,
  zipDataOffset,
} from './helpers.js';

const ROOT = 'supportbundle_7e8aefe3-479a-4fa4-97d8-af2f283e4577_2025-07-03T01-15-45Z';
let folder: Awaited<ReturnType<typeof tempFolder>>;
let count = 0;
const write = (data: Buffer): Promise<string> => folder.write(`input-${++count}.zip`, data);
const read = async (data: Buffer, limits: Partial<ReadLimits> = {}) => readAll(await openInput(await write(data), limits));

beforeAll(async () => {
  folder = await tempFolder();
});
afterAll(async () => {
  await folder.remove();
});

const NODE_MEMBERS = (node: string) => [
  `nodes/${node}.zip`,
  `nodes/${node}.zip!/${node}/configs/etc/harvester-release.yaml`,
  `nodes/${node}.zip!/${node}/logs/kubelet.log`,
  `nodes/${node}.zip!/${node}/logs/rke2-server.log`,
];

describe('zip support bundle', () => {
  it('strips the root folder, orders members and expands stored and deflated node zips in place', async () => {
    const zip = await zipBuffer(
      bundleEntries(ROOT, [
        { name: 'n1', zip: await nodeZip('n1'), compress: false },
        { name: 'n2', zip: await nodeZip('n2'), compress: true },
      ]),
    );
    const source = await openInput(await write(zip));
    expect(source.packing).toBe('zip');
    expect(source.root).toBe(ROOT);
    const { members, problems } = await readAll(source);
    expect(problems).toEqual([]);
    expect(paths(members)).toEqual([
      'metadata.yaml',
      'yamls/cluster/harvesterhci.io/v1beta1/settings.yaml',
      'bundleGenerationError.log',
      'logs/harvester-system/harvester-57b46685b9-djn5x/apiserver.log',
      ...NODE_MEMBERS('n1'),
      ...NODE_MEMBERS('n2'),
    ]);
    const byPath = new Map(members.map((m) => [m.member.info.path, m]));
    expect(byPath.get('metadata.yaml')?.text).toBe(SAMPLE.metadata);
    expect(byPath.get('nodes/n2.zip!/n2/logs/rke2-server.log')?.text).toBe(SAMPLE.rke2Journal);
    expect(byPath.get('nodes/n1.zip!/n1/logs/kubelet.log')?.member.info).toMatchObject({ kind: 'node-log', node: 'n1', component: 'kubelet' });
    expect(byPath.get('nodes/n2.zip')?.member.info).toMatchObject({ kind: 'nested-archive', node: 'n2' });
    expect(byPath.get('metadata.yaml')?.member).toMatchObject({ size: SAMPLE.metadata.length, mtime: Date.UTC(2025, 6, 3, 1, 15, 44) });
    expect(detectInputKind(paths(members))).toBe('support-bundle');
  });

  it('reads Zip64 archives, outer and nested', async () => {
    const inner = await zipBuffer([{ name: 'n1/logs/kubelet.log', data: SAMPLE.kubelet }], { zip64: true });
    const zip = await zipBuffer(
      [
        { name: 'metadata.yaml', data: SAMPLE.metadata },
        { name: 'nodes/n1.zip', data: inner, compress: false },
      ],
      { zip64: true },
    );
    const { members, problems } = await read(zip);
    expect(problems).toEqual([]);
    expect(paths(members)).toEqual(['metadata.yaml', 'nodes/n1.zip', 'nodes/n1.zip!/n1/logs/kubelet.log']);
    expect(members[2].text).toBe(SAMPLE.kubelet);
  });

  it('lists an empty node zip (only its root folder) without children or problems', async () => {
    const empty = await zipBuffer([{ name: 'n3/', type: 'directory' }]);
    const { members, problems } = await read(await zipBuffer([{ name: 'metadata.yaml', data: SAMPLE.metadata }, { name: 'nodes/n3.zip', data: empty }]));
    expect(problems).toEqual([]);
    expect(paths(members)).toEqual(['metadata.yaml', 'nodes/n3.zip']);
  });

  it('lists the supportconfig archive without opening it', async () => {
    const node = await zipBuffer([
      { name: 'n1/logs/iscsid.log', data: 'Jul 03 00:59:01.000001 n1 iscsid[1234]: iscsid: connection1:0 is operational now\n' },
      { name: 'n1/scc/scc_supportconfig_n1.txz', data: Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) },
    ]);
    const { members, problems } = await read(await zipBuffer([{ name: 'nodes/n1.zip', data: node, compress: false }]));
    expect(problems).toEqual([]);
    expect(members.map((m) => [m.member.info.path, m.member.info.kind])).toEqual([
      ['nodes/n1.zip', 'nested-archive'],
      ['nodes/n1.zip!/n1/logs/iscsid.log', 'node-journal'],
      ['nodes/n1.zip!/n1/scc/scc_supportconfig_n1.txz', 'nested-archive'],
    ]);
  });

  it('normalises ../ and absolute member names for display', async () => {
    const zip = await zipBuffer([
      { name: 'xx/evil/passwd', data: 'a' },
      { name: 'yetc/shadow', data: 'b' },
    ]);
    // yazl refuses such names, so they are patched in (same length) in local and central headers.
    const patched = Buffer.from(zip.toString('latin1').replaceAll('xx/evil', '../evil').replaceAll('yetc/', '/etc/'), 'latin1');
    const { members, problems } = await read(patched);
    expect(problems).toEqual([]);
    expect(paths(members)).toEqual(['etc/shadow', 'evil/passwd']);
  });
});

describe('a node zip on its own', () => {
  it("keeps its root folder, the node's name, so its members belong to the node", async () => {
    const source = await openInput(await write(await nodeZip('harvester-01')));
    expect(source.root).toBe('');
    const { members, problems } = await readAll(source);
    expect(problems).toEqual([]);
    expect(members.map((m) => [m.member.info.path, m.member.info.node, m.member.info.kind])).toEqual([
      ['harvester-01/configs/etc/harvester-release.yaml', 'harvester-01', 'node-config'],
      ['harvester-01/logs/kubelet.log', 'harvester-01', 'node-log'],
      ['harvester-01/logs/rke2-server.log', 'harvester-01', 'node-journal'],
    ]);
  });
});

describe('upgrade-log archive zip', () => {
  it('gunzips .log.gz members transparently and keeps their names', async () => {
    const name = 'logs/harvester-system.harvester-57b46685b9-djn5x.apiserver.20250502.log.gz';
    const line = 'time="2025-05-02T09:07:25Z" level=error msg="error syncing \'default/VM_NAME\': handler VMController.SetDefaultManagementNetworkMacAddress"\n';
    const zip = await zipBuffer([
      { name: 'logs/', type: 'directory' },
      { name, data: gzipSync(line), compress: false },
    ]);
    const source = await openInput(await write(zip));
    expect(source.root).toBe('');
    const { members, problems } = await readAll(source);
    expect(problems).toEqual([]);
    expect(paths(members)).toEqual([name]);
    expect(members[0].text).toBe(line);
    expect(members[0].member.size).toBeNull();
    expect(members[0].member.info).toMatchObject({ kind: 'pod-log', component: 'harvester', criPrefixed: false });
    expect(detectInputKind(paths(members))).toBe('upgrade-log-archive');
  });

  it('reports a corrupt and a truncated gzip member and reads the others', async () => {
    const good = 'logs/kube-system.etcd-n1.etcd.20250502.log.gz';
    const corrupt = 'logs/harvester-system.harvester-5-x.apiserver.20250502.log.gz';
    const truncated = 'logs/longhorn-system.longhorn-manager-xkf8c.longhorn-manager.20250502.log.gz';
    const gz = gzipSync('x'.repeat(5000) + '\n');
    const zip = await zipBuffer([
      { name: good, data: gzipSync('{"level":"info","msg":"ok"}\n') },
      { name: corrupt, data: Buffer.from('this is not gzip data\n') },
      { name: truncated, data: gz.subarray(0, gz.length - 12) },
    ]);
    const { members, problems } = await read(zip);
    expect(paths(members)).toEqual([corrupt, good, truncated]);
    expect(members.find((m) => m.member.info.path === good)?.text).toBe('{"level":"info","msg":"ok"}\n');
    expect(problems).toEqual([
      { file: corrupt, reason: expect.stringContaining('corrupt compressed data') },
      { file: truncated, reason: expect.stringContaining('compressed data ends early') },
    ]);
  });
});

describe('damaged zips', () => {
  const entries = [
    { name: 'metadata.yaml', data: SAMPLE.metadata },
    { name: 'logs/harvester-system/harvester-57b46685b9-djn5x/apiserver.log', data: SAMPLE.harvesterLog.repeat(200) },
  ];

  it('without central directory: members recovered by scanning local headers', async () => {
    const zip = await zipBuffer(entries);
    const { members, problems } = await read(zip.subarray(0, centralDirectoryOffset(zip)));
    expect(paths(members)).toEqual(['metadata.yaml', 'logs/harvester-system/harvester-57b46685b9-djn5x/apiserver.log']);
    expect(members[1].text).toBe(SAMPLE.harvesterLog.repeat(200));
    expect(problems).toEqual([{ file: expect.stringMatching(/input-\d+\.zip$/), reason: expect.stringMatching(/no readable central directory .*; 2 members recovered by scanning local headers/) }]);
  });

  it('cut inside a member: earlier members whole, the cut one reported', async () => {
    const zip = await zipBuffer(entries);
    const cut = zipDataOffset(zip, entries[1].name) + 40;
    const { members, problems } = await read(zip.subarray(0, cut));
    expect(paths(members)).toEqual(['metadata.yaml', entries[1].name]);
    expect(members[0].text).toBe(SAMPLE.metadata);
    expect(problems.map((p) => p.file)).toEqual([expect.stringMatching(/input-\d+\.zip$/), entries[1].name, entries[1].name]);
    expect(problems[1].reason).toMatch(/cut off by the end of the archive/);
    expect(problems[2].reason).toMatch(/compressed data ends early/);
  });

  it('with data descriptors (streamed members), stored and deflated', async () => {
    const zip = await zipBuffer([
      { name: 'metadata.yaml', data: SAMPLE.metadata, streamed: true, compress: false },
      { name: 'kubelet.log', data: SAMPLE.kubelet.repeat(50), streamed: true },
      { name: 'rke2-server.log', data: SAMPLE.rke2Journal, streamed: true },
    ]);
    expect(zip.readUInt16LE(6) & 0x8).toBe(0x8);
    const { members, problems } = await read(zip.subarray(0, centralDirectoryOffset(zip)));
    expect(paths(members)).toEqual(['metadata.yaml', 'kubelet.log', 'rke2-server.log']);
    expect(members.map((m) => m.text)).toEqual([SAMPLE.metadata, SAMPLE.kubelet.repeat(50), SAMPLE.rke2Journal]);
    expect(problems).toHaveLength(1);
  });

  it('garbage after a zip signature is reported as an unreadable input, nothing thrown', async () => {
    const { members, problems } = await read(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100, 0x41)]));
    expect(members).toEqual([]);
    expect(problems).toEqual([{ file: expect.any(String), reason: expect.stringMatching(/^unreadable zip: /) }]);
  });

  it('a corrupt nested zip is reported; members before and after it are read', async () => {
    const zip = await zipBuffer([
      { name: 'metadata.yaml', data: SAMPLE.metadata },
      { name: 'nodes/n1.zip', data: await nodeZip('n1'), compress: false },
      { name: 'nodes/n2.zip', data: Buffer.from('PK\x03\x04 this is not a zip archive at all'), compress: false },
      { name: 'nodes/n3.zip', data: await nodeZip('n3') },
    ]);
    const { members, problems } = await read(zip);
    expect(paths(members)).toEqual(['metadata.yaml', ...NODE_MEMBERS('n1'), 'nodes/n2.zip', ...NODE_MEMBERS('n3')]);
    expect(problems).toEqual([{ file: 'nodes/n2.zip', reason: expect.stringMatching(/^corrupt nested zip: /) }]);
  });

  it('reads small members whole and large ones streamed: the same bytes either way, in archive order', async () => {
    const line = (i: number) => `2025-07-03T01:00:${String(i % 60).padStart(2, '0')}Z level=info msg="member ${i}"\n`;
    const small = Array.from({ length: 300 }, (_, i) => ({ name: `logs/small-${String(i).padStart(3, '0')}.log`, data: line(i).repeat(1 + (i % 7)) }));
    const big = line(1).repeat(100_000); // over the small limit inflated (~5 MB), not compressed
    const noise = Buffer.from(Array.from({ length: 300 * 1024 }, (_, i) => (i * 2_654_435_761) >>> 24)); // over it compressed
    const entries = [
      ...small,
      { name: 'logs/stored.log', data: line(2), compress: false },
      { name: 'logs/z-big.log', data: big },
      { name: 'logs/z-noise.bin', data: noise },
    ];
    const { members, problems } = await read(await zipBuffer(entries));
    expect(problems).toEqual([]);
    expect(members.map((m) => m.member.info.path)).toEqual(entries.map((e) => e.name));
    expect(members.map((m) => m.text)).toEqual(entries.map((e) => Buffer.from(e.data).toString('utf8')));
  });

  it('a small deflated member whose CRC-32 differs is read and reported', async () => {
    const zip = await zipBuffer([{ name: 'a.log', data: 'level=info msg="x"\n'.repeat(50) }]);
    const cd = centralDirectoryOffset(zip);
    zip.writeUInt32LE(zip.readUInt32LE(cd + 16) ^ 1, cd + 16);
    const { members, problems } = await read(zip);
    expect(members[0].text).toBe('level=info msg="x"\n'.repeat(50));
    expect(problems).toEqual([{ file: 'a.log', reason: expect.stringMatching(/CRC-32 mismatch/) }]);
  });

  // over the small-member bounds: inflated as a stream, its CRC-32 and size checked by zlib as it goes
  const large = 'level=info msg="x"\n'.repeat(300_000);

  it('a large deflated member whose CRC-32 differs is read whole and reported', async () => {
    const zip = await zipBuffer([{ name: 'a.log', data: large }]);
    const cd = centralDirectoryOffset(zip);
    zip.writeUInt32LE((zip.readUInt32LE(cd + 16) ^ 1) >>> 0, cd + 16);
    const { members, problems } = await read(zip);
    expect(members[0].text).toBe(large);
    expect(problems).toEqual([{ file: 'a.log', reason: expect.stringMatching(/^CRC-32 mismatch/) }]);
  });

  it('a large deflated member of another size than declared is read whole and reported', async () => {
    const zip = await zipBuffer([{ name: 'a.log', data: large }]);
    const cd = centralDirectoryOffset(zip);
    zip.writeUInt32LE(large.length + 1, cd + 24);
    const { members, problems } = await read(zip);
    expect(members[0].text).toBe(large);
    expect(problems).toEqual([{ file: 'a.log', reason: `compressed data ends early (truncated): ${large.length} bytes read where the archive declares ${large.length + 1}` }]);
  });

  it('a corrupt deflated member is reported; the others are read', async () => {
    const zip = await zipBuffer([
      { name: 'a-first.log', data: 'first\n' },
      { name: 'b-broken.log', data: 'level=info msg="x"\n'.repeat(100) },
      { name: 'c-last.log', data: 'last\n' },
    ]);
    const corrupted = Buffer.from(zip);
    corrupted.fill(0xff, zipDataOffset(zip, 'b-broken.log'), zipDataOffset(zip, 'b-broken.log') + 4);
    const { members, problems } = await read(corrupted);
    expect(members.map((m) => m.text)).toEqual(['first\n', '', 'last\n']);
    expect(problems).toEqual([{ file: 'b-broken.log', reason: expect.stringMatching(/^corrupt compressed data: /) }]);
  });
});

describe('read limits', () => {
  const bundle = async () =>
    zipBuffer([
      { name: 'metadata.yaml', data: SAMPLE.metadata },
      { name: 'logs/kube-system/etcd-n1/etcd.log', data: '{"level":"info","ts":"2025-07-03T00:58:00.000Z","msg":"ok"}\n' },
      { name: 'nodes/n1.zip', data: await nodeZip('n1') },
    ]);

  it('maxMembers stops the read and names the limit', async () => {
    const { members, problems } = await read(await bundle(), { maxMembers: 4 });
    expect(paths(members)).toEqual(['metadata.yaml', 'logs/kube-system/etcd-n1/etcd.log', 'nodes/n1.zip', ...NODE_MEMBERS('n1').slice(1, 2)]);
    expect(problems).toEqual([{ file: expect.any(String), reason: expect.stringContaining('maxMembers limit (4)') }]);
  });

  it('maxNestingDepth keeps node zips closed', async () => {
    const { members, problems } = await read(await bundle(), { maxNestingDepth: 1 });
    expect(paths(members)).toEqual(['metadata.yaml', 'logs/kube-system/etcd-n1/etcd.log', 'nodes/n1.zip']);
    expect(problems).toEqual([{ file: 'nodes/n1.zip', reason: expect.stringContaining('maxNestingDepth limit (1)') }]);
  });

  it('maxCompressionRatio refuses a member declared to expand too much', async () => {
    const zip = await zipBuffer([
      { name: 'bomb.log', data: Buffer.alloc(2_000_000, 0x61) },
      { name: 'kubelet.log', data: SAMPLE.kubelet },
    ]);
    const { members, problems } = await read(zip, { maxCompressionRatio: 100 });
    expect(paths(members)).toEqual(['kubelet.log']);
    expect(problems).toEqual([{ file: 'bomb.log', reason: expect.stringContaining('maxCompressionRatio limit (100)') }]);
  });

  it('maxTotalBytes stops the read once reached', async () => {
    const { members, problems } = await read(await bundle(), { maxTotalBytes: SAMPLE.metadata.length + 10 });
    expect(members[0].text).toBe(SAMPLE.metadata);
    expect(members[1].text).toBe('');
    expect(paths(members)).toEqual(['metadata.yaml', 'logs/kube-system/etcd-n1/etcd.log']);
    expect(problems).toEqual([{ file: expect.any(String), reason: expect.stringContaining('maxTotalBytes limit') }]);
  });

  it('maxTotalBytes counts the spooling of deflated node zips too, reported once', async () => {
    const zip = await zipBuffer([
      { name: 'metadata.yaml', data: SAMPLE.metadata },
      { name: 'nodes/n1.zip', data: await nodeZip('n1'), compress: true },
    ]);
    const source = await openInput(await write(zip), { maxTotalBytes: SAMPLE.metadata.length + 100 });
    const problems: unknown[] = [];
    const seen: string[] = [];
    for await (const member of source.members((p) => problems.push(p))) {
      seen.push(member.info.path);
      if (member.info.kind !== 'nested-archive') for await (const _ of await member.open());
    }
    await source.close();
    expect(seen).toEqual(['metadata.yaml', 'nodes/n1.zip']);
    expect(problems).toEqual([{ file: expect.any(String), reason: expect.stringContaining('maxTotalBytes limit') }]);
  });

  it('silent at the defaults', async () => {
    const { problems } = await read(await bundle());
    expect(problems).toEqual([]);
  });
});
