import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectInputKind, openInput } from '../../src/bundle/open-input.js';
import { bundleEntries, nodeZip, paths, readAll, SAMPLE, tarBuffer, tempFolder, zipBuffer } from './helpers.js';

const ROOT = 'supportbundle_7e8aefe3-479a-4fa4-97d8-af2f283e4577_2025-07-03T01-15-45Z';
let folder: Awaited<ReturnType<typeof tempFolder>>;
let count = 0;
const write = (data: Buffer): Promise<string> => folder.write(`input-${++count}.tar`, data);

beforeAll(async () => {
  folder = await tempFolder();
});
afterAll(async () => {
  await folder.remove();
});

const NODE_MEMBERS = ['nodes/n1.zip', 'nodes/n1.zip!/n1/configs/etc/harvester-release.yaml', 'nodes/n1.zip!/n1/logs/kubelet.log', 'nodes/n1.zip!/n1/logs/rke2-server.log'];

describe('tar re-packs', () => {
  it('tar.gz of an extracted bundle: root stripped, archive order, nested node zips expanded', async () => {
    const tgz = await tarBuffer(
      bundleEntries(ROOT, [
        { name: 'n1', zip: await nodeZip('n1'), compress: false },
      ]),
      true,
    );
    const source = await openInput(await write(tgz));
    expect(source.packing).toBe('tar.gz');
    expect(source.root).toBe(ROOT);
    const { members, problems } = await readAll(source);
    expect(problems).toEqual([]);
    expect(paths(members)).toEqual([
      'logs/harvester-system/harvester-57b46685b9-djn5x/apiserver.log',
      ...NODE_MEMBERS,
      'yamls/cluster/harvesterhci.io/v1beta1/settings.yaml',
      'bundleGenerationError.log',
      'metadata.yaml',
    ]);
    expect(members.find((m) => m.member.info.path === 'metadata.yaml')?.text).toBe(SAMPLE.metadata);
    expect(members.find((m) => m.member.info.path === 'nodes/n1.zip!/n1/logs/kubelet.log')?.text).toBe(SAMPLE.kubelet);
    expect(members[0].member).toMatchObject({ size: SAMPLE.harvesterLog.length, mtime: Date.UTC(2025, 6, 3, 1, 15, 44) });
    expect(detectInputKind(paths(members))).toBe('support-bundle');
  });

  it("a node's tree re-packed keeps its folder, the node's name", async () => {
    const tgz = await tarBuffer(
      [
        { name: 'harvester-01/', type: 'directory' },
        { name: 'harvester-01/logs/', type: 'directory' },
        { name: 'harvester-01/logs/kubelet.log', data: SAMPLE.kubelet },
        { name: 'harvester-01/configs/etc/harvester-release.yaml', data: SAMPLE.harvesterRelease },
      ],
      true,
    );
    const source = await openInput(await write(tgz));
    expect(source.root).toBe('');
    const { members, problems } = await readAll(source);
    expect(problems).toEqual([]);
    expect(members.map((m) => [m.member.info.path, m.member.info.node])).toEqual([
      ['harvester-01/logs/kubelet.log', 'harvester-01'],
      ['harvester-01/configs/etc/harvester-release.yaml', 'harvester-01'],
    ]);
  });

  it('plain tar made with -C dir . keeps paths as they are', async () => {
    const tar = await tarBuffer([
      { name: './', type: 'directory' },
      { name: './metadata.yaml', data: SAMPLE.metadata },
      { name: './logs/kube-system/etcd-n1/etcd.log', data: '{"level":"warn","ts":"2025-07-03T00:58:00.000Z","msg":"slow fdatasync"}\n' },
    ]);
    const source = await openInput(await write(tar));
    expect(source.packing).toBe('tar');
    expect(source.root).toBe('');
    const { members, problems } = await readAll(source);
    expect(problems).toEqual([]);
    expect(paths(members)).toEqual(['metadata.yaml', 'logs/kube-system/etcd-n1/etcd.log']);
  });

  it('members a consumer does not open are skipped without stalling the stream', async () => {
    const tar = await tarBuffer(Array.from({ length: 5 }, (_, i) => ({ name: `logs/f${i}.log`, data: 'z'.repeat(200_000) })));
    const source = await openInput(await write(tar));
    const seen: string[] = [];
    for await (const member of source.members(() => {})) {
      seen.push(member.info.path);
      if (member.info.path === 'logs/f2.log') {
        const stream = await member.open();
        for await (const chunk of stream) {
          expect(chunk.length).toBeGreaterThan(0);
          break;
        }
      }
    }
    expect(seen).toEqual(['logs/f0.log', 'logs/f1.log', 'logs/f2.log', 'logs/f3.log', 'logs/f4.log']);
  });

  it('a member opened but left half read is skipped when the next one is asked for', async () => {
    const tar = await tarBuffer([
      { name: 'logs/big.log', data: 'q'.repeat(3_000_000) },
      { name: 'logs/next.log', data: 'next\n' },
    ]);
    const source = await openInput(await write(tar));
    const texts: string[] = [];
    const problems: unknown[] = [];
    for await (const member of source.members((p) => problems.push(p))) {
      const stream = await member.open();
      if (member.info.path === 'logs/big.log') {
        await new Promise((resolve) => stream.once('readable', resolve));
        stream.read(10);
        continue;
      }
      for await (const chunk of stream) texts.push(chunk.toString());
    }
    expect(texts).toEqual(['next\n']);
    expect(problems).toEqual([]);
  });

  it('gunzips .log.gz members of an upgrade-log archive re-pack', async () => {
    const name = 'logs/cattle-system.apply-hvst-upgrade-j7hwx-skip-restart-rancher-system-agen-gsntj.upgrade.20241009.log.gz';
    const line = '+ echo "skip restart rancher-system-agent"\n';
    const { members, problems } = await readAll(await openInput(await write(await tarBuffer([{ name, data: gzipSync(line) }], true))));
    expect(problems).toEqual([]);
    expect(members.map((m) => [m.member.info.path, m.text])).toEqual([[name, line]]);
  });

  it('reports symlinks (never followed) and skips directories', async () => {
    const tar = await tarBuffer([
      { name: 'bundle/', type: 'directory' },
      { name: 'bundle/metadata.yaml', data: SAMPLE.metadata },
      { name: 'bundle/logs/escape.log', type: 'symlink' },
    ]);
    const { members, problems } = await readAll(await openInput(await write(tar)));
    expect(paths(members)).toEqual(['metadata.yaml']);
    expect(problems).toEqual([{ file: 'logs/escape.log', reason: expect.stringContaining('symlink skipped') }]);
  });
});

describe('damaged tars', () => {
  const entries = [
    { name: 'metadata.yaml', data: SAMPLE.metadata },
    { name: 'logs/kube-system/etcd-n1/etcd.log', data: 'x'.repeat(10_000) },
    { name: 'yamls/cluster/v1/nodes.yaml', data: SAMPLE.settings },
  ];

  it('a truncated tar: members before the cut are read, the cut one and the archive reported', async () => {
    const tar = await tarBuffer(entries);
    const { members, problems } = await readAll(await openInput(await write(tar.subarray(0, 512 + 1024 + 512 + 4000))));
    expect(paths(members)).toEqual(['metadata.yaml', 'logs/kube-system/etcd-n1/etcd.log']);
    expect(members[0].text).toBe(SAMPLE.metadata);
    expect(members[1].text.length).toBeLessThan(10_000);
    expect(problems.map((p) => p.file)).toEqual(['logs/kube-system/etcd-n1/etcd.log', expect.stringMatching(/input-\d+\.tar$/)]);
    expect(problems[1].reason).toMatch(/^tar archive unreadable after 2 entries: /);
  });

  it('a truncated tar.gz is reported, nothing thrown', async () => {
    const tgz = await tarBuffer(entries, true);
    const { members, problems } = await readAll(await openInput(await write(tgz.subarray(0, tgz.length - 30))));
    expect(paths(members)).toContain('metadata.yaml');
    expect(problems.at(-1)?.reason).toMatch(/compressed data ends early/);
  });

  it('a corrupt gzip member is reported, the next member still read', async () => {
    const tar = await tarBuffer([
      { name: 'logs/kube-system.etcd-n1.etcd.20250502.log.gz', data: 'not gzip at all' },
      { name: 'logs/kube-system.kube-apiserver-n1.kube-apiserver.20250502.log.gz', data: gzipSync('I0502 09:07:25.000000 1 x.go:1] ok\n') },
    ]);
    const { members, problems } = await readAll(await openInput(await write(tar)));
    expect(members.map((m) => m.text)).toEqual(['', 'I0502 09:07:25.000000 1 x.go:1] ok\n']);
    expect(problems).toEqual([{ file: 'logs/kube-system.etcd-n1.etcd.20250502.log.gz', reason: expect.stringContaining('corrupt compressed data') }]);
  });

  it('a corrupt nested zip in a tar is reported; the following members are read', async () => {
    const tar = await tarBuffer([
      { name: 'nodes/n1.zip', data: 'PK\u0003\u0004 not really a zip' },
      { name: 'nodes/n2.zip', data: await zipBuffer([{ name: 'n2/logs/wicked.log', data: 'Jul 03 00:59:01.000001 n2 wicked[812]: lo: up\n' }]) },
    ]);
    const { members, problems } = await readAll(await openInput(await write(tar)));
    expect(paths(members)).toEqual(['nodes/n1.zip', 'nodes/n2.zip', 'nodes/n2.zip!/n2/logs/wicked.log']);
    expect(problems).toEqual([{ file: 'nodes/n1.zip', reason: expect.stringMatching(/^corrupt nested zip: /) }]);
  });
});
